// Errors in the user's words: a library error names an API field ("panKey", "opts.length"); on the command line
// it names the flag the user typed (--pan-key, --length). Parser errors are re-worded from their codes, so that
// no option value (a key typed as --cvk2=…) is ever echoed.
import type { CommanderError, Command } from 'commander';
import { CardHsmError } from '../errors.js';
import { parseError } from './output.js';

/** API fields whose option has another name (the calculator's --block is the library's pinBlock, …). */
const ALIASES: Record<string, string> = { pinBlock: 'block', digits: 'number' };

/** The flag (`--pan-key`) or argument (`<number>`) of `cmd` that stands for the API field `field`, if any. */
function flagOf(cmd: Command, field: string): string | undefined {
  const name = field.replace(/^opts\./, '').replace(/^items\[\d+\]\./, '');
  for (const candidate of [name, ALIASES[name]]) {
    if (candidate === undefined) continue;
    const option = cmd.options.find((o) => o.attributeName() === candidate);
    if (option?.long) return option.long;
    const argument = cmd.registeredArguments.find((a) => a.name() === candidate);
    if (argument) return `<${argument.name()}>`;
  }
  return undefined;
}

/** `e` with its field named as the flag of `cmd` the user typed, message included; other errors unchanged. */
export function inFlagTerms(cmd: Command | undefined, e: unknown): unknown {
  if (!(e instanceof CardHsmError) || cmd === undefined || e.field === undefined || e.field.startsWith('-')) return e;
  const flag = flagOf(cmd, e.field);
  if (flag === undefined) return e;
  const quoted = `"${e.field}"`;
  const message = e.message.includes(quoted) ? e.message.replace(quoted, flag) : `${flag}: ${e.message}`;
  return new CardHsmError(e.code, message, flag, e.reason);
}

/** The option name of a token such as `--cvk2=0123…` or `-x`, without its value. */
function optionName(token: string): string {
  const name = token.split('=')[0]!;
  return /^--?[A-Za-z][\w-]{0,40}$/.test(name) ? name : 'an option';
}

/**
 * A parser error worded from its code: commander's own messages quote what was typed (an unknown option's
 * value, an invalid argument), which may be a key or a PAN.
 */
export function parserError(e: CommanderError): CardHsmError {
  const quoted = /'([^']*)'/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'commander.unknownOption':
      return parseError(`unknown option '${optionName(quoted)}' (see --help)`);
    case 'commander.unknownCommand':
      // A word is echoed; anything with a run of digits (a mistyped PAN) is not.
      return parseError(
        /^[a-z][a-z0-9-]{0,20}$/.test(quoted) && !/\d{5}/.test(quoted)
          ? `unknown command '${quoted}' (see --help)`
          : 'unknown command (see --help)',
      );
    case 'commander.invalidArgument':
      return parseError('an option or argument has an invalid value (see --help)');
    case 'commander.excessArguments':
      return parseError('too many arguments (see --help)');
    default:
      // Missing option values, missing mandatory options and missing arguments quote only the option's name and
      // placeholder (`'--count <n>'`), never a value.
      return parseError(e.message.replace(/^error: /, ''));
  }
}
