// Rate limits for every route (issue 9, High 1): @fastify/rate-limit with its counters in Redis,
// so a limit holds across server processes. One count per authenticated caller (its principal)
// and one per client address for callers without a valid token; a route may declare its own
// limit in `config.rateLimit` (README, "Limits"). Over the limit: 429 problem+json with
// Retry-After.
//
// Redis is shared with the queues on a connection that waits for Redis forever
// (maxRetriesPerRequest: null, which BullMQ needs). A limiter must never hang the API, so while
// that connection is not ready, or a count takes longer than COUNT_TIMEOUT_MS, the count falls
// back to this process's memory: limits then hold per process until Redis is back.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { RateLimitConfig } from '../config.js';
import { principalName } from '../auth/principal.js';
import { Problem } from '../errors.js';

const COUNT_TIMEOUT_MS = 250;

// Fixed window, as the plugin's own Redis store counts: INCR, and set the expiry with the first hit.
const COUNT_SCRIPT = `
local current = redis.call('INCR', KEYS[1])
local ttl
if current == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
else
  ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
end
return {current, ttl}
`;

type Counted = { current: number; ttl: number };
type Callback = (err: Error | null, result: Counted) => void;

interface CountingRedis extends Redis {
  arbiterRateCount(key: string, windowMs: number, cb: (err: Error | null, result: [number, number]) => void): void;
}

/** A per-process fixed-window counter: the fallback while Redis does not answer. */
class MemoryCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  count(key: string, windowMs: number): Counted {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size > 10_000) for (const [k, v] of this.windows) if (v.resetAt <= now) this.windows.delete(k);
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { current: w.count, ttl: w.resetAt - now };
  }
}

/** The plugin's store interface (incr/child), on the shared Redis connection. */
function redisStore(redis: Redis, namespace: string) {
  const counting = redis as CountingRedis;
  if (!counting.arbiterRateCount) redis.defineCommand('arbiterRateCount', { numberOfKeys: 1, lua: COUNT_SCRIPT });
  const memory = new MemoryCounter();

  // The plugin constructs the store with its own settings (`new Store(globalParams)`) and makes
  // per-route children with child(); the prefix is ours either way.
  class Store {
    private readonly prefix: string;
    constructor(prefix?: unknown) {
      this.prefix = typeof prefix === 'string' ? prefix : namespace;
    }
    incr(key: string, cb: Callback, timeWindow: number): void {
      const fullKey = this.prefix + key;
      if (redis.status !== 'ready') {
        cb(null, memory.count(fullKey, timeWindow));
        return;
      }
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        cb(null, memory.count(fullKey, timeWindow));
      }, COUNT_TIMEOUT_MS);
      counting.arbiterRateCount(fullKey, timeWindow, (err, result) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) cb(null, memory.count(fullKey, timeWindow));
        else cb(null, { current: Number(result[0]), ttl: Number(result[1]) });
      });
    }
    child(routeOptions: { routeInfo: { method: string; url: string } }): Store {
      return new Store(`${this.prefix}${routeOptions.routeInfo.method}${routeOptions.routeInfo.url}:`);
    }
  }
  return Store;
}

/** Counted per principal when the caller authenticated, else per client address. */
export function rateLimitKey(request: FastifyRequest): string {
  const p = request.principal;
  return p && p.kind !== 'anonymous' ? `p:${principalName(p)}` : `a:${request.ip}`;
}

export async function installRateLimit(app: FastifyInstance, opts: { redis: Redis; config: RateLimitConfig; namespace: string }): Promise<void> {
  const { config } = opts;
  if (!config.enabled) return;
  await app.register(rateLimit, {
    global: true,
    // The plugin adds its hook to each route's onRequest, after the instance's own onRequest
    // hooks: authentication has already set request.principal. Nothing has read the body yet.
    hook: 'onRequest',
    timeWindow: config.windowMs,
    max: (_request: FastifyRequest, key: string) => (key.startsWith('p:') ? config.max : config.anonymousMax),
    keyGenerator: rateLimitKey,
    store: redisStore(opts.redis, opts.namespace) as never,
    // Retry-After and the limit headers on a 429; the remaining count on every answer costs a
    // few header writes per request and tells a well-behaved client when to slow down.
    addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (_request, context) =>
      new Problem(
        'rate_limited',
        `More than ${context.max} requests in ${Math.round(config.windowMs / 1000)} s from this caller; retry after ${context.after}`,
        undefined,
        { limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      ),
  });
}
