// Every BullMQ queue under a prefix, for a failed test's report: its job counts, its first active,
// delayed and waiting jobs (with their attempts and, for delayed ones, when they are due), and
// its latest failures.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export async function queueReport(redis: Redis, prefix: string): Promise<string> {
  const out: string[] = [];
  const names = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*:meta`, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) names.add(k.slice(prefix.length + 1, -':meta'.length));
  } while (cursor !== '0');
  const now = Date.now();
  for (const name of [...names].sort()) {
    const q = new Queue(name, { connection: redis, prefix });
    try {
      const counts = await q.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed');
      out.push(`queue ${name}: ${JSON.stringify(counts)}`);
      for (const j of await q.getJobs(['active', 'delayed', 'waiting', 'prioritized'], 0, 9)) {
        const due = j.delay ? `, due in ${Math.round((j.timestamp + j.delay - now) / 1000)} s` : '';
        out.push(`  ${j.id} ${j.name} attempts ${j.attemptsMade}${due} ${JSON.stringify(j.data).slice(0, 300)}`);
      }
      for (const j of await q.getJobs(['failed'], 0, 4)) out.push(`  failed ${j.id} ${j.name}: ${j.failedReason}`);
    } finally {
      await q.close();
    }
  }
  return out.join('\n') || `(no queues under ${prefix})`;
}
