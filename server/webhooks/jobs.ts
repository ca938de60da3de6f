// The delivery queue. A job carries delivery attempts by id (`{ items: [{ deliveryId,
// generation, attempt }] }`): the dispatcher packs a fan-out's first attempts into jobs of up to
// JOB_BATCH items (BullMQ's per-job cost, ~1 ms on a busy machine, would otherwise cap delivery
// near 1,000 events/s), retries and the sweep enqueue one attempt per job. Job ids are
// deterministic (`<deliveryId>-g<generation>-a<attempt>`, or `batch-<first id>-n<count>`).
// The processor is idempotent: an attempt already made (or a delivery that moved on) is
// skipped; HTTP failures do not fail the job, they schedule the next attempt.
import type { Job, Queue } from 'bullmq';
import { eventBody } from './event-object.js';
import { deliveryJobId, type DeliveryJob, type DeliveryService, type ScheduledJob } from './deliveries.js';
import type { EndpointService } from './endpoints.js';
import type { Sender } from './send.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';

export const WEBHOOK_QUEUE = 'webhooks';
export const DELIVER_JOB = 'deliver';
export const JOB_BATCH = 50;

export interface DeliverPayload {
  items: DeliveryJob[];
}

/** Unexpected errors (database busy) retry quickly; HTTP failures follow the delivery's own schedule. */
export const webhookJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { count: 1000 },
} as const;

function jobIdOf(items: DeliveryJob[]): string {
  return items.length === 1 ? deliveryJobId(items[0]) : `batch-${deliveryJobId(items[0])}-n${items.length}`;
}

/** Immediate attempts travel JOB_BATCH to a job; delayed ones one to a job, at their own time. */
export async function enqueue(queue: Queue, jobs: ScheduledJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const bulk: { name: string; data: DeliverPayload; opts: Record<string, unknown> }[] = [];
  const now = jobs.filter((j) => j.delayMs <= 0).map(({ delayMs: _, ...item }) => item);
  for (let i = 0; i < now.length; i += JOB_BATCH) {
    const items = now.slice(i, i + JOB_BATCH);
    bulk.push({ name: DELIVER_JOB, data: { items }, opts: { ...webhookJobOptions, jobId: jobIdOf(items) } });
  }
  for (const { delayMs, ...item } of jobs.filter((j) => j.delayMs > 0)) {
    bulk.push({ name: DELIVER_JOB, data: { items: [item] }, opts: { ...webhookJobOptions, jobId: jobIdOf([item]), delay: delayMs } });
  }
  await queue.addBulk(bulk);
}

export function createDeliveryProcessor(deps: {
  deliveries: DeliveryService;
  endpoints: EndpointService;
  sender: Sender;
  queue: Queue;
  clock: () => Date;
  /** Unix seconds for the signature's `t`: real time, which the receiver compares with its own. */
  signingTime?: () => number;
}) {
  const signingTime = deps.signingTime ?? (() => Math.floor(Date.now() / 1000));

  return async (job: Job<DeliverPayload>): Promise<string> => {
    const { items } = job.data;
    const contexts = deps.deliveries.prepareMany(items);
    const sent = await Promise.all(
      items.map(async (item, i) => {
        const ctx = contexts[i];
        if (!ctx) return undefined;
        const startedAt = deps.clock();
        const body = eventBody(ctx.event);
        const secrets = deps.endpoints.signingSecrets(ctx.endpoint, startedAt);
        const result = await deps.sender.send(ctx.endpoint.url, body, {
          [SIGNATURE_HEADER]: signatureHeader(secrets, signingTime(), body),
          'Arbiter-Event-Id': ctx.event.id,
          'Arbiter-Delivery-Attempt': String(item.attempt),
        });
        return { job: item, startedAt, result };
      }),
    );
    // One commit for the batch. A crash before it resends the batch: at-least-once, deduplicated by event id.
    const outcomes = deps.deliveries.recordAttempts(sent.filter((s) => s !== undefined));
    const retries = outcomes.filter((o): o is ScheduledJob => o !== undefined);
    await enqueue(deps.queue, retries);
    return `${outcomes.length} attempts, ${retries.length} retries scheduled`;
  };
}
