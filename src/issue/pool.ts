// The issuance worker pool's one public control (the pool itself is _pool.ts): its threads end by themselves
// after 10 s without a run and never keep the process alive, so most programs never call this.
export { closeIssuancePool } from './_pool.js';
