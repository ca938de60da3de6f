// Wakes a node's jobs when something happens to their batch on chain, instead of each waiting
// job looking again on a growing timer: a job waiting in process (wait), or a delayed job
// waiting out a batch's window (follow: its follower promotes it). While anyone waits, one loop per process reads the new
// blocks' Arbitration logs every `pollMs` (two RPCs whatever the number of waiting jobs) and wakes
// the waiters of every batch named in them. A wake-up is only a hint: the job reads the chain
// again itself. A waiter also wakes at its timeout, so an event missed between a job's read and
// its wait costs at most that.
import { Interface, type Provider } from 'ethers';
import { keepSubscribed, type Subscription } from '../chain/subscription.js';
import { abiOf } from '../chain/contracts.js';

/** Arbitration's events whose first indexed argument is the batch id, read off its ABI. */
const BATCH_EVENTS: string[] = [];
new Interface(abiOf('Arbitration')).forEachEvent((e) => {
  const first = e.inputs[0];
  if (first?.indexed && first.name === 'batchId' && first.type === 'uint64') BATCH_EVENTS.push(e.topicHash);
});

export interface BatchWatch {
  /** Resolves true when an event of `batchId` is seen, false after `ms`. */
  wait(batchId: bigint, ms: number): Promise<boolean>;
  /**
   * Calls `onEvent` at the next event of `batchId` seen, once, unless cancelled first (the
   * returned function). For a job waiting out a long window as a delayed job, not in process.
   */
  follow(batchId: bigint, onEvent: () => void): () => void;
  /** Whether new heads are being pushed (a head subscription stands). */
  readonly pushing: boolean;
  stop(): void;
}

/** With a WebSocket, the in-process waiters' safety look (a missed head) is at most this often. */
const HEADS_SAFETY_MS = 250;
const RECONNECT_MS = 1000;

/**
 * `headsUrl`: a WebSocket endpoint of the same chain (anvil serves one on its HTTP port): each new
 * block's head is pushed, and waiters are looked for at once (no poll's delay, and no head read);
 * the polls go on, more slowly, for a head the socket missed. Without one, or while it is down,
 * the loop polls every `pollMs` as before.
 */
export function createBatchWatch(provider: Provider, arbitration: string, pollMs: number, followMs = 1000, onError?: (message: string) => void, headsUrl?: string): BatchWatch {
  const waiters = new Map<string, Set<(hit: boolean) => void>>();
  const followers = new Map<string, Set<() => void>>();
  let last: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let busy = false;
  let failures = 0;
  let idle = true; // nobody waited since the last look

  const waiting = () => {
    let n = followers.size;
    for (const s of waiters.values()) n += s.size;
    return n;
  };
  let due = 0; // when the pending look runs
  const schedule = (ms: number) => {
    timer = setTimeout(() => void look(), ms);
    due = Date.now() + ms;
  };
  /** A look soon: now if the loop is idle, or sooner than a follower's slow cadence had it. */
  const kick = () => {
    if (busy || stopped) return;
    if (timer && due <= Date.now() + pollMs) return;
    if (timer) clearTimeout(timer);
    schedule(Math.min(pollMs, 5));
  };

  // The pushed heads (headsUrl): `pushedHead` is the newest; `live` while the subscription stands.
  let pushedHead: number | undefined;
  let lookAgain = false; // a head came while a look ran: one more right after it
  let socketSaid = false;
  function onHead(n: number) {
    pushedHead = Math.max(pushedHead ?? 0, n);
    if (stopped || waiting() === 0) return;
    if (busy) {
      lookAgain = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    void look();
  }
  const heads: Subscription | undefined = headsUrl
    ? keepSubscribed(headsUrl, {
        event: 'block',
        onEvent: (n) => onHead(Number(n)),
        onLive: () => (socketSaid = false),
        // Said once until the subscription stands again, not at every reconnect.
        onError: (m) => {
          if (!socketSaid) onError?.(`batch watch: no head subscription at ${headsUrl} (${m}); polling every ${pollMs} ms`);
          socketSaid = true;
        },
        reconnectMs: RECONNECT_MS,
      })
    : undefined;
  const live = () => heads?.live ?? false;

  function wakeAll() {
    const ws = [...waiters.values()].flatMap((set) => [...set]);
    const fs = [...followers.values()].flatMap((set) => [...set]);
    waiters.clear();
    followers.clear();
    for (const wake of ws) wake(true);
    for (const f of fs) f();
  }

  async function look(): Promise<void> {
    timer = undefined;
    if (stopped || busy) return;
    busy = true;
    try {
      // The pushed head when it is news (a look it triggered); otherwise the node is asked.
      const head = live() && pushedHead !== undefined && (last === undefined || pushedHead > last) ? pushedHead : await provider.getBlockNumber();
      // From the block before the head at first (an event between a job's read and its wait),
      // then from where the last look ended, idle or not: starting again at head - 1 after
      // every wake-up woke a job again and again on the very event that woke it (its own
      // commit, still in the newest block), ~75 reads a second for its whole wait.
      const wasIdle = idle;
      idle = false;
      if (last !== undefined && head - last > 256) {
        // Fallen behind while someone waited (a stalled process, an unreachable node): the
        // skipped blocks may hold an event they wait for, a challenge a delayed job must answer
        // within its game's clock: everyone looks at the chain again now. After an idle stretch
        // nobody was waiting (a new waiter read the chain just before): only the recent blocks matter.
        if (!wasIdle) wakeAll();
        last = head - 1;
      } else if (last === undefined) last = head - 1;
      else if (last > head) last = head; // a chain reset under a test
      if (head > last) {
        const logs = await provider.getLogs({ address: arbitration, fromBlock: last + 1, toBlock: head, topics: [BATCH_EVENTS] });
        last = head;
        for (const l of logs) {
          const key = BigInt(l.topics[1]).toString();
          const set = waiters.get(key);
          if (set) {
            waiters.delete(key);
            for (const wake of set) wake(true);
          }
          const fs = followers.get(key);
          if (fs) {
            followers.delete(key);
            for (const f of fs) f();
          }
        }
      }
      failures = 0;
    } catch (e) {
      // The next look tries the same blocks again. A node that keeps failing (a range or rate
      // limit) may be holding back an event someone must answer: after a few failures in a
      // row, everyone looks at the chain for themselves.
      if (++failures % 5 === 0) {
        onError?.(`batch watch: ${failures} reads failed in a row (${(e as Error).message}); every waiting job looks again`);
        wakeAll();
      }
    } finally {
      busy = false;
    }
    if (lookAgain && !stopped && waiting() > 0) {
      lookAgain = false;
      return look();
    }
    lookAgain = false;
    // In-process waiters want their wake-up within pollMs (a pushed head wakes them sooner: then
    // the poll is only a safety net); followers (delayed jobs waiting out a window) within
    // followMs, a look a second rather than fifty while nothing else waits.
    if (!stopped && waiting() > 0) schedule(waiters.size > 0 ? (live() ? Math.max(pollMs, HEADS_SAFETY_MS) : pollMs) : followMs);
    else idle = true;
  }

  return {
    get pushing() {
      return live();
    },
    wait(batchId, ms) {
      // Stopped: no wake-up will come, but a caller looping on its wait must not spin.
      if (stopped) return new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms));
      return new Promise<boolean>((resolve) => {
        const key = batchId.toString();
        let set = waiters.get(key);
        if (!set) waiters.set(key, (set = new Set()));
        const done = (hit: boolean) => {
          clearTimeout(t);
          set!.delete(done);
          if (set!.size === 0 && waiters.get(key) === set) waiters.delete(key);
          resolve(hit);
        };
        const t = setTimeout(() => done(false), ms);
        set.add(done);
        kick();
      });
    },
    follow(batchId, onEvent) {
      if (stopped) return () => {};
      const key = batchId.toString();
      let set = followers.get(key);
      if (!set) followers.set(key, (set = new Set()));
      const f = () => onEvent();
      set.add(f);
      kick();
      return () => {
        set!.delete(f);
        if (set!.size === 0 && followers.get(key) === set) followers.delete(key);
      };
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      heads?.stop();
      for (const set of waiters.values()) for (const wake of [...set]) wake(false);
      waiters.clear();
      followers.clear();
    },
  };
}
