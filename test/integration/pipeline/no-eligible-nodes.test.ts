// A sealed batch nobody is eligible to serve (no node serves its model, or every serving node's
// stake is already locked in seats: seen in the bench, where batches hold their seats through an
// hour's challenge window) waits for its draw. The draw job looked again every PIPELINE_POLL_MS
// for as long, an estimate on the chain each time (25 a second per batch in the bench); it now
// looks at a doubling interval (up to 5 s), says so once in the log, and draws as soon as a node
// can serve: the case goes on to be proposed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { validRecords } from '../../support/case-fixtures.js';
import { stakeAndServe } from '../../../server/pipeline/bootstrap.js';
import { BatchStatus, createChainPort } from '../../../server/pipeline/chain-port.js';
import { PIPELINE_QUEUE } from '../../../server/pipeline/jobs.js';
import { startPipelineFixture, until, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
beforeAll(async () => {
  // No node operator at all: every model is registered, nobody serves one.
  f = await startPipelineFixture({ nodes: 0 });
});
afterAll(async () => {
  await f?.stop();
});

describe('pipeline › a batch with no eligible node', () => {
  it('its draw looks again less and less often, says so once, and draws once a node serves the model', { timeout: 300_000 }, async () => {
    const port = createChainPort(f.chain.deployment, f.chain.provider);
    const filed = await f.file(validRecords.eu261Delay);
    await until(() => (f.pipeline.store.byCase(filed.id)?.batchId ?? null) !== null, () => `case ${filed.id} opened; log:\n${f.log.slice(-20).join('\n')}`);
    const batchId = BigInt(f.pipeline.store.byCase(filed.id)!.batchId!);
    await until(async () => (await port.getBatch(batchId)).status === BatchStatus.Sealed, () => `batch ${batchId} sealed`);
    await until(() => f.log.some((l) => l.includes(`batch ${batchId}: no eligible node`)), () => `the log to say batch ${batchId} has no eligible node:\n${f.log.slice(-20).join('\n')}`);

    // Four seconds later: at PIPELINE_POLL_MS (100 ms here) it would have looked ~40 times.
    const queue = new Queue(PIPELINE_QUEUE, { connection: f.redis, prefix: f.t.config.queuePrefix });
    try {
      const draws = async () => {
        const jobs = await queue.getJobs(['delayed', 'waiting', 'active']);
        return jobs.filter((j) => j.name === 'draw' && (j.data as { batchId: string }).batchId === batchId.toString());
      };
      await new Promise((r) => setTimeout(r, 4_000));
      const looks = (await draws()).reduce((n, j) => n + ((j.data as { noNodes?: number }).noNodes ?? 0), 0);
      expect(looks).toBeGreaterThan(0);
      expect(looks).toBeLessThanOrEqual(12);
      expect(f.log.filter((l) => l.includes(`batch ${batchId}: no eligible node`)).length).toBe(1);
    } finally {
      await queue.close();
    }

    // A node stakes, serves every model and runs: the batch is drawn and the case proposed.
    await stakeAndServe(port, f.chain.devSigner(1), f.pipeline.models);
    await f.startNode(1);
    await f.waitFor(filed.id, 'proposed', 120_000);
    expect(((await f.chain.contracts.arbitration.committeeOf(batchId)) as string[]).map((a) => a.toLowerCase())).toEqual([(await f.chain.devSigner(1).getAddress()).toLowerCase()]);
  });
});
