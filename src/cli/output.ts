// How the command line speaks: results on stdout (plain, or JSON with --json), warnings and errors on stderr as
// one line `cardhsm: ERR_CODE: message`, and exit codes by kind of failure:
//   0 success, 1 a verification that failed, 2 bad usage or an invalid value, 3 a cryptographic or store failure.
import { CardHsmError } from '../errors.js';

export const EXIT = { OK: 0, VERIFY_FAILED: 1, USAGE: 2, FAILURE: 3 } as const;

/**
 * Codes that mean the caller gave something malformed or unfit (a key of the wrong usage, a key block that does
 * not parse): usage errors. Every other code — a MAC that fails, a PIN block that does not decode, a store that
 * cannot be reached — is a failure.
 */
const USAGE_CODES = new Set([
  'ERR_USAGE',
  'ERR_FILE',
  'ERR_TYPE',
  'ERR_LENGTH',
  'ERR_FORMAT',
  'ERR_PIN_POLICY',
  'ERR_CARD_REF',
  'ERR_IDEMPOTENCY',
  'ERR_PIN_TRANSLATION',
  'ERR_DECIMALIZATION_TABLE',
  'ERR_WEAK_KEY',
  'ERR_KEY_PARITY',
  'ERR_KCV_MISMATCH',
  'ERR_KEY_USAGE',
  'ERR_TR31_HEADER',
  'ERR_TR31_LENGTH',
]);

export function exitCodeOf(e: unknown): number {
  if (e instanceof CardHsmError) return USAGE_CODES.has(e.code) ? EXIT.USAGE : EXIT.FAILURE;
  return EXIT.FAILURE;
}

/** A usage error raised by the CLI itself (a missing option, a bad combination). */
export function usageError(message: string): CardHsmError {
  return new CardHsmError('ERR_FORMAT', message);
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const stdio: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * The error report: one line `cardhsm: CODE: message` on stderr, or with --json `{"error":{code,message,field}}`
 * on stdout; a stack trace (stderr) only with --debug. The exit code is the same either way.
 */
export function reportError(io: Io, e: unknown, flags: { debug: boolean; json: boolean }): number {
  const code = e instanceof CardHsmError ? e.code : 'ERR_INTERNAL';
  const message = e instanceof Error ? e.message : 'an unexpected error';
  const field = e instanceof CardHsmError ? e.field : undefined;
  if (flags.json) io.out(JSON.stringify({ error: { code, message, ...(field === undefined ? {} : { field }) } }));
  else io.err(`cardhsm: ${code}: ${message}`);
  if (flags.debug && e instanceof Error && e.stack) io.err(e.stack);
  return exitCodeOf(e);
}

/** A usage error (exit 2) from the command-line parser, already worded without any option value. */
export function parseError(message: string): CardHsmError {
  return new CardHsmError('ERR_USAGE', message);
}

/** A PAN for human output: first 6 and last 4 digits unless --show-pan. */
export function showPan(pan: string, reveal: boolean): string {
  if (reveal || pan.length < 11) return pan;
  return pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4);
}

/** Prints a result: JSON (the whole object) with --json, else the `human` lines. */
export function print(io: Io, json: boolean, value: Record<string, unknown>, human: string | string[]): void {
  if (json) io.out(JSON.stringify(value));
  else for (const line of Array.isArray(human) ? human : [human]) io.out(line);
}
