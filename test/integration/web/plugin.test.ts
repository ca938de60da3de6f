// The web app on the API's server, through HTTP (no browser): which routes win, how the private
// link's cookie is set and scoped, and what a hostile caller gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../../server/web/build.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  ensureWebBuild();
  t = await startTestApp({ env: { WEB: 'on' } });
}, 600_000);
afterAll(async () => t?.close());

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

describe('the web app beside the API', () => {
  it('serves the portal at / in the browser’s language', async () => {
    const en = await t.app.inject({ url: '/', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-type']).toMatch(/^text\/html/);
    expect(en.body).toContain('<html lang="en">');
    const de = await t.app.inject({ url: '/', headers: { 'accept-language': 'de-CH,de;q=0.9,en;q=0.5' } });
    expect(de.body).toContain('<html lang="de">');
    expect(de.body).toContain('Bekommen Sie, was Ihnen nach den Regeln zusteht');
  });

  it('leaves /v1, /docs and /health to the API: an unknown /v1 path is still a problem+json 404', async () => {
    const missing = await t.app.inject({ url: '/v1/no-such-route' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/docs/json' })).headers['content-type']).toMatch(/json/);
    const page = await t.app.inject({ url: '/no-such-page' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('serves hashed assets compressed and cached for good', async () => {
    const html = (await t.app.inject({ url: '/' })).body;
    const script = /src="(\/assets\/[^"]+\.js)"|href="(\/assets\/[^"]+\.js)"/.exec(html)!;
    const res = await t.app.inject({ url: script[1] ?? script[2], headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toContain('immutable');
    expect((await t.app.inject({ url: '/assets/../package.json' })).statusCode).toBe(404);
  });

  it('suggests airports with their time zones', async () => {
    const res = await t.app.inject({ url: '/lookup/airports?q=LPA' });
    expect(res.json()[0]).toMatchObject({ iata: 'LPA', zone: 'Atlantic/Canary' });
  });
});

describe('the private link', () => {
  it('opens the case with an HttpOnly cookie for that case only, taken from the POST body', async () => {
    const filed = t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const res = await t.app.inject({ method: 'POST', url: '/c', ...form({ link: `http://x/c#${filed.accessToken}` }) });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/case/${filed.id}`);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^arbiter_case_${filed.id}=`));
    expect(cookie).toContain('Path=/case/;');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const page = await t.app.inject({ url: `/case/${filed.id}`, headers: { cookie: cookie.split(';')[0] } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Your case');
  });

  it('refuses a wrong token, and a case’s cookie opens no other case', async () => {
    const a = t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const b = t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const forged = `${a.accessToken!.slice(0, -4)}AAAA`;
    const bad = await t.app.inject({ method: 'POST', url: '/c', ...form({ link: forged }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['set-cookie']).toBeUndefined();
    // a's token presented as b's cookie: the token names a, so b stays shut.
    const cross = await t.app.inject({ url: `/case/${b.id}`, headers: { cookie: `arbiter_case_${b.id}=${encodeURIComponent(a.accessToken!)}` } });
    expect(cross.statusCode).toBe(404);
    expect(cross.body).not.toContain(b.recordHash);
  });
});

describe('a hostile caller', () => {
  it('cannot act on a case from another site, nor without its cookie', async () => {
    const filed = t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const cookie = `arbiter_case_${filed.id}=${encodeURIComponent(filed.accessToken!)}`;
    const withdraw = form({ intent: 'withdraw' });
    const crossSite = await t.app.inject({ method: 'POST', url: `/case/${filed.id}`, ...withdraw, headers: { ...withdraw.headers, cookie, origin: 'https://evil.example' } });
    expect(crossSite.statusCode).toBe(400); // React Router's own origin check
    const noCookie = await t.app.inject({ method: 'POST', url: `/case/${filed.id}`, ...withdraw });
    expect(noCookie.statusCode).toBe(404);
    expect(t.services.cases.read(filed.id)!.status).toBe('filed');
    const own = await t.app.inject({ method: 'POST', url: `/case/${filed.id}`, ...withdraw, headers: { ...withdraw.headers, cookie } });
    expect(own.statusCode).toBe(200);
    expect(t.services.cases.read(filed.id)!.status).toBe('withdrawn');
  });

  it('cannot send the web forms more than the body limit', async () => {
    const huge = 'x'.repeat(t.config.evidenceMaxBytes + 2 * 1024 * 1024);
    const res = await t.app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain' }, payload: huge });
    expect(res.statusCode).toBe(413);
  });

  it('cannot use the language switch as an open redirect', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/lang', ...form({ lng: 'de', returnTo: '//evil.example/x' }) });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
  });

  it('cannot file past the validator through the portal form: an invalid claim stores nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/?index',
      ...form({ kind: 'flight', intent: 'file', jurisdiction: 'EU261', 'claimant.name': 'X', 'claimant.email': 'x@example.org', 'leg.0.from': 'FRA', 'leg.0.to': 'ZZZ' }),
    });
    expect(res.statusCode).toBe(400);
    expect(t.services.cases.list({ limit: 100 }, { kind: 'admin' }).data.every((c) => c.record.claimant.name !== 'X')).toBe(true);
  });
});

describe('WEB=off', () => {
  it('serves the API alone', async () => {
    const off = await startTestApp({ env: { WEB: 'off' } });
    try {
      const res = await off.app.inject({ url: '/' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    } finally {
      await off.close();
    }
  });
});
