// Streaming issued cards one by one. An async generator that yields each card pays for its resumption machinery
// on every card (~150-250 ns here); at hundreds of thousands of cards per second that is a large share of the
// consuming thread. This iterator hands out cards of the current slice as already-resolved results and goes
// back to the source of slices only when one is used up.

/**
 * The items of `source`'s arrays, in order, as an AsyncGenerator. `return` and `throw` go to `source`, so its
 * finally blocks run when a consumer stops early. Concurrent `next` calls are answered in call order.
 */
export function flatten<T>(source: AsyncGenerator<T[]>): AsyncGenerator<T, void> {
  let slice: T[] = [];
  let at = 0;
  let done = false;
  let queued = 0; // next calls waiting on the source; while any are, later calls queue behind them
  let tail: Promise<unknown> = Promise.resolve();

  const pull = async (): Promise<IteratorResult<T, void>> => {
    while (!done && at >= slice.length) {
      const r = await source.next();
      if (r.done) done = true;
      else {
        slice = r.value;
        at = 0;
      }
    }
    return done ? { done: true, value: undefined } : { done: false, value: slice[at++]! };
  };
  const queue = <R>(step: () => Promise<R>): Promise<R> => {
    queued++;
    const p = tail.then(step).finally(() => queued--);
    tail = p.catch(() => {});
    return p;
  };
  const finish = (): void => {
    done = true;
    slice = [];
  };

  const iterator: AsyncGenerator<T, void> = {
    next() {
      if (queued === 0 && at < slice.length) return Promise.resolve({ done: false, value: slice[at++]! });
      return queue(pull);
    },
    return(value) {
      return queue(async () => {
        finish();
        await source.return(undefined);
        await value;
        return { done: true, value: undefined };
      });
    },
    throw(e) {
      return queue(async () => {
        finish();
        await source.throw(e);
        return { done: true, value: undefined };
      });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
