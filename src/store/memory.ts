// MemoryStore: the Store in one process's memory, for tests and single-process tools. JavaScript runs one
// callback at a time, so each method is atomic as the database statements are — provided no method awaits
// between reading and writing, which is why every mutation below reads and writes synchronously.
import { checkCount, checkRef, checkSettingValue, checkText } from './_checks.js';
import type { ActivationResult, AttemptState, CounterKind, Store } from './store.js';

/**
 * The Store in one process's memory, for tests and single-process tools: nothing survives the process, and other
 * processes do not see it. Its methods check their arguments with the SQL stores' checks (ERR_FORMAT: an empty
 * card reference, a negative limit, …).
 * @example
 * const memory = new MemoryStore()
 * await memory.recordFailure('pin', 'CARD-REF', 3) // => { failed: 1, locked: false, applied: true }
 * await memory.leaseRange('45717360/16', 1000, 10 ** 7) // => { start: 0, end: 1000 }
 * await memory.putIdempotent('run-1', 'A') // => { created: true, value: 'A' }
 * await memory.putIdempotent('run-1', 'B') // => { created: false, value: 'A' }
 * await memory.recordFailure('pin', '', 3).catch((e) => [e.code, e.field]) // => ['ERR_FORMAT', 'cardRef']
 */
export class MemoryStore implements Store {
  readonly #attempts = new Map<string, AttemptState>();
  readonly #activation = new Map<string, { codeHash: string; attempts: number; used: boolean }>();
  readonly #ranges = new Map<string, number>();
  readonly #settings = new Map<string, string>();
  readonly #idempotency = new Map<string, string>();

  #state(kind: CounterKind, cardRef: string): AttemptState {
    const s = this.#attempts.get(`${checkRef(kind, 'kind')}\u0000${checkRef(cardRef)}`);
    return s ? { ...s } : { failed: 0, locked: false };
  }

  async getAttempts(kind: CounterKind, cardRef: string): Promise<AttemptState> {
    return this.#state(kind, cardRef);
  }

  async recordFailure(kind: CounterKind, cardRef: string, limit: number): Promise<AttemptState & { applied: boolean }> {
    checkCount(limit, 'limit');
    const s = this.#state(kind, cardRef);
    if (s.locked) return { ...s, applied: false };
    const next = { failed: s.failed + 1, locked: s.failed + 1 >= limit };
    this.#attempts.set(`${kind}\u0000${cardRef}`, next);
    return { ...next, applied: true };
  }

  async recordSuccess(kind: CounterKind, cardRef: string): Promise<{ applied: boolean }> {
    const s = this.#state(kind, cardRef);
    if (s.locked) return { applied: false };
    this.#attempts.set(`${kind}\u0000${cardRef}`, { failed: 0, locked: false });
    return { applied: true };
  }

  async resetAttempts(kind: CounterKind, cardRef: string): Promise<void> {
    this.#attempts.set(`${checkRef(kind, 'kind')}\u0000${checkRef(cardRef)}`, { failed: 0, locked: false });
  }

  async putActivationCode(cardRef: string, codeHash: string): Promise<void> {
    this.#activation.set(checkRef(cardRef), { codeHash: checkRef(codeHash, 'codeHash'), attempts: 0, used: false });
  }

  async consumeActivationCode(
    cardRef: string,
    codeHash: string,
    limit: number,
  ): Promise<{ result: ActivationResult; attempts: number }> {
    checkRef(codeHash, 'codeHash');
    checkCount(limit, 'limit');
    const a = this.#activation.get(checkRef(cardRef));
    if (!a) return { result: 'NONE', attempts: 0 };
    if (a.used) return { result: 'USED', attempts: a.attempts };
    if (a.attempts >= limit) return { result: 'LOCKED', attempts: a.attempts };
    if (a.codeHash === codeHash) {
      a.used = true;
      return { result: 'ACTIVATED', attempts: a.attempts };
    }
    a.attempts++;
    return { result: 'MISMATCH', attempts: a.attempts };
  }

  async leaseRange(
    name: string,
    size: number,
    limit: number,
    whole = false,
  ): Promise<{ start: number; end: number } | null> {
    checkCount(size, 'size');
    checkCount(limit, 'limit');
    const start = this.#ranges.get(checkRef(name, 'name')) ?? 0;
    if (start >= limit || (whole === true && start + size > limit)) return null;
    const end = Math.min(start + size, limit);
    this.#ranges.set(name, end);
    return { start, end };
  }

  async rangeNext(name: string): Promise<number> {
    return this.#ranges.get(checkRef(name, 'name')) ?? 0;
  }

  async getSetting(cardRef: string, name: string): Promise<string | undefined> {
    return this.#settings.get(`${checkRef(cardRef)}\u0000${checkRef(name, 'name')}`);
  }

  async setSetting(cardRef: string, name: string, value: string): Promise<void> {
    this.#settings.set(`${checkRef(cardRef)}\u0000${checkRef(name, 'name')}`, checkSettingValue(value));
  }

  async raiseWatermark(cardRef: string, name: string, value: number): Promise<boolean> {
    checkCount(value, 'value');
    const current = this.#settings.get(`${checkRef(cardRef)}\u0000${checkRef(name, 'name')}`);
    if (current !== undefined && Number(current) >= value) return false;
    this.#settings.set(`${cardRef}\u0000${name}`, String(value));
    return true;
  }

  async putIdempotent(key: string, value: string): Promise<{ created: boolean; value: string }> {
    const existing = this.#idempotency.get(checkRef(key, 'key'));
    if (existing !== undefined) return { created: false, value: existing };
    this.#idempotency.set(key, checkText(value));
    return { created: true, value };
  }

  async getIdempotent(key: string): Promise<string | undefined> {
    return this.#idempotency.get(checkRef(key, 'key'));
  }

  async close(): Promise<void> {}
}
