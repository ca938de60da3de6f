// First start on a chain (DESIGN.md "Components"): the five shipped models registered in the
// registry (root, sha256, featurizer, steps, price, royalty, claimant classes from the card) and
// the node operators staked and serving every model. Each step first reads the chain, so a
// restart registers and stakes nothing twice.
import { ZeroHash, parseEther, type NonceManager } from 'ethers';
import { encodeInputRanges } from '../chain/input-ranges.js';
import type { ChainPort } from './chain-port.js';
import type { ModelCatalogue } from './models.js';

/** Collateral each embedded node operator stakes (at least SEATS × minStake, see stakeFor). */
export const NODE_STAKE = parseEther('10');
/**
 * Concurrent committee seats an embedded node should be able to hold: each seat locks minStake
 * until its batch is final (through the whole challenge window), and a node without a free
 * minStake is not drawn. One batch is sealed every PIPELINE_SEAL_MS per model, so a node sits on
 * many batches at once; too few seats stall the pipeline until windows close.
 */
export const SEATS = 256;
/** The stake that covers SEATS concurrent seats (and never less than NODE_STAKE). */
export async function stakeFor(port: ChainPort): Promise<bigint> {
  const min = BigInt(await port.contracts.staking.minStake());
  const seats = min * BigInt(SEATS);
  return seats > NODE_STAKE ? seats : NODE_STAKE;
}
/** The model ERC-792 disputes naming none are decided by (the front's default). */
export const DEFAULT_JURISDICTION = 'EU261';

export interface BootstrapResult {
  registered: string[];
  /** The front's default model, when this start approved it. */
  defaultModel?: string;
  staked: string[];
  served: string[];
}

export async function registerModels(port: ChainPort, creator: NonceManager, models: ModelCatalogue): Promise<string[]> {
  const registered: string[] = [];
  for (const m of models.all) {
    if (!(await port.isRegistered(m.modelId))) {
      await port.registerModel(creator, m.terms);
      registered.push(m.ref);
    }
    // The featurizer's declared ranges (issue 8 #7): an input outside them can be refused on chain.
    // Only the creator declares them; a model someone else registered keeps its own.
    try {
      await port.setInputRanges(creator, m.modelId, encodeInputRanges(m.definition.featurizer.features));
    } catch (e) {
      if (port.revertName(e) !== 'NotModelCreator') throw e;
    }
  }
  return registered;
}

/** Stakes up to `stake` and serves every model of `models`, whatever is missing. */
/**
 * Approves the default ERC-792 model on the front (through the governance timelock, after registration): the
 * EU261 model when installed, else the first. Nothing when a default is already set.
 */
export async function approveDefaultModel(port: ChainPort, registrar: NonceManager, creator: NonceManager, models: ModelCatalogue): Promise<string | undefined> {
  if ((await port.defaultModel()) !== ZeroHash) return undefined;
  const m = models.byJurisdiction(DEFAULT_JURISDICTION) ?? models.all[0];
  if (!m) return undefined;
  const creatorAddress = await creator.getAddress();
  await untilGoverned(() => port.setDefaultModel(registrar, m.modelId, creatorAddress));
  return m.ref;
}

/**
 * Steps a governed call (ChainPort.governStep: schedule, then execute once the timelock's delay
 * has passed) until it ran; for the short delay of a dev deployment, at bootstrap.
 */
export async function untilGoverned(step: () => Promise<{ state: 'done' | 'pending'; readyAt?: number; waitMs?: number }>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await step();
    if (r.state === 'done') return;
    if (Date.now() > deadline) throw new Error(`a governance call is still pending at its deadline (ready at ${r.readyAt})`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, r.waitMs ?? 1000)));
  }
}

/** `fee`: the fee per case the node declares (NodeStaking.serve); when it changes, every model is served again at it. */
export async function stakeAndServe(port: ChainPort, node: NonceManager, models: ModelCatalogue, stake?: bigint, fee?: bigint): Promise<{ staked: boolean; served: string[] }> {
  const address = (await node.getAddress()).toLowerCase();
  stake ??= await stakeFor(port);
  const current = await port.stakeOf(address);
  let staked = false;
  if (current < stake) {
    await port.stake(node, stake - current);
    staked = true;
  }
  const missing: string[] = [];
  const declared = BigInt((await port.contracts.staking.nodes(address)).fee);
  const refee = fee !== undefined && fee !== declared;
  for (const m of models.all) if (refee || !(await port.servers(m.modelId)).includes(address)) missing.push(m.modelId);
  if (missing.length) await port.serve(node, missing, fee ?? declared);
  return { staked, served: missing.map((id) => models.byId(id)!.ref) };
}

/**
 * What the embedded chain's dev respondent (the account that escrows for cases without a
 * merchant account, anvil's public dev key ESCROW_DEV_INDEX) keeps in its escrow account: at
 * every start it is topped up to this, so the demo's awards are escrowed and paid as before.
 */
export const DEV_RESPONDENT_ESCROW = parseEther('1000');

/** Tops `funder`'s own escrow account up to `target` (nothing when it holds that already). */
export async function fundDevRespondent(port: ChainPort, funder: NonceManager, target = DEV_RESPONDENT_ESCROW): Promise<bigint> {
  const account = await funder.getAddress();
  const { balance } = await port.escrowAccount(account);
  if (balance >= target) return 0n;
  await port.depositFor(funder, account, target - balance);
  return target - balance;
}

export async function bootstrapChain(port: ChainPort, creator: NonceManager, nodes: NonceManager[], models: ModelCatalogue): Promise<BootstrapResult> {
  const registered = await registerModels(port, creator, models);
  // The deployer is the registrar and, here, the creator of the shipped models.
  const defaultModel = await approveDefaultModel(port, creator, creator, models);
  const staked: string[] = [];
  const served: string[] = [];
  for (const n of nodes) {
    const r = await stakeAndServe(port, n, models);
    const a = await n.getAddress();
    if (r.staked) staked.push(a);
    if (r.served.length) served.push(a);
  }
  return { registered, defaultModel, staked, served };
}
