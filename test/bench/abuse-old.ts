// `npm run bench -- abuse`: /health and valid filings under a fixed, bounded mix of worst-case
// invalid bodies (test/support/hostile-load.ts) from several simulated callers on loopback, with
// slow connections open. The server runs in its own process (test/support/bench-server-old.ts),
// behind a trusted loopback "proxy" so each simulated caller has its own address and budget.
// Goals: /health p99 ≤ 50 ms, valid filing p99 ≤ 100 ms. Prints one JSON line.
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { hostileBarrage, percentile, probe, slowConnections } from '../support/hostile-load-old.js';

const CALLERS = Number(process.env.BENCH_CALLERS ?? 20);
const PER_CALLER = Number(process.env.BENCH_PER_CALLER ?? 25);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const SLOW = Number(process.env.BENCH_SLOW_CONNECTIONS ?? 20);

const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/bench-server-old.ts', import.meta.url))], {
  env: {
    ...process.env,
    TRUST_PROXY: 'loopback',
    // Each simulated caller may send 10 requests a minute: the rest of its 25 are answered 429.
    RATE_LIMIT_ANON_MAX: '10',
    RATE_LIMIT_WINDOW_MS: '60000',
    HEADERS_TIMEOUT_MS: '5000',
  },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const first = await new Promise<string>((resolve, reject) => {
  createInterface({ input: server.stdout! }).once('line', resolve);
  server.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
});
const url = new URL((JSON.parse(first) as { url: string }).url);

try {
  // Warm up both probed paths first (JIT, statements, page cache), as the api bench does.
  await probe(url, () => false, 50);
  const h = monitorEventLoopDelay({ resolution: 1 }); h.enable();
  const slow = slowConnections(url, SLOW);
  let busy = true;
  const barrage = hostileBarrage(url, { callers: CALLERS, perCaller: PER_CALLER, concurrency: CONCURRENCY }).finally(() => {
    busy = false;
  });
  const [outcome, seen] = await Promise.all([barrage, probe(url, () => busy, 50)]);
  slow.stop(); h.disable(); console.log('client loop delay ms p99', h.percentile(99)/1e6, 'max', h.max/1e6);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify({
      bench: 'abuse',
      health_p50_ms: round(percentile(seen.health, 50)),
      health_p99_ms: round(percentile(seen.health, 99)),
      valid_filing_p99_ms: round(percentile(seen.filing, 99)),
      rejected_429: outcome.byStatus[429] ?? 0,
      hostile_sent: outcome.sent,
      hostile_by_status: outcome.byStatus,
      hostile_errors: outcome.errors,
      probes: seen.health.length,
      filings_not_201: seen.filingStatuses.filter((s) => s !== 201).length,
      slow_connections: SLOW,
      callers: CALLERS,
      concurrency: CONCURRENCY,
    }),
  );
} finally {
  server.stdin!.end();
  await new Promise((r) => server.once('exit', r));
}
