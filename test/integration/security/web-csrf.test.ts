// Cross-site form posts against the cookie-authenticated web pages that landed this session: the
// arbitrator console (sign-in and the ruling form), the merchant's sign-in and escrow page. The
// merchant and arbitrator cookies are SameSite=Strict (a browser sends neither with a post from
// another site); React Router refuses an action whose Origin is another site (or "null", a
// sandboxed frame) before the action runs, so a logged-in victim's cookie does not help either.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureWebBuild } from '../../../server/web/build.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';

let t: TestApp;
/** Every line the app logs (pino JSON), as the evidence abuse test captures them. */
const logLines: Record<string, unknown>[] = [];
const logStream = new Writable({
  write(chunk, _enc, cb) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
    cb();
  },
});
let arbitratorToken: string;
let merchant: { id: string; apiKey: string };
const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
beforeAll(async () => {
  ensureWebBuild();
  t = await startTestApp({ env: { WEB: 'on' }, logger: { level: 'info', stream: logStream } });
  arbitratorToken = (await t.app.inject({ method: 'POST', url: '/v1/arbitrators', payload: { name: 'Arb' }, headers: admin() })).json().token;
  merchant = (await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Csrf Air' }, headers: admin() })).json();
}, 600_000);
afterAll(async () => t?.close());

const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(fields).toString() });

describe('cross-site posts to the cookie-authenticated pages', { timeout: 120_000 }, () => {
  for (const origin of ['https://evil.example', 'null']) {
    it(`sign-in from Origin ${origin} sets no session (login CSRF: the attacker's own token as the victim's session)`, async () => {
      for (const [url, fields] of [
        ['/arbitrator', { token: arbitratorToken }],
        ['/merchant', { apiKey: merchant.apiKey }],
      ] as const) {
        const res = await post(url, fields, { origin });
        expect(res.statusCode, url).toBe(400);
        expect(res.headers['set-cookie'], url).toBeUndefined();
      }
    });

    it(`the arbitrator's ruling and the merchant's escrow actions from Origin ${origin} are refused though the cookie is sent`, async () => {
      const arb = await post('/arbitrator/case/cs_0000000000000000000000000000', { output: '0', reason: 'forged' }, { origin, cookie: `arbiter_arbitrator=${encodeURIComponent(arbitratorToken)}` });
      expect(arb.statusCode).toBe(400);
      expect(arb.body).not.toContain('forged');
      const dep = await post('/merchant/escrow', { intent: 'deposit', amount: '1' }, { origin, cookie: `arbiter_merchant=${encodeURIComponent(merchant.apiKey)}` });
      expect(dep.statusCode).toBe(400);
      expect(dep.body).not.toMatch(/escrow\/account|depositFor/);
    });
  }

  it('a claimant\'s payout address named from another site is refused though the case cookie is sent (the award would go to the attacker)', async () => {
    const filed = t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const cookie = `arbiter_case_${filed.id}=${encodeURIComponent(filed.accessToken!)}`;
    const attacker = `0x${'e'.repeat(40)}`;
    for (const origin of ['https://evil.example', 'null']) {
      const res = await post(`/case/${filed.id}`, { intent: 'payout', address: attacker }, { origin, cookie });
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toContain(attacker);
    }
    const timeline = t.services.cases.timeline(filed.id, { kind: 'admin' }).map((e) => e.type);
    expect(timeline.some((type) => /payout/.test(type))).toBe(false);
  });

  it('the same posts from this site reach the actions (the refusals above are the origin check, not a broken form)', async () => {
    const host = 'localhost:80';
    const signIn = await post('/arbitrator', { token: arbitratorToken }, { origin: `http://${host}`, host });
    expect(signIn.statusCode).toBe(302);
    expect(String(signIn.headers['set-cookie'])).toMatch(/SameSite=Strict/);
    const m = await post('/merchant', { apiKey: merchant.apiKey }, { origin: `http://${host}`, host });
    expect(m.statusCode).toBe(302);
    expect(String(m.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });
});

describe('a refused cross-site post in the log', { timeout: 120_000 }, () => {
  it('is one warn line without a stack (not an error with a stack each time: anyone can send them), and the answer is unchanged', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      logLines.length = 0;
      const origin = 'https://evil.example';
      const res = await post('/merchant', { apiKey: merchant.apiKey }, { origin });
      expect(res.statusCode).toBe(400);
      expect(res.body).toBe('Bad Request');
      expect(res.headers['set-cookie']).toBeUndefined();
      const refused = logLines.filter((l) => String(l.msg).startsWith('cross-site action refused'));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ level: 40, method: 'POST', path: '/merchant', origin });
      expect(refused[0]).not.toHaveProperty('err');
      expect(JSON.stringify(refused[0])).not.toMatch(/\bat \S+ \(|stack/);
      // Nothing at error level, nor React Router's default console.error with the stack.
      expect(logLines.filter((l) => Number(l.level) >= 50)).toEqual([]);
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
  });
});
