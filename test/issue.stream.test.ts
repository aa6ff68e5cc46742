// flatten: the card stream behind Hsm.issueCards — order, concurrent next calls, early stops and errors reaching
// the source generator (whose finally blocks zero keys and close worker pools).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { flatten } from '../src/issue/_stream.js';

async function* slices<T>(arrays: T[][], log: string[] = [], failAt = -1): AsyncGenerator<T[]> {
  try {
    for (let i = 0; i < arrays.length; i++) {
      if (i === failAt) throw new Error('source failed');
      await Promise.resolve();
      yield arrays[i]!;
    }
  } finally {
    log.push('finally');
  }
}

const arrays = fc.array(fc.array(fc.integer(), { maxLength: 5 }), { maxLength: 8 });

describe('flatten', () => {
  test('yields every item in order, skipping empty slices, then done', async () => {
    await fc.assert(
      fc.asyncProperty(arrays, async (a) => {
        const got: number[] = [];
        for await (const x of flatten(slices(a))) got.push(x);
        expect(got).toEqual(a.flat());
      }),
    );
  });

  test('next calls made without waiting are answered in call order', async () => {
    await fc.assert(
      fc.asyncProperty(arrays, fc.integer({ min: 1, max: 30 }), async (a, calls) => {
        const it = flatten(slices(a));
        const results = await Promise.all(Array.from({ length: calls }, () => it.next()));
        const flat = a.flat();
        results.forEach(
          (r, i) =>
            void expect(r).toEqual(
              i < flat.length ? { done: false, value: flat[i] } : { done: true, value: undefined },
            ),
        );
      }),
    );
  });

  test('breaking out of for-await runs the source finally once; the stream then stays done', async () => {
    const log: string[] = [];
    const it = flatten(
      slices(
        [
          [1, 2],
          [3, 4],
        ],
        log,
      ),
    );
    for await (const x of it) if (x === 3) break;
    expect(log).toEqual(['finally']);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  test('a source error rejects next after the items before it; throw() reaches the source', async () => {
    const log: string[] = [];
    const it = flatten(slices([[1], [2], [3]], log, 2));
    expect((await it.next()).value).toBe(1);
    expect((await it.next()).value).toBe(2);
    await expect(it.next()).rejects.toThrow('source failed');
    expect(log).toEqual(['finally']);

    const log2: string[] = [];
    const it2 = flatten(slices([[1, 2]], log2));
    expect((await it2.next()).value).toBe(1);
    await expect(it2.throw(new Error('consumer gave up'))).rejects.toThrow('consumer gave up');
    expect(log2).toEqual(['finally']);
    expect(await it2.next()).toEqual({ done: true, value: undefined });
  });
});
