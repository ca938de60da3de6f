import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { HealthRegistry } from './registry.js';

const ComponentHealth = Type.Object(
  {
    ok: Type.Boolean(),
    latencyMs: Type.Number(),
    detail: Type.Optional(Type.String()),
  },
  // A component's own facts, e.g. the chain's blockNumber and chainId.
  { additionalProperties: Type.Union([Type.String(), Type.Number(), Type.Boolean()]) },
);

export const HealthReport = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    components: Type.Record(Type.String(), ComponentHealth),
  },
  {
    examples: [
      {
        status: 'ok',
        components: {
          db: { ok: true, latencyMs: 0.1 },
          redis: { ok: true, latencyMs: 0.4 },
          chain: { ok: true, latencyMs: 1.2, detail: 'block 57 on chain 31337', blockNumber: 57, chainId: 31337 },
        },
      },
    ],
  },
);

export const healthRoutes: FastifyPluginAsync<{ health: HealthRegistry; rateLimit?: { max: number; timeWindow: number } }> = async (
  app,
  { health, rateLimit },
) => {
  app.get(
    '/health',
    {
      // Monitors poll it: its own, larger budget per caller (server/http/rate-limit.ts).
      ...(rateLimit ? { config: { rateLimit } } : {}),
      schema: {
        tags: ['health'],
        summary: 'Health of each component (200 when all are up, 503 otherwise)',
        security: [],
        response: { 200: HealthReport, 503: HealthReport },
      },
    },
    async (_req, reply) => {
      const { ok, components } = await health.run();
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', components });
    },
  );
};

/** A trivial route: the baseline the API benchmark compares filing against. */
export const pingRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/ping',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness of the HTTP layer alone (no database, no Redis)',
        security: [],
        response: { 200: Type.Object({ ok: Type.Literal(true) }) },
      },
    },
    async () => ({ ok: true as const }),
  );
};
