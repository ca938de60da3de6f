// The chain event indexer (DESIGN.md: one at a time, resumable): holds a lease in Redis (another
// process takes over when it lapses), reads the deployment's events from its cursor up to the
// latest block minus CHAIN_CONFIRMATIONS, folds each (fold.ts, idempotent) and moves the cursor
// in the database only after a whole range is folded. A crash re-reads at most one range.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { JsonRpcApiProvider, type Provider } from 'ethers';
import { readEvents, type ChainEvent } from '../chain/events.js';
import type { Deployment } from '../chain/deploy.js';
import type { Folder } from './fold.js';
import type { PipelineStore } from './store.js';

export interface IndexerOptions {
  provider: Provider;
  deployment: Deployment;
  store: PipelineStore;
  /** Folds one event; `many`, when given, folds a range in order (fewer database transactions). */
  fold: ((e: ChainEvent) => Promise<void>) & { many?: Folder['many'] };
  redis: Redis;
  prefix: string;
  pollMs: number;
  confirmations: number;
  /** Blocks per getLogs call. */
  range?: number;
  leaseMs?: number;
  log?: (msg: string) => void;
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function startIndexer(o: IndexerOptions) {
  const owner = randomBytes(8).toString('hex');
  const leaseKey = `${o.prefix}:indexer-lease:${o.deployment.addresses.arbitration.toLowerCase()}`;
  const leaseMs = o.leaseMs ?? Math.max(5000, o.pollMs * 20);
  const cursorName = `arbitration-${o.deployment.addresses.arbitration.toLowerCase()}`;
  const log = o.log ?? (() => {});
  let stopped = false;
  let holding = false;
  let wake: (() => void) | undefined;
  let again = false;
  let lastError = '';
  let behindSaid = false;
  let caughtUp = false; // the last ordinary pass read up to the head

  let renewedAt = 0;
  async function lease(): Promise<boolean> {
    if (holding) {
      // Renewed a quarter of the way into the lease, not at every pass (fifty Redis scripts a
      // second at a 20 ms poll): three quarters of it are left as the margin.
      const t = Date.now();
      if (t - renewedAt < leaseMs / 4) return true;
      holding = (await o.redis.eval(RENEW, 1, leaseKey, owner, String(leaseMs))) === 1;
      if (holding) renewedAt = t;
      else log(`indexer: lost the lease (${owner})`);
    } else {
      const t = Date.now();
      holding = (await o.redis.set(leaseKey, owner, 'PX', leaseMs, 'NX')) === 'OK';
      if (holding) {
        renewedAt = t;
        log(`indexer: took the lease (${owner})`);
      }
    }
    return holding;
  }

  /** One pass; returns true when it read up to the head. */
  async function tick(): Promise<boolean> {
    if (!(await lease())) return true;
    const from = o.store.cursor(cursorName) ?? o.deployment.block;
    if (caughtUp && o.confirmations === 0 && o.provider instanceof JsonRpcApiProvider) {
      // Caught up on a chain folded without confirmations (the embedded one): the new logs up to
      // the latest block, without asking for the head first (one request less on every pass,
      // and a pass follows every block). They cover every block up to their last one, so the
      // cursor moves past it: the blocks after it held no log (or came after the read) and are
      // read again next time. No log (or no new block): the ordinary pass below moves the cursor
      // to the head.
      // A node may refuse a range that starts past its head (anvil does): the ordinary pass then.
      const events = await readEvents(o.provider, o.deployment, from, 'latest').catch(() => []);
      if (events.length) {
        if (stopped) return true;
        await foldAll(events);
        o.store.setCursor(cursorName, events[events.length - 1].blockNumber + 1);
        return true;
      }
    }
    caughtUp = false;
    const latest = await o.provider.getBlockNumber();
    const head = latest - o.confirmations;
    if (head < from) {
      // Blocks up to from - 1 are folded. A chain whose latest block is below that lost blocks (a
      // reset node, or anvil started from an older state file): what the database holds from them
      // waits for events that will not come. Said once, not fixed: a person must look.
      caughtUp = true; // nothing new: the next pass may read the new logs alone
      if (latest < from - 1 && !behindSaid) log(`indexer: the chain's latest block ${latest} is behind block ${from - 1}, already folded: the chain lost blocks (a reset node, or an older state file); cases folded from them wait for events that will not come`);
      behindSaid = latest < from - 1;
      return true;
    }
    behindSaid = false;
    const to = Math.min(head, from + (o.range ?? 2000) - 1);
    const events = await readEvents(o.provider, o.deployment, from, to);
    if (stopped) return true;
    await foldAll(events);
    o.store.setCursor(cursorName, to + 1);
    caughtUp = to === head;
    return caughtUp;
  }

  /** Folds `events` in order (stops between events once stopped, when folded one by one). */
  async function foldAll(events: ChainEvent[]): Promise<void> {
    if (o.fold.many) return o.fold.many(events);
    for (const e of events) {
      if (stopped) return;
      await o.fold(e);
    }
  }

  const done = (async () => {
    while (!stopped) {
      let caughtUp = true;
      try {
        caughtUp = await tick();
        lastError = '';
      } catch (e) {
        const msg = (e as Error).message;
        if (msg !== lastError) log(`indexer: ${msg} (will retry)`);
        lastError = msg;
      }
      if (!caughtUp || stopped) continue;
      if (again) {
        again = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, o.pollMs);
        wake = () => {
          wake = undefined;
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    /** Look at the chain now rather than at the next poll (something was just mined). */
    wake() {
      if (wake) wake();
      else again = true; // mid-pass: one more pass right after it
    },
    /** Whether this process holds the lease now. */
    get leading() {
      return holding;
    },
    async stop() {
      stopped = true;
      wake?.();
      await done;
      if (holding) await o.redis.eval(RELEASE, 1, leaseKey, owner).catch(() => {});
      holding = false;
    },
  };
}

export type Indexer = ReturnType<typeof startIndexer>;
