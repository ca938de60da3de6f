// The /health `chain` check and how the registry reports a check's facts, on a fake JSON-RPC node.
import { describe, expect, it } from 'vitest';
import { chainHealthCheck, type RpcSender } from '../../../server/health/chain.js';
import { createHealthRegistry } from '../../../server/health/registry.js';

type Answer = Awaited<ReturnType<RpcSender['_send']>>[number];

function node(answer: (method: string, id: number) => Answer | Promise<Answer>): RpcSender & { calls: number } {
  const sender = {
    calls: 0,
    async _send(payload: Parameters<RpcSender['_send']>[0]) {
      sender.calls += 1;
      return Promise.all(payload.map((p) => answer(p.method, p.id)));
    },
  };
  return sender;
}

const healthy = node((method, id) => ({ id, result: method === 'eth_blockNumber' ? '0x2a' : '0x7a69' }));

describe('chain health check', () => {
  it('asks block number and chain id in one batch and reports both as facts', async () => {
    const registry = createHealthRegistry();
    const rpc = node((method, id) => ({ id, result: method === 'eth_blockNumber' ? '0x2a' : '0x7a69' }));
    registry.register('chain', chainHealthCheck(rpc, { expectedChainId: 31337 }));
    const { ok, components } = await registry.run();
    expect(ok).toBe(true);
    expect(rpc.calls).toBe(1);
    expect(components.chain).toMatchObject({ ok: true, detail: 'block 42 on chain 31337', blockNumber: 42, chainId: 31337 });
    expect(typeof components.chain.latencyMs).toBe('number');
  });

  it('fails on a JSON-RPC error, a malformed answer, a missing answer or another chain', async () => {
    const cases: [RpcSender, RegExp][] = [
      [node((m, id) => (m === 'eth_blockNumber' ? { id, error: { code: -32000, message: 'header not found' } } : { id, result: '0x1' })), /eth_blockNumber failed: header not found/],
      [node((m, id) => ({ id, result: m === 'eth_chainId' ? 7 : '0x1' })), /eth_chainId answered 7/],
      [node((_m, id) => ({ id: id + 10, result: '0x1' })), /no answer to eth_blockNumber/],
      [healthy, /on chain 31337, the contracts were deployed on chain 1$/],
    ];
    for (const [rpc, reason] of cases) {
      await expect(Promise.resolve().then(chainHealthCheck(rpc, { expectedChainId: 1n }))).rejects.toThrow(reason);
    }
  });

  it('a node that does not answer is down after the registry timeout', async () => {
    const registry = createHealthRegistry();
    registry.register('chain', chainHealthCheck(node(() => new Promise<Answer>(() => {}))));
    const { ok, components } = await registry.run(50);
    expect(ok).toBe(false);
    expect(components.chain).toMatchObject({ ok: false, detail: 'no answer within 50 ms' });
  });

  it('a check cannot overwrite ok or latencyMs with its facts', async () => {
    const registry = createHealthRegistry();
    registry.register('x', () => ({ ok: false, latencyMs: -1, detail: 'fine', n: 1 }));
    registry.register('plain', () => 'a detail');
    registry.register('silent', () => {});
    const { ok, components } = await registry.run();
    expect(ok).toBe(true);
    expect(components.x).toMatchObject({ ok: true, detail: 'fine', n: 1 });
    expect(components.x.latencyMs).toBeGreaterThanOrEqual(0);
    expect(components.plain).toMatchObject({ ok: true, detail: 'a detail' });
    expect(Object.keys(components.silent).sort()).toEqual(['latencyMs', 'ok']);
  });
});
