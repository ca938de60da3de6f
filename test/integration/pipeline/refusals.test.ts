// The refusals nobody else drives (issue 13), on a real anvil: the registrar's keeper ends a
// level-2 appeal no arbitrator ruled on by its deadline (Arbitration.refuseCase: the case ends
// refused, the bond back to the appellant, the deposit released to the respondent) and refuses an
// ERC-792 dispute whose input nobody bound within the front's input window
// (ArbitratorFront.refuseUnbound: ruling 0). The refused case reaches `rejected` through the cases
// state machine (refuseUnruled) with one timeline event and one outbox row; the jobs are safe to
// run twice, and a bound dispute is never refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { AbiCoder, type Contract } from 'ethers';
import { readTimeline } from '../../../server/cases/timeline.js';
import { CaseStatus, DisputeState } from '../../../server/chain/contracts.js';
import { chainEvents, webhookOutbox } from '../../../server/db/schema.js';
import { createCaseTransitions } from '../../../server/cases/transitions.js';
import { createFolder } from '../../../server/pipeline/fold.js';
import { JOB_DEFAULTS, PIPELINE_QUEUE } from '../../../server/pipeline/jobs.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { deployTestContract } from '../contracts/chain-fixture.js';
import { freshWallet, startPipelineFixture, until, type PipelineFixture } from './pipeline-fixture.js';
import { mined } from '../../../server/chain/mined.js';

const ARBITRATOR_WINDOW = 300;
const INPUT_WINDOW = 600;
let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture({ config: { arbitratorWindow: ARBITRATOR_WINDOW, inputWindow: INPUT_WINDOW } });
}, 120_000);
afterAll(async () => f?.stop());

/**
 * Runs job `name` once more under a fresh id; returns what it returned once completed, or
 * 'waiting' once it put itself back to wait for its deadline (then removed).
 */
async function runAgain(name: string, data: Record<string, string>): Promise<unknown> {
  const queue = f.queues.get(PIPELINE_QUEUE, { defaultJobOptions: JOB_DEFAULTS });
  const job = await queue.add(name, data, { jobId: `again-${name}-${Date.now()}` });
  let value: unknown;
  await until(
    async () => {
      // The state first, then the job: a job read first and found completed by the state read
      // after it carried no return value yet (it completed between the two reads).
      const state = await queue.getJobState(job.id!);
      const j = await queue.getJob(job.id!);
      if (state === 'delayed' && j!.attemptsStarted > 0 && !j!.failedReason) {
        value = 'waiting';
        await j!.remove();
        return true;
      }
      if (state !== 'completed') return false;
      value = j!.returnvalue;
      return true;
    },
    () => `job ${job.id} to complete`,
    60_000,
  );
  return value;
}

describe('pipeline › refusals the keeper drives', { timeout: 400_000 }, () => {
  it('a level-2 appeal nobody rules on ends refused: bond back to the appellant, deposit released to the respondent', async () => {
    const filed = await f.file(variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = freshWallet())));
    const auth = { authorization: `Bearer ${filed.accessToken}` };
    await f.waitFor(filed.id, 'proposed');
    expect((await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/appeal`, headers: auth })).statusCode).toBe(202);
    await f.waitFor(filed.id, 're-executing');
    await f.waitFor(filed.id, 'proposed', 180_000);
    expect((await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/appeal`, headers: auth })).statusCode).toBe(202);
    await f.waitFor(filed.id, 'appealed');
    const p = f.pipeline.store.byCase(filed.id)!;
    expect((await f.pipeline.port.getCase(p.chainCaseId)).status).toBe(CaseStatus.AwaitingArbitrator);
    const { appellant, deadline } = await f.pipeline.port.referral(p.chainCaseId);
    expect(appellant).toBe((await f.chain.registrar.getAddress()).toLowerCase()); // the embedded chain's dev payer
    const reservedBefore = (await f.pipeline.port.escrowAccount(p.respondent)).reserved;
    const balanceBefore = (await f.pipeline.port.escrowAccount(p.respondent)).balance;

    // Before the deadline the keeper waits: the case is still awaiting its arbitrator.
    expect(await runAgain('refuse', { chainCaseId: p.chainCaseId })).toBe('waiting');
    expect((await f.pipeline.port.getCase(p.chainCaseId)).status).toBe(CaseStatus.AwaitingArbitrator);
    expect(deadline).toBeGreaterThan(await f.pipeline.port.now());

    await f.advance(ARBITRATOR_WINDOW + 1);
    await f.waitFor(filed.id, 'rejected', 120_000);
    expect((await f.pipeline.port.getCase(p.chainCaseId)).status).toBe(CaseStatus.Settled);

    // What the contract did: the bond went back to the appellant, the deposit was released.
    const refused = f.pipeline.store.eventsOfCase(p.chainCaseId).filter((e) => e.name === 'CaseRefused');
    expect(refused).toHaveLength(1);
    const args = JSON.parse(refused[0].args) as { appellant: string; bondRefund: string; depositRefund: string };
    expect(args.appellant.toLowerCase()).toBe(appellant);
    expect(args.bondRefund).toBe(String(f.chain.deployment.config.appealBond2));
    expect(args.depositRefund).toBe(p.deposit);
    const receipt = (await f.fx.provider.getTransactionReceipt(refused[0].txHash))!;
    const gas = receipt.from.toLowerCase() === appellant ? receipt.gasUsed * receipt.gasPrice : 0n;
    const delta = (await f.fx.provider.getBalance(appellant, receipt.blockNumber)) - (await f.fx.provider.getBalance(appellant, receipt.blockNumber - 1));
    expect(delta).toBe(BigInt(f.chain.deployment.config.appealBond2) - gas);
    const after = await f.pipeline.port.escrowAccount(p.respondent);
    expect(after.reserved).toBe(reservedBefore - BigInt(p.deposit));
    expect(after.balance).toBe(balanceBefore);

    // Through the state machine: one timeline event and one webhook row, in one transaction.
    const timeline = readTimeline(f.t.app.db, filed.id);
    expect(timeline.filter((e) => e.type === 'refused')).toHaveLength(1);
    expect(timeline.at(-1)).toMatchObject({ type: 'refused', fromStatus: 'appealed', toStatus: 'rejected' });
    expect(timeline.at(-1)!.data).toMatchObject({ bondRefund: args.bondRefund, depositRefund: p.deposit, tx: refused[0].txHash });
    const outbox = f.t.app.db.select().from(webhookOutbox).where(eq(webhookOutbox.caseId, filed.id)).all();
    expect(outbox.filter((o) => o.eventType === 'case.refused')).toHaveLength(1);

    // Safe to run twice: a second run finds nothing to refuse and changes nothing.
    expect(await runAgain('refuse', { chainCaseId: p.chainCaseId })).toEqual({ refused: 'not awaiting an arbitrator' });
    expect(readTimeline(f.t.app.db, filed.id)).toHaveLength(timeline.length);
  }, 400_000);

  it('an ERC-792 dispute nobody binds is refused with ruling 0; a bound one is decided, not refused', async () => {
    const arbitrable: Contract = await deployTestContract('MockArbitrable', f.fx.wallets[7], [f.chain.deployment.addresses.front]);
    const eu = f.pipeline.models.byJurisdiction('EU261')!;
    const extra = AbiCoder.defaultAbiCoder().encode(['bytes32'], [eu.modelId]);
    const cost: bigint = await f.chain.contracts.front.arbitrationCost(extra);
    const raise = async () => {
      await mined(await arbitrable.connect(f.fx.wallets[7]).getFunction('open')(extra, { value: cost }), f.fx.provider);
      return ((await f.chain.contracts.front.disputeCount()) as bigint) - 1n;
    };
    const unbound = await raise();
    const bound = await raise();
    const record = variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: String(arbitrable.target), disputeId: bound.toString() }));
    const res = await f.t.app.inject({ method: 'POST', url: '/v1/cases', headers: { authorization: `Bearer ${f.t.adminToken}` }, payload: record });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json() as { id: string };
    await f.waitFor(id, 'proposed');
    // Within the window nothing is refused.
    expect((await f.pipeline.port.dispute(unbound)).state).toBe(DisputeState.AwaitingInput);

    await f.advance(INPUT_WINDOW + 1);
    await until(async () => Boolean(await arbitrable.ruled(unbound)), () => `dispute ${unbound} refused; log:\n${f.log.slice(-20).join('\n')}`, 120_000);
    expect(await arbitrable.rulings(unbound)).toBe(0n);
    expect((await f.pipeline.port.dispute(unbound)).state).toBe(DisputeState.Ruled);
    await until(
      () => hasFolded('DisputeRefused', unbound),
      () => 'the DisputeRefused event folded',
      60_000,
    );
    // The bound dispute's case was decided as usual and its arbitrable got the claimant's ruling.
    await f.waitFor(id, 'paid');
    await until(async () => Boolean(await arbitrable.ruled(bound)), () => `dispute ${bound} ruled`, 120_000);
    expect(await arbitrable.rulings(bound)).toBe(1n);
    expect(await runAgain('unbound', { disputeId: bound.toString() })).toEqual({ unbound: 'bound or ruled' });
    expect(await runAgain('unbound', { disputeId: unbound.toString() })).toEqual({ unbound: 'bound or ruled' });
  }, 400_000);

  it('an ERC-792 case appealed to level 2 by its arbitrable and never ruled on ends refused: ruling 0, the bond back to the arbitrable', async () => {
    const arbitrable: Contract = await deployTestContract('MockArbitrable', f.fx.wallets[6], [f.chain.deployment.addresses.front]);
    const eu = f.pipeline.models.byJurisdiction('EU261')!;
    const extra = AbiCoder.defaultAbiCoder().encode(['bytes32'], [eu.modelId]);
    const cost: bigint = await f.chain.contracts.front.arbitrationCost(extra);
    await mined(await arbitrable.connect(f.fx.wallets[6]).getFunction('open')(extra, { value: cost }), f.fx.provider);
    const disputeId = ((await f.chain.contracts.front.disputeCount()) as bigint) - 1n;
    const record = variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: String(arbitrable.target), disputeId: disputeId.toString() }));
    const res = await f.t.app.inject({ method: 'POST', url: '/v1/cases', headers: { authorization: `Bearer ${f.t.adminToken}` }, payload: record });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json() as { id: string };
    const appeal = async () => {
      const bond: bigint = await f.chain.contracts.front.appealCost(disputeId, '0x');
      await mined(await arbitrable.connect(f.fx.wallets[6]).getFunction('appeal')(disputeId, { value: bond }), f.fx.provider);
    };
    await f.waitFor(id, 'proposed');
    await appeal();
    await f.waitFor(id, 're-executing');
    await f.waitFor(id, 'proposed', 180_000);
    await appeal();
    await f.waitFor(id, 'appealed');
    const p = f.pipeline.store.byCase(id)!;
    expect((await f.pipeline.port.getCase(p.chainCaseId)).status).toBe(CaseStatus.AwaitingArbitrator);

    await f.advance(ARBITRATOR_WINDOW + 1);
    await f.waitFor(id, 'rejected', 120_000);
    await until(async () => Boolean(await arbitrable.ruled(disputeId)), () => `dispute ${disputeId} ruled`, 60_000);
    expect(await arbitrable.rulings(disputeId)).toBe(0n);
    const refused = f.pipeline.store.eventsOfCase(p.chainCaseId).filter((e) => e.name === 'CaseRefused');
    expect(refused).toHaveLength(1);
    const args = JSON.parse(refused[0].args) as { appellant: string; bondRefund: string };
    expect(args.appellant.toLowerCase()).toBe(f.chain.deployment.addresses.front.toLowerCase());
    expect(args.bondRefund).toBe(String(f.chain.deployment.config.appealBond2));
    // The front passes the bond on to the arbitrable that paid it, in the refusal's transaction.
    const block = (await f.fx.provider.getTransactionReceipt(refused[0].txHash))!.blockNumber;
    const target = String(arbitrable.target);
    expect((await f.fx.provider.getBalance(target, block)) - (await f.fx.provider.getBalance(target, block - 1))).toBe(BigInt(args.bondRefund));
    expect(readTimeline(f.t.app.db, id).filter((e) => e.type === 'refused')).toHaveLength(1);
  }, 400_000);

  it('fold › a case still filed for a dispute refused unbound is rejected naming the dispute, once, with its outbox row', async () => {
    // The pipeline stopped, so the case stays filed (nobody binds it) while the event is folded.
    await f.pipeline.stop();
    try {
      const record = variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: f.fx.addresses[7], disputeId: '77' }));
      const res = await f.t.app.inject({ method: 'POST', url: '/v1/cases', headers: { authorization: `Bearer ${f.t.adminToken}` }, payload: record });
      expect(res.statusCode, res.body).toBe(201);
      const { id } = res.json() as { id: string };
      const other = await f.file(variant(validRecords.eu261Delay, (d) => void (d.narrative = 'names no dispute')));
      const fold = createFolder({
        db: f.t.app.db,
        store: f.pipeline.store,
        transitions: createCaseTransitions({ db: f.t.app.db }),
        models: f.pipeline.models,
        queue: (name) => f.queues.get(name, { defaultJobOptions: JOB_DEFAULTS }),
        front: f.chain.deployment.addresses.front,
      });
      const event = { source: 'front' as const, name: 'DisputeRefused', args: { disputeId: 77n, feeRefund: 5n, sent: true }, blockNumber: 1, transactionHash: `0x${'ef'.repeat(32)}`, logIndex: 3 };
      await fold(event);
      await fold(event);
      expect(f.status(id)).toBe('rejected');
      expect(f.status(other.id)).toBe('filed');
      const rejected = readTimeline(f.t.app.db, id).filter((e) => e.type === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].data).toMatchObject({ field: '/onchainDispute/disputeId', disputeId: '77', feeRefund: '5' });
      const outbox = f.t.app.db.select().from(webhookOutbox).where(eq(webhookOutbox.caseId, id)).all();
      expect(outbox.filter((o) => o.eventType === 'case.rejected')).toHaveLength(1);
    } finally {
      await f.restart();
    }
  }, 120_000);
});

function hasFolded(name: string, disputeId: bigint): boolean {
  const rows = f.t.app.db.select().from(chainEvents).where(eq(chainEvents.name, name)).all();
  return rows.some((r) => (JSON.parse(r.args) as { disputeId: string }).disputeId === disputeId.toString());
}
