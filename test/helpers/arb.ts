// fast-check arbitraries shared by the property and differential tests.
import fc from 'fast-check';

export const bytesOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const desKey = fc.constantFrom(8, 16, 24).chain(bytesOf);
export const aesKey = fc.constantFrom(16, 24, 32).chain(bytesOf);
export const cvk = bytesOf(16);
export const pvk = fc.constantFrom(8, 16).chain(bytesOf);
/** Whole blocks of `size` bytes, 0..maxBlocks of them. */
export const blocks = (size: number, maxBlocks = 8) => fc.integer({ min: 0, max: maxBlocks }).chain((n) => bytesOf(n * size));
export const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
export const pan = digits(12, 19);
export const pin = digits(4, 12);
export const expiry = digits(4, 4);
export const serviceCode = digits(3, 3);
export const hexUpper = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: n, maxLength: n });
export const decimalizationTable = digits(16, 16);

/** Inputs that are wrong in type or shape: for totality and rejection properties. */
export const junk = fc.oneof(
  fc.anything(),
  fc.string({ maxLength: 40 }),
  digits(0, 25),
  fc.uint8Array({ maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxz '), maxLength: 33 }),
  fc.integer(),
  fc.constant(undefined),
  fc.constant(null),
);
