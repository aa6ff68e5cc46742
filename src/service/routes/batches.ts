// Innominate batches (seed 004) and mass issue (seed 000): durable jobs with progress, and for mass issue a
// streamed result (application/x-ndjson).
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { Registrar } from '../app.js';
import { createBatch, createMassIssue, getBatch, getMassIssue, massIssueLines, updateBatchShipment } from '../jobs.js';
import { BatchBody, BatchShipmentBody, IdParams, MassIssueBody, ShipmentParams } from '../requests.js';
import { Address, Batch, Data, MassIssueJob, MassIssueLine, Nullable, Receiver } from '../schemas.js';
import { hasRole } from '../roles.js';

export function batchRoutes(r: Registrar): void {
  r.route({
    operationId: 'createBatch',
    method: 'POST',
    url: '/cards/v1/batches',
    summary: 'Create a batch of 1-1000 innominate physical cards (processed asynchronously by a durable job)',
    description:
      'CLIENT distribution needs `address` and `receiver`. Poll GET /cards/v1/batches/{id}; the cards carry the batch `shipment_id`.',
    tags: ['batches'],
    body: BatchBody,
    idempotency: true,
    status: 202,
    response: Data(Batch),
    handler: async ({ ctx, caller, body, requestKey }) => {
      const batch = await createBatch(ctx, caller, body, requestKey);
      r.runner.kick();
      return { data: batch };
    },
  });

  r.route({
    operationId: 'getBatch',
    method: 'GET',
    url: '/cards/v1/batches/:id',
    summary: 'A batch and its progress',
    tags: ['batches'],
    params: IdParams,
    status: 200,
    response: Data(Batch),
    handler: async ({ ctx, params }) => ({ data: await getBatch(ctx, params.id) }),
  });

  r.route({
    operationId: 'updateBatchShipment',
    method: 'PUT',
    url: '/cards/v1/batches/shipments/:shipmentId',
    summary: 'Update the address or receiver of a batch shipment while its cards are CREATED',
    tags: ['batches'],
    params: ShipmentParams,
    body: BatchShipmentBody,
    status: 200,
    response: Data(
      Type.Object(
        { shipment_id: Type.String(), address: Nullable(Address), receiver: Nullable(Receiver) },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, params, body }) => ({ data: await updateBatchShipment(ctx, params.shipmentId, body) }),
  });

  r.route({
    operationId: 'massIssue',
    method: 'POST',
    url: '/cards/mass-card-issue-L8V3',
    summary: 'Mass issue of innominate cards (PAN, expiry, security values) as a durable job',
    tags: ['embosser'],
    body: MassIssueBody,
    idempotency: true,
    status: 202,
    response: Data(MassIssueJob),
    handler: async ({ ctx, caller, body, requestKey }) => {
      const job = await createMassIssue(ctx, caller, body, requestKey);
      r.runner.kick();
      return { data: job };
    },
  });

  r.route({
    operationId: 'getMassIssue',
    method: 'GET',
    url: '/cards/mass-card-issue-L8V3/:id',
    summary: 'A mass issue job and its progress',
    tags: ['embosser'],
    params: IdParams,
    status: 200,
    response: Data(MassIssueJob),
    handler: async ({ ctx, params }) => ({ data: await getMassIssue(ctx, params.id) }),
  });

  r.route({
    operationId: 'getMassIssueCards',
    method: 'GET',
    url: '/cards/mass-card-issue-L8V3/:id/cards',
    summary:
      'The cards of a finished mass issue, streamed as JSON lines (PANs for the PCI role; security values under the caller transport key)',
    tags: ['embosser'],
    params: IdParams,
    status: 200,
    response: MassIssueLine,
    produces: { contentType: 'application/x-ndjson', schema: MassIssueLine },
    handler: async ({ ctx, caller, params, reply }) => {
      const lines = await massIssueLines(ctx, caller, params.id, hasRole(caller, 'pci'));
      reply.status(200).type('application/x-ndjson');
      return reply.send(Readable.from(lines));
    },
  });
}
