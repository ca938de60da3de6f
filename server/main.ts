// `npm start`: starts everything on embedded defaults, in order (database and HTTP app in
// buildApp; Redis first, since the app needs it), and closes in reverse on SIGINT/SIGTERM.
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { resolveAdminToken } from './auth/admin-token.js';
import { ensureRedis, RedisUnavailableError, type RedisSource } from './redis/ensure.js';

const say = (message: string) => console.log(`[arbiter] ${message}`);

async function main(): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });

  const admin = resolveAdminToken(config);
  if (admin.source === 'generated') {
    say(`Generated the admin token (kept in ${admin.path}; set ADMIN_TOKEN to use your own):`);
    say(`  ${admin.token}`);
  }

  let redis: RedisSource;
  try {
    redis = await ensureRedis(config, say);
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      console.error(`[arbiter] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }

  let app: FastifyInstance | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      say(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    say(`${signal}: shutting down`);
    const force = setTimeout(() => {
      console.error('[arbiter] shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      // Reverse start order: HTTP server, queues, Redis connection, database (app.close), then
      // the private redis-server if we started one.
      await app?.close();
      await redis.privateServer?.stop();
      say('stopped cleanly');
      process.exit(0);
    } catch (err) {
      console.error('[arbiter] error during shutdown', err);
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    app = await buildApp({ config, adminToken: admin.token });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    console.error('[arbiter] failed to start:', (err as Error).message);
    await app?.close().catch(() => {});
    await redis.privateServer?.stop();
    process.exit(1);
  }
  const address = app.server.address();
  const where = typeof address === 'object' && address ? `http://${config.host}:${address.port}` : String(address);
  say(`listening on ${where} (API under /v1, OpenAPI at ${where}/docs); data in ${config.dataDir}`);
}

await main();
