// The one place environment variables are read. Everything else receives a Config value, so
// tests build one directly and nothing reads process.env behind our back.
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The private anvil's least time between blocks under load (CHAIN_BLOCK_MS). At 100 cases/s,
 * 20, 40 and 80 ms gave the same latency within the runs' noise and anvil's CPU a case fell from
 * ~7 to ~4.3 ms against automine (docs/pipeline-bench.md); a lone transaction is mined at once.
 * 25, not 40, since a batch's path is four blocks, three of them sent right after the one before
 * (draw, commits, reveals): a lone case 131–139 ms against 162–167 at 40, and at 100 cases/s the
 * same latency within the noise for ~3 % more of anvil's CPU a case.
 */
export const DEFAULT_BLOCK_MS = 25;

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
  /**
   * CHAIN_BLOCK_MS: the private anvil's blocks are at least this far apart under load (a block as
   * soon as a transaction waits, none while idle: server/chain/miner.ts); 0 is anvil's automine, a
   * block for nearly every transaction. Not used with CHAIN_RPC_URL.
   */
  chainBlockMs: number;
  /** NODE_ENV=production: stricter entry checks (webhook URLs must be public https; outbound webhooks refuse private targets). */
  production: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: deliver to loopback/link-local/private addresses (default: not in production). */
  webhookAllowPrivateTargets: boolean;
  /** WEBHOOK_TIMEOUT_MS: one delivery attempt's whole budget (connect, send, answer). */
  webhookTimeoutMs: number;
  /** WEBHOOK_RETRY_HOURS: how long a delivery is retried before it is given up. */
  webhookRetryHours: number;
  /** WEBHOOK_DISABLE_AFTER_HOURS: an endpoint failing without a success this long is disabled. */
  webhookDisableAfterHours: number;
  /** WEBHOOK_SECRETS_KEY (64 hex digits): seals endpoint secrets at rest; default a key kept under dataDir. */
  webhookSecretsKey?: string;
  /** CASE_RESPONSE_SECONDS: how long a merchant has to respond before its case proceeds without it. */
  caseResponseSeconds: number;
  /**
   * MODEL_PIN_MIN_ACCURACY: the public evaluation accuracy (0…1) a model needs for a merchant to pin
   * it; a pinned model below it (the floor was raised) no longer decides the merchant's cases.
   */
  modelPinMinAccuracy: number;
  /**
   * TRUST_PROXY: which hops may set X-Forwarded-For (Fastify's trustProxy). `false` (default):
   * request.ip is the socket's peer; a hop count, `true`, or a list of proxy addresses/CIDRs.
   * Rate limits and anonymous idempotency scopes key on request.ip, so behind a proxy set this.
   */
  trustProxy: boolean | number | string[];
  /** BODY_LIMIT: bytes a route accepts when it does not declare its own bodyLimit. */
  bodyLimit: number;
  rateLimit: RateLimitConfig;
  timeouts: TimeoutConfig;
  evidenceQuota: EvidenceQuota;
  /** WEB: `on` serves the built web app beside the API, `dev` runs it under Vite with HMR, `off` leaves it out. */
  web: 'on' | 'dev' | 'off';
  /** The pipeline (server/pipeline): node workers, queues, indexer. */
  pipeline: PipelineConfig;
}

export interface RateLimitConfig {
  /** RATE_LIMIT=off turns every limit off (e.g. a benchmark measuring raw throughput). */
  enabled: boolean;
  /** RATE_LIMIT_WINDOW_MS: the window each count runs over. */
  windowMs: number;
  /** RATE_LIMIT_MAX: requests per window for one authenticated caller (principal). */
  max: number;
  /** RATE_LIMIT_ANON_MAX: requests per window from one client address without a valid token. */
  anonymousMax: number;
}

export interface TimeoutConfig {
  /** CONNECTION_TIMEOUT_MS: a socket idle this long is closed. */
  connectionMs: number;
  /** HEADERS_TIMEOUT_MS: the request line and headers must arrive within this. */
  headersMs: number;
  /** REQUEST_TIMEOUT_MS: the whole request (headers and body) must arrive within this. */
  requestMs: number;
  /** KEEP_ALIVE_TIMEOUT_MS: an idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

export interface EvidenceQuota {
  /** EVIDENCE_MAX_FILES_PER_CASE */
  filesPerCase: number;
  /** EVIDENCE_MAX_BYTES_PER_CASE */
  bytesPerCase: number;
  /** EVIDENCE_MAX_BYTES_PER_CALLER: bytes one caller may upload over any 24 hours, all cases together. */
  bytesPerCallerPerDay: number;
}

export interface PipelineConfig {
  /** NODES: in-process node operators on the embedded chain (anvil's public dev keys 1..NODES). */
  nodes: number;
  /** PIPELINE_SEAL_MS: how long a batch fills before the registrar seals it. */
  sealMs: number;
  /** PIPELINE_POLL_MS: how often the indexer, the dispatcher and waiting jobs look again. */
  pollMs: number;
  /**
   * PIPELINE_BATCHES_IN_FLIGHT and PIPELINE_SEAL_HOLD_MS: group commit. While this many of the
   * registrar's batches are between their draw and their proposal, a filling batch keeps filling,
   * for at most the hold (then it seals anyway).
   */
  batchesInFlight: number;
  sealHoldMs: number;
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

function fractionFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw.trim()) || !(n >= 0 && n <= 1)) throw new Error(`${name} must be a number from 0 to 1, got "${raw}"`);
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

function webModeFrom(raw: string | undefined): Config['web'] {
  if (raw === undefined || raw === '') return 'on';
  const v = raw.toLowerCase();
  if (v === 'on' || v === 'dev' || v === 'off') return v;
  throw new Error(`WEB must be "on", "dev" or "off", got "${raw}"`);
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

function booleanFrom(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be "true" or "false", got "${raw}"`);
}

function secretsKeyFrom(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // The value is a secret: the message never repeats it.
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new Error('WEBHOOK_SECRETS_KEY must be 32 bytes as 64 hex digits');
  return raw.toLowerCase();
}

function onOffFrom(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const v = raw.toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new Error(`${name} must be "on" or "off", got "${raw}"`);
}

function trustProxyFrom(raw: string | undefined): boolean | number | string[] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^[0-9]+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    if (!/^[0-9a-fA-F:.]+(\/[0-9]{1,3})?$/.test(entry) && !['loopback', 'linklocal', 'uniquelocal'].includes(entry)) {
      throw new Error(`TRUST_PROXY must be false, true, a hop count or a comma-separated list of addresses/CIDRs, got "${raw}"`);
    }
  }
  return list;
}

const MiB = 1024 * 1024;

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.DATA_DIR || './data');
  const production = env.NODE_ENV === 'production';
  const headersMs = intFrom(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestMs = intFrom(env, 'REQUEST_TIMEOUT_MS', 60_000, 100, 3_600_000);
  if (headersMs > requestMs) throw new Error('HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS');
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
    chainBlockMs: intFrom(env, 'CHAIN_BLOCK_MS', DEFAULT_BLOCK_MS, 0, 60_000),
    production,
    webhookAllowPrivateTargets: booleanFrom(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', !production),
    webhookTimeoutMs: intFrom(env, 'WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
    webhookRetryHours: intFrom(env, 'WEBHOOK_RETRY_HOURS', 72, 1, 24 * 30),
    webhookDisableAfterHours: intFrom(env, 'WEBHOOK_DISABLE_AFTER_HOURS', 72, 1, 24 * 30),
    webhookSecretsKey: secretsKeyFrom(env.WEBHOOK_SECRETS_KEY),
    // Production gives a merchant a week; the embedded stack two minutes, so a demo case moves on.
    caseResponseSeconds: intFrom(env, 'CASE_RESPONSE_SECONDS', production ? 7 * 24 * 3600 : 120, 0, 90 * 24 * 3600),
    // The shipped models measure 0.9985 to 1 on their public evaluation sets.
    modelPinMinAccuracy: fractionFrom(env, 'MODEL_PIN_MIN_ACCURACY', 0.95),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    bodyLimit: intFrom(env, 'BODY_LIMIT', 32 * 1024, 1024, 64 * MiB),
    rateLimit: {
      enabled: onOffFrom('RATE_LIMIT', env.RATE_LIMIT, true),
      windowMs: intFrom(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 100, 24 * 3_600_000),
      max: intFrom(env, 'RATE_LIMIT_MAX', 1_200, 1, 1_000_000_000),
      anonymousMax: intFrom(env, 'RATE_LIMIT_ANON_MAX', 300, 1, 1_000_000_000),
    },
    timeouts: {
      connectionMs: intFrom(env, 'CONNECTION_TIMEOUT_MS', 120_000, 100, 3_600_000),
      headersMs,
      requestMs,
      keepAliveMs: intFrom(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    },
    evidenceQuota: {
      filesPerCase: intFrom(env, 'EVIDENCE_MAX_FILES_PER_CASE', 20, 1, 100_000),
      bytesPerCase: intFrom(env, 'EVIDENCE_MAX_BYTES_PER_CASE', 50 * MiB, 1, 1024 * 1024 * MiB),
      bytesPerCallerPerDay: intFrom(env, 'EVIDENCE_MAX_BYTES_PER_CALLER', 200 * MiB, 1, 1024 * 1024 * MiB),
    },
    web: webModeFrom(env.WEB),
    pipeline: {
      nodes: intFrom(env, 'NODES', 3, 0, 7),
      sealMs: intFrom(env, 'PIPELINE_SEAL_MS', 200, 0, 3_600_000),
      pollMs: intFrom(env, 'PIPELINE_POLL_MS', 250, 10, 60_000),
      batchesInFlight: intFrom(env, 'PIPELINE_BATCHES_IN_FLIGHT', 2, 1, 1000),
      sealHoldMs: intFrom(env, 'PIPELINE_SEAL_HOLD_MS', 1000, 0, 3_600_000),
      confirmations: intFrom(env, 'CHAIN_CONFIRMATIONS', 0, 0, 1000),
      commitWindow: intFrom(env, 'COMMIT_WINDOW_SECONDS', 60, 1, 30 * 86400),
      revealWindow: intFrom(env, 'REVEAL_WINDOW_SECONDS', 60, 1, 30 * 86400),
      challengeWindow: intFrom(env, 'CHALLENGE_WINDOW_SECONDS', 30, 1, 30 * 86400),
      gameClock: intFrom(env, 'GAME_CLOCK_SECONDS', 120, 1, 30 * 86400),
    },
  };
}
