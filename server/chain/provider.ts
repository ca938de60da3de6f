// The JSON-RPC provider every long-running part uses (the service, `arbiter node`, the CLI).
// ethers' defaults suit a wallet, not a pipeline that polls: it shares every identical request
// made within 250 ms (cacheTimeout), so a receipt polled every few milliseconds stayed "not mined"
// and a batch read again stayed as it was for a quarter of a second, at every step of a case's
// path; and it holds each request 10 ms to batch it with others (batchStallTime). Requests made
// in the same tick are still sent as one batch.
import { JsonRpcProvider } from 'ethers';

export function connectRpc(url: string, pollingInterval = 250): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval, cacheTimeout: -1, batchStallTime: 0 });
}
