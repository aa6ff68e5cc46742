// The Fastify application: JSON bodies kept as bytes for the signature, every signed route authenticated
// (signature, ±300 s, nonce) and authorized (its role) in preValidation — before the body is validated and long
// before a handler opens a key — then validated by its TypeBox schema (two Ajv instances: bodies strictly typed,
// query strings and paths coerced from text; unknown properties and parameters refused, never dropped), run, and
// serialized by its response schema. Every failure leaves as the seeds' error envelope; a 5xx never carries a
// message or stack. The OpenAPI 3.1 document is built from the same schemas and served, unsigned, at /openapi.json.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import type { Ctx } from './context.js';
import { ErrorEnvelope } from './schemas.js';
import { bodySha256, verifySignature, WINDOW_SECONDS } from './auth.js';
import { SIGNATURE_HEADERS } from './signature.js';
import { badRequest, envelope, forbidden, httpError, ServiceError } from './errors.js';
import { ROUTE_ACCESS, ROLE_DESCRIPTIONS, type Caller, type OperationId, type RouteAccess } from './roles.js';
import { idempotent, requestHash, spendNonce } from './idempotency.js';
import { createMetrics, type Metrics } from './metrics.js';
import { IdempotencyHeaders } from './requests.js';
import type { JobRunner } from './jobs.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBodyHash?: string;
    bodyError?: ServiceError;
    caller?: Caller;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Every route the app serves (method and URL template), HEAD aside: for the test that OpenAPI lists them all. */
export const servedRoutes = new WeakMap<object, Array<{ method: string; url: string }>>();

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface Handled {
  status?: number;
  body: unknown;
}

export interface RouteInput<B, Q, P> {
  ctx: Ctx;
  caller: Caller;
  body: B;
  query: Q;
  params: P;
  /** The request's x-idempotency-key, prefixed with the client id (for routes that require one). */
  requestKey: string;
  reply: FastifyReply;
}

export interface RouteDef<B extends TSchema, Q extends TSchema, P extends TSchema> {
  operationId: OperationId;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  body?: B;
  querystring?: Q;
  params?: P;
  idempotency?: boolean;
  status: 200 | 201 | 202;
  response: TSchema;
  /** Other success content (a stream): the OpenAPI response instead of `response`. */
  produces?: { contentType: string; schema: TSchema };
  handler: (input: RouteInput<Static<B>, Static<Q>, Static<P>>) => Promise<unknown>;
}

export interface Registrar {
  route<B extends TSchema = TSchema, Q extends TSchema = TSchema, P extends TSchema = TSchema>(
    def: RouteDef<B, Q, P>,
  ): void;
  app: App;
  ctx: Ctx;
  metrics: Metrics;
  runner: JobRunner;
}

const ERROR_RESPONSES = { '4xx': ErrorEnvelope, '5xx': ErrorEnvelope };

/** Validation errors as the envelope's code and field. */
function validationError(err: {
  validation?: Array<{ keyword: string; instancePath: string; params: Record<string, unknown> }>;
  validationContext?: string;
  message: string;
}): ServiceError {
  const v = err.validation?.[0];
  const path = v?.instancePath.replace(/^\//, '').replace(/\//g, '.') ?? '';
  const extra =
    v?.keyword === 'additionalProperties'
      ? String(v.params.additionalProperty)
      : v?.keyword === 'required'
        ? String(v.params.missingProperty)
        : '';
  const field = [path, extra].filter(Boolean).join('.') || undefined;
  const unknownParam = err.validationContext === 'querystring' && v?.keyword === 'additionalProperties';
  return badRequest(
    unknownParam ? 'UNKNOWN_PARAMETER' : 'VALIDATION_ERROR',
    unknownParam ? `unknown query parameter ${JSON.stringify(extra).slice(0, 80)}` : err.message.slice(0, 300),
    field,
  );
}

export async function buildApp(
  ctx: Ctx,
  runner: JobRunner,
  routes: Array<(r: Registrar) => void>,
): Promise<{ app: App; metrics: Metrics }> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1 << 20,
    return503OnClosing: true,
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  const metrics = createMetrics();
  const served: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD' && method !== 'OPTIONS') served.push({ method, url: route.url });
  });
  servedRoutes.set(app, served);

  // Bodies are typed as sent (no coercion: "100" is not a quantity); query strings and paths arrive as text and
  // are coerced. Neither drops unknown properties: they are errors.
  const strict = new Ajv({
    coerceTypes: false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  const coercing = new Ajv({
    coerceTypes: true,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as object),
  );

  // JSON only, parsed from the bytes the signature covers; a body that does not parse is reported after the
  // signature is checked (an unsigned caller learns nothing about the body).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const bytes = body as Buffer;
    req.rawBodyHash = bodySha256(bytes);
    parseJson(req, bytes.toString('utf8'), (err, value) => {
      if (err) {
        req.bodyError = badRequest('INVALID_JSON', 'the body is not valid JSON');
        done(null, undefined);
      } else done(null, value);
    });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cardhsm card-management API',
        version: '1.0.0',
        description: `Signed with HMAC-SHA-256 (headers ${Object.values(SIGNATURE_HEADERS).join(', ')}; see the README). Roles: ${Object.entries(
          ROLE_DESCRIPTIONS,
        )
          .map(([r, d]) => `${r} (${d})`)
          .join('; ')}.`,
      },
      components: {
        securitySchemes: {
          client: { type: 'apiKey', in: 'header', name: SIGNATURE_HEADERS.client },
          timestamp: {
            type: 'apiKey',
            in: 'header',
            name: SIGNATURE_HEADERS.timestamp,
            description: 'Unix seconds, within ±300 s of the server clock',
          },
          nonce: {
            type: 'apiKey',
            in: 'header',
            name: SIGNATURE_HEADERS.nonce,
            description: '16-64 characters [A-Za-z0-9_-], once per client within the window',
          },
          signature: {
            type: 'apiKey',
            in: 'header',
            name: SIGNATURE_HEADERS.signature,
            description:
              'hex HMAC-SHA-256 of CARDHSM-HMAC-SHA256\\nMETHOD\\npath?query\\ntimestamp\\nnonce\\nclient\\nhex(SHA-256(body))',
          },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  app.addSchema(ErrorEnvelope);

  // Browser pages of the configured origins only (none by default). Preflights are answered unsigned, as browsers
  // send them; every other request, from any origin, is still signed and checked. No cookies are involved: a page
  // signs with a client secret it holds, so CORS here decides which pages may read answers, not who is trusted.
  if (ctx.config.corsOrigins.length > 0)
    await app.register(fastifyCors, {
      origin: [...ctx.config.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'PATCH'],
      allowedHeaders: ['content-type', 'x-idempotency-key', ...Object.values(SIGNATURE_HEADERS)],
      exposedHeaders: ['x-idempotent-replay'],
      credentials: false,
      maxAge: 600,
    });

  app.addHook('preValidation', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access) return;
    const { client, nonce, timestamp } = verifySignature(
      { method: req.method, url: req.url, headers: req.headers, bodyHash: req.rawBodyHash ?? bodySha256(undefined) },
      ctx.config.clients,
      Math.floor(ctx.now() / 1000),
    );
    await spendNonce(ctx, client.id, nonce, (timestamp + WINDOW_SECONDS) * 1000);
    req.caller = { clientId: client.id, roles: client.roles };
    if (!client.roles.has(access.role)) throw forbidden(`this call needs the ${access.role} role`);
    if (req.bodyError) throw req.bodyError;
  });

  // Label children are looked up once per route, method and status: label hashing per request is not free.
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(v: number): void }>();
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const key = `${route} ${req.method}`;
    const full = `${key} ${reply.statusCode}`;
    let c = counters.get(full);
    if (!c) {
      c = metrics.requests.labels({ route, method: req.method, status: String(reply.statusCode) });
      counters.set(full, c);
    }
    c.inc();
    let t = timers.get(key);
    if (!t) {
      t = metrics.latency.labels({ route, method: req.method });
      timers.set(key, t);
    }
    t.observe(reply.elapsedTime / 1000);
    done();
  });

  app.setErrorHandler((err: unknown, _req, reply) => {
    const e = err as { validation?: unknown; statusCode?: number; code?: string; message: string };
    let mapped: ServiceError | unknown = err;
    if (e.validation) mapped = validationError(err as Parameters<typeof validationError>[0]);
    else if (
      !(err instanceof ServiceError) &&
      typeof e.code === 'string' &&
      e.code.startsWith('FST_') &&
      typeof e.statusCode === 'number' &&
      e.statusCode < 500
    ) {
      mapped = new ServiceError(e.statusCode, e.code.replace(/^FST_ERR_/, ''), e.message.slice(0, 200));
    }
    const { status, body, internal } = httpError(mapped);
    if (internal)
      ctx.log(
        `internal error: ${err instanceof Error ? err.name : typeof err} ${typeof e.code === 'string' ? e.code : ''}`.trim(),
      );
    return reply.status(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send(envelope(404, 'ROUTE_NOT_FOUND', 'no such route')));

  const registrar: Registrar = {
    app,
    ctx,
    metrics,
    runner,
    route(def) {
      const access = ROUTE_ACCESS[def.operationId];
      const headers = def.idempotency ? IdempotencyHeaders : undefined;
      const success = def.produces
        ? {
            [def.status]: {
              description: 'success',
              content: { [def.produces.contentType]: { schema: def.produces.schema } },
            },
          }
        : { [def.status]: def.response };
      app.route({
        method: def.method,
        url: def.url,
        config: { access },
        schema: {
          operationId: def.operationId,
          summary: def.summary,
          description: `${def.description ?? def.summary}\n\nRole: \`${access.role}\`; Hsm profile: \`${access.profile}\`.`,
          tags: def.tags,
          security: [{ client: [], timestamp: [], nonce: [], signature: [] }],
          ...(def.body ? { body: def.body } : {}),
          ...(def.querystring ? { querystring: def.querystring } : {}),
          ...(def.params ? { params: def.params } : {}),
          ...(headers ? { headers } : {}),
          response: { ...success, ...ERROR_RESPONSES },
        },
        handler: async (req, reply) => {
          const caller = req.caller!;
          const input = {
            ctx,
            caller,
            body: req.body,
            query: req.query,
            params: req.params,
            requestKey: '',
            reply,
          } as RouteInput<Static<TSchema>, Static<TSchema>, Static<TSchema>>;
          if (def.idempotency) {
            const key = (req.headers as Record<string, string>)['x-idempotency-key']!;
            input.requestKey = `${caller.clientId}/${key}`;
            const result = await idempotent(
              ctx,
              caller.clientId,
              key,
              requestHash(def.method, def.url, req.params, req.body),
              async () => ({ status: def.status, body: await def.handler(input as never) }),
            );
            if (result.replayed) reply.header('x-idempotent-replay', 'true');
            return reply.status(result.status).send(result.body as never);
          }
          const body = await def.handler(input as never);
          if (reply.sent) return reply;
          return reply.status(def.status).send(body as never);
        },
      });
    },
  };

  // Public, unsigned: health, readiness, metrics and the API description.
  const Status = Type.Object({ data: Type.Object({ status: Type.String() }) });
  app.get(
    '/healthz',
    { schema: { summary: 'liveness: the process answers', tags: ['operations'], response: { 200: Status } } },
    async () => ({ data: { status: 'ok' } }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'readiness: the store answers (503 when it does not: fail closed)',
        tags: ['operations'],
        response: { 200: Status, '5xx': ErrorEnvelope },
      },
    },
    async () => {
      const { ping } = await import('./db.js');
      await ping(ctx.database.db);
      await ctx.store.getAttempts('pin', 'readiness-probe');
      return { data: { status: 'ready' } };
    },
  );
  app.get(
    '/metrics',
    {
      schema: { summary: 'Prometheus metrics (text format)', tags: ['operations'], produces: ['text/plain'] } as object,
    },
    async (_req, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
  app.get('/openapi.json', { schema: { hide: true } as object }, async () => app.swagger());

  for (const register of routes) register(registrar);
  await app.ready();
  return { app, metrics };
}
