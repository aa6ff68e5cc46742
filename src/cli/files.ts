// Files the command line reads and writes, and how their failures read: ERR_FILE naming the flag, with the OS
// error's code only (its text may quote a path or a value).
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CardHsmError } from '../errors.js';

/** Maps a failed file operation to ERR_FILE naming the flag (never the error's text, which may quote paths). */
export function fileError(flag: string, e: unknown, doing: string): CardHsmError {
  const code = (e as { code?: unknown }).code;
  const why =
    code === 'ENOENT'
      ? doing === 'read'
        ? 'it does not exist'
        : 'its folder does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'ENOSPC'
            ? 'the disk is full'
            : `${typeof code === 'string' ? code : 'an I/O error'}`;
  return new CardHsmError('ERR_FILE', `${flag}: cannot ${doing} the file (${why})`, flag);
}

/** Refuses, before any work, an output path that cannot be created or appended to. */
export function checkWritable(path: string, flag: string): void {
  const full = resolve(path);
  try {
    if (existsSync(full)) {
      if (statSync(full).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
      accessSync(full, constants.W_OK);
    } else {
      const dir = dirname(full);
      if (!existsSync(dir)) throw Object.assign(new Error(), { code: 'ENOENT' });
      accessSync(dir, constants.W_OK);
    }
  } catch (e) {
    throw fileError(flag, e, 'write');
  }
}

/** A text file named by `flag`, or ERR_FILE. */
export function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(flag, e, 'read');
  }
}
