// `npm run bench -- api`: filing throughput (POST /v1/cases with valid records, one per
// jurisdiction in turn) against a trivial route (GET /v1/ping) of the same server, same run.
// The server runs here on a temp DATA_DIR; autocannon fires from a worker thread so the load
// generator does not share the server's event loop. Prints one JSON line.
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { validRecords } from '../support/case-fixtures.js';
import { deleteRedisKeys } from '../support/app.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);

const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-bench-'));
const prefix = `arbiter-bench-${randomBytes(4).toString('hex')}`;
// Every request comes from 127.0.0.1: generous limits keep the bench from being throttled while
// the rate limiter still runs (its Redis count is part of the measured cost). RATE_LIMIT=off in
// the environment measures without it.
const config = loadConfig({ RATE_LIMIT_MAX: '1000000000', RATE_LIMIT_ANON_MAX: '1000000000', ...process.env, DATA_DIR: dataDir, QUEUE_PREFIX: prefix, ADMIN_TOKEN: 'adm_bench', LOG_LEVEL: 'silent', PORT: '0' });
const app = await buildApp({ config, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

const SLICES = Number(process.env.BENCH_SLICES ?? 5);

interface Phase {
  requests: autocannon.Request[];
  total: number;
  seconds: number;
  non2xx: number;
  errors: number;
  p99: number[];
}

/**
 * The two phases alternate in SLICES slices (DURATION_S / SLICES seconds each), so both see the
 * same background load on a shared machine; each phase gets DURATION_S seconds in all.
 */
async function measure(phases: Phase[]): Promise<void> {
  const sliceS = DURATION_S / SLICES;
  for (let i = 0; i < SLICES; i++) {
    for (const phase of i % 2 ? [...phases].reverse() : phases) {
      const r = await autocannon({ url, connections: CONNECTIONS, duration: sliceS, workers: 1, requests: phase.requests });
      phase.total += r.requests.total;
      phase.seconds += r.duration;
      phase.non2xx += r.non2xx;
      phase.errors += r.errors + r.timeouts;
      phase.p99.push(r.latency.p99);
    }
  }
}

const phase = (requests: autocannon.Request[]): Phase => ({ requests, total: 0, seconds: 0, non2xx: 0, errors: 0, p99: [] });

try {
  const records = Object.values(validRecords);
  // Warm up both paths (JIT, prepared statements, SQLite page cache) before measuring.
  await autocannon({ url, connections: CONNECTIONS, amount: 500, requests: [{ method: 'GET', path: '/v1/ping' }] });
  await autocannon({
    url,
    connections: CONNECTIONS,
    amount: 500,
    requests: records.map((r) => ({ method: 'POST', path: '/v1/cases', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) })),
  });

  const hello = phase([{ method: 'GET', path: '/v1/ping' }]);
  const file = phase(
    records.map((r) => ({ method: 'POST', path: '/v1/cases', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) })),
  );
  await measure([hello, file]);
  if (hello.non2xx + hello.errors + file.non2xx + file.errors > 0) {
    console.error(`bench: unexpected responses (hello non2xx=${hello.non2xx} errors=${hello.errors}; file non2xx=${file.non2xx} errors=${file.errors})`);
  }
  const hello_rps = Math.round(hello.total / hello.seconds);
  const file_rps = Math.round(file.total / file.seconds);
  console.log(
    JSON.stringify({
      bench: 'api',
      file_rps,
      hello_rps,
      ratio: Math.round((file_rps / hello_rps) * 1000) / 1000,
      connections: CONNECTIONS,
      duration_s: DURATION_S,
      slices: SLICES,
      file_p99_ms: Math.max(...file.p99),
      hello_p99_ms: Math.max(...hello.p99),
      file_non2xx: file.non2xx,
    }),
  );
} finally {
  await app.close();
  await deleteRedisKeys(config.redisUrl, `${prefix}:*`);
  rmSync(dataDir, { recursive: true, force: true });
}
