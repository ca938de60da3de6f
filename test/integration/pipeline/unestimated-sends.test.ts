// On the embedded chain (anvil, synchronous sends) a node's commit and reveal go without an
// estimate (server/pipeline/chain-port.ts, UNESTIMATED_GAS): one request less each on every
// batch's path. What the estimate gave is kept: a commit that reverts is mined, fails, and its
// error is named (replayed), as an estimate's revert was. Every other function is still estimated
// first. Real anvil and contracts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonceManager, Wallet, ZeroHash, type JsonRpcProvider } from 'ethers';
import { ANVIL_KEYS } from '../../../server/chain/anvil.js';
import { createChainPort } from '../../../server/pipeline/chain-port.js';
import { countingProvider } from '../../support/counting-provider.js';
import { startChain, type ChainFixture } from '../contracts/chain-fixture.js';

let fx: ChainFixture;
let provider: JsonRpcProvider;
let count: (method: string) => number;
beforeAll(async () => {
  fx = await startChain({ deploy: true });
  ({ provider, count } = countingProvider(fx.anvil.url));
}, 120_000);
afterAll(async () => {
  provider?.destroy();
  await fx?.stop();
});

describe('pipeline › sends without an estimate on the embedded chain', { timeout: 120_000 }, () => {
  it('a commit goes unestimated; reverting, it is mined as failed and its error named', async () => {
    const port = createChainPort(fx.deployment!, provider);
    const node = new NonceManager(new Wallet(ANVIL_KEYS[7], provider));
    const estimates = count('eth_estimateGas');
    // Batch 999 does not exist: Arbitration reverts WrongBatchStatus.
    const err = await port.commit(node, 999n, ZeroHash).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    expect(port.revertName(err)).toBe('WrongBatchStatus');
    const receipt = (err as { receipt?: { status: number; hash: string } }).receipt!;
    expect(receipt.status).toBe(0); // on chain, failed: no estimate held it back
    expect(count('eth_estimateGas')).toBe(estimates);
    expect((await fx.provider.getTransactionReceipt(receipt.hash))!.status).toBe(0);
    // The signer's nonces stay in order: its next transaction goes through.
    const again = await port.commit(node, 998n, ZeroHash).catch((e: unknown) => e);
    expect(port.revertName(again)).toBe('WrongBatchStatus');
  });

  it('any other function is estimated first: a seal of a batch not filling is refused before it is sent', async () => {
    const port = createChainPort(fx.deployment!, provider);
    const registrar = new NonceManager(new Wallet(ANVIL_KEYS[0], provider));
    const estimates = count('eth_estimateGas');
    const nonce = await fx.provider.getTransactionCount(fx.addresses[0]);
    expect(await port.seal(registrar, 999n)).toBeUndefined();
    expect(count('eth_estimateGas')).toBe(estimates + 1);
    expect(await fx.provider.getTransactionCount(fx.addresses[0])).toBe(nonce); // nothing sent
  });
});
