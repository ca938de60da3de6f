// The JSON-RPC transport of every long-running part (server/chain/provider.ts): Node's HTTP
// client in place of ethers' FetchRequest. Against a real anvil: plain reads, requests of one
// tick sent as one batch, a revert's custom error decoded as before; against a local HTTP server
// standing in for a broken RPC endpoint: a clear error, not a hang or a parse crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectRpc } from '../../../server/chain/provider.js';
import { revertName } from '../../../server/pipeline/chain-port.js';
import { startChain, type ChainFixture } from './chain-fixture.js';

describe('JSON-RPC transport', () => {
  let fx: ChainFixture;
  beforeAll(async () => {
    fx = await startChain({ deploy: true });
  }, 120_000);
  afterAll(async () => {
    await fx?.stop();
  });

  it('connectRpc › reads, batches the requests of one tick, and decodes a revert', async () => {
    const provider = connectRpc(fx.anvil.url, 50);
    try {
      const head = await provider.getBlockNumber();
      expect(head).toBeGreaterThan(0);
      // Several requests made in one tick: one HTTP request, each answer to its own caller.
      const [a, b, balance] = await Promise.all([provider.getBlockNumber(), provider.getBlock(head), provider.getBalance(fx.addresses[1])]);
      expect(a).toBe(head);
      expect(b?.number).toBe(head);
      expect(balance).toBeGreaterThan(0n);
      // A revert keeps its data: the pipeline names the contract's custom error.
      const arbitration = fx.c!.arbitration.connect(provider);
      const err = await arbitration.getFunction('seal').staticCall(999n).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expect(revertName(fx.c!, err)).toBe('WrongBatchStatus');
    } finally {
      provider.destroy();
    }
  });

  it('connectRpc › an endpoint answering an HTTP error or invalid JSON fails with a clear error', async () => {
    let answer: { status: number; body: string } = { status: 503, body: 'upstream down' };
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const provider = connectRpc(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 50);
    try {
      await expect(provider.send('eth_blockNumber', [])).rejects.toThrow(/HTTP 503: upstream down/);
      answer = { status: 200, body: '{"jsonrpc":"2.0","id":' };
      await expect(provider.send('eth_blockNumber', [])).rejects.toThrow(/invalid JSON/);
      answer = { status: 200, body: '{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"method not found"}}' };
      await expect(provider.send('eth_blockNumber', [])).rejects.toThrow(/method not found/);
    } finally {
      provider.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
