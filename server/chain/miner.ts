// Blocks for the private anvil (DESIGN.md, "Chain"), run with --no-mining: a block as soon as a
// transaction waits, but never sooner than `blockMs` after the previous block began.
//
// Why not anvil's own modes: automine mines a block for nearly every transaction, and anvil
// rebuilds its whole state trie for each block (docs/pipeline-bench.md: ~8 ms an empty block with
// a thousand cases open, 27 ms at 20,000 storage slots). Under load that was half of anvil's CPU.
// Interval mining (--block-time) bounds the blocks but mines empty ones for ever, and delays a
// lone transaction by up to a whole interval. This miner does neither: idle, it mines nothing; a
// lone transaction is mined at once; under load the transactions of `blockMs` share a block.
//
// It learns of transactions from anvil's `newPendingTransactions` subscription (a WebSocket on
// anvil's port). A look at the pool after each block (a transaction sent while it was mined, or
// one the block's gas left out) and a look every SAFETY_LOOK_MS catch anything a notification
// missed, so the chain moves on, if more slowly, with the WebSocket down; it is opened again.
// Blocks and looks go over HTTP.
import { postJson } from './provider.js';
import { keepSubscribed, type Subscription } from './subscription.js';

export interface Miner {
  /** Blocks this miner has mined. */
  readonly blocks: number;
  /** Mines nothing until resume() (a block already being mined is finished): a chain standing still, for tests. */
  pause(): void;
  /** Mines again, at once if transactions wait. */
  resume(): void;
  /** Calls `f` after each block this miner mined (the indexer looks at once); returns its removal. */
  onBlock(f: () => void): () => void;
  stop(): Promise<void>;
}

interface PoolStatus {
  pending: string;
  queued: string;
}

const SAFETY_LOOK_MS = 250;
/**
 * A block or a pool look that has not answered in this long is given up (and the next look tries
 * again): while one is out nothing else is mined, so the provider's 120 s would stall the chain
 * for two minutes on one lost answer.
 */
const MINER_RPC_TIMEOUT_MS = 10_000;
const RECONNECT_MS = 1_000;
/** The subscription's start is waited for this long; the miner runs on its looks meanwhile. */
const SUBSCRIBE_TIMEOUT_MS = 10_000;

export async function startMiner(rpcUrl: string, blockMs: number, log: (m: string) => void = () => {}): Promise<Miner> {
  const url = new URL(rpcUrl);
  let nextId = 1;
  /** One JSON-RPC call of the miner's own, with its own deadline. */
  const call = async (method: string): Promise<unknown> => {
    const a = (await postJson(url, JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: [] }), true, MINER_RPC_TIMEOUT_MS)) as { result?: unknown; error?: { message: string } };
    if (a.error) throw new Error(`${method}: ${a.error.message}`);
    return a.result;
  };
  let stopped = false;
  let mining: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastStart = 0;
  let blocks = 0;
  let paused = false;
  let lookFailed = '';
  const onBlocks = new Set<() => void>();

  const pending = async () => Number(((await call('txpool_status')) as PoolStatus).pending);

  const schedule = () => {
    if (stopped || paused || mining || timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        mining = mine().then((more) => {
          mining = undefined;
          if (more) schedule();
        });
      },
      Math.max(0, lastStart + blockMs - Date.now()),
    );
  };

  /** Mines a block; true when transactions still wait after it (sent meanwhile, or left out by its gas). */
  async function mine(): Promise<boolean> {
    lastStart = Date.now();
    try {
      await call('evm_mine');
      blocks++;
      for (const f of onBlocks) f();
      return !stopped && (await pending()) > 0;
    } catch (e) {
      if (!stopped) log(`chain: mining a block failed: ${(e as Error).message}`);
      return false;
    }
  }

  /** A look at the pool: a block is scheduled when transactions wait (a failure waits for the next look). */
  const look = () =>
    pending().then(
      (n) => {
        lookFailed = '';
        if (n > 0) schedule();
      },
      (e: Error) => {
        // Said once per cause, not four times a second.
        if (!stopped && e.message !== lookFailed) log(`chain: the miner's look at the pool failed: ${e.message}`);
        lookFailed = e.message;
      },
    );
  const safety = setInterval(() => {
    if (stopped || paused || mining || timer) return;
    void look();
  }, SAFETY_LOOK_MS);
  safety.unref();

  // The subscription (see subscription.ts), waited for up to SUBSCRIBE_TIMEOUT_MS: the miner runs
  // on its looks meanwhile, and for good without a socket.
  let subscribed: NodeJS.Timeout | undefined;
  let sub: Subscription | undefined;
  await new Promise<void>((resolve) => {
    subscribed = setTimeout(() => {
      log(`chain: the miner's subscription does not stand after ${SUBSCRIBE_TIMEOUT_MS} ms; mining on its looks meanwhile`);
      resolve();
    }, SUBSCRIBE_TIMEOUT_MS);
    sub = keepSubscribed(rpcUrl.replace(/^http/, 'ws'), {
      event: 'pending',
      onEvent: () => schedule(),
      onLive: resolve,
      onError: (m) => {
        if (!stopped) log(`chain: the miner's subscription: ${m}; mining on its looks`);
      },
      reconnectMs: RECONNECT_MS,
    });
  });
  clearTimeout(subscribed);
  // Transactions that waited before this miner started (a restart of the service).
  if ((await pending()) > 0) schedule();

  return {
    get blocks() {
      return blocks;
    },
    onBlock(f) {
      onBlocks.add(f);
      return () => void onBlocks.delete(f);
    },
    pause() {
      paused = true;
      clearTimeout(timer);
      timer = undefined;
    },
    resume() {
      paused = false;
      void look();
    },
    async stop() {
      stopped = true;
      clearInterval(safety);
      clearTimeout(timer);
      await mining;
      sub?.stop();
    },
  };
}
