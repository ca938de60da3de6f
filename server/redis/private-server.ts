// When nothing answers at the default REDIS_URL and redis-server is installed, `npm start` runs
// a private one with its files under DATA_DIR/redis, so a fresh machine needs no setup.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { redisAnswers } from './connection.js';

export const REDIS_INSTALL_HINT =
  'install it with `apt-get install redis-server` (Debian/Ubuntu), `dnf install redis` (Fedora) or `brew install redis` (macOS), or point REDIS_URL at a running Redis';

export function findOnPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

export interface PrivateRedis {
  url: string;
  pid: number | undefined;
  dir: string;
  stop(): Promise<void>;
}

export async function startPrivateRedis(opts: {
  binary: string;
  dir: string;
  host: string;
  port: number;
  timeoutMs?: number;
}): Promise<PrivateRedis> {
  mkdirSync(opts.dir, { recursive: true });
  const url = `redis://${opts.host}:${opts.port}`;
  const child: ChildProcess = spawn(
    opts.binary,
    [
      '--bind', opts.host,
      '--port', String(opts.port),
      '--dir', opts.dir,
      // Append-only file: queued jobs survive a restart of `npm start`.
      '--appendonly', 'yes',
      '--daemonize', 'no',
      '--protected-mode', 'yes',
      '--logfile', join(opts.dir, 'redis.log'),
    ],
    // Its own process group: a Ctrl-C in the terminal reaches us, and we stop Redis last,
    // after the app has closed its connections.
    { stdio: 'ignore', detached: true },
  );
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (!(await redisAnswers(url, 300))) {
    if (exited) throw new Error(`redis-server exited at start; see ${join(opts.dir, 'redis.log')}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`redis-server did not answer on ${url} in time; see ${join(opts.dir, 'redis.log')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid,
    dir: opts.dir,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM'); // redis-server saves the AOF and exits on SIGTERM
      await exit;
    },
  };
}
