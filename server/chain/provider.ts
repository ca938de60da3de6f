// The JSON-RPC provider every long-running part uses (the service, `arbiter node`, the CLI).
// ethers' defaults suit a wallet, not a pipeline that polls: it shares every identical request
// made within 250 ms (cacheTimeout), so a receipt polled every few milliseconds stayed "not mined"
// and a batch read again stayed as it was for a quarter of a second, at every step of a case's
// path; and it holds each request 10 ms to batch it with others (batchStallTime). Requests made
// in the same tick are still sent as one batch.
//
// Its transport is Node's own HTTP client on a keep-alive agent: ethers' FetchRequest converts
// every request and response body between strings and bytes in JavaScript (its own UTF-8 codec),
// which was the largest single cost of the service's CPU under load (event logs, receipts and
// large openCases transactions, both ways). Node does the same in native code.
import http from 'node:http';
import https from 'node:https';
import { JsonRpcProvider, type JsonRpcPayload, type JsonRpcResult } from 'ethers';

/** A request that has not answered in this long fails (ethers' own default is 300 s). */
const RPC_TIMEOUT_MS = 120_000;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** POSTs `body` as JSON to `url` and resolves with the parsed answer; a non-2xx status rejects. */
export function postJson(url: URL, body: string): Promise<unknown> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      { method: 'POST', agent: agents[url.protocol as 'http:' | 'https:'], headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(Object.assign(new Error(`JSON-RPC ${url.host} answered HTTP ${status}: ${text.slice(0, 200)}`), { code: 'SERVER_ERROR', status }));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(Object.assign(new Error(`JSON-RPC ${url.host} answered with invalid JSON: ${text.slice(0, 200)}`), { code: 'SERVER_ERROR', status }));
          }
        });
      },
    );
    req.setTimeout(RPC_TIMEOUT_MS, () => req.destroy(Object.assign(new Error(`JSON-RPC ${url.host}: no answer in ${RPC_TIMEOUT_MS} ms`), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

class NodeHttpJsonRpcProvider extends JsonRpcProvider {
  readonly #url: URL;
  constructor(url: URL, pollingInterval: number) {
    super(url.href, undefined, { staticNetwork: true, pollingInterval, cacheTimeout: -1, batchStallTime: 0 });
    this.#url = url;
  }
  // ethers' own signature: an answer may be an error object too, which its send() sorts out.
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const resp = (await postJson(this.#url, JSON.stringify(payload))) as JsonRpcResult | JsonRpcResult[];
    return Array.isArray(resp) ? resp : [resp];
  }
}

export function connectRpc(url: string, pollingInterval = 250): JsonRpcProvider {
  const u = new URL(url);
  // Credentials in the URL (basic auth) and other schemes keep ethers' own transport, which handles them.
  if ((u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password) return new NodeHttpJsonRpcProvider(u, pollingInterval);
  return new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval, cacheTimeout: -1, batchStallTime: 0 });
}
