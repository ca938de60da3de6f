// BullMQ queues for every feature, created on first use and all under QUEUE_PREFIX, so two
// deployments (or two test runs) on one Redis never see each other's jobs.
import { Queue, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';

export interface Queues {
  readonly prefix: string;
  readonly connection: Redis;
  /** The queue named `name` (a feature's jobs.ts exports the name), created once. */
  get(name: string, options?: Omit<QueueOptions, 'connection' | 'prefix'>): Queue;
  close(): Promise<void>;
}

export function createQueues(opts: { connection: Redis; prefix: string }): Queues {
  const open = new Map<string, Queue>();
  return {
    prefix: opts.prefix,
    connection: opts.connection,
    get(name, options) {
      let queue = open.get(name);
      if (!queue) {
        queue = new Queue(name, { ...options, connection: opts.connection, prefix: opts.prefix });
        open.set(name, queue);
      }
      return queue;
    },
    async close() {
      await Promise.all([...open.values()].map((q) => q.close()));
      open.clear();
    },
  };
}
