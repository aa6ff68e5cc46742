// AES-128/192/256 (FIPS 197), T-table implementation with the equivalent inverse cipher (FIPS 197 5.3.5).
//
// State columns are big-endian u32 words. The S-box and the T-tables are computed at start-up from the field
// arithmetic of FIPS 197 section 4 rather than pasted in as constants.
//
// Depends on: nothing (a leaf).

/** Bytes of an AES schedule: encryption round keys (60 words), decryption round keys (60 words). */
export const AES_SCHEDULE_BYTES: i32 = 480;
const DEC_OFFSET: usize = 240;

const SBOX = memory.data(256, 64);
const INV_SBOX = memory.data(256, 64);
const TE = memory.data(4 * 1024, 64); // Te0..Te3
const TD = memory.data(4 * 1024, 64); // Td0..Td3

@inline function xtime(a: u32): u32 {
  return ((a << 1) ^ ((a & 0x80) != 0 ? 0x1b : 0)) & 0xff;
}

function gmul(a: u32, b: u32): u32 {
  let r: u32 = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) r ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return r;
}

@inline function rotl8(x: u32, n: u32): u32 {
  return ((x << n) | (x >> (8 - n))) & 0xff;
}

/** Builds the S-boxes and T-tables. Called once, from the module's start. */
export function initAes(): void {
  // Multiplicative inverses by walking powers of the generator 3 (exp/log), then the affine map (FIPS 197 5.1.1).
  const exp = memory.data(256);
  const log = memory.data(256);
  let x: u32 = 1;
  for (let i = 0; i < 255; i++) {
    store<u8>(exp + i, <u8>x);
    store<u8>(log + x, <u8>i);
    x ^= xtime(x);
  }
  for (let a: u32 = 0; a < 256; a++) {
    const inv: u32 = a == 0 ? 0 : <u32>load<u8>(exp + ((255 - <u32>load<u8>(log + a)) % 255));
    const s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
    store<u8>(SBOX + a, <u8>s);
    store<u8>(INV_SBOX + s, <u8>a);
  }
  memory.fill(exp, 0, 256);
  memory.fill(log, 0, 256);
  for (let a: u32 = 0; a < 256; a++) {
    const s = <u32>load<u8>(SBOX + a);
    const te = (gmul(s, 2) << 24) | (s << 16) | (s << 8) | gmul(s, 3);
    const si = <u32>load<u8>(INV_SBOX + a);
    const td = (gmul(si, 14) << 24) | (gmul(si, 9) << 16) | (gmul(si, 13) << 8) | gmul(si, 11);
    for (let t: u32 = 0; t < 4; t++) {
      store<u32>(TE + t * 1024 + a * 4, rotr<u32>(te, 8 * t));
      store<u32>(TD + t * 1024 + a * 4, rotr<u32>(td, 8 * t));
    }
  }
}

@inline function te(t: u32, i: u32): u32 {
  return load<u32>(TE + t * 1024 + ((i & 0xff) << 2));
}
@inline function td(t: u32, i: u32): u32 {
  return load<u32>(TD + t * 1024 + ((i & 0xff) << 2));
}
@inline function sbox(i: u32): u32 {
  return <u32>load<u8>(SBOX + (i & 0xff));
}
@inline function invSbox(i: u32): u32 {
  return <u32>load<u8>(INV_SBOX + (i & 0xff));
}
@inline function subWord(w: u32): u32 {
  return (sbox(w >> 24) << 24) | (sbox(w >> 16) << 16) | (sbox(w >> 8) << 8) | sbox(w);
}

/** Rounds for a key of `len` bytes (16, 24, 32). */
export function aesRounds(len: i32): i32 {
  return (len >> 2) + 6;
}

/** Expands a 16/24/32-byte key at `key` into encryption and decryption round keys at `out` (FIPS 197 5.2). */
export function aesKeySchedule(key: usize, len: i32, out: usize): void {
  aesExpandKey(key, len, out);
  const nr = (len >> 2) + 6;
  // Equivalent inverse cipher: round keys in reverse order, InvMixColumns applied to all but the first and last.
  const dec = out + DEC_OFFSET;
  for (let r = 0; r <= nr; r++) {
    for (let c = 0; c < 4; c++) {
      let w = load<u32>(out + (<usize>((nr - r) * 4 + c) << 2));
      if (r > 0 && r < nr) {
        w = td(0, sbox(w >> 24)) ^ td(1, sbox(w >> 16)) ^ td(2, sbox(w >> 8)) ^ td(3, sbox(w));
      }
      store<u32>(dec + (<usize>(r * 4 + c) << 2), w);
    }
  }
}

/**
 * The encryption round keys alone (FIPS 197 5.2) at `out`: for keys that only ever encrypt, such as the DUKPT
 * derivation keys, which skip the decryption half of aesKeySchedule.
 */
export function aesExpandKey(key: usize, len: i32, out: usize): void {
  const nk = len >> 2;
  const nr = nk + 6;
  const words = 4 * (nr + 1);
  let rcon: u32 = 1;
  for (let i = 0; i < words; i++) {
    let w: u32;
    if (i < nk) {
      w = bswap<u32>(load<u32>(key + (<usize>i << 2)));
    } else {
      let t = load<u32>(out + (<usize>(i - 1) << 2));
      if (i % nk == 0) {
        t = subWord(rotl<u32>(t, 8)) ^ (rcon << 24);
        rcon = xtime(rcon);
      } else if (nk > 6 && i % nk == 4) {
        t = subWord(t);
      }
      w = load<u32>(out + (<usize>(i - nk) << 2)) ^ t;
    }
    store<u32>(out + (<usize>i << 2), w);
  }
}

// One block in/out as four big-endian column words, passed through these globals to avoid allocation.
let s0: u32 = 0, s1: u32 = 0, s2: u32 = 0, s3: u32 = 0;

/** Encrypts the block held in s0..s3 in place. */
@inline function encryptState(rk: usize, nr: i32): void {
  let a0 = s0 ^ load<u32>(rk), a1 = s1 ^ load<u32>(rk, 4), a2 = s2 ^ load<u32>(rk, 8), a3 = s3 ^ load<u32>(rk, 12);
  for (let r = 1; r < nr; r++) {
    const k = rk + (<usize>r << 4);
    const b0 = te(0, a0 >> 24) ^ te(1, a1 >> 16) ^ te(2, a2 >> 8) ^ te(3, a3) ^ load<u32>(k);
    const b1 = te(0, a1 >> 24) ^ te(1, a2 >> 16) ^ te(2, a3 >> 8) ^ te(3, a0) ^ load<u32>(k, 4);
    const b2 = te(0, a2 >> 24) ^ te(1, a3 >> 16) ^ te(2, a0 >> 8) ^ te(3, a1) ^ load<u32>(k, 8);
    const b3 = te(0, a3 >> 24) ^ te(1, a0 >> 16) ^ te(2, a1 >> 8) ^ te(3, a2) ^ load<u32>(k, 12);
    a0 = b0; a1 = b1; a2 = b2; a3 = b3;
  }
  const k = rk + (<usize>nr << 4);
  s0 = ((sbox(a0 >> 24) << 24) | (sbox(a1 >> 16) << 16) | (sbox(a2 >> 8) << 8) | sbox(a3)) ^ load<u32>(k);
  s1 = ((sbox(a1 >> 24) << 24) | (sbox(a2 >> 16) << 16) | (sbox(a3 >> 8) << 8) | sbox(a0)) ^ load<u32>(k, 4);
  s2 = ((sbox(a2 >> 24) << 24) | (sbox(a3 >> 16) << 16) | (sbox(a0 >> 8) << 8) | sbox(a1)) ^ load<u32>(k, 8);
  s3 = ((sbox(a3 >> 24) << 24) | (sbox(a0 >> 16) << 16) | (sbox(a1 >> 8) << 8) | sbox(a2)) ^ load<u32>(k, 12);
}

/** Decrypts the block held in s0..s3 in place (equivalent inverse cipher). */
function decryptState(drk: usize, nr: i32): void {
  let a0 = s0 ^ load<u32>(drk), a1 = s1 ^ load<u32>(drk, 4), a2 = s2 ^ load<u32>(drk, 8), a3 = s3 ^ load<u32>(drk, 12);
  for (let r = 1; r < nr; r++) {
    const k = drk + (<usize>r << 4);
    const b0 = td(0, a0 >> 24) ^ td(1, a3 >> 16) ^ td(2, a2 >> 8) ^ td(3, a1) ^ load<u32>(k);
    const b1 = td(0, a1 >> 24) ^ td(1, a0 >> 16) ^ td(2, a3 >> 8) ^ td(3, a2) ^ load<u32>(k, 4);
    const b2 = td(0, a2 >> 24) ^ td(1, a1 >> 16) ^ td(2, a0 >> 8) ^ td(3, a3) ^ load<u32>(k, 8);
    const b3 = td(0, a3 >> 24) ^ td(1, a2 >> 16) ^ td(2, a1 >> 8) ^ td(3, a0) ^ load<u32>(k, 12);
    a0 = b0; a1 = b1; a2 = b2; a3 = b3;
  }
  const k = drk + (<usize>nr << 4);
  s0 = ((invSbox(a0 >> 24) << 24) | (invSbox(a3 >> 16) << 16) | (invSbox(a2 >> 8) << 8) | invSbox(a1)) ^ load<u32>(k);
  s1 = ((invSbox(a1 >> 24) << 24) | (invSbox(a0 >> 16) << 16) | (invSbox(a3 >> 8) << 8) | invSbox(a2)) ^ load<u32>(k, 4);
  s2 = ((invSbox(a2 >> 24) << 24) | (invSbox(a1 >> 16) << 16) | (invSbox(a0 >> 8) << 8) | invSbox(a3)) ^ load<u32>(k, 8);
  s3 = ((invSbox(a3 >> 24) << 24) | (invSbox(a2 >> 16) << 16) | (invSbox(a1 >> 8) << 8) | invSbox(a0)) ^ load<u32>(k, 12);
}

@inline function loadState(p: usize): void {
  s0 = bswap<u32>(load<u32>(p)); s1 = bswap<u32>(load<u32>(p, 4));
  s2 = bswap<u32>(load<u32>(p, 8)); s3 = bswap<u32>(load<u32>(p, 12));
}
@inline function storeState(p: usize): void {
  store<u32>(p, bswap<u32>(s0)); store<u32>(p, bswap<u32>(s1), 4);
  store<u32>(p, bswap<u32>(s2), 8); store<u32>(p, bswap<u32>(s3), 12);
}
@inline function xorState(p: usize): void {
  s0 ^= bswap<u32>(load<u32>(p)); s1 ^= bswap<u32>(load<u32>(p, 4));
  s2 ^= bswap<u32>(load<u32>(p, 8)); s3 ^= bswap<u32>(load<u32>(p, 12));
}

/** Clears the state globals so no block outlives the call. */
export function aesClearState(): void {
  s0 = 0; s1 = 0; s2 = 0; s3 = 0;
}

/** Encrypts (or decrypts) the 16-byte block at `src` into `dst` (may alias). */
export function aesBlock(ks: usize, nr: i32, decrypt: bool, src: usize, dst: usize): void {
  loadState(src);
  if (decrypt) decryptState(ks + DEC_OFFSET, nr); else encryptState(ks, nr);
  storeState(dst);
}

/** ECB over `n` 16-byte blocks. */
export function aesEcb(ks: usize, nr: i32, decrypt: bool, src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 4;
    aesBlock(ks, nr, decrypt, src + off, dst + off);
  }
  aesClearState();
}

/** CBC over `n` blocks; the 16-byte IV at `iv` is updated to the last ciphertext block. */
export function aesCbc(ks: usize, nr: i32, decrypt: bool, iv: usize, src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 4;
    if (decrypt) {
      // Keep the ciphertext before dst may overwrite it (src and dst may alias).
      const c0 = load<u64>(src + off), c1 = load<u64>(src + off, 8);
      loadState(src + off);
      decryptState(ks + DEC_OFFSET, nr);
      xorState(iv);
      storeState(dst + off);
      store<u64>(iv, c0); store<u64>(iv, c1, 8);
    } else {
      loadState(src + off);
      xorState(iv);
      encryptState(ks, nr);
      storeState(dst + off);
      storeState(iv);
    }
  }
  aesClearState();
}

/** XORs the 16 bytes at `p` into the state (for CMAC). */
export function aesXorIntoState(p: usize): void {
  xorState(p);
}
/** Loads/stores the state (for CMAC). */
export function aesLoadState(p: usize): void {
  loadState(p);
}
export function aesStoreState(p: usize): void {
  storeState(p);
}
@inline export function aesEncryptState(ks: usize, nr: i32): void {
  encryptState(ks, nr);
}
export function aesDecryptState(ks: usize, nr: i32): void {
  decryptState(ks + DEC_OFFSET, nr);
}
/** XORs a 128-bit value, given as two big-endian halves, into the state. */
export function aesXorHalves(hi: u64, lo: u64): void {
  s0 ^= <u32>(hi >> 32); s1 ^= <u32>hi; s2 ^= <u32>(lo >> 32); s3 ^= <u32>lo;
}
/** Sets the state from two big-endian halves. */
@inline export function aesSetHalves(hi: u64, lo: u64): void {
  s0 = <u32>(hi >> 32); s1 = <u32>hi; s2 = <u32>(lo >> 32); s3 = <u32>lo;
}
@inline export function aesStateHi(): u64 {
  return (<u64>s0 << 32) | <u64>s1;
}
@inline export function aesStateLo(): u64 {
  return (<u64>s2 << 32) | <u64>s3;
}
