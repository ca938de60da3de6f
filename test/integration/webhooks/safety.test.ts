// Outbound safety in production mode, and a restart in the middle of retries.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.js';
import { fastPolicy, startWorld, type World } from '../../support/webhook-world.js';
import { waitUntil } from '../../support/wait.js';
import { createSender } from '../../../server/webhooks/send.js';

const worlds: World[] = [];
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('outbound safety', () => {
  it('refuses an endpoint at a private address in production mode, naming the field', async () => {
    const world = await startWorld({ env: { NODE_ENV: 'production' } });
    worlds.push(world);
    expect(world.t.config.webhookAllowPrivateTargets).toBe(false);
    const m = await world.createMerchant();
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://10.0.0.7/hook', 'http://169.254.169.254/latest/meta-data', 'http://localhost/hook', 'http://[::ffff:192.168.0.1]/']) {
      const res = await world.t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: world.as(m.apiKey), payload: { url, events: ['*'] } });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().errors[0].pointer).toBe('/url');
    }
    const ftp = await world.t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: world.as(m.apiKey), payload: { url: 'ftp://example.com/x', events: ['*'] } });
    expect(ftp.statusCode).toBe(400);
    const ok = await world.t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: world.as(m.apiKey), payload: { url: 'https://hooks.example.com/arbiter', events: ['*'] } });
    expect(ok.statusCode).toBe(201);
    // Updating to a private address is refused too.
    const patch = await world.t.app.inject({ method: 'PATCH', url: `/v1/webhook-endpoints/${ok.json().id}`, headers: world.as(m.apiKey), payload: { url: 'http://127.0.0.1/' } });
    expect(patch.statusCode).toBe(400);
  });

  it('checks the resolved address at send time: an endpoint saved in development is not called by a production worker', async () => {
    // Saved while private targets were allowed (development), then delivered by a production-mode worker.
    const world = await startWorld({ sendAllowPrivate: false, policy: fastPolicy({ baseMs: 50, windowMs: 300 }) });
    worlds.push(world);
    const rx = await startReceiver();
    receivers.push(rx);
    const m = await world.createMerchant();
    const byName = rx.url.replace('127.0.0.1', 'localhost');
    const literal = await world.createEndpoint(m.apiKey, rx.url);
    const named = await world.createEndpoint(m.apiKey, byName);
    await world.fileCase(m.apiKey);
    for (const endpoint of [literal, named]) {
      const d = await waitUntil(async () => {
        const body = (await world.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: world.as(m.apiKey) })).json();
        return body.data[0]?.status === 'failed' && body.data[0];
      }, 'the blocked delivery to be given up');
      expect(d.attemptLog.every((a: { statusCode: number | null; error: string }) => a.statusCode === null && /^blocked/.test(a.error))).toBe(true);
    }
    expect(rx.received).toHaveLength(0);
  });

  it('follows no redirect, and keeps only a prefix of the answer', async () => {
    const http = await import('node:http');
    let hits = 0;
    const target = http.createServer((_req, res) => {
      hits++;
      res.end('reached');
    });
    const redirector = http.createServer((_req, res) => {
      res.writeHead(307, { location: `http://127.0.0.1:${(target.address() as { port: number }).port}/` });
      res.end('x'.repeat(10_000));
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const sender = createSender({ allowPrivate: true, timeoutMs: 2000 });
    try {
      const result = await sender.send(`http://127.0.0.1:${(redirector.address() as { port: number }).port}/`, '{}', {});
      expect(result).toMatchObject({ ok: false, statusCode: 307, error: 'redirect (307) not followed' });
      expect(result.responseBody).toHaveLength(1024);
      expect(hits).toBe(0);
    } finally {
      sender.close();
      target.close();
      redirector.close();
    }
  });

  it('gives up an attempt after the timeout', async () => {
    const http = await import('node:http');
    const silent = http.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const sender = createSender({ allowPrivate: true, timeoutMs: 300 });
    try {
      const result = await sender.send(`http://127.0.0.1:${(silent.address() as { port: number }).port}/`, '{}', {});
      expect(result).toMatchObject({ ok: false, statusCode: null, error: 'timed out after 300 ms' });
      expect(result.latencyMs).toBeGreaterThanOrEqual(290);
    } finally {
      sender.close();
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('restart', () => {
  it('loses nothing when the server restarts in the middle of retries', async () => {
    const first = await startWorld({ keepDataDir: true, policy: fastPolicy({ baseMs: 200, windowMs: 600_000 }) });
    const rx = await startReceiver(503);
    receivers.push(rx);
    const m = await first.createMerchant();
    const endpoint = await first.createEndpoint(m.apiKey, rx.url);
    const caseId = await first.fileCase(m.apiKey);
    const ids = first.writeEvents(caseId, m.id, 20);
    // Every delivery has failed at least once and is waiting for a retry.
    await waitUntil(() => {
      const rows = first.t.app.db.$client.prepare("select count(*) as n from webhook_deliveries where status = 'pending' and attempts >= 1").get() as { n: number };
      return rows.n === 21;
    }, 'all 21 deliveries to be in their retries');
    // Stop everything (worker, HTTP, Redis connection, database), keeping DATA_DIR and Redis keys.
    await first.stopDelivery();
    await first.t.app.close();
    rx.mode = 'up';

    const second = await startWorld({ dataDir: first.t.dataDir, queuePrefix: first.t.config.queuePrefix, adminToken: first.t.adminToken, policy: fastPolicy({ baseMs: 200, windowMs: 600_000 }) });
    worlds.push(second);
    await waitUntil(() => new Set(rx.deliveredIds()).size === 21, 'every event after the restart', 120_000);
    const created = rx.received.map((r) => JSON.parse(r.body)).find((e) => e.type === 'case.created');
    expect(new Set(rx.deliveredIds())).toEqual(new Set([created.id, ...ids]));
    const log = (await second.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=100`, headers: second.as(m.apiKey) })).json();
    expect(log.data).toHaveLength(21);
    await waitUntil(async () => {
      const body = (await second.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=100`, headers: second.as(m.apiKey) })).json();
      return body.data.every((d: { status: string }) => d.status === 'succeeded');
    }, 'every delivery to be logged as succeeded');
    await second.close();
    worlds.splice(worlds.indexOf(second), 1);
    rmSync(first.t.dataDir, { recursive: true, force: true });
  });
});
