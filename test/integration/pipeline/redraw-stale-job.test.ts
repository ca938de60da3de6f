// A node's execution job of an earlier round must not act in a later one. A batch whose
// committee stays silent is redrawn (same batch id, a new round: a new draw block, a new salt);
// the same nodes may be drawn again. The first round's job, still waiting in a node's queue (it
// waited for an input across the redraw, or a range read again re-enqueued it), used to find
// its node "drawn" and commit with its own round's salt: the new round's job then revealed with
// the new round's salt against that commitment, and the reveal reverted. It now steps aside, and
// the new round's job commits and reveals; the case is proposed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { validRecords } from '../../support/case-fixtures.js';
import { BatchStatus, MemberState, createChainPort } from '../../../server/pipeline/chain-port.js';
import { jobIds, nodeQueueName } from '../../../server/pipeline/jobs.js';
import { startPipelineFixture, until, WINDOWS, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture();
});
afterAll(async () => {
  await f?.stop();
});

describe('pipeline › a redrawn batch', () => {
  it('the first round’s job steps aside in the second round; the second round’s jobs commit and reveal, and the case is proposed', { timeout: 300_000 }, async () => {
    const port = createChainPort(f.chain.deployment, f.chain.provider);
    // The committee is silent in the first round: the service's in-process nodes are stopped, so
    // their jobs wait in their queues.
    for (const n of f.pipeline.nodes) await n.close();
    const filed = await f.file(validRecords.eu261Delay);
    await until(() => (f.pipeline.store.byCase(filed.id)?.batchId ?? null) !== null, () => `case ${filed.id} opened`);
    const batchId = BigInt(f.pipeline.store.byCase(filed.id)!.batchId!);
    await until(async () => (await port.getBatch(batchId)).status === BatchStatus.Executing, () => `batch ${batchId} drawn`);
    const first = (await port.roundOf(batchId))!;
    const committee = (await f.chain.contracts.arbitration.committeeOf(batchId)) as string[];

    // Past the reveal deadline: the registrar's close job slashes the silent members, and the
    // failed batch is redrawn; all three nodes are drawn again (there are no others).
    await f.advance(WINDOWS.commitWindow + WINDOWS.revealWindow + 1);
    await until(
      async () => {
        const r = await port.roundOf(batchId);
        return r !== undefined && r > first && (await port.getBatch(batchId)).status === BatchStatus.Executing;
      },
      () => `batch ${batchId} redrawn; log:\n${f.log.slice(-20).join('\n')}`,
      180_000,
    );
    const second = (await port.roundOf(batchId))!;
    const again = ((await f.chain.contracts.arbitration.committeeOf(batchId)) as string[]).map((a) => a.toLowerCase());
    const both = committee.map((a) => a.toLowerCase()).filter((a) => again.includes(a));
    expect(both.length).toBeGreaterThan(0);

    // The nodes come back, one job at a time: each takes its first round's job before its second's.
    for (const i of [1, 2, 3]) await f.startNode(i, { concurrency: 1 });
    await f.waitFor(filed.id, 'proposed', 180_000);

    // Every node drawn in both rounds: its first round's job stepped aside, without a transaction.
    for (const node of both) {
      const queue = new Queue(nodeQueueName(node), { connection: f.redis, prefix: f.t.config.queuePrefix });
      try {
        const stale = await queue.getJob(jobIds.exec(batchId, first, node));
        expect(stale, `the first round's job of ${node}`).toBeDefined();
        await until(async () => (await stale!.getState()) === 'completed', () => `the first round's job of ${node} to complete`);
        const done = (await queue.getJob(jobIds.exec(batchId, first, node)))!;
        expect(done.returnvalue).toEqual({ skipped: 'redrawn: a new round' });
        const fresh = await queue.getJob(jobIds.exec(batchId, second, node));
        expect(fresh, `the second round's job of ${node}`).toBeDefined();
      } finally {
        await queue.close();
      }
      // The member revealed in the second round (its commitment matched its reveal).
      expect((await port.memberState(batchId, node)).state).toBe(MemberState.Revealed);
    }
  });
});
