// Attack on the merchant escrow deposit (issue 11 #3): a merchant asking the embedded chain's dev
// funder (anvil's dev account 9, also the dev respondent whose escrow pays the demo's awards) for
// deposit after deposit until it holds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../../support/app.js';
import { writeDeployment, type Deployment } from '../../../server/chain/deploy.js';
import { accountMessage, DEV_FUNDER_ALLOWANCE_WEI } from '../../../server/merchants/escrow.js';
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

let t: TestApp;
let redis: Redis;
beforeAll(async () => {
  t = await startTestApp();
  mkdirSync(join(t.dataDir, 'chain'), { recursive: true });
  writeDeployment(join(t.dataDir, 'chain', 'deployment.json'), deployment);
  redis = new Redis(t.config.redisUrl, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis?.disconnect();
  await t?.close();
});

describe('POST /v1/merchants/me/escrow/deposits › the embedded chain\'s dev funder is not a tap', () => {
  it('sends at most DEV_FUNDER_ALLOWANCE_WEI per merchant in all; past it the merchant gets the transaction to sign itself', async () => {
    const m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name: 'Thirsty Air' } })).json<{ id: string; apiKey: string }>();
    const wallet = Wallet.createRandom();
    const named = await t.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: as(m.apiKey), payload: { address: wallet.address, signature: await wallet.signMessage(accountMessage(m.id, wallet.address)) } });
    expect(named.statusCode, named.body).toBe(200);
    const deposit = (amount: bigint) => t.app.inject({ method: 'POST', url: '/v1/merchants/me/escrow/deposits', headers: as(m.apiKey), payload: { amount: amount.toString() } });

    // One request for everything anvil's dev account 9 holds (10,000 ETH): not sent by the funder.
    const whole = await deposit(10_000n * 10n ** 18n);
    expect(whole.statusCode, whole.body).toBe(200);
    expect(whole.json()).toMatchObject({ status: 'to_sign' });
    expect(whole.json().id).toBeUndefined();

    // Many small requests: the funder sends them until the allowance is spent, then no more.
    const part = DEV_FUNDER_ALLOWANCE_WEI / 4n;
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await deposit(part);
      statuses.push(r.statusCode);
      if (r.json().id) ids.push(r.json().id);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 200, 200, 200, 200, 200, 200]);
    const queue = new Queue(PIPELINE_QUEUE, { connection: redis, prefix: t.config.queuePrefix });
    try {
      const jobs = (await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized'])).filter((j) => j.name === 'deposit' && j.data.merchantId === m.id);
      expect(jobs.map((j) => j.data.depositId).sort()).toEqual([...ids].sort());
      expect(jobs.reduce((s, j) => s + BigInt(j.data.amount), 0n)).toBe(DEV_FUNDER_ALLOWANCE_WEI);
    } finally {
      await queue.close();
    }
  });
});
