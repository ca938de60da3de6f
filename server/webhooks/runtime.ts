// Delivery at run time: the dispatcher turns outbox rows into deliveries every `pollMs`, the
// BullMQ worker makes the attempts, and a sweep (at start, then every `sweepMs`) re-enqueues
// every pending delivery that is overdue (its job was lost: a crash between fan-out and enqueue,
// a flushed Redis), so nothing is lost. Delayed retries survive a restart in Redis.
// Several processes may run this at once: fan-out is one IMMEDIATE transaction that only takes
// `pending` outbox rows, and job ids make enqueueing idempotent.
import { Worker } from 'bullmq';
import type { Queues } from '../queues/queues.js';
import { createDeliveryProcessor, enqueue, WEBHOOK_QUEUE } from './jobs.js';
import { createSender } from './send.js';
import type { WebhookServices } from './service.js';

export interface WebhookDeliveryOptions {
  services: WebhookServices;
  queues: Queues;
  allowPrivateTargets: boolean;
  timeoutMs: number;
  clock?: () => Date;
  pollMs?: number;
  sweepMs?: number;
  /** The sweep re-enqueues deliveries overdue by more than this (default 2 min). */
  sweepOverdueMs?: number;
  concurrency?: number;
  batch?: number;
  onError?: (err: Error) => void;
}

export interface WebhookDelivery {
  /** One dispatcher pass: fan out pending outbox rows and enqueue their first attempts. */
  dispatch(): Promise<number>;
  /** Re-enqueue every pending delivery (idempotent). */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export async function startWebhookDelivery(o: WebhookDeliveryOptions): Promise<WebhookDelivery> {
  const clock = o.clock ?? (() => new Date());
  const onError = o.onError ?? ((err) => console.warn(`[webhooks] ${err.message}`));
  const { deliveries, endpoints } = o.services;
  const queue = o.queues.get(WEBHOOK_QUEUE);
  const sender = createSender({ allowPrivate: o.allowPrivateTargets, timeoutMs: o.timeoutMs });
  const batch = o.batch ?? 1000;

  const worker = new Worker(WEBHOOK_QUEUE, createDeliveryProcessor({ deliveries, endpoints, sender, queue, clock }), {
    connection: o.queues.connection,
    prefix: o.queues.prefix,
    concurrency: o.concurrency ?? 32,
  });
  worker.on('error', onError);
  worker.on('failed', (job, err) => onError(new Error(`job ${job?.id ?? '?'} failed (BullMQ retries it): ${err.message}`)));

  let stopped = false;
  let dispatching: Promise<number> | undefined;
  async function dispatchOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = deliveries.fanOut(batch);
      await enqueue(queue, jobs);
      total += jobs.length;
      if (jobs.length < batch) return total;
    }
  }
  const dispatch = () => (dispatching ??= dispatchOnce().finally(() => (dispatching = undefined)));
  const sweep = async () => {
    const jobs = deliveries.dueDeliveries(o.sweepOverdueMs ?? 120_000);
    await enqueue(queue, jobs);
    return jobs.length;
  };

  await sweep();
  const poll = setInterval(() => void dispatch().catch(onError), o.pollMs ?? 20);
  const sweeper = setInterval(() => void sweep().catch(onError), o.sweepMs ?? 60_000);
  await worker.waitUntilReady();

  return {
    dispatch,
    sweep,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      clearInterval(sweeper);
      await dispatching?.catch(() => {});
      await worker.close();
      sender.close();
    },
  };
}
