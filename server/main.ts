// `npm start`: starts everything on embedded defaults, in order, and closes it in reverse on
// SIGINT/SIGTERM: database → Redis → queues → components (chain, node workers…) → HTTP server.
// The chain is CHAIN_RPC_URL or a private anvil under DATA_DIR/chain/ (CHAIN=off: API only).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { JsonRpcProvider } from 'ethers';
import { loadConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import { resolveAdminToken } from './auth/admin-token.js';
import { openDatabase, type Db } from './db/connection.js';
import { applyMigrations } from './db/migrate.js';
import { connectRedis } from './redis/connection.js';
import { ensureRedis, RedisUnavailableError } from './redis/ensure.js';
import { createQueues, type Queues } from './queues/queues.js';
import type { HealthCheck } from './health/registry.js';
import { chainHealthCheck } from './health/chain.js';
import { startChainClient, type ChainClient } from './chain/client.js';
import { webhookComponent } from './webhooks/component.js';
import { responseComponent } from './cases/response-component.js';
import { ensureWebBuild } from './web/build.js';
import { startPipeline } from './pipeline/start.js';
import type { MarketChain } from './market/service.js';
import { limitHeapGrowth } from './heap.js';

const say = (message: string) => console.log(`[arbiter] ${message}`);

/** What a component gets at start. */
export interface StartContext {
  config: Config;
  db: Db;
  redis: Redis;
  queues: Queues;
  /** The chain client, for the components after `chain`; undefined with CHAIN=off. */
  chain?: ChainClient;
  /** The market's chain side (server/market), once the pipeline runs. */
  market?: MarketChain;
  say(message: string): void;
}

/** What a started component hands back. */
export interface ComponentHandle {
  stop(): Promise<void>;
  health?: HealthCheck;
  /** Added to the StartContext of the components after this one. */
  provides?: Partial<Pick<StartContext, 'chain' | 'market'>>;
}

/** A part of the system started by `npm start` between the queues and the HTTP server. */
export interface Component {
  name: string;
  start(ctx: StartContext): Promise<ComponentHandle>;
}

/** anvil's (and hardhat's) dev chain id: the only chain on which anvil's public dev key is used. */
const DEV_CHAIN_ID = 31337n;

/** The URL without credentials or path (an RPC URL often carries an API key). */
function showUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.length > 1 || u.search ? '/…' : ''}`;
}

/** Without CHAIN_DEPLOYER_KEY, an external node must be a dev chain (anvil's public key has its funds). */
async function requireDevChain(rpcUrl: string): Promise<void> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  try {
    const chainId = BigInt(await provider.send('eth_chainId', []));
    if (chainId !== DEV_CHAIN_ID) {
      throw new Error(
        `CHAIN_RPC_URL is chain ${chainId}: set CHAIN_DEPLOYER_KEY to the deployer/registrar key ` +
          `(anvil's public dev key is only used on a dev chain, id ${DEV_CHAIN_ID})`,
      );
    }
  } finally {
    provider.destroy();
  }
}

/**
 * The chain: CHAIN_RPC_URL, or a private anvil on 127.0.0.1 with its state in DATA_DIR/chain/;
 * the contracts are deployed on first use and their addresses kept in DATA_DIR/chain/deployment.json
 * (server/chain/client.ts). CHAIN=off leaves it out.
 */
const chainComponent: Component = {
  name: 'chain',
  async start({ config, say }) {
    if (!config.chainEnabled) {
      say('chain: off (CHAIN=off): API only, no chain client and no chain in /health');
      return { stop: async () => {} };
    }
    const chainDir = join(config.dataDir, 'chain');
    const addressesFile = join(chainDir, 'deployment.json');
    const recorded = existsSync(addressesFile) ? readFileSync(addressesFile, 'utf8') : undefined;
    let client: ChainClient;
    try {
      if (config.chainRpcUrl && !config.chainDeployerKey) await requireDevChain(config.chainRpcUrl);
      client = await startChainClient({
        rpcUrl: config.chainRpcUrl,
        dataDir: config.dataDir,
        deployerKey: config.chainDeployerKey,
        blockMs: config.chainBlockMs,
        // Seconds on the embedded chain (used only when this start deploys the contracts).
        deployConfig: {
          commitWindow: config.pipeline.commitWindow,
          revealWindow: config.pipeline.revealWindow,
          challengeWindow: config.pipeline.challengeWindow,
          clockSeconds: config.pipeline.gameClock,
          batchWindow: Math.max(1, Math.ceil(config.pipeline.sealMs / 1000)),
        },
      });
    } catch (err) {
      // ethers' messages carry the request URL, and with it any key in CHAIN_RPC_URL.
      const e = err as Error & { shortMessage?: string };
      let message = e.shortMessage ?? e.message;
      if (config.chainRpcUrl) {
        const shown = showUrl(config.chainRpcUrl);
        message = message.split(config.chainRpcUrl).join(shown);
        if (!message.startsWith('CHAIN_RPC_URL')) message += ` (CHAIN_RPC_URL ${shown})`;
      }
      throw new Error(`chain: ${message}`);
    }
    const deployed = readFileSync(addressesFile, 'utf8') !== recorded;
    const where = client.anvil
      ? `private anvil (pid ${client.anvil.process.pid}) on ${client.url}, state in ${chainDir}`
      : `${showUrl(client.url)} (CHAIN_RPC_URL)`;
    say(
      `chain: ${where}, chain id ${client.deployment.chainId}; contract addresses in ${addressesFile} ` +
        `(${deployed ? 'deployed now' : 'existing deployment'}, Arbitration ${client.deployment.addresses.arbitration})`,
    );
    return {
      stop: () => client.close(),
      health: chainHealthCheck(client.provider, { expectedChainId: client.deployment.chainId }),
      provides: { chain: client },
    };
  },
};

/**
 * Components in start order. The chain client and the in-process node workers register here
 * (one line each); their health checks join /health and they stop in reverse order.
 */
/**
 * The pipeline (server/pipeline): on the private chain it registers the shipped models, stakes
 * NODES dev node operators and runs them here; then the registrar's jobs and the chain indexer.
 */
const pipelineComponent: Component = {
  name: 'pipeline',
  async start({ config, db, redis, queues, chain, say }) {
    if (!chain) return { stop: async () => {} };
    const pipeline = await startPipeline({ config, db, redis, queues, chain, embedded: chain.anvil !== undefined, log: say });
    say(
      `pipeline: ${pipeline.nodes.length} in-process node operator(s)${pipeline.nodes.length ? ` (${pipeline.nodes.map((n) => n.address).join(', ')})` : ''}; ` +
        `queues under ${config.queuePrefix}; indexer with ${config.pipeline.confirmations} confirmation(s)`,
    );
    return { stop: () => pipeline.stop(), provides: { market: pipeline.market } };
  },
};

const components: Component[] = [chainComponent, pipelineComponent, webhookComponent, responseComponent];

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
  limitHeapGrowth();
  mkdirSync(config.dataDir, { recursive: true });

  const admin = resolveAdminToken(config);
  if (admin.source === 'generated') {
    say(`Generated the admin token. It is shown this once: only its hash is kept (${admin.path}); to replace it, delete that file and restart, or set ADMIN_TOKEN:`);
    say(`  ${admin.token}`);
  } else if (admin.source === 'migrated') {
    say(`The admin token was kept in clear in DATA_DIR/admin-token: now only its hash is kept (${admin.path}) and the clear file is deleted. The token itself is unchanged.`);
  }

  let stoppingSince = 0;
  const shutdown = async (signal: string) => {
    if (stoppingSince) {
      // Under `npm start` one Ctrl-C arrives more than once (the terminal signals the whole process
      // group, and npm forwards it to its child too): only a repeat after a pause means "force it".
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
    let context: StartContext = { config, db: database.db, redis, queues, say };
    for (const component of components) {
      const handle = await component.start(context);
      started.push({ name: component.name, stop: () => handle.stop() });
      if (handle.health) healthChecks[component.name] = handle.health;
      if (handle.provides) context = { ...context, ...handle.provides };
    }

    // The web app's production build, made here when web/ changed since the last one.
    if (config.web === 'on') ensureWebBuild(say);
    const app = await buildApp({ config, adminTokenHash: admin.hash, database, redis, queues, healthChecks, market: context.market });
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
