// The output file of `cardhsm issue`: created 0600 (it holds clear PANs, CVVs and PIN blocks) only once the first
// card exists, so a run refused by validation leaves nothing behind; written in whole records; and, when an
// idempotent run resumes, checked record by record against the cards that idempotency key reproduces before a
// byte is added. A file that is not exactly a prefix of this run's output is refused, never trusted by its count.
import { closeSync, fchmodSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { CardHsmError } from '../errors.js';
import { fileError } from './files.js';

const CHUNK = 1 << 20;

/** Reads a file's lines in order, a chunk at a time (card files can be larger than a string may be). */
class LineReader {
  readonly #fd: number;
  #buffer = Buffer.alloc(CHUNK);
  #text = '';
  #position = 0;
  #eof = false;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** The next whole line (without its newline), or undefined at the end; a partial last line is not returned. */
  next(): string | undefined {
    for (;;) {
      const nl = this.#text.indexOf('\n');
      if (nl >= 0) {
        const line = this.#text.slice(0, nl);
        this.#text = this.#text.slice(nl + 1);
        return line;
      }
      if (this.#eof) return undefined;
      const n = readSync(this.#fd, this.#buffer, 0, CHUNK, this.#position);
      this.#position += n;
      if (n === 0) this.#eof = true;
      else this.#text += this.#buffer.toString('latin1', 0, n);
    }
  }
}

/** What an existing output file holds: whole records (after a CSV header), their digest, and a partial tail. */
export interface ExistingFile {
  records: number;
  /** Bytes up to the end of the last whole line. */
  wholeBytes: number;
  /** SHA-256 state over those bytes, to be continued by the writer. */
  hash: Hash;
  /** True when a cut last line follows the whole records. */
  partial: boolean;
}

/** Scans `path` once: counts and hashes its whole lines (a CSV header is counted apart from the records). */
export function scanExisting(path: string, csv: boolean): ExistingFile {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0); // bytes after the last newline so far
    let lines = 0;
    let wholeBytes = 0;
    for (
      let position = 0, n = readSync(fd, buffer, 0, CHUNK, 0);
      n > 0;
      position += n, n = readSync(fd, buffer, 0, CHUNK, position)
    ) {
      const chunk = buffer.subarray(0, n);
      const last = chunk.lastIndexOf(10);
      if (last < 0) {
        carry = Buffer.concat([carry, chunk]);
        // A card record is a few hundred bytes: megabytes without a newline are not a card file.
        if (carry.length > 16 * CHUNK)
          throw new CardHsmError('ERR_IDEMPOTENCY', '--out is not a card file (no line breaks)', '--out');
        continue;
      }
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      hash.update(carry).update(chunk.subarray(0, last + 1));
      carry = Buffer.from(chunk.subarray(last + 1));
      wholeBytes = position + last + 1;
    }
    return { records: csv ? Math.max(0, lines - 1) : lines, wholeBytes, hash, partial: carry.length > 0 };
  } finally {
    closeSync(fd);
  }
}

/**
 * The sink of one issuance run: appends whole records to a new file (mode 0600) or to a verified prefix, or
 * writes them to standard output.
 */
export class CardFile {
  readonly #path: string;
  readonly #header: string | undefined;
  readonly #existing: ExistingFile | undefined;
  readonly #hash: Hash;
  #reader: LineReader | undefined;
  #readFd: number | undefined;
  #fd: number | undefined;
  #verified = 0;

  /**
   * `path` '-' is standard output. `existing` (from scanExisting) makes the first `existing.records` cards a
   * check of the file's records instead of new output.
   */
  constructor(path: string, header: string | undefined, existing: ExistingFile | undefined) {
    this.#path = path;
    this.#header = header;
    this.#existing = existing;
    this.#hash = existing?.hash ?? createHash('sha256');
    if (existing && existing.wholeBytes > 0) {
      this.#readFd = openSync(path, 'r');
      this.#reader = new LineReader(this.#readFd);
      if (header !== undefined && this.#reader.next() !== header) throw this.#notOurs('its CSV header differs');
    }
  }

  get toStdout(): boolean {
    return this.#path === '-';
  }

  /** Records still to be checked before new output starts. */
  get pendingChecks(): number {
    return (this.#existing?.records ?? 0) - this.#verified;
  }

  #notOurs(why: string): CardHsmError {
    return new CardHsmError(
      'ERR_IDEMPOTENCY',
      `--out holds records that are not this run's (${why}): it was written by another run or edited; choose another --out`,
      '--out',
    );
  }

  /** Checks the next existing record against `line`, the same card as this run makes it. */
  check(line: string): void {
    const found = this.#reader!.next();
    this.#verified++;
    if (found !== line) throw this.#notOurs(`record ${this.#verified} differs`);
    if (this.pendingChecks === 0) this.#endChecks();
  }

  #endChecks(): void {
    if (this.#readFd !== undefined) closeSync(this.#readFd);
    this.#readFd = undefined;
    this.#reader = undefined;
  }

  /** Opens the output for appending on first use: cuts a partial last line, creates a new file 0600. */
  #open(): number {
    if (this.#fd !== undefined) return this.#fd;
    try {
      if (this.#existing && this.#existing.wholeBytes > 0) {
        this.#fd = openSync(this.#path, 'r+');
        // An existing card file is tightened to 0600 too: it holds clear card data.
        fchmodSync(this.#fd, 0o600);
        if (fstatSync(this.#fd).size > this.#existing.wholeBytes) ftruncateSync(this.#fd, this.#existing.wholeBytes);
        closeSync(this.#fd);
        this.#fd = openSync(this.#path, 'a');
      } else {
        // A new file, or an existing one without a whole line (only a cut first record): start it afresh.
        this.#fd = openSync(this.#path, this.#existing ? 'w' : 'wx', 0o600);
        fchmodSync(this.#fd, 0o600);
        if (this.#header !== undefined) this.#write(this.#fd, `${this.#header}\n`);
      }
    } catch (e) {
      if (e instanceof CardHsmError) throw e;
      throw fileError('--out', e, 'write');
    }
    return this.#fd;
  }

  #write(fd: number, data: string | Uint8Array): void {
    try {
      if (typeof data === 'string') writeSync(fd, data);
      else for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    } catch (e) {
      throw fileError('--out', e, 'write');
    }
    if (typeof data === 'string') this.#hash.update(data, 'latin1');
    else this.#hash.update(data);
  }

  /**
   * Writes whole records (`lines`: ASCII lines, each ending with a newline, as Hsm.issueCardLines gives them) in
   * one write, then zeroes them (they hold clear card data).
   */
  async write(lines: Uint8Array): Promise<void> {
    try {
      if (this.toStdout) {
        if (!process.stdout.write(Buffer.from(lines))) await new Promise((r) => process.stdout.once('drain', r));
      } else {
        this.#write(this.#open(), lines);
      }
    } finally {
      lines.fill(0);
    }
  }

  /**
   * Ends the run: a file whose records were all checked is cut after its last whole record; the file is synced.
   * Returns the SHA-256 of the whole file (hex), or undefined for standard output.
   */
  finish(complete: boolean): string | undefined {
    this.#endChecks();
    if (this.toStdout) return undefined;
    if (complete && this.#fd === undefined && this.#existing) this.#open(); // cuts a partial tail; writes nothing
    if (this.#fd !== undefined) {
      fsyncSync(this.#fd);
      closeSync(this.#fd);
      this.#fd = undefined;
    }
    return complete ? this.#hash.digest('hex') : undefined;
  }

  /** Closes without finishing (an error or an interruption): what was written stays, whole records only. */
  close(): void {
    this.#endChecks();
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
