// One HTTP attempt: POST the signed body, follow no redirect (a 3xx is a failed attempt), give
// up after the timeout, keep only the first bytes of the answer. In production the agent's
// lookup refuses private addresses, and a literal address is checked before connecting (Node
// does not call lookup for literals).
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPrivateAddress, safeLookup } from './outbound-safety.js';

export const RESPONSE_PREFIX_BYTES = 1024;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
}

export interface Sender {
  send(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult>;
  close(): void;
}

export function createSender(opts: { allowPrivate: boolean; timeoutMs: number; maxInFlight?: number }): Sender {
  const maxInFlight = opts.maxInFlight ?? 128;
  const agentOptions = { keepAlive: true, maxSockets: maxInFlight, ...(opts.allowPrivate ? {} : { lookup: safeLookup as never }) };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  // At most maxInFlight requests at once; the others wait here, before their timeout starts, so a
  // burst is not mistaken for a slow receiver.
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  async function send(rawUrl: string, body: string, headers: Record<string, string>): Promise<AttemptResult> {
    if (inFlight >= maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
    try {
      return await sendNow(rawUrl, body, headers);
    } finally {
      inFlight--;
      waiting.shift()?.();
    }
  }

  function sendNow(rawUrl: string, body: string, headers: Record<string, string>): Promise<AttemptResult> {
    const started = performance.now();
    const done = (r: Omit<AttemptResult, 'latencyMs'>): AttemptResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return Promise.resolve(done({ ok: false, statusCode: null, error: 'invalid URL', responseBody: null }));
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!opts.allowPrivate && isIP(host) && isPrivateAddress(host)) {
      return Promise.resolve(done({ ok: false, statusCode: null, error: `blocked: ${host} is a private or reserved address`, responseBody: null }));
    }
    const isHttps = url.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      const finish = (r: Omit<AttemptResult, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(done(r));
      };
      const req = (isHttps ? https : http).request(
        url,
        {
          method: 'POST',
          agent: isHttps ? httpsAgent : httpAgent,
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'user-agent': 'Arbiter-Webhooks/1', ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (chunk: Buffer) => {
            if (kept < RESPONSE_PREFIX_BYTES) {
              chunks.push(chunk.subarray(0, RESPONSE_PREFIX_BYTES - kept));
              kept += Math.min(chunk.length, RESPONSE_PREFIX_BYTES - kept);
            }
          });
          const end = () => {
            const status = res.statusCode ?? 0;
            const ok = status >= 200 && status < 300;
            finish({
              ok,
              statusCode: status,
              error: ok ? null : status >= 300 && status < 400 ? `redirect (${status}) not followed` : `HTTP ${status}`,
              responseBody: kept ? Buffer.concat(chunks).toString('utf8') : null,
            });
          };
          res.on('end', end);
          res.on('error', (err) => finish({ ok: false, statusCode: res.statusCode ?? null, error: err.message, responseBody: null }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish({ ok: false, statusCode: null, error: `timed out after ${opts.timeoutMs} ms`, responseBody: null });
      }, opts.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) =>
        finish({ ok: false, statusCode: null, error: err.code === 'EWEBHOOKBLOCKED' ? `blocked: ${err.message}` : err.code ? `${err.code}: ${err.message}` : err.message, responseBody: null }),
      );
      req.end(body);
    });
  }

  return {
    send,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
