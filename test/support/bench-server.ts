// A server process for benchmarks that must not share the load generator's event loop: builds
// the app on a temp DATA_DIR from the environment, listens on a free loopback port, prints
// `{"url": …}` on stdout, and cleans up when stdin closes or on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { deleteRedisKeys } from './app.js';

const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-bench-'));
const prefix = `arbiter-bench-${randomBytes(4).toString('hex')}`;
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, QUEUE_PREFIX: prefix, ADMIN_TOKEN: 'adm_bench', LOG_LEVEL: 'silent', PORT: '0' });
const app = await buildApp({ config, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });

// The CPU time (user + system, the whole process) spent while each GET /health was in flight:
// what a probe waited for on this server, whatever else the machine runs. `reset` on stdin
// forgets the samples so far (the warm-up), `report` prints them as one JSON line.
let healthCpuMs: number[] = [];
let since = process.cpuUsage();
app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  if (req.method !== 'GET' || req.url !== '/health') return;
  const start = process.cpuUsage();
  res.once('finish', () => {
    const d = process.cpuUsage(start);
    healthCpuMs.push((d.user + d.system) / 1000);
  });
});
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reset') {
    healthCpuMs = [];
    since = process.cpuUsage();
  }
  if (line === 'report') {
    const d = process.cpuUsage(since);
    process.stdout.write(`${JSON.stringify({ healthCpuMs, cpuMs: (d.user + d.system) / 1000 })}\n`);
  }
});
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.close();
  await deleteRedisKeys(config.redisUrl, `${prefix}:*`);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.stdin.on('close', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());
