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

describe('GET /health: the chain component against a real anvil', () => {
  it('reports block number, chain id and latency, then 503 with the reason once the node is gone', async () => {
    const { JsonRpcProvider } = await import('ethers');
    const { startAnvil } = await import('../../../server/chain/anvil.js');
    const { chainHealthCheck } = await import('../../../server/health/chain.js');
    const anvil = await startAnvil();
    const provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true });
    const t = await startTestApp({
      healthChecks: {
        chain: chainHealthCheck(provider, { expectedChainId: '31337' }),
        wrongChain: chainHealthCheck(provider, { expectedChainId: 1n }),
      },
    });
    try {
      const up = await t.app.inject({ url: '/health' });
      expect(up.statusCode).toBe(503); // wrongChain
      const chain = up.json().components.chain;
      expect(chain).toMatchObject({ ok: true, chainId: 31337, blockNumber: 0, detail: 'block 0 on chain 31337' });
      expect(chain.latencyMs).toBeGreaterThanOrEqual(0);
      expect(up.json().components.wrongChain).toMatchObject({
        ok: false,
        detail: 'the node is on chain 31337, the contracts were deployed on chain 1',
      });

      await provider.send('anvil_mine', ['0x5']);
      expect((await t.app.inject({ url: '/health' })).json().components.chain).toMatchObject({ ok: true, blockNumber: 5 });

      await anvil.stop();
      const started = performance.now();
      const down = await t.app.inject({ url: '/health' });
      expect(performance.now() - started).toBeLessThan(1500); // refused at once, not the 2 s timeout
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ status: 'degraded', components: { db: { ok: true }, redis: { ok: true } } });
      expect(down.json().components.chain.ok).toBe(false);
      // A kept-alive connection reports the hang-up, a new one the refusal.
      expect(down.json().components.chain.detail).toMatch(/ECONNREFUSED|socket hang up|ECONNRESET/);
      expect(down.json().components.chain.blockNumber).toBeUndefined();
    } finally {
      await t.close();
      provider.destroy();
      await anvil.stop();
    }
  });
});
