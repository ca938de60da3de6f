// `npm start` as a real process, for the tests that run it (test/integration/server): what
// `npm start` runs (`node --max-semi-space-size=8 --import tsx server/main.ts`), spawned detached so that signals can go to
// its whole process group, as a terminal's Ctrl-C or a supervisor would send them.
//
// Each start gets its own free port (a port given up by a stopped server may be taken by any
// process meanwhile, and a test asking "is /health up?" must not be answered by someone else's
// server), and readiness is this process's own "listening on …:<port>" line plus /health: a wait
// fails at once, with the output, when the server exits instead of becoming ready. Every wait
// polls its condition until a deadline; nothing sleeps and looks once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisKeys } from './app.js';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;
export const SHARED_REDIS = 'redis://127.0.0.1:6379';

/** A TCP port the OS reports free right now (take it at once: it is free, not reserved). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Polls `probe` (a throw counts as "not yet") until it gives a value or `timeoutMs` is up.
 * `abort`, checked on every round, ends the wait early with its reason (e.g. the server exited).
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string | (() => string),
  timeoutMs: number,
  opts: { intervalMs?: number; abort?: () => string | undefined } = {},
): Promise<T> {
  const started = Date.now();
  const describe = () => (typeof what === 'string' ? what : what());
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    const aborted = opts.abort?.();
    if (aborted) throw new Error(`gave up waiting for ${describe()}: ${aborted}`);
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${Math.round((Date.now() - started) / 1000)} s waiting for ${describe()}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group led by `pid` is left (zombies included until reaped). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** /proc/<pid>/stat fields after the command name: state, ppid, pgid… (undefined when gone). */
export function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Running (not zombie) processes whose command line mentions `text`. */
export function processesMentioning(text: string): number[] {
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

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** The one line main.ts prints about a private anvil: its watchdog's pid and URL, the addresses file. */
export function chainLine(output: string): { pid: number; url: string; addressesFile: string; deployedNow: boolean } {
  const m = /chain: private anvil \(pid (\d+)\) on (http:\/\/127\.0\.0\.1:\d+), .*contract addresses in (\S+) \((deployed now|existing deployment)/.exec(output);
  if (!m) throw new Error(`no chain line in:\n${output}`);
  return { pid: Number(m[1]), url: m[2], addressesFile: m[3], deployedNow: m[4] === 'deployed now' };
}

export interface Health {
  status: string;
  components: Record<string, { ok: boolean; detail?: string; blockNumber?: number; chainId?: number }>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** This start's port (PORT), and its base URL. */
  port: number;
  base: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** The last `chars` of the output, for error messages. */
  tail(chars?: number): string;
  exit: Promise<Exit>;
  /** Once every process holding its output pipes is gone and all they wrote was read. */
  closed: Promise<void>;
  exited(): Exit | undefined;
  /** /health answering 200 from this very process (its "listening" line printed); fails at once if it exits. */
  healthy(timeoutMs?: number): Promise<Health>;
  /**
   * Sends `signal` to the whole group, waits for the server's exit and for every process of the group
   * to be gone, and reads the output to its end; SIGKILLs the group (and throws) past the deadline.
   */
  stop(opts?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<Exit>;
}

export interface StartOptions {
  /**
   * Environment on top of this process's. PORT is a fresh free port unless given. WEB is `off`
   * unless given: a stale web build is rebuilt by the first start (minutes, under a lock shared
   * by every start), which would count against the readiness deadline; a test that wants the
   * web app runs ensureWebBuild() in a hook first.
   */
  env: Record<string, string>;
}

/**
 * Tests that start servers: call `cleanup` in afterEach. Every server started is SIGKILLed by
 * group (if still there), every temporary directory removed, every Redis prefix emptied.
 */
export function serverHarness() {
  const cleanups: (() => void | Promise<void>)[] = [];
  const onCleanup = (fn: () => void | Promise<void>) => void cleanups.push(fn);

  async function cleanup(): Promise<void> {
    const errors: unknown[] = [];
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length) throw errors[0];
  }

  /** A fresh directory under the OS temp dir, removed at cleanup. */
  function tempDir(label: string): string {
    const dir = mkdtempSync(join(tmpdir(), `arbiter-${label}-`));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** A Redis key prefix no other run shares (not even a crashed earlier one), emptied at cleanup. */
  function redisPrefix(label: string): string {
    const prefix = `arbiter-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
    onCleanup(() => deleteRedisKeys(SHARED_REDIS, `${prefix}:*`));
    return prefix;
  }

  async function start(opts: StartOptions): Promise<ServerProcess> {
    const port = opts.env.PORT ? Number(opts.env.PORT) : await freePort();
    // HOST pinned: `base` and the readiness line are 127.0.0.1 whatever this shell exports.
    const env = { ...process.env, WEB: 'off', ...opts.env, HOST: '127.0.0.1', PORT: String(port) };
    const child = spawn(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', 'server/main.ts'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid!;
    onCleanup(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    let exitedWith: Exit | undefined;
    const exit = new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => {
        exitedWith = { code, signal };
        resolve(exitedWith);
      }),
    );
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const base = `http://127.0.0.1:${port}`;
    const tail = (chars = 3000) => out.slice(-chars);
    const listening = `listening on ${base}`;
    const ended = () => (exitedWith ? `the server exited (${JSON.stringify(exitedWith)}):\n${tail()}` : undefined);

    const s: ServerProcess = {
      child,
      pid,
      port,
      base,
      output: () => out,
      tail,
      exit,
      closed,
      exited: () => exitedWith,
      // A first start deploys the contracts and registers the models: minutes on a loaded 2-core machine.
      healthy: (timeoutMs = 240_000) =>
        waitFor(
          async () => {
            if (!out.includes(listening)) return undefined;
            const res = await fetch(`${base}/health`);
            return res.ok ? ((await res.json()) as Health) : undefined;
          },
          () => `${base}/health of pid ${pid}:\n${tail()}`,
          timeoutMs,
          { abort: ended },
        ),
      async stop({ signal = 'SIGTERM', timeoutMs = 60_000 } = {}) {
        const deadline = Date.now() + timeoutMs;
        try {
          process.kill(-pid, signal);
        } catch {
          // the group is gone already: its exit is (or will be) reported
        }
        const left = () => Math.max(1, deadline - Date.now());
        let timer: NodeJS.Timeout | undefined;
        const result = await Promise.race([exit, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), left())))]);
        clearTimeout(timer);
        if (!result) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
          throw new Error(`pid ${pid} did not exit within ${timeoutMs} ms of ${signal}:\n${tail()}`);
        }
        await waitFor(() => (groupAlive(pid) ? undefined : true), () => `every process of the group of ${pid} to exit:\n${tail()}`, left());
        // Read the pipes to their end (a busy machine may deliver the last lines well after the exit).
        await Promise.race([closed, new Promise((r) => setTimeout(r, Math.min(15_000, left())))]);
        return result;
      },
    };
    return s;
  }

  return { start, tempDir, redisPrefix, onCleanup, cleanup };
}
