// A local anvil node as a child process: the default chain of `npm start` (DESIGN.md, "Chain")
// and of every contract test. The binary ships in @foundry-rs/anvil-linux-amd64; its npm
// postinstall never runs here, so the path is resolved from the package directly.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { startMiner, type Miner } from './miner.js';

const require = createRequire(import.meta.url);

/** Absolute path of the anvil binary for this platform. */
export function anvilBinary(): string {
  const pkg = `@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'anvil');
}

/** anvil's well-known development mnemonic ("test test … junk"): its keys are public. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

/** The first ten well-known anvil dev private keys (public knowledge, never real funds). */
export const ANVIL_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
] as const;

/** The block gas limit of an anvil run with a miner (AnvilOptions.blockMs). */
export const BLOCK_MS_GAS_LIMIT = 1_000_000_000n;

export interface AnvilOptions {
  /** TCP port; a free one is picked when omitted. */
  port?: number;
  /** State file (`--state`): loaded at start when present, written on exit. */
  stateFile?: string;
  /** Accounts to create (default 10). */
  accounts?: number;
  /** Block gas limit (default anvil's). */
  gasLimit?: bigint;
  /** With stateFile: also dump the state every this many seconds (not only on exit). */
  stateIntervalSeconds?: number;
  /** EVM hardfork (`--hardfork`, e.g. `prague`); anvil's default (latest) when omitted. */
  hardfork?: string;
  /** Record opcode steps so debug_traceTransaction returns struct logs (profiling). */
  stepsTracing?: boolean;
  /** Milliseconds to wait for the RPC to answer. */
  startTimeoutMs?: number;
  /**
   * Blocks no closer than this many milliseconds under load (server/chain/miner.ts: anvil runs with
   * --no-mining and this process mines a block as soon as a transaction waits). 0 or omitted:
   * anvil's automine, a block for nearly every transaction.
   */
  blockMs?: number;
  /** Where the miner says what went wrong (a failed block, a lost subscription), and a wait for an earlier anvil on the state file. */
  log?: (m: string) => void;
  /** With stateFile: how long to wait for an earlier anvil still running on it to exit (default 120 s). */
  previousExitTimeoutMs?: number;
}

export interface AnvilNode {
  url: string;
  port: number;
  /** The watchdog shell that runs anvil (ANVIL_WATCHDOG): the leader of anvil's own process group. */
  process: ChildProcess;
  /** anvil's own pid. */
  pid: number;
  /** The miner of this process (blockMs), when there is one. */
  miner?: Miner;
  /** Stops the node (SIGTERM, then SIGKILL after 5 s, or 60 s while it writes a state file); resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * How anvil is run: `/bin/sh -c ANVIL_WATCHDOG anvil-watchdog <anvil> <args…>`, spawned
 * `detached` (its own session and process group) with a pipe on its stdin whose only write end
 * is held by this Node process.
 *
 * - Own process group: a terminal's Ctrl-C (SIGINT to the foreground group, i.e. `npx`, tsx and
 *   the server) does not reach anvil, so the server can still use the chain while it shuts down
 *   and then stops anvil itself, in order, with its state written.
 * - Dies with its parent, however the parent ends (exit, crash, SIGKILL): the kernel closes the
 *   parent's end of the stdin pipe when the parent dies, the watchdog's `read` sees EOF and sends
 *   anvil SIGTERM (anvil writes its --state file and exits; SIGKILL 60 s later if it hangs: a
 *   state file killed mid-write is an empty or cut JSON file, and the chain with it). No
 *   'exit' handler is involved, so SIGKILL and fatal signals of the parent are covered. Node opens
 *   its pipes close-on-exec, so no other child of the server holds the write end open.
 * - A SIGTERM/SIGINT/SIGHUP to the watchdog is passed on to anvil; the watchdog then waits for
 *   anvil, ends what is left of its group (the pipe reader, its `sleep`: the group is its own,
 *   `-$$`) and exits with anvil's status, so `stop()` resolves only once anvil is gone.
 *
 * The first line on its stdout is anvil's pid; anvil's own stdout goes to /dev/null (`--silent`),
 * its stderr to the watchdog's.
 */
export const ANVIL_WATCHDOG = `
bin=$1; shift
exec 3<&0 </dev/null
"$bin" "$@" 3<&- >/dev/null &
a=$!
trap 'kill -TERM "$a" 2>/dev/null' TERM INT HUP
echo "$a"
exec >/dev/null
(trap - TERM INT HUP; read -r _ <&3; kill -TERM "$a" 2>/dev/null; sleep 60; kill -KILL "$a" 2>/dev/null) &
w=$!
exec 3<&-
wait "$a"; code=$?
while kill -0 "$a" 2>/dev/null; do wait "$a"; code=$?; done
kill -TERM "$w" 2>/dev/null
trap '' TERM
kill -TERM -$$ 2>/dev/null
exit "$code"
`;

/** Sends `signal` to the whole process group led by `pid` (watchdog and anvil); false when it is gone. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port the OS reports free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Whether process `pid` holds the socket listening on 127.0.0.1:`port` (Linux: /proc/net/tcp's
 * listening inode among the process's fds); undefined where /proc cannot tell.
 */
export function listensOn(pid: number, port: number): boolean | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return undefined;
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st … inode (the tenth field); 0A is LISTEN.
    if (f.length >= 10 && f[1] === local && f[3] === '0A') inodes.add(f[9]);
  }
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone
  }
  for (const fd of fds) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith('socket:[') && inodes.has(link.slice(8, -1))) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/**
 * Pids of the anvils running with `--state <stateFile>` (Linux: /proc; none found elsewhere). A
 * relative path is read against that process's working directory.
 */
export function anvilsOnState(stateFile: string): number[] {
  const want = resolve(stateFile);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args[0]?.endsWith('anvil')) continue;
      const i = args.indexOf('--state');
      if (i < 0 || !args[i + 1]) continue;
      const path = isAbsolute(args[i + 1]) ? args[i + 1] : join(readlinkSync(`/proc/${pid}/cwd`), args[i + 1]);
      if (resolve(path) === want) found.push(Number(pid));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Waits until no anvil runs on `stateFile`. The anvil of a server that has just ended may still
 * be writing it (its watchdog stops it once the server is gone, and anvil writes its state as it
 * exits): an anvil started on it meanwhile read an empty or cut file and refused to start, or read
 * the previous periodic dump and went on from a chain seconds older than the database, whose cases
 * then waited for ever for batches the chain no longer had. Two servers on one data directory
 * would likewise run two anvils writing one file: the second is refused after the wait.
 */
async function previousAnvilGone(stateFile: string, timeoutMs: number, log?: (m: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  for (;;) {
    const running = anvilsOnState(stateFile);
    if (running.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`anvil (pid ${running.join(', ')}) still runs on ${stateFile} after ${Math.round(timeoutMs / 1000)} s: is another server using this data directory? Stop it first.`);
    }
    if (!said) log?.(`chain: waiting for the earlier anvil (pid ${running.join(', ')}) to write ${stateFile} and exit`);
    said = true;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts anvil on 127.0.0.1 and resolves once it answers JSON-RPC. The answer must come from this
 * anvil: when two starts race for one port (two `npm start`s both finding 8545 free), the loser's
 * anvil fails to bind while the winner's answers on the URL; without the check the loser would
 * deploy to, and later lose with, the other's chain. The loser gets an error instead.
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilNode> {
  const port = options.port ?? (await freePort());
  // --prune-history: anvil keeps the states of the last 256 blocks in memory and none older. By
  // default it also wrote every state older than its in-memory window to disk, a copy of the
  // whole (growing) state per block: the largest part of its CPU once a pipeline had opened a few
  // thousand cases. Nothing here reads state at a block that old (blocks, receipts and logs are
  // all kept; --state still saves the current state at exit). With no count (no earlier state at
  // all) a block cost a quarter less CPU, but anvil then stalled for ~400 ms at times: at 20
  // cases/s a node's run reached 480 ms at p90 against 99, and the p95 to `proposed` 2.0 s
  // against 1.1–1.5 (docs/pipeline-bench.md).
  const args = ['--host', '127.0.0.1', '--port', String(port), '--accounts', String(options.accounts ?? 10), '--silent', '--prune-history', '256'];
  if (options.blockMs) {
    args.push('--no-mining');
    // A block now holds everything sent in `blockMs`: with anvil's 30M gas limit a few openCases
    // filled it past its EIP-1559 target, the base fee rose 12.5 % a block, and a transaction
    // signed at an earlier fee was dropped from the pool when mined, leaving its sender's later
    // nonces queued behind the gap for ever. A billion gas keeps every block under its target.
    if (!options.gasLimit) args.push('--gas-limit', String(BLOCK_MS_GAS_LIMIT));
  }
  if (options.stepsTracing) args.push('--steps-tracing');
  if (options.hardfork) args.push('--hardfork', options.hardfork);
  if (options.gasLimit) args.push('--gas-limit', options.gasLimit.toString());
  if (options.stateFile) {
    mkdirSync(dirname(options.stateFile), { recursive: true });
    await previousAnvilGone(options.stateFile, options.previousExitTimeoutMs ?? 120_000, options.log);
    args.push('--state', options.stateFile);
    if (options.stateIntervalSeconds) args.push('--state-interval', String(options.stateIntervalSeconds));
  }
  // See ANVIL_WATCHDOG: own process group, and anvil dies when this process does.
  const child = spawn('/bin/sh', ['-c', ANVIL_WATCHDOG, 'anvil-watchdog', anvilBinary(), ...args], {
    // MALLOC_ARENA_MAX is the service's own memory setting (package.json), not the chain's.
    env: { ...process.env, MALLOC_ARENA_MAX: undefined },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  child.stdout?.on('data', (d) => (stdout += String(d)));
  // Writing to the watchdog never happens; an EPIPE after it exited is not an error of ours.
  child.stdin?.on('error', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  const own = () => listensOn(Number(stdout.split('\n')[0]), port) !== false;
  while (!(await rpcAnswers(url)) || !/^\d+\n/.test(stdout) || !own()) {
    if (gone()) throw new Error(`anvil exited with code ${child.exitCode ?? child.signalCode}: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      signalGroup(child.pid, 'SIGKILL');
      await exited;
      throw new Error(`anvil did not answer on ${url} within the start timeout: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let miner: Miner | undefined;
  if (options.blockMs) {
    try {
      miner = await startMiner(url, options.blockMs, options.log);
    } catch (err) {
      signalGroup(child.pid, 'SIGKILL');
      await exited;
      throw new Error(`anvil's miner did not start: ${(err as Error).message}`);
    }
  }
  return {
    url,
    port,
    process: child,
    pid: Number(stdout.split('\n')[0]),
    miner,
    async stop() {
      await miner?.stop();
      if (gone()) return;
      // The watchdog passes SIGTERM on to anvil once (anvil writes its state) and exits after it.
      child.kill('SIGTERM');
      // A state file killed mid-write is lost with the chain in it: anvil gets its time to write it.
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.stateFile ? 60_000 : 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
