// First start on a chain (DESIGN.md "Components"): the five shipped models registered in the
// registry (root, sha256, featurizer, steps, price, royalty, claimant classes from the card) and
// the node operators staked and serving every model. Each step first reads the chain, so a
// restart registers and stakes nothing twice.
import { parseEther, type NonceManager } from 'ethers';
import type { ChainPort } from './chain-port.js';
import type { ModelCatalogue } from './models.js';

/** Collateral each embedded node operator stakes. */
export const NODE_STAKE = parseEther('10');

export interface BootstrapResult {
  registered: string[];
  staked: string[];
  served: string[];
}

export async function registerModels(port: ChainPort, creator: NonceManager, models: ModelCatalogue): Promise<string[]> {
  const registered: string[] = [];
  for (const m of models.all) {
    if (await port.isRegistered(m.modelId)) continue;
    await port.registerModel(creator, m.terms);
    registered.push(m.ref);
  }
  return registered;
}

/** Stakes up to `stake` and serves every model of `models`, whatever is missing. */
export async function stakeAndServe(port: ChainPort, node: NonceManager, models: ModelCatalogue, stake = NODE_STAKE): Promise<{ staked: boolean; served: string[] }> {
  const address = (await node.getAddress()).toLowerCase();
  const current = await port.stakeOf(address);
  let staked = false;
  if (current < stake) {
    await port.stake(node, stake - current);
    staked = true;
  }
  const missing: string[] = [];
  for (const m of models.all) if (!(await port.servers(m.modelId)).includes(address)) missing.push(m.modelId);
  if (missing.length) await port.serve(node, missing, 0n);
  return { staked, served: missing.map((id) => models.byId(id)!.ref) };
}

export async function bootstrapChain(port: ChainPort, creator: NonceManager, nodes: NonceManager[], models: ModelCatalogue): Promise<BootstrapResult> {
  const registered = await registerModels(port, creator, models);
  const staked: string[] = [];
  const served: string[] = [];
  for (const n of nodes) {
    const r = await stakeAndServe(port, n, models);
    const a = await n.getAddress();
    if (r.staked) staked.push(a);
    if (r.served.length) served.push(a);
  }
  return { registered, staked, served };
}
