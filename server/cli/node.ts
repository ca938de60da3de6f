// `arbiter node`: one node operator as its own process (DESIGN.md "Components"), against the
// same Redis and chain as the service, never its database. The key comes from a file
// (--key-file) or ARBITER_NODE_KEY, never from the command line, where any local user can read it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NonceManager, Wallet } from 'ethers';
import { connectRedis } from '../redis/connection.js';
import { readDeployment } from '../chain/deploy.js';
import { createChainPort } from '../pipeline/chain-port.js';
import { loadCatalogue } from '../pipeline/models.js';
import { stakeAndServe } from '../pipeline/bootstrap.js';
import { startNodeWorker } from '../nodes/node-worker.js';
import { connectRpc } from '../chain/provider.js';

export const NODE_USAGE = `arbiter node [--key-file F] [--redis URL] [--rpc URL] [--models eu261,…] [--deployment FILE] [--data DIR]
      runs one node operator: its committee seats (execute, commit, reveal), challenges and games.
      Key: --key-file F (a file holding the 32-byte hex key) or ARBITER_NODE_KEY; never an argument.
      --redis (REDIS_URL, default redis://127.0.0.1:6379), --rpc (CHAIN_RPC_URL, default http://127.0.0.1:8545),
      --ws (CHAIN_WS_URL, default the --rpc URL as ws://: new blocks pushed; polling without it),
      --deployment (default DATA_DIR/chain/deployment.json), --data (its own trace store; default
      DATA_DIR/nodes/<address>), QUEUE_PREFIX as the service's. Stakes and serves what is missing
      (--no-stake: never); --fee WEI declares its fee per case (NodeStaking.serve); --api URL also
      serves the models registered with that service, each measured here against its card first. Test switches: --fault-step K (corrupt state t_K), --silent (never act
      after revealing), --hide-claims (never publish its claims nor
      challenge or accuse; only open its root and answer).`;

interface NodeArgs {
  keyFile?: string;
  redis?: string;
  rpc?: string;
  ws?: string;
  models?: string[];
  deployment?: string;
  data?: string;
  faultStep?: number;
  silent: boolean;
  hideClaims: boolean;
  stake: boolean;
  /** wei per case the node declares for the models it serves */
  fee?: bigint;
  /** The service whose registered models the node also serves (each measured here first). */
  api?: string;
}

export function parseNodeArgs(argv: string[]): NodeArgs {
  const out: NodeArgs = { silent: false, hideClaims: false, stake: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--key' || a.startsWith('--key=') || a === '--private-key') throw new Error('a key is never taken from the command line: use --key-file F or ARBITER_NODE_KEY');
    else if (a === '--key-file') out.keyFile = value();
    else if (a === '--redis') out.redis = value();
    else if (a === '--rpc') out.rpc = value();
    else if (a === '--ws') out.ws = value();
    else if (a === '--models') out.models = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--deployment') out.deployment = value();
    else if (a === '--data') out.data = value();
    else if (a === '--fault-step') {
      const k = Number(value());
      if (!Number.isInteger(k) || k < 0) throw new Error('--fault-step takes a state index ≥ 0');
      out.faultStep = k;
    } else if (a === '--silent') out.silent = true;
    else if (a === '--hide-claims') out.hideClaims = true;
    else if (a === '--no-stake') out.stake = false;
    else if (a === '--api') out.api = value();
    else if (a === '--fee') {
      const v = value();
      if (!/^\d{1,38}$/.test(v)) throw new Error('--fee takes wei per case (decimal digits)');
      out.fee = BigInt(v);
    }
    else throw new Error(`unknown option ${a}\n${NODE_USAGE}`);
  }
  return out;
}

function readKey(args: NodeArgs, env: NodeJS.ProcessEnv): string {
  const raw = args.keyFile ? readFileSync(args.keyFile, 'utf8').trim() : env.ARBITER_NODE_KEY?.trim();
  if (!raw) throw new Error('no key: give --key-file F or set ARBITER_NODE_KEY');
  const key = raw.startsWith('0x') ? raw : `0x${raw}`;
  // The value is a secret: the message never repeats it.
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error('the node key must be a 32-byte hex private key');
  return key;
}

/** Runs until SIGINT/SIGTERM; resolves to the exit code. */
export async function runNode(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseNodeArgs(argv);
  const key = readKey(args, env);
  const dataDir = resolve(env.DATA_DIR || './data');
  const deploymentFile = args.deployment ?? env.ARBITER_DEPLOYMENT ?? join(dataDir, 'chain', 'deployment.json');
  if (!existsSync(deploymentFile)) throw new Error(`no deployment record at ${deploymentFile} (--deployment FILE)`);
  const deployment = readDeployment(deploymentFile)!;
  const rpcUrl = args.rpc ?? env.CHAIN_RPC_URL ?? 'http://127.0.0.1:8545';
  const provider = connectRpc(rpcUrl);
  const wallet = new Wallet(key, provider);
  const signer = new NonceManager(wallet);
  const address = wallet.address.toLowerCase();
  const say = (m: string) => process.stderr.write(`[arbiter node ${address.slice(0, 10)}] ${m}\n`);
  const redis = connectRedis(args.redis ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const models = await loadCatalogue(args.models);
  if (!models.all.length) throw new Error(`no shipped model matches --models ${args.models?.join(',')}`);
  if (args.api) {
    const { addRegisteredModels } = await import('../market/remote.js');
    const r = await addRegisteredModels(args.api, models, say);
    if (r.added.length) say(`serving registered models ${r.added.join(', ')} (measured here against their cards)`);
  }
  const port = createChainPort(deployment, provider);
  if (args.stake) {
    const r = await stakeAndServe(port, signer, models, undefined, args.fee);
    if (r.staked || r.served.length) say(`staked and serving ${models.all.map((m) => m.ref).join(', ')}`);
  }
  const prefix = env.QUEUE_PREFIX || 'arbiter';
  const node = await startNodeWorker({
    signer,
    saltSecret: key,
    port,
    connection: redis,
    prefix,
    models,
    storeDir: args.data ?? join(dataDir, 'nodes', address),
    pollMs: Number(env.PIPELINE_POLL_MS || 250),
    faultStep: args.faultStep,
    silent: args.silent,
    hideClaims: args.hideClaims,
    // New heads pushed over a WebSocket (anvil and most nodes serve one beside HTTP); without
    // one the node polls, and says so once.
    headsUrl: args.ws ?? env.CHAIN_WS_URL ?? rpcUrl.replace(/^http/, 'ws'),
    log: say,
  });
  say(
    `ready: queue ${prefix}:${node.queueName}, models ${models.all.map((m) => m.ref).join(', ')}` +
      `${args.faultStep !== undefined ? `, TEST FAULT at state ${args.faultStep}` : ''}${args.silent ? ', TEST SILENT after reveal' : ''}${args.hideClaims ? ', TEST CLAIMS HIDDEN' : ''}`,
  );
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop());
    process.once('SIGTERM', () => resolveStop());
  });
  await node.close();
  redis.disconnect();
  provider.destroy();
  return 0;
}
