// The one place environment variables are read. Everything else receives a Config value, so
// tests build one directly and nothing reads process.env behind our back.
import { isAbsolute, join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Root of every file Arbiter writes: database, evidence blobs, private Redis, admin token. */
  dataDir: string;
  /** Absolute path of the SQLite file. */
  databasePath: string;
  redisUrl: string;
  /** Whether REDIS_URL was given explicitly; only the default URL may get a private redis-server. */
  redisUrlExplicit: boolean;
  /** BullMQ key prefix, so several deployments (or test runs) share one Redis without colliding. */
  queuePrefix: string;
  /** From ADMIN_TOKEN; undefined means "generate once and keep under dataDir". */
  adminToken?: string;
  evidenceDir: string;
  evidenceMaxBytes: number;
  logLevel: string;
  /** CHAIN: `off` runs the API alone (no chain client, no `chain` in /health). */
  chainEnabled: boolean;
  /** CHAIN_RPC_URL: an existing EVM JSON-RPC endpoint; undefined means a private anvil under dataDir/chain. */
  chainRpcUrl?: string;
  /**
   * CHAIN_DEPLOYER_KEY: the deployer/registrar key for CHAIN_RPC_URL. Undefined means anvil's first
   * public dev key, which is only accepted on a local dev chain (chain id 31337).
   */
  chainDeployerKey?: string;
  /** The pipeline (server/pipeline): node workers, queues, indexer. */
  pipeline: PipelineConfig;
}

export interface PipelineConfig {
  /** NODES: in-process node operators on the embedded chain (anvil's public dev keys 1..NODES). */
  nodes: number;
  /** PIPELINE_SEAL_MS: how long a batch fills before the registrar seals it. */
  sealMs: number;
  /** PIPELINE_POLL_MS: how often the indexer, the dispatcher and waiting jobs look again. */
  pollMs: number;
  /** CHAIN_CONFIRMATIONS: blocks an event must be under before the indexer folds it (reorg margin). */
  confirmations: number;
  /** Seconds of the chain's windows, used when this process deploys the contracts. */
  commitWindow: number;
  revealWindow: number;
  challengeWindow: number;
  gameClock: number;
}

export type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

/** DATABASE_URL accepts a plain path or a `file:`/`sqlite:` URL; relative paths resolve from cwd. */
function databasePathFrom(raw: string | undefined, dataDir: string): string {
  if (!raw) return join(dataDir, 'arbiter.db');
  const stripped = raw.replace(/^(sqlite|file):(\/\/)?/, '');
  return isAbsolute(stripped) ? stripped : resolve(stripped);
}

function chainEnabledFrom(raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return true;
  const v = raw.toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new Error(`CHAIN must be "on" or "off", got "${raw}"`);
}

function chainRpcUrlFrom(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`CHAIN_RPC_URL must be an http(s) JSON-RPC URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`CHAIN_RPC_URL must be an http(s) JSON-RPC URL, got a ${url.protocol} URL`);
  }
  return raw;
}

function privateKeyFrom(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const key = raw.startsWith('0x') ? raw : `0x${raw}`;
  // The value is a secret: the message never repeats it.
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error('CHAIN_DEPLOYER_KEY must be a 32-byte hex private key');
  return key;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.DATA_DIR || './data');
  return {
    port: intFrom(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    databasePath: databasePathFrom(env.DATABASE_URL, dataDir),
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    redisUrlExplicit: Boolean(env.REDIS_URL),
    queuePrefix: env.QUEUE_PREFIX || 'arbiter',
    adminToken: env.ADMIN_TOKEN || undefined,
    evidenceDir: join(dataDir, 'evidence'),
    evidenceMaxBytes: intFrom(env, 'EVIDENCE_MAX_BYTES', 10 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    logLevel: env.LOG_LEVEL || 'info',
    chainEnabled: chainEnabledFrom(env.CHAIN),
    chainRpcUrl: chainRpcUrlFrom(env.CHAIN_RPC_URL),
    chainDeployerKey: privateKeyFrom(env.CHAIN_DEPLOYER_KEY),
    pipeline: {
      nodes: intFrom(env, 'NODES', 3, 0, 7),
      sealMs: intFrom(env, 'PIPELINE_SEAL_MS', 200, 0, 3_600_000),
      pollMs: intFrom(env, 'PIPELINE_POLL_MS', 250, 10, 60_000),
      confirmations: intFrom(env, 'CHAIN_CONFIRMATIONS', 0, 0, 1000),
      commitWindow: intFrom(env, 'COMMIT_WINDOW_SECONDS', 60, 1, 30 * 86400),
      revealWindow: intFrom(env, 'REVEAL_WINDOW_SECONDS', 60, 1, 30 * 86400),
      challengeWindow: intFrom(env, 'CHALLENGE_WINDOW_SECONDS', 30, 1, 30 * 86400),
      gameClock: intFrom(env, 'GAME_CLOCK_SECONDS', 120, 1, 30 * 86400),
    },
  };
}
