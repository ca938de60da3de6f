// Builds the Fastify app: infrastructure (database, Redis, queues, auth, idempotency, errors,
// OpenAPI) and one plugin per feature under /v1. No listening here; main.ts does that.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle, type Db } from './db/connection.js';
import { applyMigrations } from './db/migrate.js';
import { connectRedis } from './redis/connection.js';
import { createQueues, type Queues } from './queues/queues.js';
import { createHealthRegistry, type HealthCheck } from './health/registry.js';
import { healthRoutes, pingRoutes } from './health/routes.js';
import { resolveAdminToken } from './auth/admin-token.js';
import { hashSecret } from './auth/tokens.js';
import { createAuthenticator } from './auth/authenticate.js';
import { installAuthentication } from './auth/hook.js';
import { createMerchantService } from './merchants/service.js';
import { merchantRoutes } from './merchants/routes.js';
import { createArbitratorService } from './arbitrators/service.js';
import { arbitratorRoutes } from './arbitrators/routes.js';
import { createCaseService } from './cases/service.js';
import { caseRoutes } from './cases/routes.js';
import { createEvidenceService } from './evidence/service.js';
import { evidenceRoutes } from './evidence/routes.js';
import { createIdempotencyStore } from './idempotency/store.js';
import { installIdempotency } from './idempotency/hook.js';
import { createWebhookServices, type WebhookServices } from './webhooks/service.js';
import { createCaseResponseService, type CaseResponseService } from './cases/responses.js';
import { caseResponseRoutes } from './cases/response-routes.js';
import { webhookRoutes } from './webhooks/routes.js';
import { webApp } from './web/plugin.js';
import { createWebContext } from './web/context.js';
import { createTrailService } from './pipeline/trail.js';
import { pipelineRoutes } from './pipeline/routes.js';
import { createPayoutService } from './pipeline/payouts.js';
import { createAppealService } from './pipeline/appeals.js';
import { createEscrowService } from './merchants/escrow.js';
import { escrowRoutes } from './merchants/escrow-routes.js';
import { arbitrableRoutes } from './merchants/arbitrable-routes.js';
import { createMarketService, type MarketChain, type MarketService } from './market/service.js';
import { marketRoutes } from './market/routes.js';
import { fieldErrorsFromValidation, Problem, problemBody, slugForStatus } from './errors.js';
import { installJsonBody, installResponseHeaders, serverOptions } from './http/protections.js';
import { installRateLimit } from './http/rate-limit.js';
import { strictValidatorCompiler } from './http/validator.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    queues: Queues;
    /** The marketplace (server/market): attach its chain side once the pipeline runs. */
    market: MarketService;
  }
}

export interface Services {
  merchants: ReturnType<typeof createMerchantService>;
  arbitrators: ReturnType<typeof createArbitratorService>;
  cases: ReturnType<typeof createCaseService>;
  evidence: ReturnType<typeof createEvidenceService>;
  idempotency: ReturnType<typeof createIdempotencyStore>;
  webhooks: WebhookServices;
  responses: CaseResponseService;
}

/** The feature services on one database; workers, the CLI and the web app build theirs alike. */
export function createServices(db: Db, config: Config, clock: () => Date = () => new Date()): Services {
  const merchants = createMerchantService({ db, clock });
  const arbitrators = createArbitratorService({ db, clock });
  const cases = createCaseService({ db, merchants, clock });
  const evidence = createEvidenceService({
    db,
    cases,
    evidenceDir: config.evidenceDir,
    maxBytes: config.evidenceMaxBytes,
    quota: config.evidenceQuota,
    clock,
    responseSeconds: config.caseResponseSeconds,
  });
  const idempotency = createIdempotencyStore({ db, clock });
  const webhooks = createWebhookServices({ db, config, clock, notify: merchants.notify });
  const responses = createCaseResponseService({ db, responseSeconds: config.caseResponseSeconds, clock });
  return { merchants, arbitrators, cases, evidence, idempotency, webhooks, responses };
}

export interface BuildAppOptions {
  config: Config;
  /** The admin token (tests, tools). */
  adminToken?: string;
  /** Or only its sha256 hex; by default ADMIN_TOKEN or the hash kept under DATA_DIR (server/auth/admin-token.ts). */
  adminTokenHash?: string;
  /** An open, migrated database; by default buildApp opens config.databasePath and migrates. */
  database?: DatabaseHandle;
  /** By default buildApp connects to config.redisUrl. */
  redis?: Redis;
  /** By default buildApp creates the queues on `redis` under config.queuePrefix. */
  queues?: Queues;
  /** More /health components (e.g. `chain`), checked beside db and redis. */
  healthChecks?: Record<string, HealthCheck>;
  logger?: FastifyServerOptions['logger'];
  clock?: () => Date;
  /** The market's chain side (the pipeline's); without it models are listed but not registered. */
  market?: MarketChain;
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const clock = options.clock ?? (() => new Date());

  // Start order: database, Redis, queues, HTTP. app.close() undoes it in reverse.
  const ownsDatabase = !options.database;
  const database = options.database ?? openDatabase(config.databasePath);
  if (ownsDatabase) applyMigrations(database.db);
  const ownsRedis = !options.redis;
  let log: FastifyInstance['log'] | undefined;
  const redis = options.redis ?? connectRedis(config.redisUrl, (err) => log?.warn({ err }, 'Redis connection error; retrying'));
  const ownsQueues = !options.queues;
  const queues = options.queues ?? createQueues({ connection: redis, prefix: config.queuePrefix });
  const adminTokenHash = options.adminToken ? hashSecret(options.adminToken) : (options.adminTokenHash ?? resolveAdminToken(config).hash);
  const services = createServices(database.db, config, clock);
  const market = createMarketService({ db: database.db, dataDir: config.dataDir, clock, pinMinAccuracy: config.modelPinMinAccuracy });
  if (options.market) await market.attach(options.market);

  // Timeouts, the default body limit, trust-proxy and problem+json for errors raised before
  // routing: server/http/protections.ts.
  const app = Fastify({ logger: options.logger ?? { level: config.logLevel }, ...serverOptions(config) });
  log = app.log;
  // TypeBox compiles every route schema; its errors carry instance paths, which become pointers.
  // Strict about whole numbers and listing enum values for params and query (http/validator.ts).
  app.setValidatorCompiler(strictValidatorCompiler);
  app.decorate('config', config);
  app.decorate('db', database.db);
  app.decorate('queues', queues);
  app.decorate('market', market);

  // Closes only what buildApp opened itself; main.ts closes what it passed in.
  app.addHook('onClose', async () => {
    if (ownsQueues) await queues.close();
    // QUIT waits for Redis; when it is unreachable (reconnecting), just drop the connection.
    if (ownsRedis) {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    }
    if (ownsDatabase) await database.close();
  });

  const health = createHealthRegistry();
  health.register('db', () => {
    database.sqlite.prepare('select 1').get();
  });
  health.register('redis', async () => {
    await redis.ping();
  });
  for (const [name, check] of Object.entries(options.healthChecks ?? {})) health.register(name, check);

  installErrorHandling(app);
  installResponseHeaders(app);
  installJsonBody(app);
  installAuthentication(
    app,
    createAuthenticator({
      adminTokenHash,
      lookups: {
        merchantIdByKeyHash: (h) => services.merchants.idByKeyHash(h),
        arbitratorIdByTokenHash: (h) => services.arbitrators.idByTokenHash(h),
        caseIdForAccessToken: (token, h) => services.cases.caseIdForAccessToken(token, h),
        creatorIdByKeyHash: (h) => market.idByKeyHash(h),
      },
    }),
  );
  // After authentication (its onRequest hook runs first): counts per principal or per address.
  await installRateLimit(app, { redis, config: config.rateLimit, namespace: `${config.queuePrefix}:ratelimit:` });
  installNotFound(app, config.rateLimit.enabled);
  installIdempotency(app, services.idempotency);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Arbiter API',
        version: '0.1.0',
        description:
          'Verifiable dispute resolution for airline (EU261, UK261, US DOT refund) and card chargeback (Visa, Mastercard) cases. Errors are RFC 9457 `application/problem+json`; validation errors list `errors: [{pointer, message}]` with RFC 6901 pointers. Every POST accepts an `Idempotency-Key` header (Stripe semantics, scoped per caller, kept 24 h). Roles: admin (ADMIN_TOKEN), arbitrators and merchants (created by the admin), claimants (the per-case accessToken returned at filing).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'cases', description: 'Filing, reading and withdrawing cases' },
        { name: 'evidence', description: 'Evidence files, content-addressed by sha256' },
        { name: 'merchants', description: 'Respondents using the API' },
        { name: 'arbitrators', description: 'Human reviewers of appeals' },
        { name: 'webhooks', description: 'Signed webhook endpoints, the delivery log and redelivery' },
        { name: 'health', description: 'Liveness and components' },
        { name: 'models', description: 'The marketplace: creators, model registration and re-verification, node operators, quotes' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const { rateLimit } = config;
  await app.register(healthRoutes, {
    health,
    rateLimit: rateLimit.enabled ? { max: 10 * Math.max(rateLimit.max, rateLimit.anonymousMax), timeWindow: rateLimit.windowMs } : undefined,
  });
  await app.register(pingRoutes, { prefix: '/v1' });
  await app.register(caseRoutes, { prefix: '/v1', cases: services.cases });
  await app.register(evidenceRoutes, { prefix: '/v1', evidence: services.evidence });
  await app.register(merchantRoutes, { prefix: '/v1', merchants: services.merchants, cases: services.cases });
  const escrow = createEscrowService({ db: database.db, queues, dataDir: config.dataDir, embeddedChain: !config.chainRpcUrl });
  await app.register(escrowRoutes, { prefix: '/v1', escrow });
  await app.register(arbitrableRoutes, { prefix: '/v1', merchants: services.merchants });
  await app.register(arbitratorRoutes, { prefix: '/v1', arbitrators: services.arbitrators });
  await app.register(caseResponseRoutes, { prefix: '/v1', responses: services.responses });
  await app.register(webhookRoutes, { prefix: '/v1', webhooks: services.webhooks, queues });
  // One set of pipeline services for the API routes and the web app's loaders.
  const pipelineServices = {
    trails: createTrailService({ db: database.db, dataDir: config.dataDir }),
    payouts: createPayoutService({ db: database.db, queues }),
    appeals: createAppealService({ db: database.db, queues, dataDir: config.dataDir, embeddedChain: !config.chainRpcUrl, clock }),
  };
  await app.register(pipelineRoutes, { prefix: '/v1', ...pipelineServices });
  // The web app on the same port (WEB=off leaves it out); its catch-all route yields to the above.
  await app.register(marketRoutes, { prefix: '/v1', market });
  if (config.web !== 'off') {
    await app.register(webApp, { context: createWebContext(services, config, queues, pipelineServices, escrow, market), mode: config.web, bodyLimit: config.evidenceMaxBytes + 1024 * 1024 });
  }

  await app.ready();
  return app;
}

/** The one error handler: every error leaves as RFC 9457 problem+json. 4xx log at info, 5xx at error. */
function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ problem: problem.slug, detail: problem.message }, 'request rejected');
    return reply
      .code(problem.status)
      .type('application/problem+json')
      .send(problemBody(problem, request.url));
  });
}

/** Unknown routes: 404 problem+json, counted by the rate limit like any route. */
function installNotFound(app: FastifyInstance, rateLimited: boolean): void {
  const preHandler = rateLimited ? app.rateLimit() : undefined;
  app.setNotFoundHandler({ preHandler }, (request, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send(problemBody(new Problem('not_found', `No route ${request.method} ${request.url.split('?')[0]}`), request.url)),
  );
}

// A client that hangs up mid-request (an aborted upload): nothing to answer, nothing to alarm about.
const CLIENT_GONE = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH']);
// Busboy's and @fastify/multipart's errors for a body that is not well-formed multipart.
const MULTIPART_MALFORMED = /^(Unexpected end of (form|file)|Malformed (part header|urlencoded form)|Multipart: Boundary not found|Unexpected end of multipart data|Part terminated early|Missing Content-Type)/i;

function toProblem(error: FastifyError | Problem): Problem {
  if (error instanceof Problem) return error;
  const e = error as FastifyError;
  if (e.validation) return Problem.validation(fieldErrorsFromValidation(e.validation as never, e.validationContext));
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return Problem.validation([{ pointer: '', message: `the body is not valid JSON: ${e.message}` }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('unsupported_media_type', e.message);
    case 'FST_REQ_FILE_TOO_LARGE':
      return new Problem('payload_too_large', 'The file is larger than the limit', [{ pointer: '/file', message: 'is larger than the limit' }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem('payload_too_large', 'The body is larger than this route accepts');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return new Problem('bad_request', `The multipart body is not accepted: ${e.message}`);
  }
  if (CLIENT_GONE.has(e.code) || e.message === 'aborted' || /request aborted|premature close/i.test(e.message)) {
    return new Problem('bad_request', 'The client closed the connection before the request was complete');
  }
  if (MULTIPART_MALFORMED.test(e.message)) return new Problem('bad_request', `The multipart body is malformed: ${e.message}`);
  if (e instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message))) {
    return Problem.validation([{ pointer: '', message: `the body is not valid JSON: ${e.message}` }]);
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) return new Problem(slugForStatus(status), e.message);
  return new Problem('internal', 'Something went wrong on our side; it has been logged');
}
