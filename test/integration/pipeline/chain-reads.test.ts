// The chain port reads a case, a batch and a committee member as raw eth_calls decoded word by word
// (server/pipeline/chain-port.ts): the same values as ethers' ABI decoding of the same getters, on
// a real case that went through the pipeline, and on ids the chain does not know (all zero).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZeroHash } from 'ethers';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { freshWallet, startPipelineFixture, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture();
}, 120_000);
afterAll(async () => {
  await f?.stop();
});

describe('chain port › raw reads', { timeout: 300_000 }, () => {
  it('decode a case, its batch and each member as ethers does', async () => {
    const record = variant(validRecords.eu261Delay, (d) => {
      d.claimant.wallet = freshWallet();
    });
    const { id } = await f.file(record);
    await f.waitFor(id, 'proposed', 120_000);
    const port = f.pipeline.port;
    const arb = port.contracts.arbitration;
    const row = f.pipeline.store.byCase(id)!;

    const c = await port.getCase(row.chainCaseId);
    const e = await arb.cases(row.chainCaseId);
    expect(c).toEqual({
      status: Number(e.status),
      batchId: BigInt(e.batchId),
      index: Number(e.index),
      s0: String(e.s0),
      claimant: String(e.claimant),
      respondent: String(e.respondent),
      amount: BigInt(e.amount),
    });
    expect(c.claimant.toLowerCase()).toBe(record.claimant.wallet!.toLowerCase());
    expect(c.s0).toBe(row.s0);

    const b = await port.getBatch(c.batchId);
    const eb = await arb.batches(c.batchId);
    expect(b).toEqual({
      status: Number(eb.status),
      modelId: String(eb.modelId),
      count: Number(eb.count),
      commitDeadline: Number(eb.commitDeadline),
      revealDeadline: Number(eb.revealDeadline),
      windowEnd: Number(eb.windowEnd),
      openDeadline: Number(eb.openDeadline),
      seedBlock: Number(eb.seedBlock),
      claimsRoot: String(eb.claimsRoot),
      committed: Number(eb.committed),
      revealed: Number(eb.revealed),
      size: Number(eb.size),
      games: Number(eb.games),
    });
    expect(b.claimsRoot).not.toBe(ZeroHash);

    const committee = await port.committee(c.batchId);
    expect(committee.length).toBeGreaterThan(0);
    for (const member of committee) {
      const m = await port.memberState(c.batchId, member);
      const em = await arb.members(c.batchId, member);
      expect(m).toEqual({ state: Number(em.state), value: String(em.value), opened: Boolean(em.opened) });
      expect(m.value).toBe(b.claimsRoot);
    }

    // Unknown ids: every field zero, as ethers decodes them.
    const unknown = `0x${'ab'.repeat(32)}`;
    const u = await port.getCase(unknown);
    const eu = await arb.cases(unknown);
    expect(u).toEqual({ status: Number(eu.status), batchId: 0n, index: 0, s0: ZeroHash, claimant: String(eu.claimant), respondent: String(eu.respondent), amount: 0n });
    expect((await port.getBatch(987654n)).status).toBe(Number((await arb.batches(987654n)).status));
  });
});
