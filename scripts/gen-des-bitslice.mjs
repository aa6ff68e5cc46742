// Generates assembly/des_bitslice.ts: bitsliced DES (FIPS 46-3) for 128 blocks at a time over WASM SIMD.
//
// Run by hand after a change to the tables, the circuits or the emitted code: `node scripts/gen-des-bitslice.mjs`
// (or `--out=PATH` to write elsewhere). The output is committed, and test/gen-des-bitslice.test.ts checks that the
// generator still produces it byte for byte, so the build does not run the generator. Reads only
// assembly/des_tables.ts, whose FIPS 46-3 tables (IP, P, PC-1, PC-2, the shifts and the S-boxes) stay the project's
// single source of DES constants; E is restated here from FIPS 46-3 and checked against the rotation folding of
// des.ts's f(). It then
//   1. derives a Boolean circuit for each S-box (synthesize: 2-input gates, with complements free because every
//      slice's polarity is tracked at generation time and absorbed into the key masks),
//   2. checks every circuit on all 64 inputs against the S-box table and fails loudly on any difference,
//   3. checks a bit-level model of the whole sliced computation (IP/E/P/FP as renaming, polarities, key-mask
//      layout) against a plain DES written from the same tables and the FIPS 81 known answer,
//   4. writes the straight-line AssemblyScript: transposes in and out, one round, and the key-mask expansion.
// The output is deterministic: the same tables always give byte-identical code.
import { readFileSync, writeFileSync } from 'node:fs';
import { mulberry32 } from './mulberry32.mjs';

const DES_TABLES_TS = new URL('../assembly/des_tables.ts', import.meta.url);
const outArg = process.argv.find((a) => a.startsWith('--out='));
const OUT_TS = outArg ? outArg.slice(6) : new URL('../assembly/des_bitslice.ts', import.meta.url);

function fail(message) {
  console.error(`gen-des-bitslice: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Tables
// ---------------------------------------------------------------------------------------------------------------

/** A `const NAME = memory.data<u8>([...])` table of assembly/des_tables.ts, as numbers. */
function parseTable(source, name, length) {
  const m = source.match(new RegExp(`const ${name} = memory\\.data<u8>\\(\\[([^\\]]*)\\]\\)`));
  if (!m) fail(`table ${name} not found in assembly/des_tables.ts`);
  const values = m[1]
    .replace(/\/\/[^\n]*/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (values.length !== length || values.some((v) => !Number.isInteger(v))) {
    fail(`table ${name}: expected ${length} numbers`);
  }
  return values;
}

const source = readFileSync(DES_TABLES_TS, 'utf8');
const IP = parseTable(source, 'IP_TABLE', 64);
const P = parseTable(source, 'P_TABLE', 32);
const PC1 = parseTable(source, 'PC1_TABLE', 56);
const PC2 = parseTable(source, 'PC2_TABLE', 48);
const SHIFTS = parseTable(source, 'SHIFTS', 16);
const SBOX = parseTable(source, 'S_BOXES', 512);

// FIPS 46-3, E bit-selection table (1-based bits of R).
const E = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, 16, 17, 18, 19, 20, 21, 20, 21, 22,
  23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];

/** FP = IP^-1, derived as des.ts derives it. */
const FP = new Array(64);
IP.forEach((from, i) => {
  FP[from - 1] = i + 1;
});

/**
 * The word and bit (0 = least significant) of des.ts's round-key words (kx, ky) that hold the subkey bit for S-box
 * `j` (0-based) input `i` (0 = its most significant input): odd j in kx, even j in ky, group j >> 1 at bit
 * offset 24 - 8 (j >> 1) (see des_schedule.ts desKeySchedule and des.ts f()).
 */
const keyBit = (j, i) => ({ word: j & 1 ? 'x' : 'y', bit: 29 - 8 * (j >> 1) - i });

/** Checks E against des.ts's f(): x = rotl(R, 1) feeds the odd j, y = rotr(R, 3) the even j, laid out as keyBit. */
function checkE() {
  const rotl = (v, n) => ((v << n) | (v >>> (32 - n))) >>> 0;
  for (let j = 0; j < 8; j++) {
    for (let i = 0; i < 6; i++) {
      const { word, bit } = keyBit(j, i);
      const n = E[6 * j + i];
      const r = (1 << (32 - n)) >>> 0; // R with only bit n (1-based, 1 = most significant) set
      const w = word === 'x' ? rotl(r, 1) : rotl(r, 29);
      if (((w >>> bit) & 1) !== 1) fail(`E table differs from des.ts's f() at S${j + 1} input ${i + 1}`);
    }
  }
}
checkE();

// ---------------------------------------------------------------------------------------------------------------
// 2. Circuit synthesis
// ---------------------------------------------------------------------------------------------------------------
// A function of the six S-box inputs is a 64-bit truth table (BigInt): bit x is its value on input x, where x's
// bit 5 is the S-box's first input. Gates are and, or, xor, andnot: one x86 instruction each once V8 lowers them,
// whereas v128.bitselect costs three and v128.not two. Complements are free (see polarity below), so the search
// treats f and ~f alike (canon) and each gate is whichever of a&b, a&~b, ~a&b, a|b, a^b matches.

const ALL = (1n << 64n) - 1n;
const VAR = Array.from({ length: 6 }, (_, i) => {
  let t = 0n;
  for (let x = 0; x < 64; x++) if ((x >> (5 - i)) & 1) t |= 1n << BigInt(x);
  return t;
});
const SPAN = [32n, 16n, 8n, 4n, 2n, 1n];
const canon = (f) => (f & 1n ? f ^ ALL : f);
const cofactor0 = (f, v) => {
  const g = f & ~VAR[v] & ALL;
  return g | (g << SPAN[v]);
};
const cofactor1 = (f, v) => {
  const g = f & VAR[v];
  return g | (g >> SPAN[v]);
};

const GATES = {
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  andnot: (a, b) => a & ~b & ALL, // v128.andnot(a, b) = a & ~b
  notand: (a, b) => ~a & b & ALL, // v128.andnot(b, a)
};
const GATE_NAMES = Object.keys(GATES);

/** Output `o` (0 = most significant) of S-box `j` as a truth table; row = first and last inputs (FIPS 46-3). */
function sboxOutput(j, o) {
  let t = 0n;
  for (let x = 0; x < 64; x++) {
    const row = ((x >> 4) & 2) | (x & 1);
    const col = (x >> 1) & 15;
    if ((SBOX[j * 64 + row * 16 + col] >> (3 - o)) & 1) t |= 1n << BigInt(x);
  }
  return t;
}

/** A circuit under construction: nodes (inputs, then gates in topological order) hash-consed up to complement. */
class Circuit {
  constructor() {
    this.nodes = [];
    this.byFunction = new Map(); // canon(tt) -> node
    this.oneGate = new Map(); // canon(tt) -> { a, b } for functions one gate away from two existing nodes
    for (let i = 0; i < 6; i++) this.add({ op: 'in', input: i, tt: VAR[i] });
  }

  add(node) {
    node.id = this.nodes.length;
    this.nodes.push(node);
    const c = canon(node.tt);
    this.byFunction.set(c, node);
    this.oneGate.delete(c);
    for (const other of this.nodes) {
      if (other === node) continue;
      for (const name of GATE_NAMES) {
        const g = canon(GATES[name](node.tt, other.tt));
        if (g !== 0n && !this.byFunction.has(g) && !this.oneGate.has(g)) this.oneGate.set(g, { a: node, b: other });
      }
    }
    return node;
  }

  has(f) {
    const c = canon(f);
    return c === 0n || this.byFunction.has(c);
  }

  /** The node for `target` (up to complement) as one gate of `a` and `b`. */
  gate(a, b, target) {
    const c = canon(target);
    const existing = this.byFunction.get(c);
    if (existing) return existing;
    for (const op of GATE_NAMES) {
      const tt = GATES[op](a.tt, b.tt);
      if (canon(tt) === c) return this.add({ op, a, b, tt });
    }
    throw new Error('internal: target is not a gate of its operands');
  }

  get gateCount() {
    return this.nodes.length - 6;
  }
}

// Decomposition of f on input v (f0, f1 the cofactors, d = f0 ^ f1):
//   'and'  f0 or f1 constant: f is one gate of v and the other cofactor
//   'xor'  f1 = ~f0: f = v ^ f0
//   'pd'   positive Davio, f = f0 ^ (v & d); 'nd' negative Davio, f = f1 ^ (~v & d)   (2 gates)
//   'sh'   Shannon, f = (~v & f0) | (v & f1)                                          (3 gates)
// cost() estimates gates as a tree (shared subtrees counted twice), with functions already in the circuit free
// and functions one gate away from it costing one; build() then constructs the cheapest choice, hash-consing.
function decompositions(f, v, cost) {
  const f0 = cofactor0(f, v);
  const f1 = cofactor1(f, v);
  if (f0 === f1) return [];
  const d = f0 ^ f1;
  if (canon(f0) === 0n) return [{ kind: 'and', v, cost: 1 + cost(f1) }];
  if (canon(f1) === 0n) return [{ kind: 'and', v, cost: 1 + cost(f0) }];
  if (canon(d) === 0n) return [{ kind: 'xor', v, cost: 1 + cost(f0) }];
  const c0 = cost(f0),
    c1 = cost(f1),
    cd = cost(d);
  return [
    { kind: 'pd', v, cost: 2 + c0 + cd },
    { kind: 'nd', v, cost: 2 + c1 + cd },
    { kind: 'sh', v, cost: 3 + c0 + c1 },
  ];
}

/**
 * Adds `f` to `circuit`, choosing decompositions by estimated cost plus `noise()`; with `flip` (a coin, or null for
 * the plain greedy order) it also varies which of a decomposition's two parts is built first, which changes what
 * the second can share.
 */
function synthesize(circuit, f, noise, flip = null) {
  const memo = new Map();
  const cost = (g) => {
    if (circuit.has(g)) return 0;
    const c = canon(g);
    if (circuit.oneGate.has(c)) return 1;
    if (!memo.has(c)) {
      let best = { cost: Infinity, score: Infinity };
      for (let v = 0; v < 6; v++) {
        for (const d of decompositions(g, v, cost)) {
          const score = d.cost + noise();
          if (score < best.score) best = { ...d, score };
        }
      }
      memo.set(c, best);
    }
    return memo.get(c).cost;
  };
  const build = (g) => {
    const c = canon(g);
    if (circuit.byFunction.has(c)) return circuit.byFunction.get(c);
    const pair = circuit.oneGate.get(c);
    if (pair) return circuit.gate(pair.a, pair.b, g);
    cost(g);
    const { kind, v } = memo.get(c);
    const V = circuit.byFunction.get(canon(VAR[v]));
    const f0 = cofactor0(g, v),
      f1 = cofactor1(g, v),
      d = f0 ^ f1;
    if (kind === 'and') return circuit.gate(V, build(canon(f0) === 0n ? f1 : f0), g);
    if (kind === 'xor') return circuit.gate(V, build(f0), g);
    const [a, b] = kind === 'pd' ? [f0, d] : kind === 'nd' ? [f1, d] : [f0, f1];
    let A, B;
    if (flip?.()) {
      B = build(b);
      A = build(a);
    } else {
      A = build(a);
      B = build(b);
    }
    if (kind === 'pd') return circuit.gate(A, circuit.gate(V, B, VAR[v] & d), g);
    if (kind === 'nd') return circuit.gate(A, circuit.gate(V, B, ~VAR[v] & d & ALL), g);
    return circuit.gate(circuit.gate(V, A, ~VAR[v] & f0 & ALL), circuit.gate(V, B, VAR[v] & f1), g);
  };
  return build(f);
}

/** A copy of `circuit` keeping only the nodes that `roots` use; returns it and the old-to-new node map. */
function prune(circuit, roots) {
  const used = new Set();
  const mark = (n) => {
    if (!used.has(n)) {
      used.add(n);
      if (n.op !== 'in') {
        mark(n.a);
        mark(n.b);
      }
    }
  };
  roots.forEach(mark);
  const copy = new Circuit();
  const map = new Map(copy.nodes.map((n, i) => [circuit.nodes[i], n]));
  for (const n of circuit.nodes) {
    if (n.op === 'in' || !used.has(n)) continue;
    map.set(n, copy.add({ op: n.op, a: map.get(n.a), b: map.get(n.b), tt: n.tt }));
  }
  return { copy, map };
}

/** Noise and coin for synthesize from `seed` (0: none) with amplitude `amp` (gates). */
function perturbation(seed, amp) {
  if (!seed) return { noise: () => 0, flip: null };
  const rand = mulberry32(seed);
  return { noise: () => rand() * amp, flip: () => rand() < 0.5 };
}

/** Rebuilds output `o` of `box` against the gates the other outputs need, perturbed by `seed` (0: none). */
function reroute(box, o, seed) {
  const { copy, map } = prune(
    box.circuit,
    box.outputs.filter((_, i) => i !== o),
  );
  const { noise, flip } = perturbation(seed, 0.9);
  const outputs = box.outputs.map((n, i) => (i === o ? synthesize(copy, box.targets[o], noise, flip) : map.get(n)));
  return { ...box, circuit: copy, outputs };
}

/**
 * One synthesis of S-box `j`: its outputs in `order`, decisions perturbed by noise from `seed` (0: none); then
 * rip-up and reroute without noise (each output rebuilt against the gates the other three need, kept when
 * smaller) until nothing improves; then the recorded `moves` of a local search, [output, seed] pairs.
 */
function synthesizeBox(j, { order, seed, amp = 0.9, flips = false, moves = [] }) {
  const targets = [0, 1, 2, 3].map((o) => sboxOutput(j, o));
  const { noise, flip } = perturbation(seed, amp);
  const circuit = new Circuit();
  const outputs = [];
  for (const o of order) outputs[o] = synthesize(circuit, targets[o], noise, flips ? flip : null);
  let box = { circuit, outputs, targets, choice: { order, seed, amp, flips, moves } };
  for (let improved = true; improved; ) {
    improved = false;
    for (const o of order) {
      const next = reroute(box, o, 0);
      if (next.circuit.gateCount < box.circuit.gateCount) {
        box = next;
        improved = true;
      }
    }
  }
  box = pruned(box);
  for (const [o, s] of moves) box = pruned(reroute(box, o, s));
  return box;
}

/** `box` with only the gates its outputs use. */
function pruned(box) {
  const { copy, map } = prune(box.circuit, box.outputs);
  return { ...box, circuit: copy, outputs: box.outputs.map((n) => map.get(n)) };
}

/** Every ordering of `a`. */
function permutations(a) {
  if (a.length <= 1) return [a];
  return a.flatMap((x, i) => permutations([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p]));
}

/**
 * `node scripts/gen-des-bitslice.mjs --search=N [--boxes=0,1,...] [--amps=0.5,0.9,...]`: every output order,
 * then N seeded perturbations (noise amplitudes and build orders varied), then 4N local-search moves from the
 * best, and prints the smallest choice per S-box for CHOICES below. Minutes per S-box; the build only replays
 * CHOICES.
 */
function search(trials, which, amps) {
  for (const j of which) {
    let best;
    const consider = (choice) => {
      const box = synthesizeBox(j, choice);
      if (!best || box.circuit.gateCount < best.circuit.gateCount) best = box;
    };
    for (const order of permutations([0, 1, 2, 3])) consider({ order, seed: 0 });
    for (let t = 1; t <= trials; t++) {
      const amp = amps[t % amps.length];
      const order = permutations([0, 1, 2, 3])[Math.floor(t / 4) % 24];
      consider({ order, seed: 1000 * (j + 1) + t, amp, flips: t % 8 >= 4 });
    }
    // Local search from the best start: reroute one output with noise, keep strict improvements.
    const moves = [];
    for (let t = 0; t < 4 * trials; t++) {
      const move = [t % 4, 100000 * (j + 1) + t];
      const next = pruned(reroute(best, ...move));
      if (next.circuit.gateCount < best.circuit.gateCount) {
        best = next;
        moves.push(move);
      }
    }
    console.log(`S${j + 1}: ${best.circuit.gateCount} gates with ${JSON.stringify({ ...best.choice, moves })}`);
  }
}

// The search's best choice per S-box (see synthesizeBox), from --search runs of 1,200 to 3,000 trials per S-box
// with amplitudes from 0.5 to 8 (10 to 25 minutes per S-box).
const CHOICES = [
  { order: [1, 2, 0, 3], seed: 1513, amp: 3.5 },
  { order: [3, 2, 0, 1], seed: 3050, amp: 1.5 },
  { order: [1, 3, 2, 0], seed: 4007, amp: 2.5, flips: true },
  { order: [1, 2, 0, 3], seed: 4609, amp: 0.9 },
  { order: [1, 0, 3, 2], seed: 6662, amp: 5, flips: true },
  { order: [0, 3, 2, 1], seed: 6022, amp: 1.5, flips: true, moves: [[1, 600001]] },
  { order: [0, 2, 3, 1], seed: 7396, amp: 2.5, flips: true },
  { order: [2, 1, 0, 3], seed: 9210, amp: 1.5 },
];

const searchArg = process.argv.find((a) => a.startsWith('--search='));
if (searchArg) {
  const boxesArg = process.argv.find((a) => a.startsWith('--boxes='));
  const ampsArg = process.argv.find((a) => a.startsWith('--amps='));
  const boxes = boxesArg ? boxesArg.slice(8).split(',').map(Number) : [0, 1, 2, 3, 4, 5, 6, 7];
  search(Number(searchArg.slice(9)), boxes, ampsArg ? ampsArg.slice(7).split(',').map(Number) : [0.5, 0.9, 1.5, 2.5]);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Circuit check: every S-box, every input, every output bit, evaluated gate by gate from the table.
// ---------------------------------------------------------------------------------------------------------------

function evaluate(nodes, x) {
  const value = [];
  for (const n of nodes) {
    if (n.op === 'in') value[n.id] = (x >> (5 - n.input)) & 1;
    else {
      const a = value[n.a.id],
        b = value[n.b.id];
      value[n.id] = { and: a & b, or: a | b, xor: a ^ b, andnot: a & (b ^ 1), notand: (a ^ 1) & b }[n.op];
    }
  }
  return value;
}

/** Output polarity: 1 when the circuit computes the complement of S-box output `o`. */
const polarity = (box, o) => (box.outputs[o].tt === box.targets[o] ? 0 : 1);

function checkCircuit(box, j) {
  for (let x = 0; x < 64; x++) {
    const value = evaluate(box.circuit.nodes, x);
    const row = ((x >> 4) & 2) | (x & 1);
    const s = SBOX[j * 64 + row * 16 + ((x >> 1) & 15)];
    for (let o = 0; o < 4; o++) {
      if ((value[box.outputs[o].id] ^ polarity(box, o)) !== ((s >> (3 - o)) & 1)) {
        fail(`S${j + 1} circuit is wrong at input ${x}, output ${o + 1}`);
      }
    }
  }
}

const boxes = CHOICES.map((choice, j) => synthesizeBox(j, choice));
boxes.forEach(checkCircuit);

// ---------------------------------------------------------------------------------------------------------------
// 4. Layout: slots, polarities, key masks; and a bit-level model of the sliced computation
// ---------------------------------------------------------------------------------------------------------------
// The state is 64 slices of 16 bytes in IP order: slot s holds input bit IP[s + 1] of every block, so L0 is slots
// 0..31 and R0 slots 32..63 and IP costs nothing. A round is t ^= f(s) for half pointers (t, s); 16 rounds leave
// (R16, L16) in (second, first), which is the next stage's (L0, R0) and, through FP, the ciphertext.
//
// Polarity: S-box output o of box j is stored complemented when polarity(j, o) = 1. Every slot of a half always
// receives the same S-box output, 8 times per stage, so halves return to true polarity at each stage's end; in
// between, a round's source half is complemented exactly on rounds 1, 2, 5, 6, 9, 10, 13, 14, and the key masks of
// those rounds absorb the complement (E(x ^ c) ^ k = E(x) ^ (k ^ E(c))). S-box inputs are thus always exact.

/** Target slot (0..31 within a half) of S-box j's output o: pre-P bit 4j + o + 1 goes where P selects it. */
const outSlot = (j, o) => P.indexOf(4 * j + o + 1);

/** Index (u32 units) of the key mask for S-box j input i within a round: ky's S-boxes first, then kx's. */
const maskIndex = (j, i) => (j & 1 ? 24 : 0) + (j >> 1) * 6 + i;

/** Bits of (kx, ky) to flip on complemented rounds: E of the complemented slots of the source half. */
function polarityWords() {
  const slotPolarity = new Array(32).fill(0);
  boxes.forEach((box, j) => {
    for (let o = 0; o < 4; o++) slotPolarity[outSlot(j, o)] = polarity(box, o);
  });
  let x = 0,
    y = 0;
  for (let j = 0; j < 8; j++) {
    for (let i = 0; i < 6; i++) {
      if (!slotPolarity[E[6 * j + i] - 1]) continue;
      const { word, bit } = keyBit(j, i);
      if (word === 'x') x |= 1 << bit;
      else y |= 1 << bit;
    }
  }
  return { x: x >>> 0, y: y >>> 0 };
}
const POLARITY = polarityWords();
const complementedRound = (r) => ((r + 1) >> 1) & 1;

// A plain DES from the same tables, on arrays of bits (1-based positions as in FIPS 46-3).
const bitsOf = (hex) => [...BigInt(`0x${hex}`).toString(2).padStart(64, '0')].map(Number);
const hexOf = (bits) =>
  BigInt(`0b${bits.join('')}`)
    .toString(16)
    .toUpperCase()
    .padStart(16, '0');
const permute = (bits, table) => table.map((p) => bits[p - 1]);

/** The 16 round keys as des_schedule.ts stores them: { x: kx, y: ky }. */
function keySchedule(keyBits) {
  let cd = permute(keyBits, PC1);
  const rounds = [];
  for (let r = 0; r < 16; r++) {
    const c = cd.slice(0, 28),
      d = cd.slice(28);
    for (let s = 0; s < SHIFTS[r]; s++) {
      c.push(c.shift());
      d.push(d.shift());
    }
    cd = [...c, ...d];
    const sub = permute(cd, PC2);
    let x = 0,
      y = 0;
    for (let j = 0; j < 8; j++) {
      for (let i = 0; i < 6; i++) {
        const { word, bit } = keyBit(j, i);
        if (sub[6 * j + i]) {
          if (word === 'x') x |= 1 << bit;
          else y |= 1 << bit;
        }
      }
    }
    rounds.push({ x: x >>> 0, y: y >>> 0, sub });
  }
  return rounds;
}

function plainDes(block, schedule, decrypt) {
  let lr = permute(block, IP);
  for (let r = 0; r < 16; r++) {
    const sub = schedule[decrypt ? 15 - r : r].sub;
    const l = lr.slice(0, 32),
      rr = lr.slice(32);
    const x = permute(rr, E).map((b, k) => b ^ sub[k]);
    const s = [];
    for (let j = 0; j < 8; j++) {
      const v = parseInt(x.slice(6 * j, 6 * j + 6).join(''), 2);
      const val = SBOX[j * 64 + (((v >> 4) & 2) | (v & 1)) * 16 + ((v >> 1) & 15)];
      for (let o = 0; o < 4; o++) s.push((val >> (3 - o)) & 1);
    }
    const f = permute(s, P);
    lr = [...rr, ...l.map((b, k) => b ^ f[k])];
  }
  return permute([...lr.slice(32), ...lr.slice(0, 32)], FP);
}

/** The key masks of one stage exactly as bsExpandKey lays them out: 16 rounds x 48 bits. */
function modelMasks(schedule, decrypt) {
  return Array.from({ length: 16 }, (_, r) => {
    const k = schedule[decrypt ? 15 - r : r];
    const flip = complementedRound(r);
    const words = { x: k.x ^ (flip ? POLARITY.x : 0), y: k.y ^ (flip ? POLARITY.y : 0) };
    const masks = [];
    for (let j = 0; j < 8; j++) {
      for (let i = 0; i < 6; i++) {
        const { word, bit } = keyBit(j, i);
        masks[maskIndex(j, i)] = (words[word] >>> bit) & 1;
      }
    }
    return masks;
  });
}

/** desRound on one block's slots, circuits evaluated gate by gate. */
function modelRound(state, t, s, masks) {
  boxes.forEach((box, j) => {
    let x = 0;
    for (let i = 0; i < 6; i++) x |= (state[s + E[6 * j + i] - 1] ^ masks[maskIndex(j, i)]) << (5 - i);
    const value = evaluate(box.circuit.nodes, x);
    for (let o = 0; o < 4; o++) state[t + outSlot(j, o)] ^= value[box.outputs[o].id];
  });
}

/** The sliced pipeline on one block: transpose in (IP order), stages swapping halves, transpose out (FP). */
function modelDes(block, stages) {
  const state = IP.map((p) => block[p - 1]);
  let first = 0,
    second = 32;
  for (const { schedule, decrypt } of stages) {
    const masks = modelMasks(schedule, decrypt);
    for (let r = 0; r < 16; r++) modelRound(state, r & 1 ? second : first, r & 1 ? first : second, masks[r]);
    [first, second] = [second, first];
  }
  const y = [...state.slice(first, first + 32), ...state.slice(second, second + 32)];
  return FP.map((p) => y[p - 1]);
}

function checkModel() {
  const key = keySchedule(bitsOf('0123456789ABCDEF'));
  // FIPS 81 Appendix B / README example: DES_K("Now is t") with K = 0123456789ABCDEF.
  if (hexOf(plainDes(bitsOf('4E6F772069732074'), key, false)) !== '3FA40E8A984D4815') {
    fail('reference DES fails FIPS 81');
  }
  const rand = mulberry32(1);
  const randomHex = () => Array.from({ length: 16 }, () => Math.floor(rand() * 16).toString(16)).join('');
  for (let n = 0; n < 64; n++) {
    const ks = [randomHex(), randomHex(), randomHex()].map((h) => keySchedule(bitsOf(h)));
    const block = bitsOf(randomHex());
    const decrypt = n % 2 === 1;
    if (hexOf(modelDes(block, [{ schedule: ks[0], decrypt }])) !== hexOf(plainDes(block, ks[0], decrypt))) {
      fail('sliced model differs from DES');
    }
    const ede = [
      { schedule: ks[0], decrypt: false },
      { schedule: ks[1], decrypt: true },
      { schedule: ks[2], decrypt: false },
    ];
    const want = plainDes(plainDes(plainDes(block, ks[0], false), ks[1], true), ks[2], false);
    if (hexOf(modelDes(block, ede)) !== hexOf(want)) fail('sliced model differs from TDES');
  }
}
checkModel();

// ---------------------------------------------------------------------------------------------------------------
// 5. Emission
// ---------------------------------------------------------------------------------------------------------------

const hex32 = (v) => `0x${v.toString(16).padStart(8, '0')}`;
const slotOfInputBit = (b) => IP.indexOf(b + 1); // 0-based input bit -> IP-order slot

/** One round; `lanes` loads each key mask as a v128 (a bit per block: per-block keys) instead of a splat u32. */
function emitRound(lanes = false) {
  const lines = [];
  const operand = (n, j) => (n.op === 'in' ? `s${j}i${n.input}` : `s${j}n${n.id}`);
  boxes.forEach((box, j) => {
    lines.push(`  // S${j + 1}: ${box.circuit.gateCount} gates`);
    for (let i = 0; i < 6; i++) {
      const [slice, mask] = [16 * (E[6 * j + i] - 1), (lanes ? 16 : 4) * maskIndex(j, i)];
      const key = lanes ? `v128.load(k, ${mask})` : `v128.load32_splat(k, ${mask})`;
      lines.push(`  const s${j}i${i} = v128.xor(v128.load(s, ${slice}), ${key});`);
    }
    for (const n of box.circuit.nodes) {
      if (n.op === 'in') continue;
      const [a, b] = [operand(n.a, j), operand(n.b, j)];
      const expr = {
        and: `v128.and(${a}, ${b})`,
        or: `v128.or(${a}, ${b})`,
        xor: `v128.xor(${a}, ${b})`,
        andnot: `v128.andnot(${a}, ${b})`,
        notand: `v128.andnot(${b}, ${a})`,
      }[n.op];
      lines.push(`  const ${operand(n, j)} = ${expr};`);
    }
    for (let o = 0; o < 4; o++) {
      const at = 16 * outSlot(j, o);
      lines.push(`  v128.store(t, v128.xor(v128.load(t, ${at}), ${operand(box.outputs[o], j)}), ${at});`);
    }
  });
  return lines.join('\n');
}

// The 8x8 bit transpose between eight registers a0..a7 (bytewise: register g's bit t <-> register t's bit g), as
// three levels of swapmove; it is its own inverse. Shifts are on 64-bit lanes: the masks keep bits in their bytes.
function emitBitTranspose(indent) {
  const lines = [];
  for (const j of [1, 2, 4]) {
    for (let g = 0; g < 8; g++) {
      if (g & j) continue;
      lines.push(`${indent}t = v128.and(v128.xor(i64x2.shr_u(a${g}, ${j}), a${g + j}), m${j});`);
      lines.push(`${indent}a${g + j} = v128.xor(a${g + j}, t);`);
      lines.push(`${indent}a${g} = v128.xor(a${g}, i64x2.shl(t, ${j}));`);
    }
  }
  return lines.join('\n');
}

// The 8x8 transpose of 16-bit words between registers y0..y7 -> z0..z7 (z_k word m = y_m word k), by unpacking
// words, dwords, qwords; it is its own inverse.
function emitWordTranspose(indent, y, z) {
  const lines = [];
  for (let i = 0; i < 8; i += 2) {
    lines.push(`${indent}const w${i} = i16x8.shuffle(${y}${i}, ${y}${i + 1}, 0, 8, 1, 9, 2, 10, 3, 11);`);
    lines.push(`${indent}const w${i + 1} = i16x8.shuffle(${y}${i}, ${y}${i + 1}, 4, 12, 5, 13, 6, 14, 7, 15);`);
  }
  for (const base of [0, 4]) {
    lines.push(`${indent}const d${base} = i32x4.shuffle(w${base}, w${base + 2}, 0, 4, 1, 5);`);
    lines.push(`${indent}const d${base + 1} = i32x4.shuffle(w${base}, w${base + 2}, 2, 6, 3, 7);`);
    lines.push(`${indent}const d${base + 2} = i32x4.shuffle(w${base + 1}, w${base + 3}, 0, 4, 1, 5);`);
    lines.push(`${indent}const d${base + 3} = i32x4.shuffle(w${base + 1}, w${base + 3}, 2, 6, 3, 7);`);
  }
  for (let q = 0; q < 4; q++) {
    lines.push(`${indent}const ${z}${2 * q} = i64x2.shuffle(d${q}, d${q + 4}, 0, 2);`);
    lines.push(`${indent}const ${z}${2 * q + 1} = i64x2.shuffle(d${q}, d${q + 4}, 1, 3);`);
  }
  return lines.join('\n');
}

function emitTransposeIn() {
  const lines = [];
  // Pass 1, per group of 16 blocks: z_k = byte k of the 16 blocks (block 2m + h in byte 2m + h), into tmp.
  lines.push('  for (let g: usize = 0; g < 8; g++) {');
  lines.push('    const p = src + g * 16 * stride;');
  for (let m = 0; m < 8; m++) {
    const [lo, hi] = [`p + ${2 * m} * stride`, `p + ${2 * m + 1} * stride`];
    lines.push(`    const x${m} = v128.load64_lane(${hi}, v128.load64_zero(${lo}), 1);`);
    lines.push(`    const y${m} = i8x16.shuffle(x${m}, x${m}, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);`);
  }
  lines.push(emitWordTranspose('    ', 'y', 'z'));
  for (let k = 0; k < 8; k++) lines.push(`    v128.store(tmp + g * 16, z${k}, ${k * 128});`);
  lines.push('  }');
  // Pass 2, per byte k: the 8x8 bit transpose across the groups turns z_k of groups 0..7 into registers a_t, where
  // a_t is the slice of bit t (from the least significant) of byte k: 0-based input bit 8k + 7 - t. Each goes to
  // its IP-order slot. Lane order: block 16g + p is bit 8p + g of every slice.
  lines.push('  const m1 = i8x16.splat(0x55), m2 = i8x16.splat(0x33), m4 = i8x16.splat(0x0f);');
  lines.push('  let t: v128;');
  for (let k = 0; k < 8; k++) {
    for (let g = 0; g < 8; g++) lines.push(`  ${k ? '' : 'let '}a${g} = v128.load(tmp, ${(k * 8 + g) * 16});`);
    lines.push(emitBitTranspose('  '));
    for (let t = 0; t < 8; t++) lines.push(`  v128.store(dst, a${t}, ${16 * slotOfInputBit(8 * k + 7 - t)});`);
  }
  return lines.join('\n');
}

function emitTransposeOut() {
  const lines = [];
  // Pass 1, per byte k: output bit b is y bit FP[b + 1]; y is (first, second). Bit transpose back into tmp.
  lines.push('  const m1 = i8x16.splat(0x55), m2 = i8x16.splat(0x33), m4 = i8x16.splat(0x0f);');
  lines.push('  let t: v128;');
  for (let k = 0; k < 8; k++) {
    for (let t = 0; t < 8; t++) {
      const y = FP[8 * k + 7 - t] - 1;
      lines.push(`  ${k ? '' : 'let '}a${t} = v128.load(${y < 32 ? 'first' : 'second'}, ${16 * (y % 32)});`);
    }
    lines.push(emitBitTranspose('  '));
    for (let g = 0; g < 8; g++) lines.push(`  v128.store(tmp, a${g}, ${(k * 8 + g) * 16});`);
  }
  // Pass 2, per group: word transpose back, de-interleave the two blocks of each register, store.
  lines.push('  for (let g: usize = 0; g < 8; g++) {');
  for (let k = 0; k < 8; k++) lines.push(`    const z${k} = v128.load(tmp + g * 16, ${k * 128});`);
  lines.push(emitWordTranspose('    ', 'z', 'y'));
  lines.push('    const p = dst + g * 16 * stride;');
  for (let m = 0; m < 8; m++) {
    lines.push(`    const x${m} = i8x16.shuffle(y${m}, y${m}, 0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);`);
    lines.push(`    v128.store64_lane(p + ${2 * m} * stride, x${m}, 0);`);
    lines.push(`    v128.store64_lane(p + ${2 * m + 1} * stride, x${m}, 1);`);
  }
  lines.push('  }');
  return lines.join('\n');
}

/** Per-lane bit constants for the key-mask expansion: lane l of vector q selects the bit of mask 4q + l. */
function maskBitVectors() {
  const vectors = [];
  for (let q = 0; q < 6; q++) {
    const lanes = [];
    for (let l = 0; l < 4; l++) {
      const e = 4 * q + l; // within one word's 24 masks: S-box (e / 6) of that word, input e % 6
      lanes.push(hex32((1 << (29 - 8 * Math.floor(e / 6) - (e % 6))) >>> 0));
    }
    vectors.push(`i32x4(${lanes.join(', ')})`);
  }
  return vectors;
}

function emitExpandKey() {
  const lines = [];
  for (const [q, v] of maskBitVectors().entries()) lines.push(`  const b${q} = ${v};`);
  lines.push('  for (let r = 0; r < 16; r++) {');
  lines.push('    const kr = decrypt ? 15 - r : r;');
  lines.push('    // Rounds whose source half is stored complemented (see the polarity note in the generator).');
  lines.push('    const flip = ((r + 1) >> 1) & 1;');
  lines.push(`    const x = i32x4.splat(<i32>(load<u32>(ks + kr * 8) ^ (flip ? ${hex32(POLARITY.x)} : 0)));`);
  lines.push(`    const y = i32x4.splat(<i32>(load<u32>(ks + kr * 8 + 4) ^ (flip ? ${hex32(POLARITY.y)} : 0)));`);
  lines.push('    const o = out + <usize>r * BS_ROUND_KEY_BYTES;');
  for (let q = 0; q < 6; q++) lines.push(`    v128.store(o, i32x4.eq(v128.and(y, b${q}), b${q}), ${16 * q});`);
  for (let q = 0; q < 6; q++) lines.push(`    v128.store(o, i32x4.eq(v128.and(x, b${q}), b${q}), ${96 + 16 * q});`);
  lines.push('  }');
  return lines.join('\n');
}

/**
 * Per-block keys: the key itself is transposed into 64 slices (bsTransposeIn, so key bit b sits in slot
 * slotOfInputBit(b)); PC-1, the rotations and PC-2 are then renamings, and round r's mask for S-box j input i is
 * the slice of the key bit that reaches that subkey position, complemented on complemented rounds where POLARITY
 * says so. LANE_SLOTS[r * 48 + mask] is that slot; LANE_POLARITY[mask] the complement bit.
 */
function laneTables() {
  const labels = Array.from({ length: 64 }, (_, b) => b + 1);
  let cd = permute(labels, PC1);
  const slots = [];
  for (let r = 0; r < 16; r++) {
    const c = cd.slice(0, 28),
      d = cd.slice(28);
    for (let t = 0; t < SHIFTS[r]; t++) {
      c.push(c.shift());
      d.push(d.shift());
    }
    cd = [...c, ...d];
    const sub = permute(cd, PC2);
    const round = new Array(48);
    for (let j = 0; j < 8; j++) for (let i = 0; i < 6; i++) round[maskIndex(j, i)] = slotOfInputBit(sub[6 * j + i] - 1);
    slots.push(...round);
  }
  const pol = new Array(48);
  for (let j = 0; j < 8; j++)
    for (let i = 0; i < 6; i++) {
      const { word, bit } = keyBit(j, i);
      pol[maskIndex(j, i)] = (POLARITY[word] >>> bit) & 1;
    }
  // The lanes' masks must equal bsExpandKey's for every key: check on random keys against modelMasks.
  let seed = 0x2545f491;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 16) & 1;
  };
  for (let trial = 0; trial < 64; trial++) {
    const key = Array.from({ length: 64 }, rand);
    const schedule = keySchedule(key);
    const slotBits = new Array(64);
    for (let b = 0; b < 64; b++) slotBits[slotOfInputBit(b)] = key[b];
    for (const decrypt of [false, true]) {
      const want = modelMasks(schedule, decrypt);
      for (let r = 0; r < 16; r++) {
        const kr = decrypt ? 15 - r : r;
        for (let m = 0; m < 48; m++) {
          const got = slotBits[slots[kr * 48 + m]] ^ (complementedRound(r) ? pol[m] : 0);
          if (got !== want[r][m]) fail(`lane key masks differ from bsExpandKey (round ${r}, mask ${m})`);
        }
      }
    }
  }
  return { slots, pol };
}
const LANES = laneTables();

function emit() {
  const counts = boxes.map((b) => b.circuit.gateCount);
  const total = counts.reduce((a, b) => a + b, 0);
  return `// Generated by scripts/gen-des-bitslice.mjs from the FIPS 46-3 tables in assembly/des_tables.ts. Do not edit.
//
// Bitsliced DES (FIPS 46-3) over v128: 128 blocks at a time, 64 slices of 16 bytes (one per bit position, bit j
// of a slice belonging to one block). IP, E, P and FP are renamings of slices; each S-box is a circuit of
// and/or/xor/andnot gates derived and exhaustively checked by the generator.
// Gates per S-box: ${counts.join(', ')}; ${total} in all, ${(total / 8).toFixed(2)} on average.
// Outputs the generator found cheaper complemented are stored complemented; the key masks absorb that (see
// bsExpandKey), so every stage starts and ends with true slices.
//
// Committed; after changing the generator or the tables, regenerate with \`node scripts/gen-des-bitslice.mjs\`
// (test/gen-des-bitslice.test.ts fails while this file differs from the generator's output).
//
// Depends on: nothing (a leaf; the tables are compiled in).

/** Bytes of one state: 64 slices of 16 bytes, in IP order (slot s holds input bit IP[s]; L = 0..31, R = 32..63). */
export const BS_STATE_BYTES: i32 = 1024;
/** Bytes of one round's key masks: 48 u32 masks (0 or ~0), one per S-box input. */
export const BS_ROUND_KEY_BYTES: i32 = 192;
/** Bytes of one stage's key masks (16 rounds). */
export const BS_STAGE_KEY_BYTES: i32 = 16 * BS_ROUND_KEY_BYTES;

/**
 * Expands the 128-byte DES schedule at \`ks\` (des_schedule.ts: kx, ky per round) into one stage's key masks
 * at \`out\` (BS_STAGE_KEY_BYTES), rounds in execution order: reversed when \`decrypt\`.
 */
export function bsExpandKey(ks: usize, decrypt: bool, out: usize): void {
${emitExpandKey()}
}

/**
 * Transposes 128 blocks (8 bytes each, big-endian as in des.ts, block j at \`src + j * stride\`) into the sliced
 * state at \`dst\` (BS_STATE_BYTES), IP applied. \`tmp\` is 1024 bytes of scratch, left holding data.
 */
export function bsTransposeIn(src: usize, stride: usize, dst: usize, tmp: usize): void {
${emitTransposeIn()}
}

/**
 * Transposes a sliced state whose IP-order halves are at \`first\` (bits 1..32) and \`second\` (33..64) back into
 * 128 blocks at \`dst + j * stride\`, FP applied. \`tmp\` is 1024 bytes of scratch, left holding data.
 */
export function bsTransposeOut(first: usize, second: usize, dst: usize, stride: usize, tmp: usize): void {
${emitTransposeOut()}
}

/** One DES round on 128 sliced blocks: t ^= P(S(E(s) ^ K)), with \`k\` one round's key masks. */
export function desRound(t: usize, s: usize, k: usize): void {
${emitRound()}
}

// Per-block keys (each of the 128 blocks under its own key): masks are v128, a bit per block.

/** Bytes of one round's per-block key masks: 48 v128 masks. */
export const BS_LANE_ROUND_KEY_BYTES: i32 = 768;
/** Bytes of one stage's per-block key masks (16 rounds). */
export const BS_LANE_STAGE_KEY_BYTES: i32 = 16 * BS_LANE_ROUND_KEY_BYTES;

const LANE_SLOTS = memory.data<u8>([${LANES.slots.join(', ')}]);
const LANE_POLARITY = memory.data<u8>([${LANES.pol.join(', ')}]);

/**
 * Expands 128 keys in sliced form (64 slices at \`keys\`, IP order as bsTransposeIn leaves a block, so a TDES
 * result can serve as keys without leaving the sliced form) into one stage's per-block key masks at \`out\`
 * (BS_LANE_STAGE_KEY_BYTES), rounds in execution order: reversed when \`decrypt\`. Equal, block by block, to
 * bsExpandKey of each key's schedule (checked by the generator).
 */
export function bsExpandKeyLanes(keys: usize, decrypt: bool, out: usize): void {
  for (let r = 0; r < 16; r++) {
    const kr = decrypt ? 15 - r : r;
    const flip = ((r + 1) >> 1) & 1;
    const o = out + <usize>r * BS_LANE_ROUND_KEY_BYTES;
    for (let m = 0; m < 48; m++) {
      const slice = v128.load(keys + (<usize>load<u8>(LANE_SLOTS + kr * 48 + m) << 4));
      const complement = flip & <i32>load<u8>(LANE_POLARITY + m);
      v128.store(o + (<usize>m << 4), complement ? v128.not(slice) : slice);
    }
  }
}

/** desRound with per-block key masks (BS_LANE_ROUND_KEY_BYTES at \`k\`). */
export function desRoundLanes(t: usize, s: usize, k: usize): void {
${emitRound(true)}
}
`;
}

const text = emit();
writeFileSync(OUT_TS, text);
const counts = boxes.map((b) => b.circuit.gateCount);
const total = counts.reduce((a, b) => a + b, 0);
console.log(`gen-des-bitslice: S-box gates ${counts.join(' ')} (total ${total}), circuits and model checked`);
