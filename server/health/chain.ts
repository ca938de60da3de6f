// The `chain` component of /health: one JSON-RPC round trip (eth_blockNumber and eth_chainId in
// one batch) to the node the chain client uses. It fails when the node does not answer, answers an
// error, or reports a chain other than the one the contracts were deployed on.
import type { JsonRpcPayload } from 'ethers';
import type { HealthCheck } from './registry.js';

/**
 * The chain client's JsonRpcProvider fits: its `_send` posts one payload batch at once, without
 * the provider's request batching delay (which would show up as latency).
 */
export interface RpcSender {
  _send(payload: JsonRpcPayload[]): Promise<Array<{ id: number; result?: unknown; error?: { code: number; message?: string } }>>;
}

export interface ChainHealthOptions {
  /** The chain id the deployment was recorded on; another answer fails the check. */
  expectedChainId?: bigint | string | number;
}

export function chainHealthCheck(rpc: RpcSender, options: ChainHealthOptions = {}): HealthCheck {
  const expected = options.expectedChainId === undefined ? undefined : BigInt(options.expectedChainId);
  return async () => {
    const answers = await rpc._send([
      { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'eth_chainId', params: [] },
    ]);
    const byId = new Map(answers.map((a) => [Number(a.id), a]));
    const value = (id: number, method: string): bigint => {
      const a = byId.get(id);
      if (!a) throw new Error(`no answer to ${method}`);
      if (a.error) throw new Error(`${method} failed: ${a.error.message ?? JSON.stringify(a.error)}`);
      const result = a.result;
      if (typeof result !== 'string' || !/^0x[0-9a-fA-F]+$/.test(result)) throw new Error(`${method} answered ${JSON.stringify(result)}`);
      return BigInt(result);
    };
    const blockNumber = value(1, 'eth_blockNumber');
    const chainId = value(2, 'eth_chainId');
    if (expected !== undefined && chainId !== expected) {
      throw new Error(`the node is on chain ${chainId}, the contracts were deployed on chain ${expected}`);
    }
    return {
      detail: `block ${blockNumber} on chain ${chainId}`,
      blockNumber: Number(blockNumber),
      chainId: Number(chainId),
    };
  };
}
