// The merchant's escrow routes (issue 11 #3): naming the account takes a signature from it, the
// deposit answers with the transaction to sign (and, on the embedded chain, queues the dev
// funder's deposit), bad amounts are problem+json naming /amount, and only the merchant's own
// API key reaches its escrow. The balances themselves come from folded chain events: the
// pipeline test (test/integration/pipeline/escrow.test.ts) covers them on a real chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Interface, Wallet } from 'ethers';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../../support/app.js';
import { writeDeployment, type Deployment } from '../../../server/chain/deploy.js';
import { loadArtifact } from '../../../server/chain/artifacts.js';
import { accountMessage } from '../../../server/merchants/escrow.js';
import { PIPELINE_QUEUE } from '../../../server/pipeline/jobs.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const ESCROW = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const deployment = {
  chainId: '31337',
  deployer: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
  block: 1,
  addresses: { oneStep: ESCROW, registry: ESCROW, staking: ESCROW, arbitration: ESCROW, disputes: ESCROW, front: ESCROW, escrow: ESCROW, game: ESCROW },
  config: {},
} as unknown as Deployment;
const iface = new Interface(loadArtifact('ArbiterEscrow').abi);

let embedded: TestApp;
let external: TestApp;
let redis: Redis;

beforeAll(async () => {
  embedded = await startTestApp();
  // CHAIN_RPC_URL set: an external chain, where the merchant signs its own deposit.
  external = await startTestApp({ env: { CHAIN_RPC_URL: 'http://127.0.0.1:9' } });
  for (const t of [embedded, external]) {
    mkdirSync(join(t.dataDir, 'chain'), { recursive: true });
    writeDeployment(join(t.dataDir, 'chain', 'deployment.json'), deployment);
  }
  redis = new Redis(embedded.config.redisUrl, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis?.disconnect();
  await embedded?.close();
  await external?.close();
});

async function merchant(t: TestApp, name: string) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name } });
  return res.json<{ id: string; apiKey: string }>();
}

async function nameAccount(t: TestApp, m: { id: string; apiKey: string }, wallet = Wallet.createRandom()) {
  const signature = await wallet.signMessage(accountMessage(m.id, wallet.address));
  const res = await t.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: as(m.apiKey), payload: { address: wallet.address, signature } });
  return { res, wallet };
}

describe('PUT /v1/merchants/me/escrow/account', () => {
  it('names the account only with a signature from that account', async () => {
    const m = await merchant(embedded, 'Sign Air');
    const wallet = Wallet.createRandom();
    // Attack: pointing one's cases at someone else's escrow (here, a stranger's address) without its key.
    const stranger = Wallet.createRandom();
    const forged = await stranger.signMessage(accountMessage(m.id, wallet.address));
    const bad = await embedded.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: as(m.apiKey), payload: { address: wallet.address, signature: forged } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.json().errors[0].pointer).toBe('/signature');
    // A signature for another merchant's message does not carry over either.
    const other = await merchant(embedded, 'Other Air');
    const replayed = await wallet.signMessage(accountMessage(other.id, wallet.address));
    const r2 = await embedded.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: as(m.apiKey), payload: { address: wallet.address, signature: replayed } });
    expect(r2.json().errors[0].pointer).toBe('/signature');
    const junk = await embedded.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: as(m.apiKey), payload: { address: wallet.address, signature: '0x1234' } });
    expect(junk.json().errors[0].pointer).toBe('/signature');
    const noAddress = await embedded.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: as(m.apiKey), payload: { address: '0x12', signature: forged } });
    expect(noAddress.json().errors[0].pointer).toBe('/address');

    const { res } = await nameAccount(embedded, m, wallet);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ object: 'escrow', account: wallet.address.toLowerCase(), contract: ESCROW, chainId: '31337', balance: '0', reserved: '0', free: '0', cases: [] });
  });

  it('writes merchant.escrow_account_named to the outbox in the same transaction as the change (and nothing on a refusal)', async () => {
    const m = await merchant(embedded, 'Outbox Air');
    const rows = () =>
      embedded.app.db.$client
        .prepare("select case_id as caseId, merchant_id as merchantId, event_type as eventType, payload from webhook_outbox where merchant_id = ? and event_type like 'merchant.%' order by id")
        .all(m.id) as { caseId: string | null; merchantId: string; eventType: string; payload: string }[];
    const stranger = Wallet.createRandom();
    const refused = await embedded.app.inject({
      method: 'PUT',
      url: '/v1/merchants/me/escrow/account',
      headers: as(m.apiKey),
      payload: { address: Wallet.createRandom().address, signature: await stranger.signMessage('x') },
    });
    expect(refused.statusCode).toBe(400);
    expect(rows()).toEqual([]);

    const first = await nameAccount(embedded, m);
    expect(first.res.statusCode, first.res.body).toBe(200);
    const second = await nameAccount(embedded, m);
    expect(second.res.statusCode, second.res.body).toBe(200);
    const events = rows();
    expect(events.map((e) => [e.eventType, e.caseId, e.merchantId])).toEqual([
      ['merchant.escrow_account_named', null, m.id],
      ['merchant.escrow_account_named', null, m.id],
    ]);
    const data = events.map((e) => (JSON.parse(e.payload) as { data: Record<string, unknown> }).data);
    expect(data[0]).toEqual({ merchantId: m.id, account: first.wallet.address.toLowerCase(), previousAccount: null, actor: `merchant:${m.id}` });
    expect(data[1]).toEqual({ merchantId: m.id, account: second.wallet.address.toLowerCase(), previousAccount: first.wallet.address.toLowerCase(), actor: `merchant:${m.id}` });

    // One transaction: when the outbox row cannot be written, the account does not change either.
    const db = embedded.app.db.$client;
    db.exec("create trigger tidy_refuse_outbox before insert on webhook_outbox when new.event_type = 'merchant.escrow_account_named' begin select raise(abort, 'outbox refused'); end");
    try {
      const third = await nameAccount(embedded, m);
      expect(third.res.statusCode).toBe(500);
    } finally {
      db.exec('drop trigger tidy_refuse_outbox');
    }
    expect((await embedded.app.inject({ url: '/v1/merchants/me/escrow', headers: as(m.apiKey) })).json().account).toBe(second.wallet.address.toLowerCase());
    expect(rows()).toHaveLength(2);
  });

  it('only the merchant\'s own API key reaches its escrow', async () => {
    const m = await merchant(embedded, 'Auth Air');
    for (const [method, url, payload] of [
      ['GET', '/v1/merchants/me/escrow', undefined],
      ['PUT', '/v1/merchants/me/escrow/account', { address: ESCROW, signature: '0x00' }],
      ['POST', '/v1/merchants/me/escrow/deposits', { amount: '1' }],
    ] as const) {
      expect((await embedded.app.inject({ method, url, payload })).statusCode).toBe(401);
      expect((await embedded.app.inject({ method, url, payload, headers: as(embedded.adminToken) })).statusCode).toBe(403);
    }
    // Each merchant sees its own account: another merchant's key reads its own, never this one.
    const { wallet } = await nameAccount(embedded, m);
    const other = await merchant(embedded, 'Nosy Air');
    const seen = (await embedded.app.inject({ url: '/v1/merchants/me/escrow', headers: as(other.apiKey) })).json();
    expect(seen.account).toBeNull();
    expect(JSON.stringify(seen)).not.toContain(wallet.address.toLowerCase());
  });
});

describe('POST /v1/merchants/me/escrow/deposits', () => {
  it('refuses bad amounts with problem+json naming /amount', async () => {
    const m = await merchant(embedded, 'Amount Air');
    await nameAccount(embedded, m);
    for (const amount of ['0', '-5', '1.5', 'ten', '', '1e18', 1000, null, `1${'0'.repeat(30)}1`]) {
      const res = await embedded.app.inject({ method: 'POST', url: '/v1/merchants/me/escrow/deposits', headers: as(m.apiKey), payload: { amount } });
      expect(res.statusCode, `amount ${JSON.stringify(amount)}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().errors?.[0]?.pointer ?? res.json().detail, `amount ${JSON.stringify(amount)}`).toMatch(/amount/);
    }
    const missing = await embedded.app.inject({ method: 'POST', url: '/v1/merchants/me/escrow/deposits', headers: as(m.apiKey), payload: {} });
    expect(missing.statusCode).toBe(400);
  });

  it('needs a named account first', async () => {
    const m = await merchant(embedded, 'No Account Air');
    const res = await embedded.app.inject({ method: 'POST', url: '/v1/merchants/me/escrow/deposits', headers: as(m.apiKey), payload: { amount: '1000' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/escrow\/account/);
  });

  it('on the embedded chain: the transaction to sign, and the dev funder\'s deposit queued', async () => {
    const m = await merchant(embedded, 'Embedded Air');
    const { wallet } = await nameAccount(embedded, m);
    const res = await embedded.app.inject({ method: 'POST', url: '/v1/merchants/me/escrow/deposits', headers: as(m.apiKey), payload: { amount: '2500000000000000000' } });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ object: 'escrow_deposit', status: 'pending', account: wallet.address.toLowerCase(), amount: '2500000000000000000', to: ESCROW, value: '2500000000000000000', chainId: '31337' });
    expect(iface.decodeFunctionData('depositFor', body.data)[0].toLowerCase()).toBe(wallet.address.toLowerCase());
    const queue = new Queue(PIPELINE_QUEUE, { connection: redis, prefix: embedded.config.queuePrefix });
    try {
      const job = await queue.getJob(`deposit-${body.id}`);
      expect(job?.name).toBe('deposit');
      expect(job?.data).toEqual({ depositId: body.id, merchantId: m.id, account: wallet.address.toLowerCase(), amount: '2500000000000000000' });
    } finally {
      await queue.close();
    }
  });

  it('on an external chain: only the transaction for the merchant to sign, nothing sent', async () => {
    const m = await merchant(external, 'External Air');
    const { wallet } = await nameAccount(external, m);
    const res = await external.app.inject({ method: 'POST', url: '/v1/merchants/me/escrow/deposits', headers: as(m.apiKey), payload: { amount: '7' } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ object: 'escrow_deposit', status: 'to_sign', to: ESCROW, value: '7', chainId: '31337' });
    expect(body.id).toBeUndefined();
    expect(iface.decodeFunctionData('depositFor', body.data)[0].toLowerCase()).toBe(wallet.address.toLowerCase());
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await embedded.app.inject({ url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/merchants/me/escrow', '/v1/merchants/me/escrow/account', '/v1/merchants/me/escrow/deposits']));
  });
});
