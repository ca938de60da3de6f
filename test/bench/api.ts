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
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, QUEUE_PREFIX: prefix, ADMIN_TOKEN: 'adm_bench', LOG_LEVEL: 'silent', PORT: '0' });
const app = await buildApp({ config, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

/** One measured phase, with the server's own CPU time per request (this process, minus the idle wait). */
async function run(requests: autocannon.Request[]): Promise<autocannon.Result & { cpuUsPerRequest: number }> {
  const cpu = process.cpuUsage();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, workers: 1, requests });
  const used = process.cpuUsage(cpu);
  // cpuUsage counts every thread of the process, the autocannon worker included; it is a rough
  // figure for comparing the two phases, not an absolute server cost.
  return { ...result, cpuUsPerRequest: Math.round((used.user + used.system) / Math.max(1, result.requests.total)) };
}

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

  const hello = await run([{ method: 'GET', path: '/v1/ping' }]);
  const file = await run(
    records.map((r) => ({ method: 'POST', path: '/v1/cases', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) })),
  );
  const ok = (r: autocannon.Result, status: string) => r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && status;
  if (!ok(hello, 'ok') || !ok(file, 'ok')) {
    console.error(`bench: unexpected responses (hello non2xx=${hello.non2xx} errors=${hello.errors}; file non2xx=${file.non2xx} errors=${file.errors})`);
  }
  const hello_rps = Math.round(hello.requests.average);
  const file_rps = Math.round(file.requests.average);
  console.log(
    JSON.stringify({
      bench: 'api',
      file_rps,
      hello_rps,
      ratio: Math.round((file_rps / hello_rps) * 1000) / 1000,
      connections: CONNECTIONS,
      duration_s: DURATION_S,
      file_p99_ms: file.latency.p99,
      hello_p99_ms: hello.latency.p99,
      file_non2xx: file.non2xx,
      file_cpu_us_per_req: file.cpuUsPerRequest,
      hello_cpu_us_per_req: hello.cpuUsPerRequest,
    }),
  );
} finally {
  await app.close();
  await deleteRedisKeys(config.redisUrl, `${prefix}:*`);
  rmSync(dataDir, { recursive: true, force: true });
}
