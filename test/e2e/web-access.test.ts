// Who may use the new pages, and what a hostile caller gets (plain HTTP against the real server,
// as a browser would send it): the arbitrator console opens only with an arbitrator token, never
// with a merchant's key or a claimant's token; a ruling, an appeal or a payout address posted
// without the right session changes nothing; a ruling on a case that is not waiting for one is
// refused and recorded nowhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTimeline } from '../../server/cases/timeline.js';
import { validRecords } from '../support/case-fixtures.js';
import { startWebStack, type WebStack } from './support/stack.js';

let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
}, 600_000);
afterAll(async () => stack?.close());

const get = (path: string, cookie?: string) => fetch(`${stack.baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, form: Record<string, string>, cookie?: string) =>
  fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: { origin: stack.baseUrl, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
const types = (caseId: string) => readTimeline(stack.test.app.db, caseId).map((e) => e.type);

describe('The arbitrator console and the case page’s actions, to a hostile caller', () => {
  it('opens a case’s trail only to an arbitrator: no session, a merchant’s key or a claimant’s token get the sign-in page and no case data', async () => {
    const { apiKey } = stack.test.services.merchants.create({ name: 'Nosy Shop' });
    const filed = stack.test.services.cases.file({ ...validRecords.eu261Delay, claimant: { name: 'Private Person', email: 'p@example.org' } }, { kind: 'anonymous' });
    for (const cookie of [undefined, `arbiter_arbitrator=${apiKey}`, `arbiter_arbitrator=${filed.accessToken}`, 'arbiter_arbitrator=at_forged', `arbiter_merchant=${apiKey}`]) {
      const res = await get(`/arbitrator/case/${filed.id}`, cookie);
      expect(res.status, String(cookie)).toBe(401);
      const html = await res.text();
      expect(html).toContain('Arbitrator console');
      expect(html).not.toContain('Private Person');
      expect(html).not.toContain(filed.recordHash);
    }
    // Signing in with anything but an arbitrator token is refused and sets no cookie.
    for (const token of [apiKey, filed.accessToken!, 'at_forged']) {
      const res = await post('/arbitrator', { intent: 'signin', token });
      expect(res.status).toBe(400);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('signs an arbitrator in with an HttpOnly, SameSite=Strict cookie, and refuses a ruling on a case that waits for none', async () => {
    const { token } = stack.test.services.arbitrators.create({ name: 'R. Uling' });
    const signin = await post('/arbitrator', { intent: 'signin', token });
    expect(signin.status).toBe(302);
    const cookie = signin.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^arbiter_arbitrator=at_/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const session = cookie.split(';')[0];

    const filed = stack.test.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const page = await get(`/arbitrator/case/${filed.id}`, session);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('This case is not waiting for a ruling.');
    // Posted anyway (a forged form): refused, nothing recorded.
    const ruled = await post(`/arbitrator/case/${filed.id}`, { output: '3', reason: 'I say so.' }, session);
    expect(ruled.status).toBe(409);
    expect(types(filed.id)).not.toContain('ruling_submitted');
    // Without a session the same post is refused before anything is read.
    expect((await post(`/arbitrator/case/${filed.id}`, { output: '3', reason: 'I say so.' })).status).toBe(401);
    // A case id that does not exist reads as not found.
    expect((await get('/arbitrator/case/cs_0000000000000000000000000000', session)).status).toBe(404);
  });

  it('lets only the case’s own claimant appeal or name a payout wallet, and only when the case allows it', async () => {
    const mine = stack.test.services.cases.file(validRecords.visaFraud, { kind: 'anonymous' });
    const theirs = stack.test.services.cases.file(validRecords.visaFraud, { kind: 'anonymous' });
    const wallet = '0x1111111111111111111111111111111111111111';
    // Another case's cookie (or none) opens nothing: 404, nothing queued.
    for (const cookie of [undefined, `arbiter_case_${theirs.id}=${theirs.accessToken}`, `arbiter_case_${mine.id}=${theirs.accessToken}`]) {
      expect((await post(`/case/${mine.id}`, { intent: 'appeal' }, cookie)).status).toBe(404);
      expect((await post(`/case/${mine.id}`, { intent: 'payout', address: wallet }, cookie)).status).toBe(404);
    }
    const own = `arbiter_case_${mine.id}=${mine.accessToken}`;
    // The claimant's own, while the case is only filed: no appeal window and no award waiting.
    expect((await post(`/case/${mine.id}`, { intent: 'appeal' }, own)).status).toBe(409);
    expect((await post(`/case/${mine.id}`, { intent: 'payout', address: wallet }, own)).status).toBe(409);
    expect((await post(`/case/${mine.id}`, { intent: 'payout', address: '0x0000000000000000000000000000000000000000' }, own)).status).toBe(400);
    expect((await post(`/case/${mine.id}`, { intent: 'payout', address: 'not an address' }, own)).status).toBe(400);
    expect(types(mine.id)).toEqual(['filed']);
  });

  it('takes a merchant’s facts only for a case against that merchant', async () => {
    const owner = stack.test.services.merchants.create({ name: 'Owner Shop' });
    const other = stack.test.services.merchants.create({ name: 'Other Shop' });
    const filed = stack.test.services.cases.file({ ...validRecords.visaFraud, respondent: { merchantId: owner.merchant.id } }, { kind: 'anonymous' });
    const before = stack.test.services.cases.get(filed.id, { kind: 'admin' }).recordHash;
    const forged = { intent: 'facts', merchantResponse: 'Refunded long ago.', refundIssued: 'on' };
    expect((await post(`/merchant/case/${filed.id}`, forged, `arbiter_merchant=${other.apiKey}`)).status).toBe(404);
    expect((await post(`/merchant/case/${filed.id}`, forged)).status).toBe(401);
    expect(stack.test.services.cases.get(filed.id, { kind: 'admin' }).recordHash).toBe(before);
    expect(types(filed.id)).not.toContain('response_submitted');
  });
});
