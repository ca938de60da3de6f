// The embedded chain signs with anvil's well-known dev keys (README "Chain"): each key in
// ANVIL_KEYS must be one of the accounts anvil itself funds, in anvil's order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonRpcProvider, Wallet } from 'ethers';
import { ANVIL_KEYS, startAnvil, type AnvilNode } from '../../../server/chain/anvil.js';

describe('dev keys', () => {
  let node: AnvilNode;
  let provider: JsonRpcProvider;
  beforeAll(async () => {
    node = await startAnvil();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
  });
  afterAll(async () => {
    provider?.destroy();
    await node?.stop();
  });

  it('ANVIL_KEYS › are anvil’s funded dev accounts, in order', async () => {
    const accounts: string[] = await provider.send('eth_accounts', []);
    const addresses = ANVIL_KEYS.map((k) => new Wallet(k).address.toLowerCase());
    expect(addresses).toEqual(accounts.slice(0, ANVIL_KEYS.length).map((a) => a.toLowerCase()));
    for (const a of addresses) expect(await provider.getBalance(a)).toBeGreaterThan(0n);
  });
});
