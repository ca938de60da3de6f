// The web app's production build (React Router + Vite, into web/build/). `npm start` and the
// browser tests call ensureWebBuild: it builds only when the sources changed since the last
// build (a digest of web/ sources and the lockfile kept beside the build), so a fresh clone's
// `npm install && npm start` serves a built app and later starts cost nothing. Concurrent callers
// (parallel test files, two starts) take a lock directory; the build is written to a temporary
// folder and swapped in, so a running server never sees half a build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

export const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');
export const BUILD_DIR = join(WEB_ROOT, 'build');
const STAMP = '.sources-sha256';
const REPO_ROOT = resolve(WEB_ROOT, '..');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Digest of everything the build reads from this repo: web/app, web configs, the lockfile. */
export function webSourcesDigest(root = WEB_ROOT): string {
  const files = [
    ...filesUnder(join(root, 'app')),
    ...readdirSync(root)
      .filter((f) => /\.(ts|json)$/.test(f))
      .map((f) => join(root, f)),
    join(REPO_ROOT, 'package-lock.json'),
  ]
    .filter((f) => existsSync(f))
    .sort();
  const h = createHash('sha256');
  for (const f of files) h.update(relative(REPO_ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

export function isWebBuildCurrent(): boolean {
  const stamp = join(BUILD_DIR, STAMP);
  return existsSync(join(BUILD_DIR, 'server', 'index.js')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === webSourcesDigest();
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (pid > 0) {
      try {
        process.kill(pid, 0);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true; // its holder is gone
      }
    }
    return Date.now() - statSync(lock).mtimeMs > 10 * 60_000;
  } catch {
    return false; // being created or removed right now
  }
}

/** Takes web/.build-lock (a directory: mkdir is atomic; it names its holder's pid). */
function withLock<T>(fn: () => T): T {
  const lock = join(WEB_ROOT, '.build-lock');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`web build: waited 15 minutes for ${lock}`);
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Writes `.br` and `.gz` beside each script and stylesheet, for @fastify/static's preCompressed. */
function precompress(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of filesUnder(dir)) {
    if (!/\.(js|css|svg|json)$/.test(f)) continue;
    const bytes = readFileSync(f);
    writeFileSync(`${f}.br`, brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${f}.gz`, gzipSync(bytes, { level: 9 }));
  }
}

/** Builds web/ when its sources changed since the last build. Returns whether it built. */
export function ensureWebBuild(log: (message: string) => void = () => {}): boolean {
  if (isWebBuildCurrent()) return false;
  return withLock(() => {
    if (isWebBuildCurrent()) return false; // another process built it while we waited
    const digest = webSourcesDigest();
    // Under the lock no one else builds: any temporary folder left is from a killed build.
    for (const f of readdirSync(WEB_ROOT)) if (/^build\.(tmp|old)-\d+$/.test(f)) rmSync(join(WEB_ROOT, f), { recursive: true, force: true });
    const tmp = join(WEB_ROOT, `build.tmp-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    log('building the web app (React Router + Vite) into web/build …');
    const started = Date.now();
    const cli = join(dirname(createRequire(import.meta.url).resolve('@react-router/dev/package.json')), 'bin.js');
    const run = spawnSync(process.execPath, [cli, 'build', WEB_ROOT], {
      killSignal: 'SIGKILL',
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'production', WEB_BUILD_DIR: tmp },
      encoding: 'utf8',
    });
    if (run.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`web build failed (exit ${run.status}):\n${run.stderr || run.stdout}`);
    }
    precompress(join(tmp, 'client', 'assets'));
    writeFileSync(join(tmp, STAMP), digest);
    const old = join(WEB_ROOT, `build.old-${process.pid}`);
    if (existsSync(BUILD_DIR)) renameSync(BUILD_DIR, old);
    renameSync(tmp, BUILD_DIR);
    rmSync(old, { recursive: true, force: true });
    log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  });
}
