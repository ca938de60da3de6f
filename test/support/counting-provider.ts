// A provider of its own on an anvil that counts the JSON-RPC calls made through it, by method:
// for tests that a component reads the chain no more than it should.
import type { JsonRpcProvider } from 'ethers';
import { connectRpc } from '../../server/chain/provider.js';

export interface CountingProvider {
  provider: JsonRpcProvider;
  /** Calls of `method` made through `provider` so far. */
  count(method: string): number;
  /** Every call made through `provider` so far, in order. */
  calls: { method: string; params: unknown[] }[];
}

/** `pollMs`: ethers' polling interval; the caller destroys the provider when done. */
export function countingProvider(rpcUrl: string, pollMs = 50): CountingProvider {
  const provider = connectRpc(rpcUrl, pollMs);
  const counts: Record<string, number> = {};
  const calls: { method: string; params: unknown[] }[] = [];
  const send = provider.send.bind(provider);
  provider.send = (method, params) => {
    counts[method] = (counts[method] ?? 0) + 1;
    calls.push({ method, params: params as unknown[] });
    return send(method, params);
  };
  return { provider, count: (method: string) => counts[method] ?? 0, calls };
}
