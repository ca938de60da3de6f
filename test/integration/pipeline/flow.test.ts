// Filing to payout with nothing done by hand: a case of every jurisdiction, filed through the
// API, is opened on chain, decided by a committee of three in-process node operators (real
// ONNX Runtime), proposed, final after the challenge window (anvil's clock advanced), and paid
// from the escrow to the claimant's wallet; the timeline and the webhook outbox carry each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { readTimeline } from '../../../server/cases/timeline.js';
import { webhookOutbox } from '../../../server/db/schema.js';
import { bootstrapChain, SEATS } from '../../../server/pipeline/bootstrap.js';
import { DEV_WEI_PER_UNIT } from '../../../server/pipeline/award-table.js';
import { decimalToWei } from '../../../server/chain/awards.js';
import type { CaseRecordT } from '../../../server/cases/schemas.js';
import { decideCase } from '../../../server/verdicts/decide.js';
import { nodeQueueName } from '../../../server/pipeline/jobs.js';
import { concat, keccak256 } from 'ethers';
import { freshWallet, startPipelineFixture, until, WINDOWS, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture();
}, 120_000);
afterAll(async () => f?.stop());

const jurisdictions = {
  EU261: validRecords.eu261Delay,
  UK261: validRecords.uk261Delay,
  US_DOT_REFUND: validRecords.usDotRefund,
  VISA: validRecords.visaFraud,
  MASTERCARD: validRecords.mastercardNotProvided,
} as Record<string, CaseRecordT>;

describe('pipeline › filing to payout', { timeout: 300_000 }, () => {
  it('bootstrap › the shipped models are registered, the default ERC-792 model approved and the node operators staked for several seats once; a second run does nothing', async () => {
    expect(f.pipeline.models.all.map((m) => m.card.jurisdiction).sort()).toEqual(['EU261', 'MASTERCARD', 'UK261', 'US_DOT_REFUND', 'VISA']);
    for (const m of f.pipeline.models.all) expect(await f.pipeline.port.isRegistered(m.modelId)).toBe(true);
    expect(await f.pipeline.port.defaultModel()).toBe(f.pipeline.models.byJurisdiction('EU261')!.modelId.toLowerCase());
    const minStake = BigInt(f.chain.deployment.config.minStake);
    for (const i of [1, 2, 3]) expect(await f.pipeline.port.stakeOf(await f.chain.devSigner(i).getAddress())).toBeGreaterThanOrEqual(minStake * BigInt(SEATS));
    const again = await bootstrapChain(f.pipeline.port, f.chain.registrar, [1, 2, 3].map((i) => f.chain.devSigner(i)), f.pipeline.models);
    expect(again).toEqual({ registered: [], defaultModel: undefined, staked: [], served: [] });
  });

  it('keeper › a drawn batch is not drawn again: a second draw is a no-op, and the case went through SeedCommitted then BatchSealed', async () => {
    const { id } = await f.file(jurisdictions.EU261);
    await f.waitFor(id, 'proposed');
    const batchId = BigInt(f.pipeline.store.byCase(id)!.batchId!);
    expect(await f.pipeline.port.draw(f.chain.registrar, batchId)).toBe('not sealed');
    const names = f.pipeline.store.eventsOfBatch(Number(batchId)).map((e) => e.name);
    expect(names.indexOf('SeedCommitted')).toBeGreaterThan(-1);
    expect(names.indexOf('BatchSealed')).toBeGreaterThan(names.indexOf('SeedCommitted'));
    expect(names.filter((n) => n === 'BatchSealed')).toHaveLength(1);
  });

  it('every jurisdiction › filed → executing → proposed → final → paid, the award paid to the wallet', async () => {
    const filed: { id: string; wallet: string; record: CaseRecordT }[] = [];
    for (const record of Object.values(jurisdictions)) {
      const wallet = freshWallet();
      const r = variant(record, (d) => {
        d.claimant.wallet = wallet;
      });
      filed.push({ id: (await f.file(r)).id, wallet, record: r });
    }
    for (const c of filed) await f.waitFor(c.id, 'proposed');
    await f.advance(WINDOWS.challengeWindow + 1);
    for (const c of filed) await f.waitFor(c.id, 'paid');
    for (const c of filed) {
      const timeline = readTimeline(f.t.app.db, c.id);
      expect(timeline.map((e) => e.type)).toEqual(['filed', 'execution_started', 'verdict_proposed', 'finalized', 'paid']);
      const proposed = timeline[2].data as { verdict: { outcome: string; award: { amount: number; currency: string } } };
      expect(proposed.verdict.outcome).toBe('claimant');
      const paid = timeline[4].data as { award: string; tx: string };
      const expected = decimalToWei(String(proposed.verdict.award.amount), DEV_WEI_PER_UNIT);
      expect(BigInt(paid.award)).toBe(expected);
      expect(await f.fx.provider.getBalance(c.wallet)).toBe(expected);
      const types = f.t.app.db.select({ type: webhookOutbox.eventType }).from(webhookOutbox).where(eq(webhookOutbox.caseId, c.id)).all().map((r) => r.type);
      expect(types).toEqual(['case.filed', 'case.executing', 'verdict.proposed', 'verdict.final', 'payout.sent']);
    }
  });

  it('trail › re-checks without trusting Arbiter: S_0 from the record, the claim in the agreed root on chain, every transaction on the node', async () => {
    const wallet = freshWallet();
    const record = variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = wallet));
    const filed = await f.file(record);
    await f.waitFor(filed.id, 'proposed');
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(filed.id, 'paid');
    const res = await f.t.app.inject({ method: 'GET', url: `/v1/cases/${filed.id}/trail`, headers: { authorization: `Bearer ${filed.accessToken}` } });
    expect(res.statusCode, res.body).toBe(200);
    const trail = res.json();
    // S_0 recomputed from the record alone, as `arbiter decide` does.
    const decided = await decideCase(trail.record);
    expect(decided.ok && decided.verdict.inputHash).toBe(trail.inputHash);
    expect(trail.model.modelRoot).toBe(decided.ok && decided.verdict.model.root);
    // The chain holds the same S_0 and model for the case, and the agreed root of its batch.
    const onChain = await f.pipeline.port.getCase(trail.chain.chainCaseId);
    expect(onChain.s0).toBe(trail.inputHash);
    const batch = await f.pipeline.port.getBatch(BigInt(trail.chain.batchId));
    expect(batch.claimsRoot).toBe(trail.agreedRoot);
    expect(batch.modelId).toBe(trail.model.modelId);
    // The claim is in the agreed root at the case's index (Arbitration.claimLeaf + the proof).
    const leaf = await f.chain.contracts.arbitration.claimLeaf([trail.claim.caseId, trail.claim.modelId, trail.claim.s0, trail.claim.output, trail.claim.steps, trail.claim.traceRoot]);
    expect(verifyProof(leaf, trail.chain.index, trail.claimProof, batch.count)).toBe(trail.agreedRoot);
    // Three members committed and revealed the agreed root; every transaction is on the node.
    expect(trail.committee).toHaveLength(3);
    for (const m of trail.committee) {
      expect(m.claimsRoot).toBe(trail.agreedRoot);
      for (const tx of [m.commitTx, m.revealTx]) expect((await f.fx.provider.getTransactionReceipt(tx))?.status).toBe(1);
    }
    for (const tx of [trail.chain.openTx, trail.proposedTx, trail.payout.tx]) expect((await f.fx.provider.getTransactionReceipt(tx))?.status).toBe(1);
    expect(trail.payout.payments).toContainEqual({ payee: wallet.toLowerCase(), amount: trail.payout.award, sent: true });
  });

  it('data minimisation › node jobs carry the facts the featurizer reads, never names, e-mails, wallets or narratives', async () => {
    const wallet = freshWallet();
    const record = variant(validRecords.eu261Delay, (d) => {
      d.claimant = { name: 'Zelda Q. Private', email: 'zelda.private@example.org', wallet };
      d.narrative = 'A very personal story about my trip.';
      d.ref = 'client-ref-secret-123';
    });
    const filed = await f.file(record);
    await f.waitFor(filed.id, 'proposed');
    const batchId = f.pipeline.store.byCase(filed.id)!.batchId!;
    const seen: string[] = [];
    for (const n of f.pipeline.nodes) {
      const jobs = await f.queues.get(nodeQueueName(n.address)).getJobs(['completed', 'delayed', 'waiting', 'active']);
      for (const j of jobs) if ((j.data as { batchId?: string }).batchId === String(batchId)) seen.push(JSON.stringify(j.data));
    }
    expect(seen).toHaveLength(3);
    for (const data of seen) {
      expect(data).toContain('"operatingCarrier":"LH"');
      for (const secret of ['Zelda', 'zelda.private', wallet.slice(2).toLowerCase(), wallet.slice(2), 'personal story', 'client-ref-secret']) expect(data).not.toContain(secret);
    }
  });

  it('no wallet › the award waits in escrow; only the claimant names a payout address, once, and is paid', async () => {
    const record = variant(validRecords.visaFraud, (d) => void delete d.claimant.wallet);
    const filed = await f.file(record);
    const other = await f.file(validRecords.visaFraud);
    await f.waitFor(filed.id, 'proposed');
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(filed.id, 'final');
    await until(() => readTimeline(f.t.app.db, filed.id).some((e) => e.type === 'award_claimable'), () => 'the award to be claimable');
    const payee = freshWallet();
    const post = (token: string | undefined, address: unknown) =>
      f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/payout-address`, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: { address } });
    expect((await post(undefined, payee)).statusCode).toBe(401);
    expect((await post(other.accessToken, payee)).statusCode).toBe(404); // another case's claimant
    expect((await post(f.t.adminToken, payee)).statusCode).toBe(403); // not the claimant
    const zero = await post(filed.accessToken, '0x0000000000000000000000000000000000000000');
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors[0].pointer).toBe('/address');
    expect((await post(filed.accessToken, 'not an address')).statusCode).toBe(400);
    const ok = await post(filed.accessToken, payee);
    expect(ok.statusCode, ok.body).toBe(202);
    expect((await post(filed.accessToken, freshWallet())).statusCode).toBe(409); // once
    await f.waitFor(filed.id, 'paid');
    const award = BigInt(ok.json().award);
    expect(award).toBeGreaterThan(0n);
    expect(await f.fx.provider.getBalance(payee)).toBe(award);
    const paid = readTimeline(f.t.app.db, filed.id).at(-1)!;
    expect(paid.data).toMatchObject({ payee: payee.toLowerCase(), claimed: true });
    expect((await post(filed.accessToken, payee)).statusCode).toBe(409); // nothing left to claim
  });

  it('trail › only whoever may read the case reads its trail', async () => {
    const a = await f.file(validRecords.visaFraud);
    const b = await f.file(validRecords.visaFraud);
    await f.waitForReached(a.id, 'executing');
    const get = (token?: string) => f.t.app.inject({ method: 'GET', url: `/v1/cases/${a.id}/trail`, headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get()).statusCode).toBe(401);
    expect((await get(b.accessToken)).statusCode).toBe(404); // another case's claimant
    expect((await get(a.accessToken)).statusCode).toBe(200);
    expect((await get(f.t.adminToken)).statusCode).toBe(200);
  });
});

/** The index-ordered Merkle root from a leaf and its proof (PROTOCOL.md §2 tree rule). */
function verifyProof(leaf: string, index: number, proof: string[], count: number): string {
  let h = leaf;
  let i = index;
  void count;
  for (const sib of proof) {
    h = i % 2 === 0 ? keccak256(concat([h, sib])) : keccak256(concat([sib, h]));
    i = Math.floor(i / 2);
  }
  return h;
}
