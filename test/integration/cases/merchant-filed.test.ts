// Issue 9, Medium 6: a merchant that files a case is its respondent; it must never hold the
// claimant's token nor act as the claimant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('a case filed by a merchant', () => {
  it('gives the merchant no claimant token, refuses its withdrawal, and lets the admin issue the claimant theirs', async () => {
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Files itself' }, headers: admin })).json();
    const merchant = { authorization: `Bearer ${m.apiKey}` };
    const filed = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.visaFraud, headers: merchant });
    expect(filed.statusCode).toBe(201);
    const c = filed.json();
    expect(c.accessToken).toBeNull();
    expect(c.merchantId).toBe(m.id);

    const asMerchant = await t.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/withdraw`, headers: merchant });
    expect(asMerchant.statusCode).toBe(403);

    expect((await t.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/claimant-token`, headers: merchant })).statusCode).toBe(403);
    const issued = await t.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/claimant-token`, headers: admin });
    expect(issued.statusCode).toBe(201);
    const claimant = { authorization: `Bearer ${issued.json().accessToken}` };
    const hidden = await t.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/withdraw`, payload: { reason: 'paid \u202e0001' }, headers: claimant });
    expect(hidden.json().errors).toEqual([{ pointer: '/reason', message: expect.stringMatching(/direction control/) }]);
    const withdrawn = await t.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/withdraw`, payload: { reason: 'settled' }, headers: claimant });
    expect(withdrawn.statusCode).toBe(200);
    const timeline = (await t.app.inject({ url: `/v1/cases/${c.id}/timeline`, headers: merchant })).json();
    expect(timeline.data.map((e: { type: string; actor: string }) => `${e.type} by ${e.actor}`)).toEqual([
      `filed by merchant:${m.id}`,
      `withdrawn by claimant:${c.id}`,
    ]);
  });

  it('still gives an anonymous filer (the portal) the claimant token', async () => {
    const filed = (await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay })).json();
    expect(filed.accessToken).toMatch(/^ct_/);
  });
});
