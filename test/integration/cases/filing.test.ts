import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from 'json-canonicalize';
import { keccak256, toUtf8Bytes } from 'ethers';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords, withField, withoutField } from '../../support/case-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const file = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/v1/cases', payload: payload as object, headers });

describe('POST /v1/cases', () => {
  it('files a valid record of every jurisdiction and answers 201 with id, status, recordHash and accessToken', async () => {
    const jurisdictions = new Set<string>();
    for (const [name, record] of Object.entries(validRecords)) {
      const res = await file(record);
      expect(res.statusCode, name).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ object: 'case', status: 'filed', kind: record.kind, jurisdiction: record.jurisdiction, record });
      expect(body.id).toMatch(/^cs_/);
      expect(body.accessToken).toMatch(/^ct_/);
      expect(body.recordHash).toBe(keccak256(toUtf8Bytes(canonicalize(record))));
      expect(Date.parse(body.createdAt)).not.toBeNaN();
      jurisdictions.add(record.jurisdiction);
    }
    expect([...jurisdictions].sort()).toEqual(['EU261', 'MASTERCARD', 'UK261', 'US_DOT_REFUND', 'VISA']);
  });

  it('answers with the same case GET /v1/cases/:id then shows, plus the access token', async () => {
    for (const record of [validRecords.eu261Delay, validRecords.visaFraud]) {
      const res = await file(record);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const filed = res.json();
      const read = await t.app.inject({ url: `/v1/cases/${filed.id}`, headers: { authorization: `Bearer ${filed.accessToken}` } });
      expect(filed).toEqual({ ...read.json(), accessToken: filed.accessToken });
      expect(filed.record).toEqual(record);
    }
  });

  it('stores the record as its canonical JSON, so the stored text hashes to recordHash', async () => {
    const { id, recordHash } = (await file(validRecords.mastercardNotProvided)).json();
    const row = t.app.db.$client.prepare('select record from cases where id = ?').get(id) as { record: string };
    expect(row.record).toBe(canonicalize(validRecords.mastercardNotProvided));
    expect(keccak256(toUtf8Bytes(row.record))).toBe(recordHash);
  });

  it('writes the filed event to the timeline and a case.filed row to the webhook outbox', async () => {
    const { id, accessToken } = (await file(validRecords.visaFraud)).json();
    const timeline = await t.app.inject({ url: `/v1/cases/${id}/timeline`, headers: { authorization: `Bearer ${accessToken}` } });
    expect(timeline.json().data).toMatchObject([{ type: 'filed', fromStatus: null, toStatus: 'filed', actor: 'anonymous' }]);
    const outbox = t.app.db.$client.prepare('select event_type, status from webhook_outbox where case_id = ?').all(id);
    expect(outbox).toEqual([{ event_type: 'case.filed', status: 'pending' }]);
  });

  it.each([
    ['an unknown top-level field', withField(validRecords.eu261Delay, '/seat', '12A'), '/seat'],
    ['an unknown nested field', withField(validRecords.eu261Delay, '/flight/gate', 'B12'), '/flight/gate'],
    ['a missing required field', withoutField(validRecords.eu261Delay, '/claimant/email'), '/claimant/email'],
    ['an unknown airport', withField(validRecords.eu261Delay, '/flight/itinerary/0/from', 'QQQ'), '/flight/itinerary/0/from'],
    ['an unknown airline', withField(validRecords.eu261Delay, '/flight/operatingCarrier', '0Z'), '/flight/operatingCarrier'],
    ['an unknown currency', withField(validRecords.visaFraud, '/chargeback/amount/currency', 'XYZ'), '/chargeback/amount/currency'],
    ['a time without offset', withField(validRecords.eu261Delay, '/flight/scheduledArrival', '2026-03-01T12:45:00'), '/flight/scheduledArrival'],
    ['arrival before departure', withField(validRecords.eu261Delay, '/flight/actualArrival', '2026-02-28T01:00:00-05:00'), '/flight/actualArrival'],
    ['a jurisdiction of the other kind', withField(validRecords.eu261Delay, '/jurisdiction', 'VISA'), '/jurisdiction'],
    ['both flight and chargeback', withField(validRecords.eu261Delay, '/chargeback', validRecords.visaFraud.chargeback), '/chargeback'],
    ['a wrong type', withField(validRecords.eu261Delay, '/flight/flightNumbers', 'LH400'), '/flight/flightNumbers'],
    ['an unknown merchantId', withField(validRecords.eu261Delay, '/respondent', { merchantId: 'mch_nobody' }), '/respondent/merchantId'],
  ])('rejects %s with 400 problem+json naming the field', async (_what, payload, pointer) => {
    const res = await file(payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ type: '/problems/validation-failed', status: 400, title: expect.any(String) });
    expect(body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    for (const e of body.errors) expect(typeof e.message).toBe('string');
  });

  it('rejects a body that is not JSON with a 400 problem naming the whole document', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: '{"kind":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors).toEqual([{ pointer: '', message: expect.stringContaining('not valid JSON') }]);
  });

  it('stores nothing when a record is rejected', async () => {
    const before = t.app.db.$client.prepare('select count(*) as n from cases').get() as { n: number };
    await file(withField(validRecords.eu261Delay, '/flight/gate', 'B12'));
    const after = t.app.db.$client.prepare('select count(*) as n from cases').get() as { n: number };
    expect(after.n).toBe(before.n);
  });
});

describe('filing with a merchant', () => {
  it('gives the case to the merchant it names, and lets a merchant file only in its own name', async () => {
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const m1 = (await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Shop One' }, headers: admin })).json();
    const m2 = (await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Shop Two' }, headers: admin })).json();
    const naming = (id: string) => withField(validRecords.visaFraud, '/respondent', { merchantId: id });

    const anonymous = await file(naming(m1.id));
    expect(anonymous.statusCode).toBe(201);
    expect(anonymous.json().merchantId).toBe(m1.id);

    const asOther = await file(naming(m1.id), { authorization: `Bearer ${m2.apiKey}` });
    expect(asOther.statusCode).toBe(400);
    expect(asOther.json().errors).toEqual([{ pointer: '/respondent/merchantId', message: expect.any(String) }]);

    const asSelf = await file(naming(m2.id), { authorization: `Bearer ${m2.apiKey}` });
    expect(asSelf.statusCode).toBe(201);
    expect(asSelf.json().merchantId).toBe(m2.id);

    const unnamed = await file(validRecords.visaFraud, { authorization: `Bearer ${m2.apiKey}` });
    expect(unnamed.json().merchantId).toBe(m2.id);
  });
});

describe('POST /v1/cases with a body that is not JSON', () => {
  it('answers 400 problem+json naming the whole document', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: 'kind=flight', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors).toEqual([{ pointer: '', message: expect.stringContaining('JSON') }]);
  });

  it('answers 400 naming the document when the body is missing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/cases' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('');
  });
});
