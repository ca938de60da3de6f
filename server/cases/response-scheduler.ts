// The response deadline at run time. Every `pollMs` the scheduler opens the response window of
// newly filed merchant cases (`case.response_due`) and arms a delayed BullMQ job at each deadline
// (id `deadline-<caseId>`); the job lapses the window and the case proceeds. Restart-safe: the
// windows live in the database, the delayed jobs in Redis, and each poll also lapses any overdue
// window and proceeds any case left `filed` after its window closed, so a lost job or a crash
// between two steps only delays a case by one poll.
import { Worker, type Queue } from 'bullmq';
import type { Queues } from '../queues/queues.js';
import type { CaseResponseService, OpenedWindow } from './responses.js';

export const RESPONSE_QUEUE = 'case-responses';

async function arm(queue: Queue, windows: OpenedWindow[], now: number): Promise<void> {
  if (windows.length === 0) return;
  await queue.addBulk(
    windows.map((w) => ({
      name: 'deadline',
      data: { caseId: w.caseId },
      opts: { jobId: `deadline-${w.caseId}`, delay: Math.max(0, Date.parse(w.dueAt) - now), removeOnComplete: true, removeOnFail: { count: 1000 }, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    })),
  );
}

export interface ResponseScheduler {
  poll(): Promise<void>;
  stop(): Promise<void>;
}

export async function startResponseScheduler(o: {
  responses: CaseResponseService;
  queues: Queues;
  pollMs?: number;
  clock?: () => Date;
  onError?: (err: Error) => void;
}): Promise<ResponseScheduler> {
  const clock = o.clock ?? (() => new Date());
  const onError = o.onError ?? ((err) => console.warn(`[responses] ${err.message}`));
  const queue = o.queues.get(RESPONSE_QUEUE);
  const worker = new Worker(
    RESPONSE_QUEUE,
    async (job) => {
      o.responses.lapse((job.data as { caseId: string }).caseId);
    },
    { connection: o.queues.connection, prefix: o.queues.prefix, concurrency: 8 },
  );
  worker.on('error', onError);

  let running: Promise<void> | undefined;
  const pollOnce = async () => {
    await arm(queue, o.responses.openWindows(), clock().getTime());
    o.responses.lapseOverdue();
    o.responses.proceedReady();
  };
  const poll = () => (running ??= pollOnce().finally(() => (running = undefined)));

  // After a restart: re-arm every open window (an existing job id is a no-op), then catch up.
  await arm(queue, o.responses.awaiting(), clock().getTime());
  await poll();
  const timer = setInterval(() => void poll().catch(onError), o.pollMs ?? 1000);
  await worker.waitUntilReady();
  return {
    poll,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => {});
      await worker.close();
    },
  };
}
