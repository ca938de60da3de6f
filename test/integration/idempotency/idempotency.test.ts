import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords, withField } from '../../support/case-fixtures.js';
import { requestFingerprint } from '../../../server/idempotency/hook.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const caseCount = () => (t.app.db.$client.prepare('select count(*) as n from cases').get() as { n: number }).n;
const file = (payload: unknown, headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/v1/cases', payload: payload as object, headers });

describe('Idempotency-Key', () => {
  it('replays the first response (status and body) for the same key and body, filing once', async () => {
    const key = randomUUID();
    const before = caseCount();
    const first = await file(validRecords.eu261Delay, { 'idempotency-key': key });
    const second = await file(validRecords.eu261Delay, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(caseCount()).toBe(before + 1);
  });

  it('treats a body with the same members in another order as the same request', async () => {
    const key = randomUUID();
    const first = await file(validRecords.visaFraud, { 'idempotency-key': key });
    const reordered = Object.fromEntries(Object.entries(validRecords.visaFraud).reverse());
    const second = await file(reordered, { 'idempotency-key': key });
    expect(second.body).toBe(first.body);
  });

  it('answers 409 problem+json when the same key comes with another body', async () => {
    const key = randomUUID();
    await file(validRecords.eu261Delay, { 'idempotency-key': key });
    const res = await file(validRecords.uk261Delay, { 'idempotency-key': key });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().type).toBe('/problems/idempotency-key-reused');
  });

  it('files twice without a key', async () => {
    const before = caseCount();
    await file(validRecords.eu261Delay, {});
    await file(validRecords.eu261Delay, {});
    expect(caseCount()).toBe(before + 2);
  });

  it('scopes keys per caller: the same key from another caller is a new request', async () => {
    const key = randomUUID();
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Scoped' }, headers: admin })).json();
    const anon = await file(validRecords.eu261Delay, { 'idempotency-key': key });
    const asMerchant = await file(validRecords.eu261Delay, { 'idempotency-key': key, authorization: `Bearer ${m.apiKey}` });
    expect(asMerchant.statusCode).toBe(201);
    expect(asMerchant.json().id).not.toBe(anon.json().id);
    expect(asMerchant.headers['idempotent-replayed']).toBeUndefined();
  });

  it('does not keep a validation failure: the corrected request with the same key runs', async () => {
    const key = randomUUID();
    const bad = await file(withField(validRecords.eu261Delay, '/flight/gate', 'B1'), { 'idempotency-key': key });
    expect(bad.statusCode).toBe(400);
    const good = await file(validRecords.eu261Delay, { 'idempotency-key': key });
    expect(good.statusCode).toBe(201);
  });

  it('scopes anonymous keys by client address, so one portal user cannot replay another\'s response', async () => {
    const key = randomUUID();
    const mine = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay, headers: { 'idempotency-key': key }, remoteAddress: '192.0.2.1' });
    const theirs = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay, headers: { 'idempotency-key': key }, remoteAddress: '192.0.2.2' });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().accessToken).not.toBe(mine.json().accessToken);
  });

  it('replays other POST routes too (admin creating a merchant returns the same key once)', async () => {
    const key = randomUUID();
    const headers = { authorization: `Bearer ${t.adminToken}`, 'idempotency-key': key };
    const a = await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Once' }, headers });
    const b = await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Once' }, headers });
    expect(b.json()).toEqual(a.json());
    const n = t.app.db.$client.prepare("select count(*) as n from merchants where name = 'Once'").get() as { n: number };
    expect(n.n).toBe(1);
  });

  it('counts a different path as a different request', async () => {
    const key = randomUUID();
    const filed = (await file(validRecords.eu261Delay, { 'idempotency-key': key })).json();
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/cases/${filed.id}/withdraw`,
      headers: { 'idempotency-key': key, authorization: `Bearer ${filed.accessToken}` },
    });
    // Another caller (the claimant's token), so another scope: runs normally.
    expect(res.statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/cases',
      payload: validRecords.eu261Delay,
      headers: { 'idempotency-key': key, authorization: `Bearer ${filed.accessToken}` },
    });
    expect(again.statusCode).toBe(409);
  });

  it('files once when two requests with the key race: the second waits its turn (409 in use) or gets the replay', async () => {
    const key = randomUUID();
    const before = caseCount();
    const [a, b] = await Promise.all([
      file(validRecords.eu261Delay, { 'idempotency-key': key }),
      file(validRecords.eu261Delay, { 'idempotency-key': key }),
    ]);
    const outcomes = [a, b].map((r) => `${r.statusCode}${r.headers['idempotent-replayed'] ? ' replayed' : ''}`).sort();
    expect([['201', '409'], ['201', '201 replayed']]).toContainEqual(outcomes);
    expect(caseCount()).toBe(before + 1);
    const later = await file(validRecords.eu261Delay, { 'idempotency-key': key });
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 409 in use while the first request with the key is still running', async () => {
    const key = randomUUID();
    // The first request, caught mid-flight: its claim is in progress in this live process.
    const fingerprint = await requestFingerprint({ method: 'POST', url: '/v1/cases', body: validRecords.eu261Delay } as never);
    t.services.idempotency.begin('anonymous@127.0.0.1', key, fingerprint);
    const res = await file(validRecords.eu261Delay, { 'idempotency-key': key });
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toBe('/problems/idempotency-key-in-use');
  });
});
