// Issue 8 #7 through the pipeline: another opener's cases join a batch with the service's own.
// Before the fix the committee got no execution jobs for such a batch (every member stayed
// silent and was slashed, again on every redraw). Now the nodes run it: an input published on
// chain that is out of the model's range is proven invalid (refuseInput), an input nobody gives
// is claimed unavailable and, unanswered, refused after its deadline; the service's own case is
// decided and paid, nobody is slashed. A refusal of one of the service's cases moves it to
// `rejected` through the cases service (timeline event + outbox row).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { encodeBytes32String, id as utf8Id } from 'ethers';
import { validRecords } from '../../support/case-fixtures.js';
import { readTimeline } from '../../../server/cases/timeline.js';
import { createCaseTransitions } from '../../../server/cases/transitions.js';
import { CaseStatus, caseIdOf } from '../../../server/chain/contracts.js';
import { webhookOutbox } from '../../../server/db/schema.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { encodeTensor } from '../../../server/inference/tensor-encoding.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { createFolder } from '../../../server/pipeline/fold.js';
import { JOB_DEFAULTS } from '../../../server/pipeline/jobs.js';
import { sendTx } from '../contracts/arbiter-scenario.js';
import { startPipelineFixture, until, type PipelineFixture } from './pipeline-fixture.js';

const DISPUTE_WINDOW = 120;
let f: PipelineFixture;

beforeAll(async () => {
  // Commit and reveal windows wide enough to commit after an input deadline passed on a busy machine.
  f = await startPipelineFixture({ config: { disputeWindow: DISPUTE_WINDOW, commitWindow: 120, revealWindow: 60 } });
});
afterAll(async () => f?.stop());

describe('pipeline › nodes refuse a bad input instead of staying silent (issue 8 #7)', () => {
  it('another opener’s out-of-range input is proven invalid, its missing input refused after the deadline; the service’s case in the same batch is paid, nobody slashed', async () => {
    const c = f.chain.contracts;
    const m = f.pipeline.models.byJurisdiction('EU261')!;
    const features = m.definition.featurizer.features;
    // The ranges were declared when the pipeline registered the model.
    expect(await c.registry.inputRanges(m.modelId)).not.toBe(`0x${'0'.repeat(64)}`);
    const good = m.definition.featurizer.featurize(validRecords.eu261Delay);
    const bad = good.slice();
    bad[0] = features[0].max + 1n;
    const enc = (data: BigInt64Array) => bytesToHex(encodeTensor({ rows: 1, cols: data.length, data }));
    const s0 = (data: BigInt64Array) => bytesToHex(stateHash(0, { rows: 1, cols: data.length, data }));
    const fee: bigint = await c.arbitration.caseFee(m.modelId);
    const opener = f.fx.wallets[7];
    const stakes = await Promise.all(f.pipeline.nodes.map((n) => c.staking.nodes(n.address)));
    // Another opener's two cases open the model's batch: one with an invalid input it publishes,
    // one whose input it never gives anybody.
    const ids: string[] = [];
    for (const [i, data] of [bad, good].entries()) {
      const ref = utf8Id(`foreign-${i}`);
      await sendTx(c.arbitration, opener, 'openCase', [ref, m.modelId, s0(data), f.fx.addresses[6], f.fx.addresses[7], '0x'], fee);
      ids.push(caseIdOf(f.fx.addresses[7], ref).toLowerCase());
    }
    await sendTx(c.arbitration, opener, 'publishInput', [ids[0], enc(bad)]);
    const batchId = (await c.arbitration.cases(ids[0])).batchId;
    // The service's own case joins the same batch (the registrar seals it).
    const filed = await f.file(validRecords.eu261Delay);
    await until(
      () => f.pipeline.store.byCase(filed.id)?.batchId === Number(batchId),
      () => `the service's case to join batch ${batchId}: ${JSON.stringify(f.pipeline.store.byCase(filed.id))}`,
    );
    // A node proves the published input invalid.
    await until(async () => Number((await c.arbitration.cases(ids[0])).status) === CaseStatus.Refused, () => `case ${ids[0]} refused; log:\n${f.log.slice(-20).join('\n')}`);
    // A node claims the other input unavailable; nobody publishes it; after the deadline the keeper refuses it.
    await until(async () => BigInt(await c.arbitration.inputDeadline(ids[1])) > 0n, () => `an unavailability claim on ${ids[1]}; log:\n${f.log.slice(-20).join('\n')}`);
    await f.advance(DISPUTE_WINDOW + 1);
    await until(async () => Number((await c.arbitration.cases(ids[1])).status) === CaseStatus.Refused, () => `case ${ids[1]} refused; log:\n${f.log.slice(-20).join('\n')}`);
    // The committee then commits (REFUSED for both foreign cases), the batch is proposed, and the
    // service's case goes on to be paid.
    await f.waitFor(filed.id, 'proposed', 180_000);
    await f.advance(30);
    await f.waitFor(filed.id, 'paid', 180_000);
    const after = await Promise.all(f.pipeline.nodes.map((n) => c.staking.nodes(n.address)));
    for (const [i, s] of after.entries()) expect(s.stake).toBe(stakes[i].stake);
    const refusals = await c.arbitration.queryFilter(c.arbitration.filters.InputRefused(), f.chain.deployment.block);
    const reasons = new Map(refusals.map((e) => [String((e as unknown as { args: { caseId: string } }).args.caseId).toLowerCase(), (e as unknown as { args: { reason: string } }).args.reason]));
    expect(reasons.get(ids[0])).toBe(encodeBytes32String('invalid input'));
    expect(reasons.get(ids[1])).toBe(encodeBytes32String('input unavailable'));
  }, 420_000);

  it('fold › a refused case of the service moves to rejected through the cases service, with its timeline event and outbox row', async () => {
    // The case must stay `executing` while the fold is applied: the pipeline would take it on to
    // `proposed` within a few blocks (faster than a look at its status, seen in CI). The chain's
    // miner is paused, and only the blocks that open the case are mined here: its draw waits.
    const miner = f.fx.anvil.miner!;
    miner.pause();
    let filedId = '';
    try {
      const filed = await f.file({ ...validRecords.eu261Delay, narrative: 'a second case' } as typeof validRecords.eu261Delay);
      filedId = filed.id;
      await until(
        async () => {
          if (f.pipeline.store.byCase(filed.id)?.openTx) return true; // opened: its receipt is in
          if (Number(((await f.fx.provider.send('txpool_status', [])) as { pending: string }).pending) > 0) await f.fx.provider.send('evm_mine', []);
          return false;
        },
        () => 'the case opened on chain',
      );
      await f.waitFor(filed.id, 'executing');
    } catch (e) {
      miner.resume();
      throw e;
    }
    const filed = { id: filedId };
    const row = f.pipeline.store.byCase(filed.id)!;
    const fold = createFolder({
      db: f.t.app.db,
      store: f.pipeline.store,
      transitions: createCaseTransitions({ db: f.t.app.db }),
      models: f.pipeline.models,
      queue: (name) => f.queues.get(name, { defaultJobOptions: JOB_DEFAULTS }),
    });
    const outboxBefore = f.t.app.db.select().from(webhookOutbox).where(eq(webhookOutbox.caseId, filed.id)).all().length;
    // The event the chain emits when a node proves the case's input invalid.
    await fold({
      source: 'arbitration',
      name: 'InputRefused',
      args: { caseId: row.chainCaseId, reason: encodeBytes32String('invalid input'), depositRefund: 5n, bondRefund: 0n },
      blockNumber: 1,
      transactionHash: `0x${'cd'.repeat(32)}`,
      logIndex: 7,
    });
    expect(f.status(filed.id)).toBe('rejected');
    const ev = readTimeline(f.t.app.db, filed.id).find((e) => e.type === 'input_refused');
    expect(ev?.data).toMatchObject({ reason: 'invalid input', depositRefund: '5' });
    const outbox = f.t.app.db.select().from(webhookOutbox).where(eq(webhookOutbox.caseId, filed.id)).all();
    expect(outbox.length).toBe(outboxBefore + 1);
    expect(outbox.some((o) => o.eventType === 'case.input_refused')).toBe(true);
    miner.resume();
  }, 240_000);
});
