// Starts the real app for a test: a fresh temp DATA_DIR (real SQLite file, migrated), the real
// Redis at 127.0.0.1:6379 (REDIS_URL overrides) under a unique QUEUE_PREFIX, and a known admin
// token. close() shuts the app, deletes the run's Redis keys and, unless kept, the DATA_DIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp, createServices, type Services } from '../../server/app.js';
import { loadConfig, type Config, type Env } from '../../server/config.js';
import type { HealthCheck } from '../../server/health/registry.js';

export interface TestApp {
  app: FastifyInstance;
  adminToken: string;
  dataDir: string;
  config: Config;
  /** Services on the app's database, for arranging state the API cannot (e.g. transitions). */
  services: Services;
  close(): Promise<void>;
}

export interface StartTestAppOptions {
  /** Reuse a DATA_DIR (e.g. to check that a restart keeps data); it is then kept on close. */
  dataDir?: string;
  /** Keep the DATA_DIR on close even if this call created it. */
  keepDataDir?: boolean;
  /** Extra environment, as main.ts would read it (PORT, EVIDENCE_MAX_BYTES, …). */
  env?: Env;
  queuePrefix?: string;
  adminToken?: string;
  healthChecks?: Record<string, HealthCheck>;
  clock?: () => Date;
  /** Fastify logger options (default: off), e.g. a stream that collects the log lines. */
  logger?: FastifyServerOptions['logger'];
}

export async function startTestApp(opts: StartTestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'arbiter-test-'));
  const keepDataDir = opts.keepDataDir ?? opts.dataDir !== undefined;
  const queuePrefix = opts.queuePrefix ?? `arbiter-test-${randomBytes(6).toString('hex')}`;
  const adminToken = opts.adminToken ?? `adm_test_${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'warn',
    // Suites fire thousands of requests from one address within a minute; the rate-limit suite
    // sets its own small limits.
    RATE_LIMIT_MAX: '1000000',
    RATE_LIMIT_ANON_MAX: '1000000',
    ...opts.env,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: queuePrefix,
    ADMIN_TOKEN: adminToken,
  });
  const app = await buildApp({ config, adminToken, logger: opts.logger ?? false, healthChecks: opts.healthChecks, clock: opts.clock });
  const services = createServices(app.db, config, opts.clock);
  let closed = false;
  return {
    app,
    adminToken,
    dataDir,
    config,
    services,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await deleteRedisKeys(config.redisUrl, `${queuePrefix}:*`);
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Removes every key this run created, so the shared Redis stays clean between runs. */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
