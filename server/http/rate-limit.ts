// Rate limits for every route (issue 9, High 1): @fastify/rate-limit with its counters in Redis,
// so a limit holds across server processes. One count per authenticated caller (its principal)
// and one per client address for callers without a valid token; a route may declare its own
// limit in `config.rateLimit` (README, "Limits"). Over the limit: 429 problem+json with
// Retry-After.
//
// Redis is shared with the queues on a connection that waits for Redis forever
// (maxRetriesPerRequest: null, which BullMQ needs). A limiter must never hang the API, so while
// that connection is not ready, or a count takes longer than COUNT_TIMEOUT_MS, this process's
// own count stands in: limits then hold per process until Redis is back.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { isIP } from 'node:net';
import type { RateLimitConfig } from '../config.js';
import { principalName } from '../auth/principal.js';
import { Problem } from '../errors.js';

/** A count Redis has not answered in this long is taken as Redis being away (the connection waits forever). */
const COUNT_TIMEOUT_MS = 1_000;
/** Counts far below the limit are added up here and sent to Redis in one batch this often. */
const FLUSH_MS = 100;
/** What this process last heard from Redis about a key is trusted this long. */
const FRESH_MS = 1_000;
/** Below this share of the limit, a request is counted locally and Redis hears of it within FLUSH_MS. */
const LOCAL_SHARE = 0.5;
/** Budgets this small are counted exactly, every request: an overshoot would be a large share of them. */
const EXACT_BELOW = 100;

// Fixed window, as the plugin's own Redis store counts: add n, and set the expiry with the first hit.
const COUNT_SCRIPT = `
local current = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`;

type Counted = { current: number; ttl: number };
type Callback = (err: Error | null, result: Counted) => void;

interface CountingRedis extends Redis {
  arbiterRateCount(key: string, windowMs: number, add: number, cb: (err: Error | null, result: [number, number]) => void): void;
}

/** One key's window as this process knows it. */
interface Window {
  /** The count Redis last reported (every process's requests). */
  total: number;
  /** Requests counted here since then, not yet sent to Redis. */
  pending: number;
  resetAt: number;
  syncedAt: number;
  windowMs: number;
}

/**
 * The plugin's store interface (incr/child) on the shared Redis connection. A request is counted
 * exactly (one Redis round trip) when its key is new here, near its limit or not heard of for
 * FRESH_MS; far below the limit it is counted in memory and sent with the next batch, so an
 * ordinary caller costs no round trip per request. Across processes a limit can thus be
 * overshot by what the others counted within one batch interval, never more; budgets under
 * EXACT_BELOW are always counted exactly.
 */
function redisStore(redis: Redis, namespace: string) {
  const counting = redis as CountingRedis;
  if (!counting.arbiterRateCount) redis.defineCommand('arbiterRateCount', { numberOfKeys: 1, lua: COUNT_SCRIPT });
  const windows = new Map<string, Window>();
  let flushTimer: NodeJS.Timeout | undefined;

  const count = (key: string, windowMs: number, add: number): Promise<[number, number] | undefined> =>
    new Promise((resolve) => {
      if (redis.status !== 'ready') return resolve(undefined);
      const timer = setTimeout(() => resolve(undefined), COUNT_TIMEOUT_MS);
      counting.arbiterRateCount(key, windowMs, add, (err, result) => {
        clearTimeout(timer);
        resolve(err ? undefined : [Number(result[0]), Number(result[1])]);
      });
    });

  function learn(w: Window, reply: [number, number] | undefined, sent: number, now: number): void {
    if (!reply) {
      // Redis is away: this process's own count stands in until it is back, and what it counted
      // meanwhile goes to Redis with the next count (were it dropped, the first answer from Redis
      // would reset the window to what Redis saw: a fresh budget after every Redis hiccup, and
      // after every start while the connection is still opening). A count that timed out but did
      // reach Redis is then counted twice: stricter, never looser.
      w.pending += sent;
      return;
    }
    w.total = reply[0];
    w.resetAt = now + reply[1];
    w.syncedAt = now;
  }

  function flush(): void {
    flushTimer = undefined;
    const now = Date.now();
    for (const [key, w] of windows) {
      if (w.pending === 0) {
        if (w.resetAt <= now) windows.delete(key);
        continue;
      }
      const sent = w.pending;
      w.pending = 0;
      void count(key, w.windowMs, sent).then((reply) => learn(w, reply, sent, Date.now()));
    }
  }

  class Store {
    private readonly prefix: string;
    // The plugin constructs the store with its own settings (`new Store(globalParams)`) and makes
    // per-route children with child(); the prefix is ours either way.
    constructor(prefix?: unknown) {
      this.prefix = typeof prefix === 'string' ? prefix : namespace;
    }
    incr(key: string, cb: Callback, windowMs: number, max: number): void {
      const fullKey = this.prefix + key;
      const now = Date.now();
      let w = windows.get(fullKey);
      if (w && w.resetAt <= now && w.pending === 0) {
        windows.delete(fullKey);
        w = undefined;
      }
      if (w) {
        const estimate = w.total + w.pending + 1;
        // Over the limit already, or far below it and recently synced: no round trip.
        if ((estimate > max + 1 && w.resetAt > now) || (max >= EXACT_BELOW && estimate <= max * LOCAL_SHARE && now - w.syncedAt < FRESH_MS)) {
          w.pending++;
          flushTimer ??= setTimeout(flush, FLUSH_MS).unref();
          cb(null, { current: estimate, ttl: Math.max(0, w.resetAt - now) });
          return;
        }
      } else {
        w = { total: 0, pending: 0, resetAt: now + windowMs, syncedAt: 0, windowMs };
        windows.set(fullKey, w);
      }
      const window = w;
      const sent = window.pending + 1;
      window.pending = 0;
      void count(fullKey, windowMs, sent).then((reply) => {
        const at = Date.now();
        learn(window, reply, sent, at);
        cb(null, { current: window.total + window.pending, ttl: Math.max(0, window.resetAt - at) });
      });
    }
    child(routeOptions: { routeInfo: { method: string; url: string } }): Store {
      return new Store(`${this.prefix}${routeOptions.routeInfo.method}${routeOptions.routeInfo.url}:`);
    }
  }
  return Store;
}

/** The 8 groups of an IPv6 address (an embedded dotted IPv4 tail becomes the last two). */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const groups = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * The address an anonymous budget belongs to: an IPv4 address (also when the socket shows it
 * mapped into IPv6), or an IPv6 address's /64. A single host commonly holds a whole /64, so
 * counting each IPv6 address apart would hand one caller 2^64 budgets (@fastify/rate-limit's own
 * key groups IPv6 by /64 too; ours replaces it).
 */
export function clientNetwork(ip: string): string {
  if (isIP(ip) === 4) return ip;
  const groups = isIP(ip.replace(/%.*$/, '')) === 6 ? ipv6Groups(ip) : undefined;
  if (!groups) return ip;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** Counted per principal when the caller authenticated, else per client address (IPv6: per /64). */
export function rateLimitKey(request: FastifyRequest): string {
  const p = request.principal;
  return p && p.kind !== 'anonymous' ? `p:${principalName(p)}` : `a:${clientNetwork(request.ip)}`;
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
    // Retry-After and the limit headers on a 429 only: on every other answer they would cost three
    // header writes per request on the filing fast path.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
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
