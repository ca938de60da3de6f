// `npm start` as a real process: `node --max-semi-space-size=8 --import tsx server/main.ts` (what `npm start` runs) on a temp DATA_DIR and a free port.
// Signals go to the whole process group, as a terminal's Ctrl-C or a supervisor would send them.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '../../../server/redis/connection.js';
import { startAnvil } from '../../../server/chain/anvil.js';
import { deleteRedisKeys } from '../../support/app.js';
import { hashSecret } from '../../../server/auth/tokens.js';

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
  closed: Promise<void>;
}

function start(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // 'close' comes once every process holding the output pipes is gone and all they wrote was read.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  cleanups.push(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return { child, output: () => out, exit, closed };
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
 * SIGTERM to the group, then: every process gone, the server reporting a clean shutdown and
 * ending with 0 (or by the signal, were it to arrive before the handler).
 */
async function stopGroup(s: Started): Promise<void> {
  process.kill(-s.child.pid!, 'SIGTERM');
  const exit = await s.exit;
  await waitFor(async () => (groupAlive(s.child.pid!) ? undefined : true), 'every process of the group to exit', 15_000);
  // Read the pipes to their end (a busy machine may deliver the last lines well after the exit).
  await Promise.race([s.closed, new Promise((r) => setTimeout(r, 15_000))]);
  expect(exit.code === 0 || exit.signal === 'SIGTERM', JSON.stringify(exit)).toBe(true);
  expect(s.output()).toContain('SIGTERM: shutting down');
  expect(s.output()).toContain('stopped cleanly');
  expect(s.output()).not.toMatch(/error during shutdown|exiting now|took over/);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

interface Health {
  status: string;
  components: Record<string, { ok: boolean; detail?: string; blockNumber?: number; chainId?: number }>;
}

async function healthyAt(port: number): Promise<Health> {
  return waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    return res.ok ? ((await res.json()) as Health) : undefined;
  }, '/health');
}

/** The one line main.ts prints about the chain: the private anvil's pid and URL, the addresses file. */
function chainLine(output: string): { pid: number; url: string; addressesFile: string; deployedNow: boolean } {
  const m = /chain: private anvil \(pid (\d+)\) on (http:\/\/127\.0\.0\.1:\d+), .*contract addresses in (\S+) \((deployed now|existing deployment)/.exec(output);
  if (!m) throw new Error(`no chain line in:\n${output}`);
  return { pid: Number(m[1]), url: m[2], addressesFile: m[3], deployedNow: m[4] === 'deployed now' };
}

/** /proc/<pid>/stat fields after the command name: state, ppid, pgid… (undefined when gone). */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Running (not zombie) processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (procStat(Number(entry))?.[0] === 'Z') continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('npm start (node --max-semi-space-size=8 --import tsx server/main.ts)', () => {
  it('serves /health with the chain, prints the admin token once, exits cleanly on SIGTERM with anvil stopped, and a restart keeps the chain', { timeout: 120_000 }, async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const prefix = `arbiter-start-${port}`;
    cleanups.push(() => deleteRedisKeys('redis://127.0.0.1:6379', `${prefix}:*`));
    const env = { DATA_DIR: dataDir, PORT: String(port), QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
    const s = start(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', 'server/main.ts'], env);

    const health = await healthyAt(port);
    expect(health.status).toBe('ok');
    expect(health.components.db.ok).toBe(true);
    expect(health.components.redis.ok).toBe(true);
    expect(health.components.chain).toMatchObject({ ok: true, chainId: 31337 });
    expect(health.components.chain.blockNumber).toBeGreaterThan(0); // the deployment's blocks
    expect(existsSync(join(dataDir, 'arbiter.db'))).toBe(true);
    // The token is printed once; only its hash is kept in DATA_DIR.
    const token = /^\[arbiter\]\s+(adm_\S+)\s*$/m.exec(s.output())?.[1];
    expect(token, s.output()).toBeDefined();
    expect(existsSync(join(dataDir, 'admin-token')), 'admin token kept in clear').toBe(false);
    expect(readFileSync(join(dataDir, 'admin-token-hash'), 'utf8').trim()).toBe(hashSecret(token!));

    const asAdmin = await fetch(`http://127.0.0.1:${port}/v1/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(asAdmin.status).toBe(200);

    const chain = chainLine(s.output());
    cleanups.push(() => {
      if (pidAlive(chain.pid)) process.kill(chain.pid, 'SIGKILL');
    });
    expect(chain.deployedNow).toBe(true);
    expect(chain.addressesFile).toBe(join(dataDir, 'chain', 'deployment.json'));
    const addresses = readFileSync(chain.addressesFile, 'utf8');
    // Chain state made during this run must survive the restart: 50 more blocks.
    await rpc(chain.url, 'anvil_mine', ['0x32']);
    const mined = Number(await rpc(chain.url, 'eth_blockNumber'));

    await stopGroup(s);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    expect(pidAlive(chain.pid), 'anvil left running').toBe(false);

    // Second start on the same DATA_DIR: the same contracts, the chain where the first run left it.
    const again = start(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', 'server/main.ts'], env);
    const health2 = await healthyAt(port);
    expect(health2.components.chain).toMatchObject({ ok: true, chainId: 31337 });
    expect(health2.components.chain.blockNumber).toBeGreaterThanOrEqual(mined);
    const chain2 = chainLine(again.output());
    cleanups.push(() => {
      if (pidAlive(chain2.pid)) process.kill(chain2.pid, 'SIGKILL');
    });
    expect(chain2.deployedNow).toBe(false);
    expect(readFileSync(chain2.addressesFile, 'utf8')).toBe(addresses);
    expect(again.output()).not.toContain('Generated the admin token');
    expect(again.output()).not.toContain(token!);
    const stillAdmin = await fetch(`http://127.0.0.1:${port}/v1/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(stillAdmin.status).toBe(200);

    await stopGroup(again);
    expect(pidAlive(chain2.pid), 'anvil left running').toBe(false);
  });

  it('starts a private redis-server under DATA_DIR/redis when none answers, says so, and stops it on exit; uses CHAIN_RPC_URL and leaves that node running', async () => {
    // An external chain: an anvil of this test process, outside the server's process group, so
    // the group SIGTERM below reaches only the server.
    const external = await startAnvil();
    cleanups.push(() => external.stop());
    const dataDir = tempDataDir();
    const port = await freePort();
    const redisPort = await freePort();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const s = start(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', 'server/main.ts'], { DATA_DIR: dataDir, PORT: String(port), REDIS_URL: redisUrl, CHAIN_RPC_URL: external.url, LOG_LEVEL: 'warn' });
    const health = await healthyAt(port);
    expect(s.output()).toMatch(/started a private redis-server/);
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    expect(await redisAnswers(redisUrl)).toBe(true);
    expect(health.components.chain).toMatchObject({ ok: true, chainId: 31337 });
    expect(s.output()).toContain(`chain: ${external.url} (CHAIN_RPC_URL)`);
    expect(s.output()).not.toContain('private anvil');
    const { addresses } = JSON.parse(readFileSync(join(dataDir, 'chain', 'deployment.json'), 'utf8')) as { addresses: { arbitration: string } };
    expect(await rpc(external.url, 'eth_getCode', [addresses.arbitration, 'latest'])).not.toBe('0x');

    await stopGroup(s);
    await waitFor(async () => ((await redisAnswers(redisUrl, 300)) ? undefined : true), 'the private redis-server to stop', 10_000);
    expect(await rpc(external.url, 'eth_chainId')).toBe('0x7a69'); // not ours to stop
  });

  it('exits with the install command when no Redis answers and redis-server is not on PATH', async () => {
    const dataDir = tempDataDir();
    const emptyPath = tempDataDir();
    const redisPort = await freePort();
    const s = start(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', 'server/main.ts'], {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PATH: emptyPath,
    });
    const { code } = await s.exit;
    expect(code).toBe(1);
    expect(s.output()).toMatch(/apt-get install redis-server/);
  });

  it('SIGKILL of the server process alone (not its group) still stops its private anvil within seconds; a group SIGINT lets the server stop it', { timeout: 120_000 }, async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const prefix = `arbiter-kill-${port}`;
    cleanups.push(() => deleteRedisKeys('redis://127.0.0.1:6379', `${prefix}:*`));
    const env = { DATA_DIR: dataDir, PORT: String(port), QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
    const s = start(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', 'server/main.ts'], env);
    await healthyAt(port);
    // The pid main.ts prints is anvil's watchdog, leader of anvil's own process group (outside
    // the server's, so a terminal's Ctrl-C reaches the server only); its parent is the server.
    const chain = chainLine(s.output());
    const anvilGroup = processesMentioning(join(dataDir, 'chain'));
    cleanups.push(() => {
      for (const pid of anvilGroup) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    expect(anvilGroup).toContain(chain.pid);
    expect(anvilGroup.length).toBeGreaterThanOrEqual(2); // the watchdog and anvil itself
    for (const pid of anvilGroup) expect(Number(procStat(pid)![2]), `pgid of ${pid}`).toBe(chain.pid);
    const server = Number(procStat(chain.pid)![1]);
    // `npm start` runs the server as node itself (tsx as a loader): no tsx parent that relays
    // signals and SIGKILLs a child slow to acknowledge them (it did, on a loaded machine).
    expect(server).toBe(s.child.pid);
    expect(readFileSync(`/proc/${server}/cmdline`, 'utf8')).toContain('server/main.ts');

    process.kill(server, 'SIGKILL');
    await waitFor(async () => (processesMentioning(join(dataDir, 'chain')).length === 0 ? true : undefined), 'the private anvil to die with its server', 5_000);
    // Gone or a zombie (orphans are reaped by whatever init this machine has).
    for (const pid of anvilGroup) expect([undefined, 'Z'], `pid ${pid} left running`).toContain(procStat(pid)?.[0]);
    await s.exit;

    // A terminal's Ctrl-C (SIGINT to the server's group): the server stops anvil itself, cleanly.
    const again = start(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', 'server/main.ts'], env);
    await healthyAt(port);
    const chain2 = chainLine(again.output());
    expect(chain2.deployedNow).toBe(false); // the state anvil wrote when its watchdog stopped it
    process.kill(-again.child.pid!, 'SIGINT');
    await again.exit;
    await waitFor(async () => (groupAlive(again.child.pid!) ? undefined : true), 'every process of the group to exit', 15_000);
    expect(again.output()).toContain('stopped cleanly');
    expect(again.output()).not.toMatch(/error while stopping|exiting now|took over/);
    expect(processesMentioning(join(dataDir, 'chain'))).toEqual([]);
  });
});
