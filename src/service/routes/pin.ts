// Seed 000's PIN and card-code calls: security values, invalid PIN attempts, dynamic CVV2, PIN validation.
import { Type } from '@sinclair/typebox';
import type { Registrar } from '../app.js';
import { dynamicValues, invalidPinAttempts, securityValues, validatePin } from '../pins.js';
import { CardBody, PinValidationBody, SecurityValuesBody } from '../requests.js';
import { Data, SecurityValues } from '../schemas.js';

export function pinRoutes(r: Registrar): void {
  r.route({
    operationId: 'securityValues',
    method: 'POST',
    url: '/cards/v1/pin/codes',
    summary: 'Security values (CVV, CVV2, iCVV; with generate_pin a new PIN) under the client 3DES transport key',
    description:
      'Each value is left-aligned and F-padded in one 8-byte block, encrypted with 2-key TDES-ECB under the transport key registered for the calling client (16 hex characters). The PIN, when generated, is an ISO 9564 format 0 block under the same key. Decrypt with OpenSSL (see README).',
    tags: ['pin'],
    body: SecurityValuesBody,
    status: 200,
    response: Data(SecurityValues),
    handler: async ({ ctx, caller, body }) => ({ data: await securityValues(ctx, caller, body) }),
  });

  r.route({
    operationId: 'invalidPinAttempts',
    method: 'POST',
    url: '/cards/pin/invalid-attempts',
    summary: 'The card invalid PIN attempts, what remains before the lock, and whether it is locked',
    tags: ['pin'],
    body: CardBody,
    status: 200,
    response: Data(
      Type.Object(
        {
          card_id: Type.String(),
          failed_attempts: Type.Integer(),
          remaining_attempts: Type.Integer(),
          locked: Type.Boolean(),
          try_limit: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, caller, body }) => ({ data: await invalidPinAttempts(ctx, caller, body) }),
  });

  r.route({
    operationId: 'dynamicValues',
    method: 'POST',
    url: '/cards/pin/dynamic-values',
    summary: 'A new dynamic CVV2 with its expiration time; from then on the static CVV2 is refused',
    tags: ['pin'],
    body: CardBody,
    status: 200,
    response: Data(
      Type.Object(
        { card_id: Type.String(), cvv: Type.String(), cvv_expiration_time: Type.String() },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, caller, body }) => ({ data: await dynamicValues(ctx, caller, body) }),
  });

  r.route({
    operationId: 'validatePin',
    method: 'POST',
    url: '/cards/pin/validation',
    summary: 'Validate a PIN from its PIN block (never a clear PIN): counted, locked at the group limit (then 423)',
    description:
      '`pin_block`: 16 hex characters, ISO 9564 format 0 (or `pin_block_format` 1 or 3) under the zone PIN key registered for the calling client.',
    tags: ['pin', 'authorization'],
    body: PinValidationBody,
    status: 200,
    response: Data(
      Type.Object(
        { card_id: Type.String(), valid: Type.Boolean(), remaining_attempts: Type.Integer(), locked: Type.Boolean() },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, caller, body }) => {
      const result = await validatePin(ctx, caller, body);
      r.metrics.verifications.inc({ kind: 'pin', outcome: result.valid ? 'valid' : 'invalid' });
      return { data: result };
    },
  });
}
