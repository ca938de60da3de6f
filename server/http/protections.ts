// What every route gets without asking (issue 9): server timeouts, a default body limit, the
// bounded JSON parser, problem+json for the errors Fastify answers before any route runs (a bad
// URL, an oversized header, a too-long path parameter), `Cache-Control: no-store` on answers
// that did not choose a caching policy, and `WWW-Authenticate: Bearer` on 401s.
// README "Limits" says how a route declares its own body limit, JSON bounds and rate limit.
import type { Socket } from 'node:net';
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { Problem, problemBody, type ProblemSlug } from '../errors.js';
import { DEFAULT_JSON_LIMITS, JsonShapeScanner, parseShapedJson, type JsonLimits } from './json-body.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Tighter (or looser) bounds on this route's JSON body than DEFAULT_JSON_LIMITS. */
    jsonLimits?: Partial<JsonLimits>;
  }
}

/**
 * The longest path parameter the router matches (Fastify's maxParamLength, set explicitly here):
 * longer than any id Arbiter issues. A longer one is a 414.
 */
export const MAX_PARAM_LENGTH = 100;

/**
 * The one 414 answer (problem+json, logged once), for both ways a too-long path segment shows up:
 * Fastify's FST_ERR_MAX_PARAM_LENGTH (frameworkErrors, below) and, with the web app on, its
 * catch-all route matching an API path whose parameter the router refused (server/web/plugin.ts).
 */
export function sendUriTooLong(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = new Problem('uri_too_long', `A path segment is longer than any id Arbiter issues (${MAX_PARAM_LENGTH} characters)`);
  request.log.info({ problem: problem.slug }, 'request rejected');
  return reply.code(problem.status).type('application/problem+json').send(problemBody(problem, safeInstance(request.raw.url)));
}

/** Fastify factory options from the config: limits and timeouts the HTTP server enforces. */
export function serverOptions(config: Config): FastifyServerOptions & { http: Record<string, number> } {
  const t = config.timeouts;
  return {
    bodyLimit: config.bodyLimit,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
    connectionTimeout: t.connectionMs,
    keepAliveTimeout: t.keepAliveMs,
    requestTimeout: t.requestMs,
    http: {
      headersTimeout: t.headersMs,
      // Node checks header and request timeouts on this period (default 30 s): a quarter of the
      // shorter timeout keeps the enforced timeout within 25 % of the configured one.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(Math.min(t.headersMs, t.requestMs) / 4))),
    },
    clientErrorHandler: problemOnClientError,
    frameworkErrors: (error, request, reply) => {
      if ((error as { code?: string }).code === 'FST_ERR_MAX_PARAM_LENGTH') return void sendUriTooLong(request, reply as FastifyReply);
      const problem = new Problem('bad_request', 'The request path is not valid: a malformed percent-escape or a character that is not allowed');
      request.log.info({ problem: problem.slug }, 'request rejected');
      void (reply as FastifyReply).code(problem.status).type('application/problem+json').send(problemBody(problem, safeInstance(request.raw.url)));
    },
  };
}

/** The path as an `instance`, but never a malformed one echoed back as it came. */
function safeInstance(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const path = url.split('?')[0];
  try {
    decodeURI(path);
    return path.length <= 512 ? path : undefined;
  } catch {
    return undefined;
  }
}

const clientErrorSlugs: Record<string, ProblemSlug> = {
  HPE_HEADER_OVERFLOW: 'header_too_large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
};

/** Errors Node's HTTP parser raises before Fastify sees a request: answer problem+json and close. */
function problemOnClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const slug = clientErrorSlugs[err.code ?? ''] ?? 'bad_request';
  const problem = new Problem(
    slug,
    slug === 'header_too_large'
      ? 'The request headers are larger than the server accepts (16 KiB)'
      : slug === 'request_timeout'
        ? 'The request did not arrive in time'
        : 'The request is not valid HTTP',
  );
  this.log.info({ problem: slug, code: err.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(problemBody(problem));
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nConnection: close\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * The JSON parser every route uses (see json-body.ts). The shape check runs on each chunk as it
 * arrives: a body that crosses a bound (the 101st entry of a list, the 33rd member of an object,
 * the 9th level of nesting, a repeated member) is refused at that chunk, and Fastify closes the
 * connection after the 400, so the rest of a hostile body is never read, joined or decoded. The
 * route's body limit is enforced the same way, from Content-Length and while streaming (413).
 * A body that passes is decoded once and parsed, at once. (Tried: parsing bodies of 16 KiB or
 * more one per event-loop turn, to keep /health from queuing behind a batch of them; /health
 * takes more than one turn, so it met a large body in each, and its p99 got worse: docs/abuse.md.)
 */
export function installJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (request: FastifyRequest, payload, done) => {
    const own = request.routeOptions.config.jsonLimits;
    const scanner = new JsonShapeScanner(own ? { ...DEFAULT_JSON_LIMITS, ...own } : DEFAULT_JSON_LIMITS);
    const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1024 * 1024;
    const contentLength = Number(request.headers['content-length']);
    if (contentLength > limit) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) {
        stop();
        done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
        return;
      }
      const shape = scanner.push(bytes);
      if (shape) {
        stop();
        done(Problem.validation([shape]), undefined);
        return;
      }
      chunks.push(bytes);
    };
    const onError = (err: Error & { statusCode?: number }) => {
      stop();
      if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
      done(err, undefined);
    };
    const onEnd = () => {
      stop();
      if (!Number.isNaN(contentLength) && received !== contentLength) {
        done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), undefined);
        return;
      }
      let parsed: ReturnType<typeof parseShapedJson>;
      try {
        // Decoded at once, so a character split across chunks stays whole.
        parsed = parseShapedJson(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, received).toString('utf8'));
      } catch (err) {
        done(err as Error, undefined);
        return;
      }
      if (parsed.ok) done(null, parsed.value);
      else done(Problem.validation([parsed.error]), undefined);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}

/** Caching and authentication challenge headers, on every answer (errors included). */
export function installResponseHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload, done) => {
    // API answers are per caller and some carry a secret shown once: never store them, unless
    // the route chose a policy itself (e.g. the OpenAPI UI's static files).
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate')) {
      const sent = request.headers.authorization !== undefined;
      reply.header('www-authenticate', sent ? 'Bearer realm="arbiter", error="invalid_token"' : 'Bearer realm="arbiter"');
    }
    done(null, payload);
  });
}
