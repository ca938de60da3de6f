import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

describe('GET /health', () => {
  let t: TestApp;
  let chainUp = true;
  beforeAll(async () => {
    t = await startTestApp({
      healthChecks: {
        chain: () => {
          if (!chainUp) throw new Error('no answer from the JSON-RPC endpoint');
          return 'block 42';
        },
      },
    });
  });
  afterAll(async () => t?.close());

  it('reports each component, including ones plugged in by other features', async () => {
    const res = await t.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      components: { db: { ok: true }, redis: { ok: true }, chain: { ok: true, detail: 'block 42' } },
    });
  });

  it('answers 503 and names the failing component when one is down', async () => {
    chainUp = false;
    try {
      const res = await t.app.inject({ url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'degraded',
        components: { db: { ok: true }, chain: { ok: false, detail: 'no answer from the JSON-RPC endpoint' } },
      });
    } finally {
      chainUp = true;
    }
  });

  it('serves the trivial ping route and the OpenAPI document with every route', async () => {
    expect((await t.app.inject({ url: '/v1/ping' })).json()).toEqual({ ok: true });
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/v1/cases', '/v1/cases/{id}', '/v1/cases/{id}/timeline', '/v1/cases/{id}/withdraw', '/v1/cases/{id}/evidence', '/v1/merchants', '/v1/arbitrators', '/health']) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    const filing = doc.paths['/v1/cases'].post;
    expect(filing.requestBody.content['application/json'].schema).toBeDefined();
    expect(filing.requestBody.content['application/json'].example).toMatchObject({ kind: 'flight', jurisdiction: 'EU261' });
    expect(filing.responses['400'].content['application/problem+json'].schema.properties.errors).toBeDefined();
    expect(filing.responses['201'].content['application/json'].schema.properties.accessToken).toBeDefined();
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      if (!path.startsWith('/v1/') || path === '/v1/ping') continue;
      for (const [method, op] of Object.entries(methods)) {
        const problems = Object.entries(op.responses).filter(([code]) => Number(code) >= 400);
        expect(problems.length, `${method} ${path} documents its errors`).toBeGreaterThan(0);
      }
    }
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });
});

describe('GET /health when Redis goes away', () => {
  it('reports redis as down with 503 while the database stays up, and still shuts down', async () => {
    const { startPrivateRedis, findOnPath } = await import('../../../server/redis/private-server.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-redis-'));
    const redis = await startPrivateRedis({ binary: findOnPath('redis-server')!, dir, host: '127.0.0.1', port });
    const t = await startTestApp({ env: { REDIS_URL: redis.url } });
    try {
      expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
      await redis.stop();
      const res = await t.app.inject({ url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json().components).toMatchObject({ db: { ok: true }, redis: { ok: false } });
    } finally {
      await t.app.close();
      await redis.stop();
      rmSync(t.dataDir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
