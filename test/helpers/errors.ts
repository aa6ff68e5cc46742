// Assertions on cardhsm's typed errors: tests check `code` and `field`, never message text.
import { expect } from 'vitest';
import { CardHsmError, type ErrorCode } from '../../src/index.js';

export function expectCardHsmError(fn: () => unknown, code: ErrorCode, field?: string): CardHsmError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CardHsmError);
  const err = caught as CardHsmError;
  expect(err.code).toBe(code);
  if (field !== undefined) expect(err.field).toBe(field);
  return err;
}
