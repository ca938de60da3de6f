// A fixed, bounded mix of worst-case requests against a listening server (issue 9): the bodies
// that used to cost the most server time per byte, sent by several simulated callers (distinct
// X-Forwarded-For addresses through a trusted loopback proxy), plus connections that trickle
// their headers. Shared by the abuse test and `npm run bench -- abuse`.
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { validRecords } from './case-fixtures.js';

/** Worst cases per route limit: each is refused, none may cost more than a few milliseconds. */
export function hostileBodies(): { name: string; body: string }[] {
  const near = 270 * 1024;
  const ones = (n: number) => Array(n).fill(1).join(',');
  return [
    // The 391 KB itinerary: over the route limit (413 once the limit is reached).
    { name: 'itinerary-200k', body: `{"kind":"flight","flight":{"itinerary":[${ones(200_000)}]}}` },
    // The same just under the limit: refused at entry 101, before parsing.
    { name: 'itinerary-under-limit', body: `{"kind":"flight","flight":{"itinerary":[${ones(Math.floor(near / 2))}]}}`.slice(0, near - 3) + ']}}' },
    // 80,000 unknown fields (850 KB): over the limit.
    { name: 'unknown-fields-80k', body: `{${Array.from({ length: 80_000 }, (_, i) => `"f${i}":1`).join(',')}}` },
    // As many unknown fields as fit under the limit.
    { name: 'unknown-fields-under-limit', body: `{${Array.from({ length: 30_000 }, (_, i) => `"f${i}":1`).join(',')}}`.slice(0, near) },
    // Deep nesting.
    { name: 'deep', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`.slice(0, near) },
    // A record-sized body whose every field is wrong in the costliest way the bounds allow.
    { name: 'every-field-wrong', body: everyFieldWrong() },
    // Not JSON at all, at the limit.
    { name: 'garbage', body: '{"a":'.repeat(Math.floor(near / 5)) },
  ];
}

function everyFieldWrong(): string {
  const r = structuredClone(validRecords.visaFraud) as Record<string, any>;
  r.narrative = '\u0000'.repeat(10_000);
  r.claimant.name = '\u202e'.repeat(200);
  r.chargeback.priorUndisputedTransactions = Array.from({ length: 100 }, () => ({
    date: '2030-02-31',
    ipMatch: 1,
    deviceIdMatch: 'x',
    shippingAddressMatch: null,
    accountMatch: [],
    extra: { a: [1, 2, 3] },
  }));
  for (let i = 0; i < 12; i++) r[`unknown${i}`] = { nested: [i] };
  return JSON.stringify(r);
}

export interface HostileOutcome {
  sent: number;
  byStatus: Record<number, number>;
  errors: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function send(url: URL, method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, agent, headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `callers` simulated clients, each sending `perCaller` hostile bodies, `concurrency` in flight at once. */
export async function hostileBarrage(url: URL, opts: { callers: number; perCaller: number; concurrency: number }): Promise<HostileOutcome> {
  const bodies = hostileBodies();
  const jobs: { caller: number; body: string }[] = [];
  for (let i = 0; i < opts.perCaller; i++) for (let c = 0; c < opts.callers; c++) jobs.push({ caller: c, body: bodies[(i + c) % bodies.length].body });
  const outcome: HostileOutcome = { sent: 0, byStatus: {}, errors: 0 };
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      try {
        const { status } = await send(url, 'POST', '/v1/cases', job.body, { 'x-forwarded-for': `198.18.${job.caller >> 8}.${job.caller & 255}` });
        outcome.byStatus[status] = (outcome.byStatus[status] ?? 0) + 1;
      } catch {
        outcome.errors++;
      }
      outcome.sent++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return outcome;
}

/** Connections that send a request line and then one header byte every `everyMs`, until closed. */
export function slowConnections(url: URL, count: number, everyMs = 200): { sockets: Socket[]; closed: () => number; stop: () => void } {
  const sockets: Socket[] = [];
  let closed = 0;
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < count; i++) {
    const s = connect(Number(url.port), url.hostname, () => {
      s.write(`POST /v1/cases HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.19.0.${i}\r\nX-Slow: `);
      timers.push(setInterval(() => s.writable && s.write('a'), everyMs));
    });
    s.on('error', () => {});
    s.on('close', () => closed++);
    sockets.push(s);
  }
  return {
    sockets,
    closed: () => closed,
    stop: () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
    },
  };
}

/** Latencies of /health and of valid filings, one at a time, from an address of their own, while `busy()` is true. */
export async function probe(url: URL, busy: () => boolean, minSamples: number): Promise<{ health: number[]; filing: number[]; filingStatuses: number[] }> {
  const health: number[] = [];
  const filing: number[] = [];
  const filingStatuses: number[] = [];
  const records = Object.values(validRecords).map((r) => JSON.stringify(r));
  let i = 0;
  while (busy() || health.length < minSamples) {
    const h = await send(url, 'GET', '/health', undefined, { 'x-forwarded-for': '192.0.2.200' });
    health.push(h.ms);
    i++;
    const f = await send(url, 'POST', '/v1/cases', records[i % records.length], { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    filing.push(f.ms);
    filingStatuses.push(f.status);
  }
  return { health, filing, filingStatuses };
}

/**
 * /health latencies, one request after another from an address of its own, while `busy()` is
 * true: with the filings of `probe` in between, the barrage leaves room for ~50 /health probes
 * (a p99 that is simply the worst one); on its own, a few hundred.
 */
export async function probeHealth(url: URL, busy: () => boolean): Promise<number[]> {
  const health: number[] = [];
  while (busy()) health.push((await send(url, 'GET', '/health', undefined, { 'x-forwarded-for': '192.0.2.201' })).ms);
  return health;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
