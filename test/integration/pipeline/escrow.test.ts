// Merchant escrow end to end (issue 11 #3, issue 13 #6), on a real anvil with in-process nodes:
// a merchant that named and funded its escrow account has its case's largest award reserved at
// opening and the claimant paid from it; a merchant whose account is empty has its case decided
// all the same, and the verdict, timeline, trail and webhooks say the award is owed but not
// escrowed; nothing is paid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parseEther, Wallet } from 'ethers';
import { readTimeline } from '../../../server/cases/timeline.js';
import { responseComponent } from '../../../server/cases/response-component.js';
import { webhookOutbox } from '../../../server/db/schema.js';
import type { ComponentHandle } from '../../../server/main.js';
import { accountMessage } from '../../../server/merchants/escrow.js';
import { DEV_RESPONDENT_ESCROW } from '../../../server/pipeline/bootstrap.js';
import { ESCROW_DEV_INDEX } from '../../../server/pipeline/start.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { freshWallet, startPipelineFixture, until, WINDOWS, type PipelineFixture } from './pipeline-fixture.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });

let f: PipelineFixture;
let responses: ComponentHandle;
beforeAll(async () => {
  f = await startPipelineFixture({ env: { CASE_RESPONSE_SECONDS: '2' } });
  responses = await responseComponent.start({ config: f.t.config, db: f.t.app.db, redis: f.redis, queues: f.queues, chain: f.chain, say: () => {} });
}, 120_000);
afterAll(async () => {
  await responses?.stop();
  await f?.stop();
});

interface EscrowView {
  account: string | null;
  balance: string;
  reserved: string;
  free: string;
  cases: { caseId: string; funding: string; reserved: string; deposit: string }[];
}

async function merchantWithAccount(name: string) {
  const m = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(f.t.adminToken), payload: { name } })).json<{ id: string; apiKey: string }>();
  const wallet = Wallet.createRandom();
  const signature = await wallet.signMessage(accountMessage(m.id, wallet.address));
  const res = await f.t.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: as(m.apiKey), payload: { address: wallet.address, signature } });
  expect(res.statusCode, res.body).toBe(200);
  return { ...m, wallet: wallet.address.toLowerCase() };
}

const escrowOf = async (apiKey: string) => (await f.t.app.inject({ url: '/v1/merchants/me/escrow', headers: as(apiKey) })).json<EscrowView>();
const types = (caseId: string) => readTimeline(f.t.app.db, caseId).map((e) => e.type);
const outbox = (caseId: string) => f.t.app.db.select({ type: webhookOutbox.eventType }).from(webhookOutbox).where(eq(webhookOutbox.caseId, caseId)).all().map((r) => r.type);

async function fileAs(apiKey: string, claimantWallet: string) {
  const record = variant(validRecords.visaFraud, (d) => {
    d.claimant.wallet = claimantWallet;
  });
  const res = await f.t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(apiKey), payload: record });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

describe('pipeline › merchant escrow', { timeout: 300_000 }, () => {
  it('bootstrap › the embedded dev respondent\'s escrow account is funded, once', async () => {
    const dev = await f.chain.devSigner(ESCROW_DEV_INDEX).getAddress();
    expect((await f.pipeline.port.escrowAccount(dev)).balance).toBeGreaterThanOrEqual(DEV_RESPONDENT_ESCROW - parseEther('1'));
  });

  it('a funded merchant\'s case reserves its largest award and pays the claimant from its escrow; an unfunded merchant\'s case is decided and says owed-not-escrowed', async () => {
    const funded = await merchantWithAccount('Funded Shop');
    const unfunded = await merchantWithAccount('Empty Shop');

    // The funded merchant deposits 1 ETH (on the embedded chain the dev funder sends it).
    const dep = await f.t.app.inject({ method: 'POST', url: '/v1/merchants/me/escrow/deposits', headers: as(funded.apiKey), payload: { amount: parseEther('1').toString() } });
    expect(dep.statusCode, dep.body).toBe(202);
    await until(async () => (await escrowOf(funded.apiKey)).balance === parseEther('1').toString(), () => 'the deposit to be folded', 60_000);
    expect((await f.pipeline.port.escrowAccount(funded.wallet)).balance).toBe(parseEther('1'));
    // The same deposit run again (a retried or duplicated job) sends nothing twice.
    const { id: depositId } = dep.json<{ id: string }>();
    const again = await f.pipeline.registrar.queue.add('deposit', { depositId, merchantId: funded.id, account: funded.wallet, amount: parseEther('1').toString() }, { jobId: `deposit-${depositId}-again` });
    await until(async () => (await again.getState()) === 'completed', () => 'the repeated deposit job to finish', 60_000);
    expect((await f.pipeline.registrar.queue.getJob(again.id!))!.returnvalue).toEqual({ deposited: 'already' });
    expect((await f.pipeline.port.escrowAccount(funded.wallet)).balance).toBe(parseEther('1'));

    const paidWallet = freshWallet();
    const owedWallet = freshWallet();
    const paidCase = await fileAs(funded.apiKey, paidWallet);
    const owedCase = await fileAs(unfunded.apiKey, owedWallet);
    await f.waitFor(paidCase, 'proposed');
    await f.waitFor(owedCase, 'proposed');

    // Funded: the case names the merchant's account and reserves its largest award there.
    const p = f.pipeline.store.byCase(paidCase)!;
    expect(p.respondent).toBe(funded.wallet);
    const deposit = BigInt(p.deposit);
    expect(deposit).toBeGreaterThan(0n);
    expect(await f.pipeline.port.escrowAccount(funded.wallet)).toEqual({ balance: parseEther('1'), reserved: deposit, free: parseEther('1') - deposit });
    await until(async () => (await escrowOf(funded.apiKey)).reserved === deposit.toString(), () => 'the reservation to be folded', 60_000);
    const view = await escrowOf(funded.apiKey);
    expect(view).toMatchObject({ account: funded.wallet, balance: parseEther('1').toString(), free: (parseEther('1') - deposit).toString() });
    expect(view.cases).toEqual([{ caseId: paidCase, status: 'proposed', chainCaseId: p.chainCaseId, funding: 'reserved', reserved: deposit.toString(), deposit: deposit.toString() }]);
    const proposedPaid = readTimeline(f.t.app.db, paidCase).find((e) => e.type === 'verdict_proposed')!.data as { verdict: { outcome: string; escrow: { status: string } } };
    expect(proposedPaid.verdict.outcome).toBe('claimant');
    expect(proposedPaid.verdict.escrow.status).toBe('escrowed');

    // Unfunded: decided all the same; the verdict and the timeline say owed but not escrowed.
    const q = f.pipeline.store.byCase(owedCase)!;
    expect(q.respondent).toBe(unfunded.wallet);
    expect(await f.pipeline.port.escrowAccount(unfunded.wallet)).toEqual({ balance: 0n, reserved: 0n, free: 0n });
    const proposedOwed = readTimeline(f.t.app.db, owedCase).find((e) => e.type === 'verdict_proposed')!.data as {
      verdict: { outcome: string; escrow: { status: string; deposit: string; statement: string } };
    };
    expect(proposedOwed.verdict.outcome).toBe('claimant');
    expect(proposedOwed.verdict.escrow).toMatchObject({ status: 'owed_not_escrowed', deposit: q.deposit });
    expect(proposedOwed.verdict.escrow.statement).toMatch(/owed but not escrowed/);
    expect(types(owedCase)).toContain('award_not_escrowed');
    expect((await escrowOf(unfunded.apiKey)).cases).toMatchObject([{ caseId: owedCase, funding: 'owed_not_escrowed', reserved: '0' }]);

    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(paidCase, 'paid');
    await until(() => types(owedCase).includes('award_owed'), () => `the owed award of ${owedCase} to be recorded; timeline ${types(owedCase).join(' → ')}`);

    // Funded: the claimant got the award from the reservation; the rest is free again, in the account.
    const paid = readTimeline(f.t.app.db, paidCase).find((e) => e.type === 'paid')!.data as { award: string };
    const award = BigInt(paid.award);
    expect(award).toBeGreaterThan(0n);
    expect(await f.fx.provider.getBalance(paidWallet)).toBe(award);
    expect(await f.pipeline.port.escrowAccount(funded.wallet)).toEqual({ balance: parseEther('1') - award, reserved: 0n, free: parseEther('1') - award });
    await until(async () => (await escrowOf(funded.apiKey)).reserved === '0', () => 'the release to be folded', 60_000);
    expect(await escrowOf(funded.apiKey)).toMatchObject({ balance: (parseEther('1') - award).toString(), free: (parseEther('1') - award).toString(), cases: [] });

    // Unfunded: final, not paid; nothing reached the claimant; the trail and webhooks say why.
    expect(f.status(owedCase)).toBe('final');
    expect(await f.fx.provider.getBalance(owedWallet)).toBe(0n);
    expect(types(owedCase)).toEqual(['filed', 'response_due', 'response_lapsed', 'award_not_escrowed', 'execution_started', 'verdict_proposed', 'finalized', 'award_owed']);
    expect(outbox(owedCase)).toEqual(expect.arrayContaining(['case.not_escrowed', 'payout.owed']));
    expect(outbox(owedCase)).not.toContain('payout.sent');
    expect(outbox(paidCase)).not.toContain('case.not_escrowed');
    const trail = (await f.t.app.inject({ url: `/v1/cases/${owedCase}/trail`, headers: as(unfunded.apiKey) })).json<{
      chain: { escrow: { status: string } };
      payout: { owedNotEscrowed: boolean; award: string };
    }>();
    expect(trail.chain.escrow.status).toBe('owed_not_escrowed');
    expect(trail.payout.owedNotEscrowed).toBe(true);
    expect(BigInt(trail.payout.award)).toBeGreaterThan(0n);
    expect((await escrowOf(unfunded.apiKey)).cases).toEqual([]);
  });
});
