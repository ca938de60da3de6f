// `npm start` restarted mid-pipeline, as real processes (issue 13): cases are filed over HTTP, the
// server's process group gets SIGTERM while they are in flight (executing, then again while
// proposed when they are not all paid yet), and a fresh `node --import tsx server/main.ts` (what `npm start` runs) on the same
// DATA_DIR and Redis prefix carries every case to `paid`: each paid once on chain (one Resolved,
// the claimant's wallet holding exactly the award), with every timeline event and webhook row once.
// Deadlines, never sleeps: each wait polls a condition until a generous deadline.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { deleteRedisKeys } from '../../support/app.js';
import { validRecords, variant } from '../../support/case-fixtures.js';

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
  exit: Promise<unknown>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return { child, output: () => out, exit };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: () => string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 250));
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

/** SIGTERM to the group (a supervisor's stop), then every process of it gone (anvil included). */
async function stop(s: Started): Promise<void> {
  process.kill(-s.child.pid!, 'SIGTERM');
  await s.exit;
  await waitFor(async () => (groupAlive(s.child.pid!) ? undefined : true), () => `the group of ${s.child.pid} to exit:\n${s.output().slice(-2000)}`, 30_000);
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

const chainUrl = (output: string) => /chain: private anvil \(pid \d+\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];

const records = [validRecords.eu261Delay, validRecords.eu261Cancellation, validRecords.visaFraud, validRecords.uk261Delay, validRecords.usDotRefund];
const LATER = ['proposed', 'appealed', 're-executing', 'challenged', 'bisecting', 'final', 'paid'];

describe('npm start restarted mid-pipeline (real processes)', () => {
  it('SIGTERM while cases are in flight, start again: every case is paid once, every timeline event and webhook row once', { timeout: 600_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const prefix = `arbiter-restart-${port}`;
    cleanups.push(() => deleteRedisKeys('redis://127.0.0.1:6379', `${prefix}:*`));
    // Short windows: the challenge window passes on the wall clock (anvil's blocks follow it).
    const env = { DATA_DIR: dataDir, PORT: String(port), QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', CHALLENGE_WINDOW_SECONDS: '15', PIPELINE_POLL_MS: '100' };
    const base = `http://127.0.0.1:${port}`;
    const healthy = (s: Started) => waitFor(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), () => `/health:\n${s.output().slice(-3000)}`, 180_000);

    let s = start(env);
    await healthy(s);
    const filed: { id: string; token: string; wallet: string }[] = [];
    for (const r of records) {
      const wallet = Wallet.createRandom().address;
      const res = await fetch(`${base}/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(variant(r, (d) => void (d.claimant.wallet = wallet))) });
      expect(res.status, await res.clone().text()).toBe(201);
      const body = (await res.json()) as { id: string; accessToken: string };
      filed.push({ id: body.id, token: body.accessToken, wallet });
    }
    const statuses = async () =>
      Promise.all(
        filed.map(async (c) => {
          const res = await fetch(`${base}/v1/cases/${c.id}`, { headers: { authorization: `Bearer ${c.token}` } });
          if (!res.ok) throw new Error(`GET ${c.id}: ${res.status}`);
          return ((await res.json()) as { status: string }).status;
        }),
      );

    // In flight: some case left `filed`, none paid yet.
    await waitFor(async () => ((await statuses()).some((x) => x !== 'filed') ? true : undefined), () => `a case to leave filed:\n${s.output().slice(-3000)}`, 180_000);
    const atFirstStop = await statuses();
    expect(atFirstStop.some((x) => x === 'paid'), atFirstStop.join(',')).toBe(false);
    await stop(s);

    s = start(env);
    await healthy(s);
    // Once every case is proposed (or later), stop again if some are not paid yet: mid window.
    const seen = await waitFor(async () => {
      const now = await statuses();
      return now.every((x) => LATER.includes(x)) ? now : undefined;
    }, () => `every case proposed:\n${s.output().slice(-3000)}`, 300_000);
    let secondStop = false;
    if (seen.some((x) => x !== 'paid')) {
      await stop(s);
      secondStop = true;
      s = start(env);
      await healthy(s);
    }
    await waitFor(async () => ((await statuses()).every((x) => x === 'paid') ? true : undefined), () => `every case paid (${filed.length}):\n${s.output().slice(-3000)}`, 300_000);
    const url = chainUrl(s.output())!;
    expect(url, s.output()).toBeDefined();

    // Paid once on chain: each claimant's fresh wallet holds exactly the award of its one Resolved.
    const db = new Database(join(dataDir, 'arbiter.db'), { readonly: true });
    cleanups.push(() => void db.close());
    for (const c of filed) {
      const p = db.prepare('select chain_case_id as id from pipeline_cases where case_id = ?').get(c.id) as { id: string };
      const resolved = db.prepare("select args from chain_events where source = 'arbitration' and name = 'Resolved' and chain_case_id = ?").all(p.id) as { args: string }[];
      expect(resolved, c.id).toHaveLength(1);
      const award = BigInt((JSON.parse(resolved[0].args) as { award: string }).award);
      expect(BigInt(String(await rpc(url, 'eth_getBalance', [c.wallet, 'latest']))), c.id).toBe(award);
      const types = (db.prepare('select type from case_events where case_id = ? order by id').all(c.id) as { type: string }[]).map((e) => e.type);
      expect(types, `${c.id} timeline (first stop at ${atFirstStop.join(',')}, second stop: ${secondStop})`).toEqual(['filed', 'execution_started', 'verdict_proposed', 'finalized', 'paid']);
      const outbox = db.prepare('select count(*) as n from webhook_outbox where case_id = ?').get(c.id) as { n: number };
      expect(outbox.n, c.id).toBe(types.length);
    }
    await stop(s);
  });
});
