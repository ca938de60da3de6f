// The private anvil's miner (server/chain/miner.ts): anvil runs with --no-mining and this process
// mines a block as soon as a transaction waits, never sooner than blockMs after the last one.
// On a real anvil: nothing is mined while idle; a lone transaction is mined with nobody asking;
// a burst shares blocks; blocks far over anvil's usual 30M gas never raise the base fee past what
// a transaction was signed for (one dropped from the pool left its sender's later nonces queued
// for ever: seen in the pipeline bench); with no WebSocket it mines on its looks (a refused
// socket ended the process: ethers listens for no 'error'); transactions that waited before the
// miner started (a restart) are mined. And the chain port's sends on such a chain
// (eth_sendRawTransactionSync): a refused one resets the signer, whose next send lands with the
// nonce the refused one had.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NonceManager, Wallet, parseEther } from 'ethers';
import { BLOCK_MS_GAS_LIMIT, startAnvil, type AnvilNode } from '../../../server/chain/anvil.js';
import { startMiner } from '../../../server/chain/miner.js';
import { connectRpc } from '../../../server/chain/provider.js';
import { createChainPort } from '../../../server/pipeline/chain-port.js';
import { waitUntil } from '../../support/wait.js';
import { startChain, type ChainFixture } from './chain-fixture.js';

const BLOCK_MS = 100;

describe('chain › the miner of a private anvil', { timeout: 120_000 }, () => {
  let anvil: AnvilNode;
  let provider: ReturnType<typeof connectRpc>;
  let funder: NonceManager;
  beforeAll(async () => {
    anvil = await startAnvil({ blockMs: BLOCK_MS, accounts: 10 });
    provider = connectRpc(anvil.url, 20);
    funder = new NonceManager(new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', provider));
  });
  afterAll(async () => {
    provider?.destroy();
    await anvil?.stop();
  });

  const head = async () => Number(await provider.send('eth_blockNumber', []));

  /**
   * A JSON-RPC proxy to anvil over plain HTTP: it refuses every WebSocket upgrade (Node's server
   * destroys the socket), and leaves unanswered any request `hold` returns true for.
   */
  async function startProxy(hold: (body: Buffer) => boolean = () => false) {
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (hold(body)) return;
        fetch(anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
          async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
          () => res.writeHead(502).end(),
        );
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    return proxy;
  }
  const pool = async () => (await provider.send('txpool_status', [])) as { pending: string; queued: string };

  it('mines no block while nothing waits, and a lone transaction with nobody asking', async () => {
    const before = await head();
    // Several of the miner's safety looks (every 250 ms): an idle chain stays where it is.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await head()).toBe(before);
    const tx = await funder.sendTransaction({ to: Wallet.createRandom().address, value: 1n });
    const receipt = await tx.wait(1, 30_000);
    expect(receipt?.status).toBe(1);
    expect(receipt!.blockNumber).toBe(before + 1);
    expect(anvil.miner!.blocks).toBeGreaterThanOrEqual(1);
  });

  it('a burst from many senders shares blocks, and blocks past 30M gas drop nothing', async () => {
    const block = await provider.getBlock('latest');
    expect(block!.gasLimit).toBe(BLOCK_MS_GAS_LIMIT);
    const senders = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const w = new NonceManager(Wallet.createRandom().connect(provider));
        await (await funder.sendTransaction({ to: await w.getAddress(), value: parseEther('10') })).wait(1, 30_000);
        return w;
      }),
    );
    const before = await head();
    // Each creates a contract with 16 KiB of code (~3.3M gas): 36 of them are ~120M gas, four
    // times anvil's default block gas limit. Each may pay 20 % over today's base fee, as a
    // transaction signed at a fee read a moment ago: two blocks over their gas target would raise
    // the base fee past it (12.5 % a block) and anvil would drop the rest of the burst.
    const baseFee = block!.baseFeePerGas!;
    const fee = { maxFeePerGas: (baseFee * 12n) / 10n, maxPriorityFeePerGas: 1n };
    const initcode = '0x614000' + '6000' + 'f3'; // PUSH2 0x4000, PUSH1 0, RETURN: 16 KiB of zeros
    const sent = await Promise.all(
      senders.flatMap((w) =>
        Array.from({ length: 6 }, () => w.sendTransaction({ data: initcode, gasLimit: 4_000_000n, ...fee })),
      ),
    );
    const receipts = await Promise.all(sent.map((t) => t.wait(1, 20_000)));
    expect(receipts.every((r) => r?.status === 1)).toBe(true);
    const blocks = new Set(receipts.map((r) => r!.blockNumber));
    expect(blocks.size).toBeLessThan(receipts.length);
    expect(Math.max(...receipts.map((r) => r!.blockNumber))).toBeGreaterThan(before);
    expect(await pool()).toEqual({ pending: '0x0', queued: '0x0' });
  });

  it('with no WebSocket to be had, the miner neither crashes the process nor stops: it mines on its looks', async () => {
    await anvil.miner!.stop();
    // A proxy that answers JSON-RPC over HTTP and refuses every WebSocket upgrade (Node's server
    // destroys the socket): the miner's subscription fails, and retries, with no listener of ethers'
    // own for the socket's 'error'.
    const proxy = await startProxy();
    const logged: string[] = [];
    const miner = await startMiner(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, BLOCK_MS, (m) => logged.push(m));
    try {
      const before = await head();
      const tx = await funder.sendTransaction({ to: Wallet.createRandom().address, value: 1n });
      const receipt = await tx.wait(1, 30_000);
      expect(receipt!.blockNumber).toBe(before + 1);
      expect(logged.some((l) => l.includes("the miner's subscription"))).toBe(true);
    } finally {
      await miner.stop();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('a block that never answers is given up after its deadline, and the next look mines', async () => {
    await anvil.miner?.stop();
    // A proxy that forwards every call but holds the first evm_mine for ever (an answer lost on
    // the way): with the provider's 120 s deadline nothing was mined for two minutes.
    let held = 0;
    const proxy = await startProxy((body) => {
      if (held > 0 || !body.includes('evm_mine')) return false;
      held++;
      return true; // never answered
    });
    const logged: string[] = [];
    const miner = await startMiner(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, BLOCK_MS, (m) => logged.push(m));
    try {
      const before = await head();
      const tx = await funder.sendTransaction({ to: Wallet.createRandom().address, value: 1n });
      const receipt = await tx.wait(1, 40_000);
      expect(held).toBe(1);
      expect(receipt!.blockNumber).toBe(before + 1);
      expect(logged.some((l) => l.includes('mining a block failed'))).toBe(true);
    } finally {
      await miner.stop();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('transactions that waited before the miner started are mined when it starts', async () => {
    const before = await head();
    const tx = await funder.sendTransaction({ to: Wallet.createRandom().address, value: 1n });
    expect(Number((await pool()).pending)).toBe(1);
    const miner = await startMiner(anvil.url, BLOCK_MS);
    try {
      const receipt = await tx.wait(1, 30_000);
      expect(receipt!.blockNumber).toBe(before + 1);
    } finally {
      await miner.stop();
    }
  });
});

describe('chain › the chain port on a mined anvil (eth_sendRawTransactionSync)', { timeout: 120_000 }, () => {
  let fx: ChainFixture;
  beforeAll(async () => {
    fx = await startChain({ deploy: true, blockMs: BLOCK_MS });
  });
  afterAll(async () => fx?.stop());

  it('a refused transaction resets the signer: its next send lands with the refused one’s nonce', async () => {
    const port = createChainPort(fx.deployment!, fx.provider);
    // A new account with no ether: its estimate passes (no fee is asked there), its broadcast is
    // refused (it cannot pay for gas).
    const wallet = Wallet.createRandom().connect(fx.provider);
    const signer = new NonceManager(wallet);
    await expect(port.stake(signer, 0n)).rejects.toThrow(/refused|insufficient/i);
    await (await fx.wallets[0].sendTransaction({ to: wallet.address, value: parseEther('1') })).wait(1, 30_000);
    const receipt = await port.stake(signer, 0n);
    expect(receipt.status).toBe(1);
    const tx = await fx.provider.getTransaction(receipt.hash);
    expect(tx!.nonce).toBe(0);
    await waitUntil(async () => (await fx.provider.send('txpool_status', [])).pending === '0x0', 'the pool to be empty');
    expect(await fx.provider.getTransactionCount(wallet.address, 'latest')).toBe(1);
  });

  it('sends waiting for their block hold sockets of their own: with 80 of them waiting, reads still answer', async () => {
    const port = createChainPort(fx.deployment!, fx.provider);
    // No miner: every send waits (the shared pool has 64 sockets).
    await fx.anvil.miner!.stop();
    const signer = fx.wallets[2];
    const began = Date.now();
    const sends = Array.from({ length: 80 }, () => port.stake(signer, 0n));
    for (const p of sends) p.catch(() => {});
    await waitUntil(async () => Number((await fx.provider.send('txpool_status', [])).pending) === 80, '80 transactions in the pool', 60_000);
    // On shared sockets these reads would queue behind the 64 sends holding them until anvil gives
    // up waiting for their block, after 30 s; here they answer as soon as the sends are in.
    expect(Date.now() - began).toBeLessThan(25_000);
    expect(await fx.provider.getBlockNumber()).toBeGreaterThan(0);
    const miner = await startMiner(fx.anvil.url, BLOCK_MS);
    try {
      const receipts = await Promise.all(sends);
      expect(receipts.every((r) => r.status === 1)).toBe(true);
    } finally {
      await miner.stop();
    }
  });
});
