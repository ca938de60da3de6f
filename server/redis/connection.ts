// Redis connections. BullMQ workers block on Redis, so every connection we hand out has
// maxRetriesPerRequest: null (BullMQ requires it) and reconnects on its own.
import { Redis } from 'ioredis';

/**
 * ioredis reconnects by itself; an unhandled 'error' event would print on every retry. Report
 * the first error, then at most one every 30 s until the connection is ready again.
 */
export function connectRedis(url: string, onError: (err: Error) => void = (err) => console.warn(`[redis] ${err.message}`)): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  let lastReport = 0;
  redis.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastReport >= 30_000) {
      lastReport = now;
      onError(err);
    }
  });
  redis.on('ready', () => {
    lastReport = 0;
  });
  return redis;
}

/** One PING with no retries: answers "is anything listening there?" without hanging. */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
