// Issuance over the store (seeds: mass issue, instant card, reissue): the keys of a run opened once, PAN ranges
// bound to their permutation key and kept apart from every nested prefix of the same length, counters leased so
// that no number is ever issued twice — across processes and crashes — and cards computed in the issuance kernel,
// on worker threads for large runs.
import { nodeCrypto, nodeOs } from '../_node.js';
import { CardHsmError } from '../errors.js';
import { bytesToHex } from '../bytes.js';
import { checkDigits, checkExpiryYymm, checkInt, checkOneOf } from '../_validate.js';
import type { TokenOptions } from '../token.js';
import { tokenPlan } from '../_token.js';
import type { PinPolicy } from '../pinpolicy.js';
import type { Store } from '../store/store.js';
import { kcvOf, type KeyVault, type OpenKey } from '../hsm/_vault.js';
import { withOptions, type Run, type OperationContext } from '../hsm/_operation.js';
import type { Purpose } from '../hsm/usage.js';
import type {
  IssueCardLinesOptions,
  IssueCardsOptions,
  IssueOptions,
  PanRangeOptions,
  PinVerificationData,
  ReissueOptions,
} from '../hsm/options.js';
import { PanIssuer } from './pan.js';
import { issueInPool } from './_pool.js';
import { flatten } from './_stream.js';
import {
  cardsAt,
  cardsFor,
  cardsFromText,
  cardTextAt,
  expiryAfter,
  type CardLineFormat,
  type CardRecipe,
  type CardText,
} from './_cards.js';
import type { IssuedCard } from './cards.js';

/** Runs at least this long use the worker pool unless `workers` says otherwise. */
const POOL_MIN_CARDS = 200_000;

/** Cards turned into objects at a time while streaming (see cardsFromText). */
const YIELD_SLICE = 256;

/** The shortest issuer prefix (ISO/IEC 7812-1: a 6- or 8-digit IIN). */
const MIN_PREFIX = 6;

/** What the issuer needs from the card state: references, and storing a new card's PIN verification data. */
export interface IssuerCards {
  ref(pan: string): string;
  storeVerification(cardRef: string, data: PinVerificationData): Promise<void>;
}

/** The keys and settings of one issuance, opened from key blocks; release() zeroes them. */
interface Opened {
  recipe: CardRecipe;
  panKey: Uint8Array;
  panKeyKcv: string;
  kcvs: () => Record<string, string>;
  release: () => void;
}

/** The store's name for the counter range of a PAN prefix and length. */
function panRange(shape: { bin: string; length: number }): string {
  return `pan/${shape.bin}/${shape.length}`;
}

function checkIdempotencyKey(value: unknown): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new CardHsmError(
      'ERR_FORMAT',
      '"idempotencyKey" expected 1..128 printable ASCII characters without spaces',
      'idempotencyKey',
    );
  }
  return value;
}

/** What makes two issuance requests "the same": every parameter, keys by their public KCVs. */
function issueDigest(o: Record<string, unknown>, kcvs: Record<string, string>, count: number): string {
  const fields = ['bin', 'length', 'expiry', 'monthsToExpiration', 'serviceCode', 'pvki', 'pinLength', 'tokenOptions'];
  const material = JSON.stringify(
    { count, kcvs, ...Object.fromEntries(fields.map((f) => [f, o[f] ?? null])) },
    (_, v: unknown) => (v instanceof Uint8Array ? bytesToHex(v) : v),
  );
  return nodeCrypto().createHash('sha256').update(material).digest('hex');
}

function exhausted(range: string, remaining: number, wanted: number): CardHsmError {
  return new CardHsmError(
    'ERR_RANGE_EXHAUSTED',
    `${range} has ${remaining} PANs left, fewer than the ${wanted} asked for`,
    'count',
  );
}

/** Computes batches in this thread, in counter order. */
async function* inThread(
  recipe: CardRecipe,
  plan: AsyncIterable<[number, number]> | Iterable<[number, number]>,
  batchSize: number,
): AsyncGenerator<CardText> {
  for await (const [start, end] of plan) {
    for (let at = start; at < end; at += batchSize) yield cardTextAt(recipe, at, Math.min(batchSize, end - at));
  }
}

export class Issuer {
  readonly #vault: KeyVault;
  readonly #run: Run;
  readonly #store: () => Store;
  readonly #cards: IssuerCards;
  readonly #pinPolicy: PinPolicy;
  /** Counter leases held for issueCard, per PAN range: handed out one by one, lost (as gaps) on a crash. */
  readonly #leases = new Map<string, { next: number; end: number }>();
  /** Ranges whose binding and nesting this instance has checked. */
  readonly #claimed = new Set<string>();

  constructor(vault: KeyVault, run: Run, store: () => Store, cards: IssuerCards, pinPolicy: PinPolicy) {
    this.#vault = vault;
    this.#run = run;
    this.#store = store;
    this.#cards = cards;
    this.#pinPolicy = pinPolicy;
  }

  /** Opens the keys of an issuance and resolves its settings; the caller must release() when done. */
  #open(o: Record<string, unknown>, ctx: OperationContext | undefined, now: Date): Opened {
    const keys: OpenKey[] = [];
    const fields: string[] = [];
    let issuer: PanIssuer | undefined;
    const open = (field: string, purpose: Purpose) => {
      const k = this.#vault.open(field, o[field], purpose, keys.length === 0 ? ctx : undefined);
      keys.push(k);
      fields.push(field);
      return k;
    };
    const release = () => {
      for (const k of keys) k.key.fill(0);
      issuer?.wipe();
    };
    try {
      const bin = checkDigits('bin', o.bin, MIN_PREFIX, 11);
      const length = o.length === undefined ? 16 : checkInt('length', o.length, 13, 19);
      if (o.expiry !== undefined && o.monthsToExpiration !== undefined) {
        throw new CardHsmError('ERR_FORMAT', 'give "expiry" or "monthsToExpiration", not both', 'expiry');
      }
      const expiry =
        o.expiry !== undefined
          ? checkExpiryYymm('expiry', o.expiry)
          : expiryAfter(
              o.monthsToExpiration === undefined ? 36 : checkInt('monthsToExpiration', o.monthsToExpiration, 1, 240),
              now,
            );
      const serviceCode = o.serviceCode === undefined ? '101' : checkDigits('serviceCode', o.serviceCode, 3, 3);
      const cvk = open('cvk', 'cvv.generate');
      const panKey = open('panKey', 'pan.permute');
      issuer = new PanIssuer({ key: panKey.key, bin, length });
      const recipe: CardRecipe = { issuer, cvk: cvk.key, expiry, serviceCode };
      if ((o.pinKey === undefined) !== (o.pvk === undefined)) {
        throw new CardHsmError(
          'ERR_FORMAT',
          'give both "pinKey" and "pvk" (a PIN needs its PVV), or neither',
          o.pinKey === undefined ? 'pinKey' : 'pvk',
        );
      }
      if (o.pinKey !== undefined) {
        const pinKey = open('pinKey', 'pin.encrypt');
        const pvk = open('pvk', 'pvv.generate');
        const pinLength = o.pinLength === undefined ? 4 : checkInt('pinLength', o.pinLength, 4, 12);
        recipe.pin = {
          pinKey: pinKey.key,
          aes: pinKey.header.algorithm === 'A',
          pvk: pvk.key,
          pvki: o.pvki === undefined ? '1' : checkDigits('pvki', o.pvki, 1, 1),
          length: pinLength,
          policy: this.#pinPolicy,
        };
      }
      if (o.tokenKey !== undefined) {
        const tokenKey = open('tokenKey', 'token.tokenize');
        recipe.token = { key: tokenKey.key, options: (o.tokenOptions ?? {}) as TokenOptions };
        tokenPlan(recipe.token.options, length); // checks the options now
      }
      const kcvs = () => Object.fromEntries(fields.map((f, i) => [f, kcvOf(keys[i]!.key, keys[i]!.algorithm)]));
      return { recipe, panKey: panKey.key, panKeyKcv: kcvOf(panKey.key, panKey.algorithm), kcvs, release };
    } catch (e) {
      release();
      throw e;
    }
  }

  /**
   * Binds a PAN range to its permutation key (another key would repeat numbers) and keeps nested prefixes of the
   * same length apart: their PAN spaces overlap, so two permutations over them would repeat numbers. A shorter
   * prefix in use, or a longer one, refuses the range — checked before anything is written for it, so a refused
   * range leaves no trace. Two nested prefixes claimed at the same moment may both be refused, never both used.
   */
  async #claim(store: Store, bin: string, length: number, panKeyKcv: string): Promise<void> {
    const range = panRange({ bin, length });
    const prefixes = Array.from({ length: bin.length - MIN_PREFIX }, (_, i) => bin.slice(0, MIN_PREFIX + i));
    const refuse = (other: string) =>
      new CardHsmError(
        'ERR_PAN_RANGE_OVERLAP',
        `${range} overlaps ${other}: nested prefixes of one length share PANs`,
        'bin',
      );
    const shorterInUse = async () => {
      for (const p of prefixes)
        if ((await store.getIdempotent(`${panRange({ bin: p, length })}/panKey`)) !== undefined)
          return panRange({ bin: p, length });
      return undefined;
    };
    if (!this.#claimed.has(range)) {
      const shorter = await shorterInUse();
      if (shorter) throw refuse(shorter);
      const longer = await store.getIdempotent(`${range}/extended`);
      if (longer !== undefined) throw refuse(panRange({ bin: longer, length }));
      for (const p of prefixes) await store.putIdempotent(`${panRange({ bin: p, length })}/extended`, bin);
    }
    const { value } = await store.putIdempotent(`${range}/panKey`, panKeyKcv);
    if (value !== panKeyKcv) {
      throw new CardHsmError(
        'ERR_KEY_USAGE',
        `"panKey" differs from the key (KCV ${value}) that numbers ${range}: another key would repeat PANs`,
        'panKey',
      );
    }
    if (!this.#claimed.has(range)) {
      // A nested prefix claimed concurrently: one of the two sees the other here.
      const shorter = await shorterInUse();
      const longer = await store.getIdempotent(`${range}/extended`);
      if (shorter) throw refuse(shorter);
      if (longer !== undefined) throw refuse(panRange({ bin: longer, length }));
      this.#claimed.add(range);
    }
  }

  async #remaining(store: Store, range: string, capacity: number): Promise<number> {
    return capacity - (await store.rangeNext(range));
  }

  /** The counter lease of an idempotent run: the stored one when the key was used before, else a new one. */
  async #idempotentLease(
    store: Store,
    key: string,
    digest: string,
    range: string,
    count: number,
    capacity: number,
    expiry: string,
  ): Promise<{ leases: Array<[number, number]>; expiry: string }> {
    const recordKey = `issue/${key}`;
    const read = (json: string) => {
      const r = JSON.parse(json) as { digest: string; leases: Array<[number, number]>; expiry: string };
      if (r.digest !== digest)
        throw new CardHsmError(
          'ERR_IDEMPOTENCY',
          '"idempotencyKey" was used before with different parameters',
          'idempotencyKey',
        );
      return r;
    };
    const existing = await store.getIdempotent(recordKey);
    if (existing !== undefined) return read(existing);
    // All or nothing: a run larger than what remains leases nothing, and says how much remains.
    const lease = await store.leaseRange(range, count, capacity, true);
    if (lease === null) throw exhausted(range, await this.#remaining(store, range, capacity), count);
    // A concurrent run with the same key may have recorded first: its lease wins, ours becomes a gap.
    return read(
      (await store.putIdempotent(recordKey, JSON.stringify({ digest, leases: [[lease.start, lease.end]], expiry })))
        .value,
    );
  }

  /** Leases counters batch by batch, so that a crash loses at most one batch (as a gap, never a duplicate). */
  async *#leaseStream(
    store: Store,
    range: string,
    count: number,
    batchSize: number,
    capacity: number,
  ): AsyncGenerator<[number, number]> {
    for (let got = 0; got < count; ) {
      const lease = await store.leaseRange(range, Math.min(batchSize, count - got), capacity);
      if (lease === null) throw exhausted(range, 0, count - got);
      got += lease.end - lease.start;
      yield [lease.start, lease.end];
    }
  }

  issueCards(options: IssueCardsOptions): AsyncGenerator<IssuedCard, void> {
    return flatten<IssuedCard>(
      this.#issueBatches('issueCards', options, undefined, function* (recipe, batch) {
        for (let at = 0; at < batch.count; at += YIELD_SLICE)
          yield cardsFromText(recipe, batch, at, Math.min(batch.count, at + YIELD_SLICE));
      }),
    );
  }

  /** The cards of issueCards as finished lines, a batch per array: written by the kernel, no card object made. */
  issueCardLines(options: IssueCardLinesOptions): AsyncGenerator<Uint8Array, void> {
    const format = (o: Record<string, unknown>) => checkOneOf('format', o.format, ['jsonl', 'csv'] as const);
    return this.#issueBatches('issueCardLines', options, format, function* (_recipe, batch) {
      yield batch.lines!;
    });
  }

  /**
   * An issuance stream: each batch the kernel (or the pool) computes becomes what `slices` makes of it. The whole
   * stream is one audited operation: authorized when first pulled, recorded when it ends (an error, the last card,
   * or a consumer that stopped early).
   */
  async *#issueBatches<T>(
    op: 'issueCards' | 'issueCardLines',
    options: unknown,
    linesOf: ((o: Record<string, unknown>) => CardLineFormat) | undefined,
    slices: (recipe: CardRecipe, batch: CardText) => Iterable<T>,
  ): AsyncGenerator<T> {
    let end!: (error?: unknown) => void;
    let ctx!: OperationContext;
    let o!: Record<string, unknown>;
    const whole = new Promise<void>((resolve, reject) => {
      end = (error) => (error === undefined ? resolve() : reject(error));
    });
    const audited = withOptions(this.#run, op, options, (c, checked) => {
      ctx = c;
      o = checked;
      return whole;
    });
    audited.catch(() => {}); // an error reaches the consumer from below; only the audit's own failure is awaited
    let release = () => {};
    try {
      const plan = await this.#prepare(o, ctx, linesOf?.(o));
      release = plan.release;
      let issued = 0;
      for await (const batch of plan.batches) {
        yield* slices(plan.recipe, batch);
        issued += batch.count;
        if (typeof o.onProgress === 'function') o.onProgress({ issued, total: plan.count });
      }
    } catch (e) {
      end(e);
      throw e;
    } finally {
      release();
      end();
    }
    await audited; // fail closed: a sink that cannot record the run fails it
  }

  /** Checks and opens everything an issueCards run needs, and leases its counters (or the first batch). */
  async #prepare(
    o: Record<string, unknown>,
    ctx: OperationContext,
    lines?: CardLineFormat,
  ): Promise<{ recipe: CardRecipe; batches: AsyncGenerator<CardText>; count: number; release: () => void }> {
    const count = checkInt('count', o.count, 1, 1_000_000_000);
    const batchSize = o.batchSize === undefined ? 10_000 : checkInt('batchSize', o.batchSize, 1, 1_000_000);
    const idempotencyKey = o.idempotencyKey === undefined ? undefined : checkIdempotencyKey(o.idempotencyKey);
    const workers =
      o.workers === undefined
        ? count >= POOL_MIN_CARDS
          ? Math.min(nodeOs().availableParallelism(), 8)
          : 1
        : checkInt('workers', o.workers, 1, 64);
    const store = this.#store();
    const { recipe, kcvs, panKey, panKeyKcv, release } = this.#open(o, ctx, new Date());
    if (lines) recipe.lines = lines;
    try {
      const issuer = recipe.issuer;
      const range = panRange(issuer);
      await this.#claim(store, issuer.bin, issuer.length, panKeyKcv);
      let plan: AsyncIterable<[number, number]> | Iterable<[number, number]>;
      if (idempotencyKey !== undefined) {
        const replay = await this.#idempotentLease(
          store,
          idempotencyKey,
          issueDigest(o, kcvs(), count),
          range,
          count,
          issuer.capacity,
          recipe.expiry,
        );
        recipe.expiry = replay.expiry;
        plan = replay.leases;
      } else {
        const remaining = await this.#remaining(store, range, issuer.capacity);
        if (count > remaining) throw exhausted(range, remaining, count);
        plan = this.#leaseStream(store, range, count, batchSize, issuer.capacity);
      }
      // Worker threads pay off for large runs only: starting a pool costs ~0.1 s here, what one thread needs for
      // ~40,000 cards, and two workers save about half the time.
      const batches =
        workers > 1
          ? issueInPool({ ...recipe, panKey, bin: issuer.bin, length: issuer.length }, plan, batchSize, { workers })
          : inThread(recipe, plan, batchSize);
      return { recipe, batches, count, release };
    } catch (e) {
      release();
      throw e;
    }
  }

  /** One counter for issueCard from a small lease held by this Issuer: up to 100 at a time, fewer at the end. */
  async #nextCounter(store: Store, range: string, capacity: number): Promise<number> {
    let lease = this.#leases.get(range);
    if (!lease || lease.next >= lease.end) {
      const got = await store.leaseRange(range, 100, capacity);
      if (got === null) throw exhausted(range, 0, 1);
      lease = { next: got.start, end: got.end };
      this.#leases.set(range, lease);
    }
    return lease.next++;
  }

  /** An instant card; with a PIN, its verification data is stored, so the card verifies at once. */
  async issueCard(options: IssueOptions): Promise<IssuedCard> {
    return withOptions(this.#run, 'issueCard', options, (ctx, o) => this.#issueOne(o, ctx));
  }

  async #issueOne(o: Record<string, unknown>, ctx: OperationContext): Promise<IssuedCard> {
    const store = this.#store();
    const { recipe, panKeyKcv, release } = this.#open(o, ctx, new Date());
    try {
      const range = panRange(recipe.issuer);
      await this.#claim(store, recipe.issuer.bin, recipe.issuer.length, panKeyKcv);
      const card = cardsAt(recipe, await this.#nextCounter(store, range, recipe.issuer.capacity), 1)[0]!;
      if (card.pvv !== undefined) {
        await this.#cards.storeVerification(this.#cards.ref(card.pan), {
          type: 'VISA_PVV',
          pvk: o.pvk as string,
          pvki: recipe.pin!.pvki,
          pvv: card.pvv,
        });
      }
      return card;
    } finally {
      release();
    }
  }

  async panCapacity(options: PanRangeOptions): Promise<{ issued: number; remaining: number }> {
    return withOptions(this.#run, 'panCapacity', options, async (_ctx, o) => {
      const bin = checkDigits('bin', o.bin, MIN_PREFIX, 11);
      const length = o.length === undefined ? 16 : checkInt('length', o.length, 13, 19);
      const digits = length - bin.length - 1; // at least 1: prefix <= 11 digits, length >= 13
      const issued = await this.#store().rangeNext(panRange({ bin, length }));
      return { issued, remaining: 10 ** digits - issued };
    });
  }

  /**
   * Reissue: LOST or STOLEN gives a new PAN (the old card's reference is marked replaced); DAMAGED, EXPIRED or
   * EMERGENCY keeps the PAN with a new expiry and new codes, and no new PIN: the PIN stays with the card.
   */
  async reissueCard(options: ReissueOptions): Promise<IssuedCard> {
    return withOptions(this.#run, 'reissueCard', options, async (ctx, o) => {
      const reason = checkOneOf('reason', o.reason, ['LOST', 'STOLEN', 'DAMAGED', 'EXPIRED', 'EMERGENCY'] as const);
      const pan = checkDigits('pan', o.pan, 12, 19);
      if (reason === 'LOST' || reason === 'STOLEN') {
        const card = await this.#issueOne(o, ctx);
        const store = this.#store();
        const old = this.#cards.ref(pan);
        await store.setSetting(old, 'status', `REPLACED:${reason}`);
        await store.setSetting(old, 'replacedBy', this.#cards.ref(card.pan));
        return card;
      }
      const { recipe, release } = this.#open({ ...o, pinKey: undefined, pvk: undefined }, ctx, new Date());
      try {
        return cardsFor(recipe, [pan])[0]!;
      } finally {
        release();
      }
    });
  }
}
