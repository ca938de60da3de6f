// `arbiter node` as a real process, for the tests and the bench that run node operators outside
// the service (test/integration/pipeline/node-processes.test.ts, test/bench/pipeline.ts): its key
// in a file (never on the command line), the service's Redis under its QUEUE_PREFIX, its anvil
// and deployment file, its own data directory. Ready once it prints "ready:"; a process that exits
// first fails the start at once, with its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { REPO_ROOT } from './server-process.js';

export interface NodeProcessOptions {
  /** How errors name it, e.g. "node 4". */
  label: string;
  /** The operator's private key (0x hex), written to `keyFile` (mode 600). */
  key: string;
  keyFile: string;
  /** --data: its trace store. */
  dataDir: string;
  redisUrl: string;
  rpcUrl: string;
  deploymentFile: string;
  /** QUEUE_PREFIX: the service's. */
  prefix: string;
  /** PIPELINE_POLL_MS. */
  pollMs: number | string;
  /** More arguments (--fault-step K, --silent, --hide-claims…). */
  extra?: string[];
  /** Each non-empty line of every chunk it writes to stdout or stderr, as it comes. */
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Options for node itself, before the script (the bench's `--cpu-prof --cpu-prof-dir=…`). */
  nodeOptions?: string[];
}

export interface NodeProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** Sends `signal` unless it has exited already, then waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startNodeProcess(o: NodeProcessOptions): Promise<NodeProcess> {
  writeFileSync(o.keyFile, `${o.key}\n`, { mode: 0o600 });
  const args = ['server/cli/arbiter.js', 'node', '--key-file', o.keyFile, '--redis', o.redisUrl, '--rpc', o.rpcUrl, '--deployment', o.deploymentFile, '--data', o.dataDir, ...(o.extra ?? [])];
  const child = spawn(process.execPath, [...(o.nodeOptions ?? []), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, QUEUE_PREFIX: o.prefix, PIPELINE_POLL_MS: String(o.pollMs), ARBITER_NODE_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = o.readyTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    let isReady = false;
    const onData = (d: Buffer) => {
      const chunk = String(d);
      // Looked for in the newest output only, and only until found: scanning all of it at every
      // chunk grew with the run (the bench's node processes print two lines a batch).
      if (!isReady && (out.slice(-16) + chunk).includes('ready:')) {
        isReady = true;
        resolve();
      }
      out += chunk;
      if (o.onLine) for (const line of chunk.split('\n').filter(Boolean)) o.onLine(line);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${o.label} exited (${code}) before it was ready:\n${out.slice(-2000)}`)));
    timer = setTimeout(() => reject(new Error(`${o.label} not ready after ${timeoutMs / 1000} s:\n${out.slice(-2000)}`)), timeoutMs);
  });
  const p: NodeProcess = {
    child,
    output: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await ready;
  } catch (e) {
    await p.stop('SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return p;
}
