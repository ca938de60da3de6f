// A provider of its own on an anvil that counts the JSON-RPC calls made through it, by method:
// for tests that a component reads the chain no more than it should.
import type { JsonRpcProvider } from 'ethers';
import { connectRpc } from '../../server/chain/provider.js';

export interface CountingProvider {
  provider: JsonRpcProvider;
  /** Calls of `method` made through `provider` so far. */
  count(method: string): number;
}

/** `pollMs`: ethers' polling interval; the caller destroys the provider when done. */
export function countingProvider(rpcUrl: string, pollMs = 50): CountingProvider {
  const provider = connectRpc(rpcUrl, pollMs);
  const calls: Record<string, number> = {};
  const send = provider.send.bind(provider);
  provider.send = (method, params) => {
    calls[method] = (calls[method] ?? 0) + 1;
    return send(method, params);
  };
  return { provider, count: (method: string) => calls[method] ?? 0 };
}
