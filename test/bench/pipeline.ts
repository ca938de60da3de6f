// `npm run bench -- pipeline`: the embedded stack end to end. A private anvil (contracts
// deployed), the app on a temp DATA_DIR, the shared Redis under a fresh prefix, the pipeline with
// three node operators as `arbiter node` processes. Three phases, one JSON line:
//  1. Latency: BENCH_LATENCY_CASES cases (default 1000, mixed jurisdictions) offered open-loop at
//     BENCH_RATE a second (default 100, the throughput goal): each filing starts on its schedule
//     whether or not the ones before it were answered, so a slow pipeline cannot slow the offer
//     down and hide its own queue. Per case, the time from its filing to `proposed` (both stamped
//     by the server): p50_ms, p95_ms.
//  2. Throughput: BENCH_CASES cases (default 1000) filed as fast as the API takes them,
//     BENCH_CONCURRENCY at once; cps is the cases over the time from the first filing to the
//     last proposal. Their latency (burst_p50_ms) is mostly the queue behind the pipeline.
//  3. Memory: BENCH_OPEN more cases (default 10,000) filed; the process's resident memory while
//     they are open.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { caseEvents, cases, pipelineCases } from '../../server/db/schema.js';
import { connectRedis } from '../../server/redis/connection.js';
import { createQueues } from '../../server/queues/queues.js';
import { startPipeline } from '../../server/pipeline/start.js';
import { limitHeapGrowth } from '../../server/heap.js';
import type { ChainClient } from '../../server/chain/client.js';
import { validRecords } from '../support/case-fixtures.js';
import { deleteRedisKeys } from '../support/app.js';
import { memoryDiagnostics } from '../support/memory-diagnostics.js';
import { startNodeProcess, type NodeProcess } from '../support/node-process.js';
import { startChain } from '../integration/contracts/chain-fixture.js';
import { writeDeployment } from '../../server/chain/deploy.js';
import { devNodeKey } from '../../server/pipeline/start.js';

const CASES = Number(process.env.BENCH_CASES ?? 1000);
const OPEN = Number(process.env.BENCH_OPEN ?? 10_000);
const say = (m: string) => process.stderr.write(`[bench pipeline] ${m}\n`);

// The server's V8 heap growth, as `npm start` sets it (server/heap.ts).
limitHeapGrowth();
// The private anvil's block spacing, as npm start reads it (CHAIN_BLOCK_MS).
const blockMs = loadConfig().chainBlockMs;
// A start that has not finished after a minute says where it is: its step, the chain's pool and
// head, the miner's blocks and the pipeline's log so far.
let phase = 'chain';
const startLog: string[] = [];
const slowStart = setInterval(() => {
  void (async () => {
    let state = '';
    try {
      state = `pool ${JSON.stringify(await fx.provider.send('txpool_status', []))}, head ${await fx.provider.getBlockNumber()}, mined ${fx.anvil.miner?.blocks}`;
    } catch (e) {
      state = `chain unreadable: ${(e as Error).message}`;
    }
    say(`still starting, at ${phase}; ${state}; log:\n${startLog.slice(-30).join('\n')}`);
  })();
}, 60_000);
slowStart.unref();
const fx = await startChain({ blockMs, log: (m) => startLog.push(m), deploy: true, config: { committeeSize: 3, maxBatch: 256, commitWindow: 600, revealWindow: 600, challengeWindow: 3600, batchWindow: 1 } });
const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-bench-'));
const prefix = `arbiter-bench-${randomBytes(4).toString('hex')}`;
const config = loadConfig({
  // The bench files thousands of cases from one address: it measures the pipeline, not the
  // per-address rate limit (which `npm run bench -- abuse` measures), so the budget is unbounded.
  RATE_LIMIT_MAX: '1000000000',
  RATE_LIMIT_ANON_MAX: '1000000000',
  ...process.env,
  DATA_DIR: dataDir,
  QUEUE_PREFIX: prefix,
  ADMIN_TOKEN: 'adm_bench',
  LOG_LEVEL: 'silent',
  NODES: '3',
  PIPELINE_POLL_MS: process.env.PIPELINE_POLL_MS ?? '20',
  PIPELINE_SEAL_MS: process.env.PIPELINE_SEAL_MS ?? '50',
});
phase = 'app';
const app = await buildApp({ config, logger: false });
const chain: ChainClient = {
  url: fx.anvil.url,
  provider: fx.provider,
  anvil: fx.anvil,
  registrar: fx.wallets[0],
  deployment: fx.deployment!,
  contracts: fx.c!,
  devSigner: (i) => fx.wallets[i],
  close: async () => {},
};
const redis = connectRedis(config.redisUrl);
const queues = createQueues({ connection: redis, prefix });
const tStart = Date.now();
// The node operators run as their own processes (`arbiter node`), as operators do on their own
// machines: the server's figures (its event loop, its memory) are the service's, not three
// operators'. BENCH_INPROC_NODES=1 runs them inside the server process, as `npm start` does.
const inProcessNodes = process.env.BENCH_INPROC_NODES === '1';
const trace = process.env.BENCH_TRACE ? (m: string) => say(`+${Date.now() - tStart} ${m}`) : () => {};
phase = 'pipeline';
const pipeline = await startPipeline({
  config,
  db: app.db,
  redis,
  queues,
  chain,
  embedded: true,
  inProcessNodes,
  log: (m) => {
    if (phase !== 'running') startLog.push(m);
    trace(m);
  },
});
phase = 'node processes';
const nodeProcs: NodeProcess[] = [];
let stoppingNodes = false;
if (!inProcessNodes) {
  const deploymentFile = join(dataDir, 'deployment.json');
  writeDeployment(deploymentFile, fx.deployment!);
  await Promise.all(
    [1, 2, 3].map(async (i) => {
      nodeProcs.push(
        await startNodeProcess({
          label: `node ${i}`,
          key: devNodeKey(i),
          keyFile: join(dataDir, `node-key-${i}`),
          dataDir: join(dataDir, `node-${i}`),
          redisUrl: config.redisUrl,
          rpcUrl: fx.anvil.url,
          deploymentFile,
          prefix,
          pollMs: config.pipeline.pollMs,
          onLine: process.env.BENCH_TRACE ? (line) => trace(`node ${i}: ${line}`) : undefined,
          readyTimeoutMs: 120_000,
          // BENCH_NODE_PROF=DIR: a CPU profile of each node process, written when it stops.
          nodeOptions: process.env.BENCH_NODE_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_NODE_PROF}`] : undefined,
        }),
      );
    }),
  );
  say('3 node operators running as their own processes');
  // A node process that ends before the bench stops it would leave the pipeline waiting for ever:
  // the bench ends at once, with what the process printed last.
  for (const [i, p] of nodeProcs.entries()) {
    void p.exited.then(() => {
      if (stoppingNodes) return;
      say(`node ${i + 1} exited (${p.child.exitCode ?? p.child.signalCode}) during the bench; its last output:\n${p.output().slice(-4000)}`);
      process.exit(1);
    });
  }
}

phase = 'running';
clearInterval(slowStart);

const records = Object.values(validRecords);
// BENCH_RATE: the latency phase's offered rate, cases a second.
const RATE = Number(process.env.BENCH_RATE ?? 100);
const LATENCY_CASES = Number(process.env.BENCH_LATENCY_CASES ?? 1000);
// Claimants file at once, not one after another: BENCH_CONCURRENCY filings in flight (default 16),
// each answered after its durable commit, as an HTTP client pool would.
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_CONCURRENCY ?? 16));
let filedSoFar = 0;
async function fileOne(): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/cases', payload: records[filedSoFar++ % records.length] });
  if (res.statusCode !== 201) throw new Error(`filing failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}
/** `n` filings, BENCH_CONCURRENCY at a time, as fast as they are answered. */
async function fileMany(n: number): Promise<string[]> {
  const ids: string[] = new Array(n);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) ids[i] = await fileOne();
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, lane));
  return ids;
}
/** `n` filings offered open-loop at `rate` a second: filing i starts at i/rate seconds, answered or not. */
async function fileAtRate(n: number, rate: number): Promise<string[]> {
  const began = Date.now();
  const pending: Promise<string>[] = [];
  for (let i = 0; i < n; i++) {
    const due = began + (i * 1000) / rate;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    pending.push(fileOne());
  }
  return Promise.all(pending);
}

const proposedCount = (ids: string[]) => {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    n += app.db.select({ id: cases.id }).from(cases).where(and(inArray(cases.id, chunk), inArray(cases.status, ['proposed', 'final', 'paid']))).all().length;
  }
  return n;
};

/** CPU seconds a process has used so far (/proc/<pid>/stat: utime + stime, in clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
/** Where the machine's CPU went over a phase, per case: the server, each node operator, anvil. */
function cpuMeter() {
  const pids = { server: process.pid, anvil: fx.anvil.pid, ...Object.fromEntries(nodeProcs.map((c, i) => [`node ${i + 1}`, c.child.pid])) } as Record<string, number | undefined>;
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSecondsOf(pid)]));
  return (cases: number, seconds: number) =>
    Object.entries(pids)
      .map(([k, pid]) => {
        const used = cpuSecondsOf(pid) - before[k];
        return `${k} ${((used * 1000) / cases).toFixed(1)} ms a case (${Math.round((used / seconds) * 100)} % of a core)`;
      })
      .join('; ');
}

/** Waits until every case of `ids` is proposed (or later), printing progress. */
async function allProposed(ids: string[]) {
  const deadline = Date.now() + 30 * 60_000;
  let last = -1;
  for (;;) {
    const n = proposedCount(ids);
    if (n !== last) say(`${n}/${ids.length} proposed`);
    last = n;
    if (n === ids.length) return;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${ids.length} proposed after 30 min`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pctOf = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/**
 * Per case, filed → proposed, and where the time goes: filed → prepared (the dispatcher, the
 * open job: featurize, the service's own run), filed → execution_started (then openCases, the
 * indexer's fold) and execution_started → verdict_proposed (seal, draw,
 * the nodes' runs, commits, reveals, the fold).
 */
function latencies(ids: string[], label: string) {
  const total: number[] = [];
  const toOpened: number[] = [];
  const toPrepared: number[] = [];
  const toProposed: number[] = [];
  for (const id of ids) {
    const prepared = app.db.select({ at: pipelineCases.createdAt }).from(pipelineCases).where(eq(pipelineCases.caseId, id)).get();
    const ev = app.db.select({ type: caseEvents.type, at: caseEvents.createdAt }).from(caseEvents).where(eq(caseEvents.caseId, id)).all();
    const filed = ev.find((e) => e.type === 'filed')!;
    const opened = ev.find((e) => e.type === 'execution_started');
    const proposed = ev.find((e) => e.type === 'verdict_proposed')!;
    total.push(Date.parse(proposed.at) - Date.parse(filed.at));
    if (prepared) toPrepared.push(Date.parse(prepared.at) - Date.parse(filed.at));
    if (opened) {
      toOpened.push(Date.parse(opened.at) - Date.parse(filed.at));
      toProposed.push(Date.parse(proposed.at) - Date.parse(opened.at));
    }
  }
  say(`${label}: filed → proposed p50 ${pctOf(total, 50)} ms, p95 ${pctOf(total, 95)} ms (filed → prepared p50 ${pctOf(toPrepared, 50)} ms, p95 ${pctOf(toPrepared, 95)} ms; filed → opened p50 ${pctOf(toOpened, 50)} ms, p95 ${pctOf(toOpened, 95)} ms; opened → proposed p50 ${pctOf(toProposed, 50)} ms, p95 ${pctOf(toProposed, 95)} ms)`);
  return { p50: pctOf(total, 50), p95: pctOf(total, 95) };
}

try {
  say(`phase 1 (latency): ${LATENCY_CASES} cases offered at ${RATE} a second`);
  const l0 = Date.now();
  const latencyCpu = cpuMeter();
  const latencyIds = LATENCY_CASES > 0 ? await fileAtRate(LATENCY_CASES, RATE) : [];
  const offeredIn = Date.now() - l0;
  await allProposed(latencyIds);
  const latencySeconds = (Date.now() - l0) / 1000;
  say(`offered in ${offeredIn} ms; all proposed ${Math.round(latencySeconds * 1000 - offeredIn)} ms after the last filing`);
  const lat = LATENCY_CASES > 0 ? latencies(latencyIds, 'at the offered rate') : { p50: 0, p95: 0 };
  if (LATENCY_CASES > 0) say(`CPU: ${latencyCpu(LATENCY_CASES, latencySeconds)}`);

  say(`phase 2 (throughput): ${CASES} cases filed as fast as the API takes them`);
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const burstCpu = cpuMeter();
  const ids = await fileMany(CASES);
  const filedIn = Date.now() - t0;
  await allProposed(ids);
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // The server's CPU per case (filing included): what the machine must give it for a rate.
  say(`filing took ${filedIn} ms; server CPU: ${Math.round((cpu.user + cpu.system) / 1000)} ms over ${CASES} cases, ${((cpu.user + cpu.system) / 1000 / CASES).toFixed(2)} ms a case, ${Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100)} % of a core`);
  const burst = latencies(ids, 'in the burst');
  say(`CPU: ${burstCpu(CASES, seconds)}`);

  if (process.env.BENCH_DEBUG) {
    const q = queues.get('pipeline');
    const jobs = await q.getJobs(['completed'], 0, 100_000);
    const by = new Map<string, number[]>();
    for (const j of jobs) {
      const k = j.name;
      if (!by.has(k)) by.set(k, []);
      by.get(k)!.push((j.finishedOn ?? 0) - (j.processedOn ?? 0));
    }
    for (const [k, v] of by) say(`${k}: ${v.length} jobs, mean ${Math.round(v.reduce((a, b) => a + b, 0) / v.length)} ms, max ${Math.max(...v)}`);
  }
  say(`phase 3 (memory): ${OPEN} more open cases`);
  await fileMany(OPEN);
  // Let the pipeline take them in (dispatcher, open jobs) for a moment, then read the memory.
  await new Promise((r) => setTimeout(r, 5000));
  global.gc?.();
  const mem = process.memoryUsage();
  const rss = mem.rss / 2 ** 20;
  const mb = (n: number) => Math.round(n / 2 ** 20);
  // Anonymous memory (heaps, ONNX Runtime sessions) versus file pages (SQLite's mmap, code).
  const status = (() => {
    try {
      return readFileSync('/proc/self/status', 'utf8');
    } catch {
      return '';
    }
  })();
  const kb = (k: string) => Math.round(Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  say(`memory: rss ${mb(mem.rss)} MB (anon ${kb('RssAnon')}, file ${kb('RssFile')}, shmem ${kb('RssShmem')}), heap used ${mb(mem.heapUsed)} of ${mb(mem.heapTotal)} MB, external ${mb(mem.external)} MB (array buffers ${mb(mem.arrayBuffers)} MB)`);
  // BENCH_HEAP=path: where the memory is, and a heap snapshot (after the reading above, since
  // they take memory themselves).
  if (process.env.BENCH_HEAP) await memoryDiagnostics(process.env.BENCH_HEAP, say);
  console.log(
    JSON.stringify({
      bench: 'pipeline',
      p50_ms: lat.p50,
      p95_ms: lat.p95,
      cps: Math.round((CASES / seconds) * 10) / 10,
      rss_mb_10k_open: Math.round(rss),
      latency_rate: RATE,
      latency_cases: LATENCY_CASES,
      burst_p50_ms: burst.p50,
      cases: CASES,
      open: OPEN,
      nodes: 3,
      node_processes: !inProcessNodes,
      concurrency: CONCURRENCY,
      seal_ms: config.pipeline.sealMs,
      poll_ms: config.pipeline.pollMs,
      block_ms: blockMs,
    }),
  );
} finally {
  stoppingNodes = true;
  await Promise.all(nodeProcs.map((p) => p.stop('SIGTERM')));
  await pipeline.stop();
  await queues.close();
  redis.disconnect();
  await app.close();
  await fx.stop();
  await deleteRedisKeys(config.redisUrl, `${prefix}:*`);
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
