// `npm run bench -- webhooks`: 10,000 events from outbox row to receipt. Outbox rows are written
// the way every state change writes them (createOutboxWriter, in a transaction) at a steady
// offered rate (BENCH_RATE events/s, default 2,500, in 10 ms batches); the delivery worker
// (dispatcher + BullMQ on the real Redis) signs and POSTs each to one endpoint, a local HTTP
// server in a worker thread. Latency = receipt time − the moment the row was committed.
// Prints {"bench":"webhooks","events_per_s":…,"p50_ms":…,"p99_ms":…,"lost":…} plus the offered
// rate, duplicates and the sending process's CPU per event.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/connection.js';
import { applyMigrations } from '../../server/db/migrate.js';
import { connectRedis } from '../../server/redis/connection.js';
import { createQueues } from '../../server/queues/queues.js';
import { createMerchantService } from '../../server/merchants/service.js';
import { createCaseService } from '../../server/cases/service.js';
import { createOutboxWriter } from '../../server/webhooks/outbox.js';
import { createWebhookServices } from '../../server/webhooks/service.js';
import { startWebhookDelivery } from '../../server/webhooks/runtime.js';
import { validRecords } from '../support/case-fixtures.js';
import { deleteRedisKeys } from '../support/app.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 2500);
const TICK_MS = 10;

const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-bench-'));
const prefix = `arbiter-bench-${randomBytes(4).toString('hex')}`;
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, QUEUE_PREFIX: prefix, ADMIN_TOKEN: 'adm_bench', LOG_LEVEL: 'silent' });
const database = openDatabase(config.databasePath);
applyMigrations(database.db);
const redis = connectRedis(config.redisUrl);
const queues = createQueues({ connection: redis, prefix });

const receiver = new Worker(new URL('./webhooks-receiver.mjs', import.meta.url));
const received = new Map<string, number>();
let duplicates = 0;
const port = await new Promise<number>((resolve) => {
  receiver.on('message', (m: { port: number } | [string, number][]) => {
    if (Array.isArray(m)) {
      for (const [id, at] of m) {
        if (received.has(id)) duplicates++;
        else received.set(id, at);
      }
    } else resolve(m.port);
  });
});

const merchants = createMerchantService({ db: database.db });
const cases = createCaseService({ db: database.db, merchants });
const webhooks = createWebhookServices({ db: database.db, config, notify: merchants.notify });
const { merchant } = merchants.create({ name: 'Bench Air' });
webhooks.endpoints.create(merchant.id, { url: `http://127.0.0.1:${port}/hooks`, events: ['*'] });
const caseId = cases.file(validRecords.visaFraud, { kind: 'merchant', id: merchant.id }).id;
const delivery = await startWebhookDelivery({ services: webhooks, queues, allowPrivateTargets: true, timeoutMs: config.webhookTimeoutMs });
const write = createOutboxWriter(database.db);

function writeBatch(n: number, sent: Map<string, number>): void {
  const at = new Date().toISOString();
  const ids = database.db.transaction(() => Array.from({ length: n }, (_, i) => write({ caseId, merchantId: merchant.id, eventType: 'verdict.final', data: { caseId, i }, createdAt: at })));
  const committed = Date.now();
  for (const id of ids) sent.set(id, committed);
}

try {
  // Warm-up (JIT, connections, prepared statements), not measured.
  const warm = new Map<string, number>();
  writeBatch(500, warm);
  const deadlineWarm = Date.now() + 60_000;
  while ([...warm.keys()].some((id) => !received.has(id)) && Date.now() < deadlineWarm) await new Promise((r) => setTimeout(r, 20));

  const sent = new Map<string, number>();
  const cpuBefore = process.cpuUsage();
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const start = Date.now();
  let written = 0;
  while (written < EVENTS) {
    // Catch up to the schedule: the offered rate stays RATE even when a tick runs late.
    const due = Math.min(EVENTS, Math.floor(((Date.now() - start) / TICK_MS + 1) * perTick));
    if (due > written) {
      writeBatch(due - written, sent);
      written = due;
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const deadline = Date.now() + 120_000;
  while ([...sent.keys()].some((id) => !received.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

  const cpu = process.cpuUsage(cpuBefore);
  const latencies: number[] = [];
  let last = start;
  let lost = 0;
  for (const [id, at] of sent) {
    const got = received.get(id);
    if (got === undefined) {
      lost++;
      continue;
    }
    latencies.push(got - at);
    if (got > last) last = got;
  }
  latencies.sort((a, b) => a - b);
  // Failed attempts (each one retried later): what went wrong, for the record.
  const failedAttempts = database.sqlite.prepare('select error, count(*) as n from webhook_attempts where status_code is null or status_code >= 300 group by error').all();
  if (failedAttempts.length) console.error('failed attempts:', JSON.stringify(failedAttempts));
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
  console.log(
    JSON.stringify({
      bench: 'webhooks',
      events: EVENTS,
      offered_per_s: RATE,
      events_per_s: Math.round((latencies.length / (last - start)) * 1000),
      p50_ms: pct(50),
      p99_ms: pct(99),
      lost,
      duplicates,
      // CPU of the sending process (dispatcher, worker, and this bench's writer) per event: what
      // the figures above cost, whatever else the machine is doing.
      cpu_us_per_event: Math.round((cpu.user + cpu.system) / EVENTS),
    }),
  );
} finally {
  await delivery.stop();
  receiver.postMessage('close');
  await queues.close();
  await deleteRedisKeys(config.redisUrl, `${prefix}:*`);
  redis.disconnect();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
