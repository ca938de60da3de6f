// The JSON-RPC transport of every long-running part (server/chain/provider.ts): Node's HTTP
// client in place of ethers' FetchRequest. Against a real anvil: plain reads, requests of one
// tick sent as one batch, a revert's custom error decoded as before; against a local HTTP server
// standing in for a broken RPC endpoint: a clear error, not a hang or a parse crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectRpc, postJson } from '../../../server/chain/provider.js';
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

  /** A local HTTP server standing in for an RPC endpoint; `handle` answers each request. */
  async function endpoint(handle: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
    let n = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => handle(req, res, n++));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return { url, count: () => n, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
  }
  const ok = (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"jsonrpc":"2.0","id":1,"result":"0x2a"}');
  };

  it('postJson › a rate-limited endpoint (429) is asked again after its Retry-After, as ethers did', async () => {
    const e = await endpoint((_req, res, n) => {
      if (n < 2) {
        res.writeHead(429, { 'retry-after': '0' });
        res.end('slow down');
      } else ok(res);
    });
    try {
      expect(await postJson(e.url, '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}')).toMatchObject({ result: '0x2a' });
      expect(e.count()).toBe(3);
    } finally {
      await e.close();
    }
  });

  it('postJson › follows a redirect (same body), and refuses one from https to http', async () => {
    const target = await endpoint((_req, res) => ok(res));
    const moved = await endpoint((_req, res) => {
      res.writeHead(307, { location: target.url.href });
      res.end();
    });
    try {
      expect(await postJson(moved.url, '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}')).toMatchObject({ result: '0x2a' });
      expect(target.count()).toBe(1);
    } finally {
      await moved.close();
      await target.close();
    }
  });

  it('postJson › an endpoint that trickles its answer fails at the deadline, not never (attack: a hostile RPC node holding a job)', async () => {
    const e = await endpoint((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(t));
    });
    try {
      const began = Date.now();
      await expect(postJson(e.url, '{}', true, 300)).rejects.toThrow(/no answer in 300 ms/);
      expect(Date.now() - began).toBeLessThan(10_000);
    } finally {
      await e.close();
    }
  });

  it('postJson › a request on a kept-alive socket the server drops is sent once more, unless it broadcasts a transaction', async () => {
    // The server answers the first request of each connection and drops the connection on the
    // second, unanswered: as a server closing an idle keep-alive socket just as a request arrives.
    const served = new WeakMap<object, number>();
    const e = await endpoint((req, res) => {
      const k = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, k);
      if (k === 1) ok(res);
      else req.socket.destroy();
    });
    try {
      const body = '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}';
      expect(await postJson(e.url, body)).toMatchObject({ result: '0x2a' });
      // Reuses the kept-alive socket, which is dropped: sent again on a new one.
      expect(await postJson(e.url, body)).toMatchObject({ result: '0x2a' });
      expect(e.count()).toBe(3);
      // A broadcast is not sent twice: the error reaches the caller (the chain port re-reads the nonce).
      await expect(postJson(e.url, body, false)).rejects.toThrow();
    } finally {
      await e.close();
    }
  });
});
