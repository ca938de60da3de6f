// Applies idempotency to every POST that carries an Idempotency-Key header. Runs after body
// parsing (preHandler), so the fingerprint covers method, path and the canonical body.
//
// What is kept and replayed: any response except 5xx, 401, 429 and 400 validation errors. As in
// Stripe, a request that failed validation never started executing, so fixing the body and
// retrying with the same key is allowed; a 5xx releases the key so the client can retry.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canonicalize } from 'json-canonicalize';
import { principalName } from '../auth/principal.js';
import { Problem } from '../errors.js';
import type { IdempotencyStore } from './store.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
  interface FastifyContextConfig {
    /**
     * 'after-body': the route claims the key itself, once it has read its body (an upload
     * streamed to disk), by calling `request.server.claimIdempotency(request, reply, body)`.
     */
    idempotency?: 'after-body';
  }
  interface FastifyInstance {
    /** Claims the request's Idempotency-Key with `body` as the request body; true when the kept response was replayed. */
    claimIdempotency(request: FastifyRequest, reply: FastifyReply, body: unknown): Promise<boolean>;
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';

interface MultipartPart {
  type: 'file' | 'field';
  fieldname: string;
  filename?: string;
  value?: unknown;
  toBuffer?: () => Promise<Buffer>;
}

const isPart = (v: unknown): v is MultipartPart =>
  typeof v === 'object' && v !== null && ((v as MultipartPart).type === 'file' || (v as MultipartPart).type === 'field') && 'fieldname' in v;

/** JSON bodies as they are; multipart parts by field value, or file name and sha256 of the bytes. */
async function fingerprintValue(value: unknown): Promise<unknown> {
  if (Buffer.isBuffer(value)) return { sha256: createHash('sha256').update(value).digest('hex') };
  if (isPart(value)) {
    if (value.type === 'field') return { field: value.value };
    return { file: await fingerprintValue(await value.toBuffer!()), filename: value.filename ?? null };
  }
  if (Array.isArray(value)) return Promise.all(value.map(fingerprintValue));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await fingerprintValue(v);
    return out;
  }
  return value;
}

export async function requestFingerprint(request: Pick<FastifyRequest, 'method' | 'url' | 'body'>): Promise<string> {
  const body = request.body === undefined ? null : canonicalize(await fingerprintValue(request.body));
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

function shouldKeep(status: number, payload: unknown): boolean {
  if (status >= 500 || status === 401 || status === 429) return false;
  if (status === 400 && typeof payload === 'string' && payload.includes('"/problems/validation-failed"')) return false;
  return typeof payload === 'string';
}

export function installIdempotency(app: FastifyInstance, store: IdempotencyStore): void {
  app.decorateRequest('idempotency', null);

  // The hooks run on every request; those without a key (GETs, most POSTs) pass through
  // synchronously (callback style) instead of paying a promise and a microtask turn each.
  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (request.method !== 'POST' || request.headers[IDEMPOTENCY_HEADER] === undefined || request.routeOptions.config.idempotency === 'after-body') {
      done();
      return;
    }
    claimKey(request, reply, request.body).then(() => done(), done);
  });

  app.decorate('claimIdempotency', async (request: FastifyRequest, reply: FastifyReply, body: unknown) => {
    if (request.headers[IDEMPOTENCY_HEADER] === undefined) return false;
    await claimKey(request, reply, body);
    return reply.sent;
  });

  async function claimKey(request: FastifyRequest, reply: FastifyReply, body: unknown): Promise<void> {
    const header = request.headers[IDEMPOTENCY_HEADER]!;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
      throw Problem.validation(
        [{ header: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters, e.g. a random UUID' }],
        'The Idempotency-Key header is not valid',
      );
    }
    // Anonymous callers have no identity of their own; scoping their keys by address keeps one
    // portal user from replaying another's response (which carries an access token).
    const scope = request.principal.kind === 'anonymous' ? `anonymous@${request.ip}` : principalName(request.principal);
    const outcome = store.begin(scope, key, await requestFingerprint({ method: request.method, url: request.url, body }));
    if (outcome.kind === 'replay') {
      reply
        .code(outcome.status)
        .header('content-type', outcome.contentType)
        .header('idempotent-replayed', 'true')
        .send(outcome.body);
      return;
    }
    request.idempotency = { scope, key };
  }

  app.addHook('onSend', (request, reply, payload, done) => {
    const claim = request.idempotency;
    if (claim) {
      request.idempotency = null;
      try {
        if (shouldKeep(reply.statusCode, payload)) {
          store.complete(claim.scope, claim.key, {
            status: reply.statusCode,
            contentType: String(reply.getHeader('content-type') ?? 'application/json'),
            body: payload as string,
          });
        } else {
          store.release(claim.scope, claim.key);
        }
      } catch (error) {
        done(error as Error);
        return;
      }
    }
    done(null, payload);
  });

  // A request that never reached onSend (client gone, stream error) must not hold the key.
  app.addHook('onResponse', (request, _reply, done) => {
    const claim = request.idempotency;
    if (claim) {
      request.idempotency = null;
      store.release(claim.scope, claim.key);
    }
    done();
  });
}
