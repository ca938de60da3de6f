// `npm start`: starts everything on embedded defaults, in order, and closes it in reverse on
// SIGINT/SIGTERM: database → Redis → queues → components (chain, node workers…) → HTTP server.
import { mkdirSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import { resolveAdminToken } from './auth/admin-token.js';
import { openDatabase, type Db } from './db/connection.js';
import { applyMigrations } from './db/migrate.js';
import { connectRedis } from './redis/connection.js';
import { ensureRedis, RedisUnavailableError } from './redis/ensure.js';
import { createQueues, type Queues } from './queues/queues.js';
import type { HealthCheck } from './health/registry.js';

const say = (message: string) => console.log(`[arbiter] ${message}`);

/** What a component gets at start. */
export interface StartContext {
  config: Config;
  db: Db;
  redis: Redis;
  queues: Queues;
  say(message: string): void;
}

/** A part of the system started by `npm start` between the queues and the HTTP server. */
export interface Component {
  name: string;
  start(ctx: StartContext): Promise<{ stop(): Promise<void>; health?: HealthCheck }>;
}

/**
 * Components in start order. The chain client and the in-process node workers register here
 * (one line each); their health checks join /health and they stop in reverse order.
 */
const components: Component[] = [];

/** Stop functions in start order; shutdown runs them last-first. */
const started: { name: string; stop: () => Promise<void> | void }[] = [];

async function stopAll(): Promise<void> {
  for (const { name, stop } of started.splice(0).reverse()) {
    try {
      await stop();
    } catch (err) {
      console.error(`[arbiter] error while stopping ${name}:`, (err as Error).message);
    }
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });

  const admin = resolveAdminToken(config);
  if (admin.source === 'generated') {
    say(`Generated the admin token (kept in ${admin.path}; set ADMIN_TOKEN to use your own):`);
    say(`  ${admin.token}`);
  }

  let stoppingSince = 0;
  const shutdown = async (signal: string) => {
    if (stoppingSince) {
      // Under `npx tsx` one Ctrl-C arrives several times (the terminal signals the whole process
      // group and tsx relays it too): only a repeat after a pause means "force it".
      if (Date.now() - stoppingSince < 2000) return;
      say(`${signal} again: exiting now`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    say(`${signal}: shutting down`);
    const force = setTimeout(() => {
      console.error('[arbiter] shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    await stopAll();
    say('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const database = openDatabase(config.databasePath);
    started.push({ name: 'database', stop: () => database.close() });
    applyMigrations(database.db);

    const source = await ensureRedis(config, say);
    if (source.privateServer) started.push({ name: 'private redis-server', stop: () => source.privateServer!.stop() });
    const redis = connectRedis(source.url);
    started.push({
      name: 'redis connection',
      stop: async () => {
        if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
        else redis.disconnect();
      },
    });

    const queues = createQueues({ connection: redis, prefix: config.queuePrefix });
    started.push({ name: 'queues', stop: () => queues.close() });

    const healthChecks: Record<string, HealthCheck> = {};
    for (const component of components) {
      const handle = await component.start({ config, db: database.db, redis, queues, say });
      started.push({ name: component.name, stop: () => handle.stop() });
      if (handle.health) healthChecks[component.name] = handle.health;
    }

    const app = await buildApp({ config, adminToken: admin.token, database, redis, queues, healthChecks });
    started.push({ name: 'http server', stop: () => app.close() });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const where = typeof address === 'object' && address ? `http://${config.host}:${address.port}` : String(address);
    say(`listening on ${where} (API under /v1, OpenAPI at ${where}/docs); data in ${config.dataDir}`);
  } catch (err) {
    console.error(`[arbiter] ${err instanceof RedisUnavailableError ? err.message : `failed to start: ${(err as Error).message}`}`);
    await stopAll();
    process.exit(1);
  }
}

await main();
