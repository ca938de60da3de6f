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
import { JsonRpcProvider, type JsonRpcApiProvider, type JsonRpcPayload, type JsonRpcResult } from 'ethers';

/** A request that has not answered in this long fails, however it trickles (ethers' own default is 300 s). */
const RPC_TIMEOUT_MS = 120_000;
/** An idle keep-alive socket is closed after this: servers close theirs (5 s is Node's and many proxies' default), and a request sent on a socket the server is closing fails. */
const IDLE_SOCKET_MS = 4_000;
/** A rate-limited endpoint (HTTP 429) is asked again this many times, as ethers' FetchRequest does. */
const RATE_LIMIT_RETRIES = 12;
const MAX_REDIRECTS = 5;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_MS }),
};

/**
 * Synchronous sends (eth_sendRawTransactionSync) hold their socket until the block is mined: they
 * get sockets of their own, so that a burst of them, or a chain that stopped mining, never takes
 * the sockets every read waits for.
 */
const syncAgents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};
type Agents = typeof agents;

type Answer = { status: number; text: string; location?: string; retryAfter?: string };

/** One HTTP POST; rejects on a network error or at `deadline` (an absolute time), whatever the server trickles. */
function postOnce(url: URL, body: string, deadline: number, timeoutMs: number, pool: Agents): Promise<Answer> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      { method: 'POST', agent: pool[url.protocol as 'http:' | 'https:'], headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const h = res.headers;
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), location: h.location, retryAfter: h['retry-after'] as string | undefined });
        });
      },
    );
    function fail(e: Error) {
      clearTimeout(timer);
      reject(Object.assign(e, { reusedSocket: req.reusedSocket }));
    }
    // One deadline for the whole exchange, waiting for a socket included.
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`JSON-RPC ${url.host}: no answer in ${timeoutMs} ms`), { code: 'TIMEOUT' })), Math.max(0, deadline - Date.now()));
    req.on('error', fail);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * POSTs `body` as JSON to `url` and resolves with the parsed answer; a non-2xx status rejects.
 * As ethers' transport did: a 429 is asked again after its Retry-After (or a growing pause), a
 * redirect is followed (never from https to http). A request sent on a kept-alive socket the
 * server was closing is sent once more, unless it broadcasts a transaction (`retrySafe` false):
 * it may have arrived.
 */
export async function postJson(url: URL, body: string, retrySafe = true, timeoutMs = RPC_TIMEOUT_MS, pool: Agents = agents): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let at = url;
  let redirects = 0;
  let limited = 0;
  let resent = false;
  for (;;) {
    let a: Answer;
    try {
      a = await postOnce(at, body, deadline, timeoutMs, pool);
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { reusedSocket?: boolean };
      if (err.reusedSocket && retrySafe && !resent && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
        resent = true;
        continue;
      }
      throw e;
    }
    if ([301, 302, 303, 307, 308].includes(a.status) && a.location && redirects < MAX_REDIRECTS) {
      const next = new URL(a.location, at);
      if (at.protocol === 'https:' && next.protocol !== 'https:') throw Object.assign(new Error(`JSON-RPC ${url.host}: refused a redirect from https to ${next.protocol}`), { code: 'SERVER_ERROR', status: a.status });
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw Object.assign(new Error(`JSON-RPC ${url.host}: redirect to an unsupported scheme ${next.protocol}`), { code: 'SERVER_ERROR', status: a.status });
      at = next;
      redirects++;
      continue;
    }
    if (a.status === 429 && limited < RATE_LIMIT_RETRIES) {
      const secs = Number(a.retryAfter);
      const pause = Number.isFinite(secs) && secs >= 0 ? secs * 1000 : Math.min(10_000, 250 * 2 ** limited);
      limited++;
      if (Date.now() + pause < deadline) {
        await sleep(pause);
        continue;
      }
    }
    if (a.status < 200 || a.status >= 300) {
      throw Object.assign(new Error(`JSON-RPC ${url.host} answered HTTP ${a.status}: ${a.text.slice(0, 200)}`), { code: 'SERVER_ERROR', status: a.status });
    }
    try {
      return JSON.parse(a.text);
    } catch {
      throw Object.assign(new Error(`JSON-RPC ${url.host} answered with invalid JSON: ${a.text.slice(0, 200)}`), { code: 'SERVER_ERROR', status: a.status });
    }
  }
}

/**
 * eth_sendRawTransactionSync (EIP-7966): broadcasts `raw` and answers once it is mined (or with
 * an error). Sent on its own, never in a batch: a batch's answer would wait for the block, and
 * with it every read sent in the same tick. Resolves with the JSON-RPC answer as it came.
 */
export async function sendRawTransactionSync(provider: JsonRpcApiProvider, raw: string): Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }> {
  const payload = { jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransactionSync', params: [raw] };
  if (provider instanceof NodeHttpJsonRpcProvider) return (await postJson(provider.url, JSON.stringify(payload), false, RPC_TIMEOUT_MS, syncAgents)) as { result?: unknown; error?: { code: number; message: string } };
  try {
    return { result: await provider.send(payload.method, payload.params) };
  } catch (e) {
    const err = e as { error?: { code: number; message: string }; message: string };
    return { error: err.error ?? { code: -32603, message: err.message } };
  }
}

class NodeHttpJsonRpcProvider extends JsonRpcProvider {
  readonly #url: URL;
  constructor(url: URL, pollingInterval: number) {
    super(url.href, undefined, { staticNetwork: true, pollingInterval, cacheTimeout: -1, batchStallTime: 0 });
    this.#url = url;
  }
  get url(): URL {
    return this.#url;
  }
  // ethers' own signature: an answer may be an error object too, which its send() sorts out.
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const list = Array.isArray(payload) ? payload : [payload];
    const resp = (await postJson(this.#url, JSON.stringify(payload), !list.some((p) => p.method === 'eth_sendRawTransaction'))) as JsonRpcResult | JsonRpcResult[];
    return Array.isArray(resp) ? resp : [resp];
  }
}

export function connectRpc(url: string, pollingInterval = 250): JsonRpcProvider {
  const u = new URL(url);
  // Credentials in the URL (basic auth) and other schemes keep ethers' own transport, which handles them.
  if ((u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password) return new NodeHttpJsonRpcProvider(u, pollingInterval);
  return new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval, cacheTimeout: -1, batchStallTime: 0 });
}
