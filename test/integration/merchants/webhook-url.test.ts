// Issue 9, Low: in production a webhook URL naming an internal target is refused at entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

let prod: TestApp;
let dev: TestApp;
beforeAll(async () => {
  prod = await startTestApp({ env: { NODE_ENV: 'production' } });
  dev = await startTestApp();
});
afterAll(async () => {
  await prod?.close();
  await dev?.close();
});

const create = (t: TestApp, webhookUrl: string) =>
  t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'W', webhookUrl }, headers: { authorization: `Bearer ${t.adminToken}` } });

describe('merchant webhook URLs at entry', () => {
  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:6379/',
    'https://127.0.0.1/',
    'https://2130706433/',
    'https://10.0.0.8/hook',
    'https://192.168.1.1/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[fd00::1]/hook',
    'https://localhost/hook',
    'https://metadata.google.internal/hook',
    'https://shop.example:8443/hook',
    'https://user:pass@shop.example/hook',
    'http://shop.example/hook',
  ])('refuses %s in production, naming /webhookUrl', async (url) => {
    const res = await create(prod, url);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/webhookUrl');
  });

  it.each([
    ['a token in the query string', 'https://hooks.shop.example/arbiter?token=s3cret'],
    ['an empty query string', 'https://hooks.shop.example/arbiter?'],
    ['a fragment', 'https://hooks.shop.example/arbiter#s3cret'],
  ])('refuses a webhook URL with %s in every mode, saying why, and stores nothing', async (_what, url) => {
    for (const t of [prod, dev]) {
      const res = await create(t, url);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ pointer: '/webhookUrl' });
      expect(res.json().errors[0].message).toMatch(/query string|fragment/);
    }
    const merchants = (await dev.app.inject({ url: '/v1/merchants?limit=100', headers: { authorization: `Bearer ${dev.adminToken}` } })).json();
    expect(JSON.stringify(merchants)).not.toContain('s3cret');
  });

  it('refuses a webhook endpoint URL with a query string (POST and PATCH), naming /url', async () => {
    const m = (await create(dev, 'http://127.0.0.1:41234/hook')).json() as { apiKey: string };
    const as = { authorization: `Bearer ${m.apiKey}` };
    const made = await dev.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as, payload: { url: 'http://127.0.0.1:41234/hook?key=s3cret', events: ['*'] } });
    expect(made.statusCode).toBe(400);
    expect(made.json().errors[0]).toMatchObject({ pointer: '/url' });
    expect(made.json().errors[0].message).toMatch(/query string/);
    const ok = await dev.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as, payload: { url: 'http://127.0.0.1:41234/hook/s3cret-path', events: ['*'] } });
    expect(ok.statusCode).toBe(201);
    const patched = await dev.app.inject({ method: 'PATCH', url: `/v1/webhook-endpoints/${ok.json().id}`, headers: as, payload: { url: 'http://127.0.0.1:41234/hook?key=s3cret' } });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().errors[0]).toMatchObject({ pointer: '/url' });
    const listed = (await dev.app.inject({ url: '/v1/webhook-endpoints', headers: as })).json();
    expect(JSON.stringify(listed)).not.toContain('key=s3cret');
  });

  it('accepts a public https URL in production, and a local test server outside production', async () => {
    expect((await create(prod, 'https://hooks.shop.example/arbiter')).statusCode).toBe(201);
    expect((await create(dev, 'http://127.0.0.1:41234/hook')).statusCode).toBe(201);
  });
});
