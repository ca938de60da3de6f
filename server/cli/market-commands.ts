// The marketplace from the command line (issue 12):
//   arbiter model register <dir>        POST the folder's .onnx and card to the service (a creator's key)
//   arbiter model verify <modelId|ref>  fetch a model's bytes and card from the service, measure them
//                                       here and compare with the card and the on-chain registry entry
//   arbiter model verify <dir> --rpc …  a folder, also compared with the on-chain registry entry
//   arbiter node status                 the operator's stake, models, seats, earnings and slashes
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Wallet, id as utf8Id } from 'ethers';
import { claimantClassWords } from '../chain/awards.js';
import { readDeployment } from '../chain/deploy.js';
import { modelIdOf } from '../inference/claim-commitment.js';
import { modelRef, type ModelCard } from '../models/card.js';
import { readCard } from '../models/load.js';
import { createChainPort, type RegistryEntry } from '../pipeline/chain-port.js';
import { loadCatalogue } from '../pipeline/models.js';
import { cardShapeProblems, measureModel } from '../market/measure.js';
import { connectRpc } from '../chain/provider.js';

export const MARKET_USAGE = `arbiter model register <dir> [--api URL] [--key-file F] [--price WEI] [--royalty-bps N]
      register the folder's model (card.json and its .onnx) as a creator: the service measures it,
      refuses a card that differs (each difference named) and publishes it on chain. Key: --key-file F
      or ARBITER_CREATOR_KEY (the creator's API key); --api (ARBITER_API_URL, default http://127.0.0.1:3000)
  arbiter model verify <modelId | name@version> [--api URL] [--rpc URL] [--deployment FILE]
      fetch a registered model's bytes and card from the service, recompute everything here and
      compare with the card and the on-chain registry entry (--rpc: CHAIN_RPC_URL, default
      http://127.0.0.1:8545; --deployment: default DATA_DIR/chain/deployment.json)
  arbiter model verify <dir> --rpc URL | --deployment FILE
      as above for a folder, also compared with the on-chain registry entry
  arbiter node status [--api URL] [--address 0x… | --key-file F]
      a node operator's stake, models and fee, seats, earnings and slashes (key: ARBITER_NODE_KEY)`;

export interface MarketOpts {
  api: string;
  rpc?: string;
  deployment?: string;
  keyFile?: string;
  price?: string;
  royaltyBps?: string;
  address?: string;
}

export function parseMarketOpts(argv: string[], env: NodeJS.ProcessEnv = process.env): MarketOpts {
  const out: MarketOpts = { api: env.ARBITER_API_URL || 'http://127.0.0.1:3000' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--api') out.api = value();
    else if (a === '--rpc') out.rpc = value();
    else if (a === '--deployment') out.deployment = value();
    else if (a === '--key-file') out.keyFile = value();
    else if (a === '--price') out.price = value();
    else if (a === '--royalty-bps') out.royaltyBps = value();
    else if (a === '--address') out.address = value();
    else if (a === '--key' || a.startsWith('--key=')) throw new Error('a key is never taken from the command line: use --key-file F or the environment');
    else throw new Error(`unknown option ${a}\n${MARKET_USAGE}`);
  }
  out.api = out.api.replace(/\/+$/, '');
  return out;
}

const out = (line: string) => void process.stdout.write(`${line}\n`);

function secret(opts: MarketOpts, env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = opts.keyFile ? readFileSync(opts.keyFile, 'utf8').trim() : env[name]?.trim();
  return raw || undefined;
}

export async function register(dir: string, opts: MarketOpts, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const key = secret(opts, env, 'ARBITER_CREATOR_KEY');
  if (!key) throw new Error('no key: give --key-file F or set ARBITER_CREATOR_KEY (the creator\'s API key)');
  const folder = resolve(dir);
  const card = await readCard(folder);
  const bytes = await readFile(join(folder, card.file || 'model.onnx'));
  const form = new FormData();
  form.append('model', new Blob([new Uint8Array(bytes)]), 'model.onnx');
  form.append('card', JSON.stringify(card));
  form.append('featurizer', `${card.featurizer?.id}@${card.featurizer?.version}`);
  if (opts.price) form.append('price', opts.price);
  if (opts.royaltyBps) form.append('royaltyBps', opts.royaltyBps);
  const res = await fetch(`${opts.api}/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  const body = (await res.json()) as { model?: { ref: string; id: string; price: string; royaltyBps: number; accuracy: number }; tx?: string; detail?: string; errors?: { pointer?: string; message: string }[] };
  if (res.status === 201 && body.model) {
    out(`registered ${body.model.ref} (${body.model.id}) on chain in ${body.tx}: price ${body.model.price} wei, royalty ${body.model.royaltyBps} bps, public evaluation ${body.model.accuracy}`);
    return 0;
  }
  for (const e of body.errors ?? []) out(`FAIL ${e.pointer ?? ''}: ${e.message}`);
  process.stderr.write(`arbiter: ${folder} was not registered (${res.status}): ${body.detail ?? ''}\n`);
  return 1;
}

interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

/** Every claim of `card` the on-chain registry entry contradicts. */
export function registryChecks(card: ModelCard, entry: RegistryEntry | undefined): Check[] {
  const ref = modelRef(card);
  if (!entry) return [{ what: 'on-chain registry entry', ok: false, detail: `${ref} (${modelIdOf(ref)}) is not registered on this chain` }];
  const words = claimantClassWords(card);
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return [
    { what: 'on-chain model root', ok: same(entry.modelRoot, card.modelRoot), detail: `chain ${entry.modelRoot}, card ${card.modelRoot}` },
    { what: 'on-chain sha256', ok: same(entry.onnxSha256, `0x${card.sha256}`), detail: `chain ${entry.onnxSha256}, card 0x${card.sha256}` },
    { what: 'on-chain steps', ok: entry.steps === card.steps, detail: `chain ${entry.steps}, card ${card.steps}` },
    {
      what: 'on-chain featurizer',
      ok: same(entry.featurizer, utf8Id(`${card.featurizer.id}@${card.featurizer.version}`)),
      detail: `chain ${entry.featurizer}, card ${card.featurizer.id}@${card.featurizer.version}`,
    },
    {
      what: 'on-chain claimant classes',
      ok: words.length === entry.claimantClasses.length && words.every((w, i) => w === entry.claimantClasses[i]),
      detail: `chain [${entry.claimantClasses.join(', ')}], card [${words.join(', ')}]`,
    },
    { what: 'on-chain status', ok: true, detail: `creator ${entry.creator}, price ${entry.price} wei, royalty ${entry.royaltyBps} bps${entry.deprecated ? ', DEPRECATED' : ''}` },
  ];
}

async function chainEntry(card: ModelCard, opts: MarketOpts, env: NodeJS.ProcessEnv): Promise<RegistryEntry | undefined> {
  const file = opts.deployment ?? env.ARBITER_DEPLOYMENT ?? join(resolve(env.DATA_DIR || './data'), 'chain', 'deployment.json');
  if (!existsSync(file)) throw new Error(`no deployment record at ${file} (--deployment FILE)`);
  const provider = connectRpc(opts.rpc ?? env.CHAIN_RPC_URL ?? 'http://127.0.0.1:8545');
  try {
    return await createChainPort(readDeployment(file)!, provider).registryEntry(modelIdOf(modelRef(card)));
  } finally {
    provider.destroy();
  }
}

/** Measures bytes + card here (shipped featurizer and evaluation set), as the service did at registration. */
async function measureChecks(bytes: Uint8Array, card: ModelCard): Promise<Check[]> {
  const shape = cardShapeProblems(card);
  if (shape.length) return shape.map((d) => ({ what: d.pointer, ok: false, detail: d.message }));
  const catalogue = await loadCatalogue();
  const shipped = catalogue.all.find((m) => m.card.jurisdiction === card.jurisdiction && m.card.featurizer.id === card.featurizer.id && m.card.featurizer.version === card.featurizer.version);
  if (!shipped) return [{ what: 'featurizer', ok: false, detail: `${card.featurizer.id}@${card.featurizer.version} for ${card.jurisdiction} is not shipped with this release` }];
  const { measured, differences } = await measureModel(bytes, card, shipped.definition.featurizer, { dir: shipped.dir, evalFile: shipped.definition.evalFile });
  const checks: Check[] = differences.map((d) => ({ what: d.pointer, ok: false, detail: d.message }));
  if (!differences.some((d) => d.pointer === '/card/sha256')) checks.push({ what: 'sha256 of the file', ok: true, detail: measured.sha256 });
  if (measured.modelRoot && !differences.some((d) => d.pointer === '/card/modelRoot')) checks.push({ what: 'model root from the file', ok: true, detail: measured.modelRoot });
  if (measured.evaluation && !differences.some((d) => d.pointer.startsWith('/card/evaluation'))) {
    checks.push({ what: 'public evaluation', ok: true, detail: `${measured.evaluation.agreed}/${measured.evaluation.cases} (set ${measured.evaluation.sha256})` });
  }
  return checks;
}

const isModelId = (arg: string) => /^0x[0-9a-fA-F]{64}$/.test(arg) || (arg.includes('@') && !arg.includes('/'));

export async function verify(arg: string, opts: MarketOpts, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let checks: Check[];
  let card: ModelCard;
  let what: string;
  if (isModelId(arg)) {
    const res = await fetch(`${opts.api}/v1/models/${encodeURIComponent(arg)}`);
    if (res.status !== 200) throw new Error(`${opts.api} has no model ${arg} (${res.status})`);
    card = ((await res.json()) as { card: ModelCard }).card;
    const bytes = new Uint8Array(await (await fetch(`${opts.api}/v1/models/${encodeURIComponent(arg)}/onnx`)).arrayBuffer());
    checks = await measureChecks(bytes, card);
    what = `${modelRef(card)} from ${opts.api}`;
  } else {
    const dir = resolve(arg);
    card = await readCard(dir);
    if (existsSync(join(dir, 'model.ts'))) {
      const { verifyFolder } = await import('./model-commands.js');
      checks = await verifyFolder(dir);
    } else checks = await measureChecks(new Uint8Array(await readFile(join(dir, card.file || 'model.onnx'))), card);
    what = dir;
  }
  if (isModelId(arg) || opts.rpc || opts.deployment) checks.push(...registryChecks(card, await chainEntry(card, opts, env)));
  for (const c of checks) out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    process.stderr.write(`arbiter: ${what} does NOT match (${failed.length} check${failed.length > 1 ? 's' : ''} failed)\n`);
    return 1;
  }
  out(`${what}: verified`);
  return 0;
}

export async function nodeStatus(opts: MarketOpts, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let address = opts.address;
  if (!address) {
    const key = secret(opts, env, 'ARBITER_NODE_KEY');
    if (!key) throw new Error('no address: give --address 0x…, --key-file F or set ARBITER_NODE_KEY');
    address = new Wallet(key.startsWith('0x') ? key : `0x${key}`).address;
  }
  const res = await fetch(`${opts.api}/v1/nodes/${address}`);
  const n = (await res.json()) as {
    detail?: string;
    address: string;
    stake: string;
    locked: string;
    unstaking: string;
    fee: string;
    models: { model: string }[];
    jobs: { seats: number; batches: number; final: number };
    earnings: { fees: string; withdrawable: string; stakingCredit: string };
    slashes: { count: number; total: string };
  };
  if (res.status !== 200) throw new Error(`${opts.api}: ${n.detail ?? res.status}`);
  out(`node ${n.address}`);
  out(`  stake      ${n.stake} wei (locked in seats ${n.locked}, unstaking ${n.unstaking})`);
  out(`  fee        ${n.fee} wei per case`);
  out(`  models     ${n.models.map((m) => m.model).join(', ') || 'none'}`);
  out(`  jobs       ${n.jobs.seats} seats in ${n.jobs.batches} batches (${n.jobs.final} final)`);
  out(`  earnings   ${n.earnings.fees} wei in fees; withdrawable ${n.earnings.withdrawable} (escrow) + ${n.earnings.stakingCredit} (staking)`);
  out(`  slashes    ${n.slashes.count} (${n.slashes.total} wei)`);
  return 0;
}
