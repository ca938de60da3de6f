// The referee's MATMUL uses CLZ (EIP-7939, osaka): deploying on an older EVM must fail before
// anything is deployed, with an error that says why (a referee that reverts on every MATMUL
// step would make honest defenders lose on their clocks).
import { afterEach, describe, expect, it } from 'vitest';
import { JsonRpcProvider, NonceManager, Wallet } from 'ethers';
import { ANVIL_KEYS, startAnvil, type AnvilNode } from '../../../server/chain/anvil.js';
import { EvmVersionError, assertOsakaEvm, deploySystem } from '../../../server/chain/deploy.js';

let node: AnvilNode | undefined;
let provider: JsonRpcProvider | undefined;
afterEach(async () => {
  provider?.destroy();
  await node?.stop();
  node = undefined;
});

async function chain(hardfork?: string) {
  node = await startAnvil({ hardfork });
  provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 50 });
  return provider;
}

describe('deploy › the EVM version', () => {
  it('deploySystem › refuses a prague chain (no CLZ) before deploying anything', async () => {
    const p = await chain('prague');
    await expect(assertOsakaEvm(p)).rejects.toThrow(EvmVersionError);
    const signer = new NonceManager(new Wallet(ANVIL_KEYS[0], p));
    await expect(deploySystem(signer)).rejects.toThrow(/osaka/);
    expect(await p.getTransactionCount(await signer.getAddress())).toBe(0);
  });

  it('assertOsakaEvm › accepts anvil’s default hardfork (osaka)', async () => {
    await expect(assertOsakaEvm(await chain())).resolves.toBeUndefined();
  });
});
