// Assertions on cardhsm's typed errors: tests check `code` and `field`, never message text.
import { expect } from 'vitest';
import { CardHsmError, type ErrorCode } from '../../src/index.js';

/** The CardHsmError `fn` throws (the assertion fails if it throws nothing or anything else). */
export function catchCardHsmError(fn: () => unknown): CardHsmError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CardHsmError);
  return caught as CardHsmError;
}

export function expectCardHsmError(fn: () => unknown, code: ErrorCode, field?: string): CardHsmError {
  const err = catchCardHsmError(fn);
  expect(err.code).toBe(code);
  if (field !== undefined) expect(err.field).toBe(field);
  return err;
}
