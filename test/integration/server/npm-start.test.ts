// `npm start` as a real process: `npx tsx server/main.ts` on a temp DATA_DIR and a free port.
// Signals go to the whole process group, as a terminal's Ctrl-C or a supervisor would send them.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '../../../server/redis/connection.js';
import { deleteRedisKeys } from '../../support/app.js';

const root = new URL('../../../', import.meta.url).pathname;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return { child, output: () => out, exit };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to the group, then: every process gone, the server reporting a clean shutdown, and npx
 * ending either with 0 or by re-raising the SIGTERM it received itself (npm's way of exiting).
 */
async function stopGroup(s: Started): Promise<void> {
  process.kill(-s.child.pid!, 'SIGTERM');
  const exit = await s.exit;
  await waitFor(async () => (groupAlive(s.child.pid!) ? undefined : true), 'every process of the group to exit', 15_000);
  await new Promise((r) => setTimeout(r, 100)); // let the pipes drain
  expect(exit.code === 0 || exit.signal === 'SIGTERM', JSON.stringify(exit)).toBe(true);
  expect(s.output()).toContain('SIGTERM: shutting down');
  expect(s.output()).toContain('stopped cleanly');
  expect(s.output()).not.toMatch(/error during shutdown|exiting now|took over/);
}

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('npm start (npx tsx server/main.ts)', () => {
  it('serves /health, prints the generated admin token once, and exits cleanly on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const prefix = `arbiter-start-${port}`;
    cleanups.push(() => deleteRedisKeys('redis://127.0.0.1:6379', `${prefix}:*`));
    const s = start('npx', ['tsx', 'server/main.ts'], { DATA_DIR: dataDir, PORT: String(port), QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' });

    const health = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return res.ok ? ((await res.json()) as { status: string; components: Record<string, { ok: boolean }> }) : undefined;
    }, '/health');
    expect(health.status).toBe('ok');
    expect(health.components.db.ok).toBe(true);
    expect(health.components.redis.ok).toBe(true);
    expect(existsSync(join(dataDir, 'arbiter.db'))).toBe(true);
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(s.output()).toContain(token);

    const asAdmin = await fetch(`http://127.0.0.1:${port}/v1/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(asAdmin.status).toBe(200);

    await stopGroup(s);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('starts a private redis-server under DATA_DIR/redis when none answers, says so, and stops it on exit', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const redisPort = await freePort();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const s = start('npx', ['tsx', 'server/main.ts'], { DATA_DIR: dataDir, PORT: String(port), REDIS_URL: redisUrl, LOG_LEVEL: 'warn' });
    await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined), '/health');
    expect(s.output()).toMatch(/started a private redis-server/);
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    expect(await redisAnswers(redisUrl)).toBe(true);

    await stopGroup(s);
    await waitFor(async () => ((await redisAnswers(redisUrl, 300)) ? undefined : true), 'the private redis-server to stop', 10_000);
  });

  it('exits with the install command when no Redis answers and redis-server is not on PATH', async () => {
    const dataDir = tempDataDir();
    const emptyPath = tempDataDir();
    const redisPort = await freePort();
    const s = start(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PATH: emptyPath,
    });
    const { code } = await s.exit;
    expect(code).toBe(1);
    expect(s.output()).toMatch(/apt-get install redis-server/);
  });
});
