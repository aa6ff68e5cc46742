// IBM 3624 PIN generation and offset (IBM CCA "IBM-PIN" / "IBM-PINO"): encrypt the validation data under the
// PVK, map each result nibble through the decimalization table, take the first L digits (the natural PIN);
// offset digit i = (PIN digit i - natural digit i) mod 10.
//
// Depends on: des.ts (tdesBlock), digits.ts (nibble).
import { tdesBlock } from './des';
import { nibble } from './digits';

/** Record: [0..8) validation data bytes, [8..24) decimalization table ASCII, [24] PIN length, [25..37) PIN ASCII. */
export const IBM3624_RECORD: i32 = 64;
/** Output stride: up to 12 ASCII digits. */
export const IBM3624_OUT: i32 = 16;

export const MODE_NATURAL_PIN: i32 = 0;
export const MODE_OFFSET: i32 = 1;

/** For each record, writes the natural PIN (MODE_NATURAL_PIN) or the offset of the record's PIN (MODE_OFFSET). */
export function ibm3624Batch(ks: usize, single: bool, mode: i32, src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const rec = src + <usize>(i * IBM3624_RECORD);
    const out = dst + <usize>(i * IBM3624_OUT);
    const c = tdesBlock(bswap<u64>(load<u64>(rec)), ks, false, single);
    const len = <i32>load<u8>(rec + 24);
    for (let k = 0; k < len; k++) {
      const natural = <u32>load<u8>(rec + 8 + nibble(c, k)) - 48;
      if (mode == MODE_OFFSET) {
        const pin = <u32>load<u8>(rec + 25 + k) - 48;
        store<u8>(out + k, <u8>(48 + (pin + 10 - natural) % 10));
      } else {
        store<u8>(out + k, <u8>(48 + natural));
      }
    }
  }
}
