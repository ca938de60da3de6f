// A node's exec job, once its batch is proposed, waits out the challenge window as a delayed job
// and is woken by the batch's next event (server/nodes/batch-watch.ts follow), not by looking
// every 2 s: a window of hours or days made every proposed batch two chain reads and a file read
// per node every 2 s. The window here is long (10 min); the job must sleep through it with no
// timer of 2 s, and finish as soon as the batch is final, long before its own timer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { nodeQueueName } from '../../../server/pipeline/jobs.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { waitUntil } from '../../support/wait.js';
import { freshWallet, startPipelineFixture, type PipelineFixture } from './pipeline-fixture.js';

const WINDOW = 600;
// A game clock longer than the window, so the sleep lasts to the window's end (10 min).
const CLOCK = 1800;
let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture({ config: { challengeWindow: WINDOW, clockSeconds: CLOCK } });
}, 120_000);
afterAll(async () => f?.stop());

describe('node › a proposed batch is watched by its events, not by a timer', { timeout: 240_000 }, () => {
  it('the exec job sleeps through the window as a delayed job and ends as soon as the batch is final', async () => {
    const { id } = await f.file(variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = freshWallet())));
    await f.waitFor(id, 'proposed');
    const batchId = String(f.pipeline.store.byCase(id)!.batchId);
    const queues = f.pipeline.nodes.map((n) => new Queue(nodeQueueName(n.address), { connection: f.redis, prefix: f.t.config.queuePrefix }));
    try {
      const execOf = async (q: Queue) => (await q.getJobs(['delayed', 'active', 'waiting', 'completed', 'prioritized'])).find((j) => j.name === 'exec' && (j.data as { batchId: string }).batchId === batchId);
      // When a delayed job is due: BullMQ keeps it in a sorted set scored by due time × 0x1000.
      const dueIn = async (q: Queue, id: string) => Math.floor(Number(await f.redis.zscore(q.keys.delayed, id)) / 0x1000) - Date.now();
      // Each member's job ends up delayed to about the window's end (10 min), not 2 s (a job may
      // pass through a short wait first: a member that revealed before the proposal).
      await waitUntil(async () => {
        for (const q of queues) {
          const j = await execOf(q);
          if (!j || (await j.getState()) !== 'delayed' || (await dueIn(q, j.id!)) < (WINDOW - 60) * 1000) return false;
        }
        return true;
      }, 'every member\'s exec job delayed in its watch step to the window\'s end', 30_000);
      for (const q of queues) expect(((await execOf(q))!.data as { step: string }).step).toBe('watch');
      const attempts = await Promise.all(queues.map(async (q) => (await execOf(q))!.attemptsStarted));
      // Nothing wakes them while the window runs: no look in two seconds (a 2 s timer looked).
      await new Promise((r) => setTimeout(r, 2500));
      expect(await Promise.all(queues.map(async (q) => (await execOf(q))!.attemptsStarted))).toEqual(attempts);
      // The game clock caps the sleep: never more than a third of it (a lost wake-up leaves time to answer).
      const clock = Number(await f.chain.contracts.game.clockSeconds());
      for (const q of queues) {
        const j = (await execOf(q))!;
        expect(await dueIn(q, j.id!)).toBeLessThanOrEqual(Math.max(2000, (clock * 1000) / 3) + 1000);
      }
      // A node restarted meanwhile did not see what happened to the batch while it was down: its
      // watching jobs look at the chain once at start, then sleep again.
      await f.restart();
      await waitUntil(async () => {
        const now = await Promise.all(queues.map(async (q) => (await execOf(q))!.attemptsStarted));
        return now.every((n, i) => n > attempts[i]);
      }, 'every member\'s watching job to look once after the restart', 30_000);
      await waitUntil(async () => {
        for (const q of queues) if ((await (await execOf(q))?.getState()) !== 'delayed') return false;
        return true;
      }, 'every member\'s watching job delayed again', 30_000);
      // The window ends on chain; the registrar finalizes; the finalization wakes the jobs.
      await f.advance(WINDOW + 5);
      await f.waitForEvent(id, 'finalized');
      // Well before their timers (~10 min away): woken by the event.
      await waitUntil(async () => {
        for (const q of queues) if ((await (await execOf(q))?.getState()) !== 'completed') return false;
        return true;
      }, 'every member\'s exec job completed after the finalization', 60_000);
      for (const q of queues) expect((await execOf(q))!.returnvalue).toMatchObject({ status: expect.any(Number) });
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  });
});
