#!/usr/bin/env node
// The cardhsm command line: a payment engineer's calculator, key management under an LMK, and mass issuance.
// Errors are one line on stderr — `cardhsm: ERR_CODE: message` — with exit code 2 for bad usage or an invalid
// value, 1 for a verification that failed, 3 for a cryptographic or store failure; a stack only with --debug.
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerCalculator, examples } from './calculator.js';
import { registerKeys } from './keys.js';
import { registerIssue } from './issue.js';
import { registerMac } from './mac.js';
import { registerEmv } from './emv.js';
import { registerDukpt } from './dukpt.js';
import { registerServe } from './serve.js';
import { EXIT, reportError, stdio, type Io } from './output.js';
import { inFlagTerms, parserError } from './flags.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(io: Io): Command {
  const program = new Command('cardhsm')
    .description('HSM-style cryptography for payment cards: a calculator, keys under an LMK, and mass issuance')
    .version(version(), '-v, --version')
    .option('--json', 'machine-readable output')
    .option('--show-pan', 'show full PANs in human output (masked to first 6 / last 4 by default)')
    .option('--lmk-file <file>', 'file holding the LMK in hex (or set CARDHSM_LMK)')
    .option('--debug', 'print stack traces with errors')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: () => {}, outputError: () => {} });
  registerCalculator(program, io);
  registerKeys(program, io);
  registerIssue(program, io);
  registerMac(program, io);
  registerEmv(program, io);
  registerDukpt(program, io);
  registerServe(program, io);
  examples(
    program
      .command('bench')
      .description('runs the benchmark suite (in a clone of the repository)')
      .allowUnknownOption()
      .action((_o: unknown, c: Command) => {
        const root = fileURLToPath(new URL('../../', import.meta.url));
        if (!existsSync(`${root}bench/run.ts`)) {
          io.err(
            'cardhsm: the benchmark suite ships with the repository, not the package: clone it and run `npm run bench`',
          );
          process.exitCode = EXIT.USAGE;
          return;
        }
        const r = spawnSync('npx', ['tsx', 'bench/run.ts', ...c.args], { cwd: root, stdio: 'inherit' });
        process.exitCode = r.status ?? EXIT.FAILURE;
      }),
    [
      'cardhsm bench --quick --only cvv-single',
      'cardhsm benchmarks — …\nnative reference: …\ncold start …\n\nCVV, single operation (CVV/s)\n  cardhsm generateCvv …',
    ],
  );
  // Every subcommand reports parse errors through the same path.
  const override = (c: Command) => {
    c.exitOverride().configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: () => {},
      outputError: () => {},
    });
    c.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const io = stdio;
  const flags = { debug: argv.includes('--debug'), json: argv.includes('--json') };
  const program = buildProgram(io);
  // The command whose action runs, so that its errors can name the flags the user typed.
  let running: Command | undefined;
  program.hook('preAction', (_top, action) => {
    running = action;
  });
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT.OK;
  }
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return EXIT.OK;
      return reportError(io, parserError(e), flags);
    }
    return reportError(io, inFlagTerms(running, e), flags);
  }
}

process.exitCode = await main(process.argv);
