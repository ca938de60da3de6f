// ERC-792 arbitrable contracts a merchant operates (issue 13 #8). The first record bound to a
// dispute decides it, so a merchant may file `onchainDispute` only for a contract the operator tied
// to it: merchant B naming merchant A's arbitrable (or any contract not tied to B) is refused at
// filing, 422 naming /onchainDispute/arbitrable, with nothing written. The operator (admin) ties and
// unties contracts, one merchant per contract, each change with its webhook row in one transaction.
// The pipeline side (binding on a real chain) is test/integration/pipeline/erc792.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords, variant } from '../../support/case-fixtures.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const admin = () => as(t.adminToken);
async function merchant(name: string): Promise<{ id: string; apiKey: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: admin(), payload: { name } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const tie = (merchantId: string, address: string, payload?: object) =>
  t.app.inject({ method: 'PUT', url: `/v1/merchants/${merchantId}/arbitrables/${address}`, headers: admin(), ...(payload ? { payload } : {}) });
const disputeRecord = (arbitrable: string, disputeId = '7') => variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable, disputeId }));
const file = (key: string, record: unknown) => t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(key), payload: record as object });
const caseCount = () => (t.app.db.$client.prepare('select count(*) as n from cases').get() as { n: number }).n;
const outbox = (merchantId: string) =>
  (t.app.db.$client.prepare("select event_type as type, case_id as caseId, payload from webhook_outbox where merchant_id = ? and event_type like 'merchant.arbitrable%' order by id").all(merchantId) as { type: string; caseId: string | null; payload: string }[]).map(
    (r) => ({ type: r.type, caseId: r.caseId, data: (JSON.parse(r.payload) as { data: unknown }).data }),
  );

describe('merchant arbitrables (ERC-792)', () => {
  it('merchant B cannot bind merchant A\'s dispute: 422 naming /onchainDispute/arbitrable, nothing filed; A can', async () => {
    const a = await merchant('A Escrow Co');
    const b = await merchant('B Mallory Ltd');
    const arbitrableA = Wallet.createRandom().address; // mixed case: ties and checks ignore case
    expect((await tie(a.id, arbitrableA)).statusCode).toBe(201);

    const before = caseCount();
    const attack = await file(b.apiKey, disputeRecord(arbitrableA));
    expect(attack.statusCode, attack.body).toBe(422);
    expect(attack.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = attack.json();
    expect(problem).toMatchObject({ type: '/problems/arbitrable-not-yours', status: 422, instance: '/v1/cases' });
    expect(problem.errors).toEqual([{ pointer: '/onchainDispute/arbitrable', message: expect.stringContaining(arbitrableA.toLowerCase()) }]);
    // Naming itself as respondent changes nothing; nor does a contract nobody operates.
    const asRespondent = await file(b.apiKey, variant(disputeRecord(arbitrableA), (d) => void (d.respondent = { merchantId: b.id })));
    expect(asRespondent.statusCode).toBe(422);
    expect((await file(b.apiKey, disputeRecord(Wallet.createRandom().address))).statusCode).toBe(422);
    expect(caseCount()).toBe(before);

    // A files its own dispute; the address may be written in any case.
    const own = await file(a.apiKey, disputeRecord(arbitrableA.toUpperCase().replace('0X', '0x')));
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().merchantId).toBe(a.id);
    // A merchant's case without onchainDispute is not affected.
    expect((await file(b.apiKey, validRecords.eu261Delay)).statusCode).toBe(201);
    // The operator itself may file for any dispute (it answers for its filings).
    expect((await t.app.inject({ method: 'POST', url: '/v1/cases', headers: admin(), payload: disputeRecord(arbitrableA) as object })).statusCode).toBe(201);
  });

  it('the admin ties a contract to one merchant (409 for another), the merchant lists it, untying refuses later filings', async () => {
    const a = await merchant('Tie A');
    const b = await merchant('Tie B');
    const address = Wallet.createRandom().address;
    const lower = address.toLowerCase();

    const added = await tie(a.id, address, { note: 'owner() signed the request' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toEqual({ object: 'arbitrable', address: lower, merchantId: a.id, addedBy: 'admin', note: 'owner() signed the request', createdAt: expect.any(String) });
    expect((await tie(a.id, lower)).statusCode).toBe(200); // already tied: unchanged, no second event

    const taken = await tie(b.id, address);
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ type: '/problems/arbitrable-taken', errors: [{ pointer: '/address', message: 'is operated by another merchant' }] });

    const mine = await t.app.inject({ url: '/v1/merchants/me/arbitrables', headers: as(a.apiKey) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ object: 'list', data: [{ address: lower, merchantId: a.id }] });
    expect((await t.app.inject({ url: '/v1/merchants/me/arbitrables', headers: as(b.apiKey) })).json().data).toEqual([]);
    expect((await t.app.inject({ url: `/v1/merchants/${a.id}/arbitrables`, headers: admin() })).json().data).toHaveLength(1);

    // Only the admin ties, unties or lists another's: a merchant cannot tie a contract to itself.
    expect((await t.app.inject({ method: 'PUT', url: `/v1/merchants/${b.id}/arbitrables/${Wallet.createRandom().address}`, headers: as(b.apiKey) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/merchants/${a.id}/arbitrables/${address}`, headers: as(b.apiKey) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/v1/merchants/${a.id}/arbitrables`, headers: as(b.apiKey) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/merchants/me/arbitrables' })).statusCode).toBe(401);
    // Bad input names the field; an unknown merchant is a 404.
    const bad = await t.app.inject({ method: 'PUT', url: `/v1/merchants/${a.id}/arbitrables/0x1234`, headers: admin() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].pointer).toBe('/address');
    expect((await tie('mch_nope', Wallet.createRandom().address)).statusCode).toBe(404);

    expect((await file(a.apiKey, disputeRecord(address))).statusCode).toBe(201);
    const untie = await t.app.inject({ method: 'DELETE', url: `/v1/merchants/${a.id}/arbitrables/${address}`, headers: admin() });
    expect(untie.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/merchants/${a.id}/arbitrables/${address}`, headers: admin() })).statusCode).toBe(404);
    expect((await file(a.apiKey, disputeRecord(address))).statusCode).toBe(422);
    // Free again: the operator may now tie it to B.
    expect((await tie(b.id, address)).statusCode).toBe(201);

    // Each change wrote the merchant's webhook row (no case), once.
    expect(outbox(a.id)).toEqual([
      { type: 'merchant.arbitrable_added', caseId: null, data: { merchantId: a.id, arbitrable: lower, actor: 'admin' } },
      { type: 'merchant.arbitrable_removed', caseId: null, data: { merchantId: a.id, arbitrable: lower, actor: 'admin' } },
    ]);
    expect(outbox(b.id).map((e) => e.type)).toEqual(['merchant.arbitrable_added']);
  });

  it('ties a contract and writes its webhook row in one transaction: no row, no tie', async () => {
    const a = await merchant('Atomic A');
    const address = Wallet.createRandom().address;
    const db = t.app.db.$client;
    db.exec("create trigger tidy_refuse_arbitrable_outbox before insert on webhook_outbox when new.event_type = 'merchant.arbitrable_added' begin select raise(abort, 'outbox refused'); end");
    try {
      expect((await tie(a.id, address)).statusCode).toBe(500);
    } finally {
      db.exec('drop trigger tidy_refuse_arbitrable_outbox');
    }
    expect((await t.app.inject({ url: '/v1/merchants/me/arbitrables', headers: as(a.apiKey) })).json().data).toEqual([]);
    expect((await file(a.apiKey, disputeRecord(address))).statusCode).toBe(422);
  });
});
