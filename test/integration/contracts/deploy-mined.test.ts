// Deploying on the service-mined anvil (blocks only when transactions wait): a transaction whose
// first receipt lookup comes back empty and which is mined before ethers' block poller first
// looks was never seen by `tx.wait()` / `waitForDeployment()` (the poller's first look only
// records the head; no later block came on the idle chain), and the deploy hung for good: the
// bench's and the fixtures' rare starts that sat for minutes. Every wait is polled (mined.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonceManager, Wallet, type JsonRpcProvider } from 'ethers';
import { ANVIL_KEYS, startAnvil, type AnvilNode } from '../../../server/chain/anvil.js';
import { deploySystem } from '../../../server/chain/deploy.js';
import { connectRpc } from '../../../server/chain/provider.js';

let anvil: AnvilNode;
let provider: JsonRpcProvider;
beforeAll(async () => {
  anvil = await startAnvil({ accounts: 2, blockMs: 40 });
}, 120_000);
afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
});

describe('deploy › on a chain mined by the service', () => {
  it('each transaction mined just after its receipt lookups and before the block poller first looks: the deploy still ends', async () => {
    provider = connectRpc(anvil.url, 50);
    const send = provider.send.bind(provider);
    const lookups = new Map<string, number>();
    let emptied = 0;
    provider.send = async (method, params) => {
      if (method === 'eth_getTransactionReceipt') {
        // ethers looks twice at once (the wait, then its subscriber's start): both come back empty.
        const hash = String((params as unknown[])[0]);
        const n = (lookups.get(hash) ?? 0) + 1;
        lookups.set(hash, n);
        if (n <= 2) {
          emptied++;
          return null;
        }
      }
      // The head is read only once the miner (40 ms) has mined what waits: a poller's first look
      // takes a head that already holds the transaction.
      if (method === 'eth_blockNumber') await new Promise((r) => setTimeout(r, 150));
      return send(method, params);
    };
    const signer = new NonceManager(new Wallet(ANVIL_KEYS[0], provider));
    const deployment = await deploySystem(signer);
    expect(emptied).toBeGreaterThanOrEqual(20);
    expect(await provider.getCode(deployment.addresses.arbitration)).not.toBe('0x');
  }, 120_000);
});
