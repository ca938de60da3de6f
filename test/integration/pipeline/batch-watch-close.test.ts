// A node closing while one of its exec jobs waits in the batch watch for the other members'
// commits (server/nodes/batch-watch.ts): the waiting job ends within a deadline and nothing spins.
// Last session the node stopped its watch before its worker, and a stopped watch answered every
// wait at once: the job looped on its three chain reads without pause until its in-process wait
// ran out. Real anvil, Redis and app; node 1 runs in this process, nodes 2 and 3 (its committee
// mates) not at all, so it commits and then waits for commits that never come.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NonceManager, Wallet, type JsonRpcProvider } from 'ethers';
import { Queue } from 'bullmq';
import { ANVIL_KEYS } from '../../../server/chain/anvil.js';
import { createBatchWatch } from '../../../server/nodes/batch-watch.js';
import { startNodeWorker } from '../../../server/nodes/node-worker.js';
import { createChainPort } from '../../../server/pipeline/chain-port.js';
import { nodeQueueName } from '../../../server/pipeline/jobs.js';
import { loadCatalogue } from '../../../server/pipeline/models.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { countingProvider as countingProviderOn } from '../../support/counting-provider.js';
import { waitUntil } from '../../support/wait.js';
import { freshWallet, startPipelineFixture, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
let dir: string;
const providers: JsonRpcProvider[] = [];
beforeAll(async () => {
  // Nodes 1..3 staked (the committee), none of them running.
  f = await startPipelineFixture({ nodes: 3, inProcessNodes: false });
  dir = mkdtempSync(join(tmpdir(), 'arbiter-watch-close-'));
}, 120_000);
afterAll(async () => {
  for (const p of providers) p.destroy();
  await f?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A counting provider (test/support/counting-provider.ts), destroyed after the tests. */
function countingProvider() {
  const p = countingProviderOn(f.fx.anvil.url);
  providers.push(p.provider);
  return p;
}

const sinceStart = (t0: number) => Date.now() - t0;

describe('batch watch › closing while a job waits', { timeout: 180_000 }, () => {
  it('a stopped watch wakes its waiters at once, and a caller looping on its wait waits rather than spins', async () => {
    const { provider, count } = countingProvider();
    const watch = createBatchWatch(provider, f.chain.deployment.addresses.arbitration, 10);
    // As an exec job waits for commits: look again after each wait, until its in-process time is up.
    const LOOP_MS = 1500;
    const WAIT_MS = 250;
    let waits = 0;
    let stoppedAt = 0;
    let waitsAfterStop = 0;
    let pending: Promise<boolean> | undefined;
    const loop = (async () => {
      for (const began = Date.now(); Date.now() - began < LOOP_MS; ) {
        pending = watch.wait(123n, WAIT_MS);
        await pending;
        waits++;
        if (stoppedAt) waitsAfterStop++;
      }
    })();
    // Waiting: the watch reads the chain's logs for it.
    await waitUntil(() => count('eth_getLogs') > 0, 'the watch to read logs for its waiter', 10_000, 5);
    const inFlight = pending!;
    watch.stop();
    stoppedAt = Date.now();
    const logsAtStop = count('eth_getLogs');
    // The wait in flight ends at once with no wake-up (false), not at its timeout.
    expect(await inFlight).toBe(false);
    expect(sinceStart(stoppedAt)).toBeLessThan(WAIT_MS);
    await loop;
    // What was left of the loop's time was spent in waits of WAIT_MS: a handful, not thousands.
    expect(waitsAfterStop).toBeLessThanOrEqual(Math.ceil(LOOP_MS / WAIT_MS) + 1);
    expect(waits).toBeLessThanOrEqual(Math.ceil(LOOP_MS / WAIT_MS) + 2);
    // A stopped watch reads nothing more.
    expect(count('eth_getLogs')).toBe(logsAtStop);
  });

  it('a node closing while its exec job waits for the other commits ends the job within a deadline, with a bounded number of reads', async () => {
    const { provider, count } = countingProvider();
    const wallet = new Wallet(ANVIL_KEYS[1], provider);
    const me = wallet.address.toLowerCase();
    const log: string[] = [];
    const node = await startNodeWorker({
      signer: new NonceManager(wallet),
      saltSecret: wallet.privateKey,
      port: createChainPort(f.chain.deployment, provider),
      connection: f.redis,
      prefix: f.t.config.queuePrefix,
      models: await loadCatalogue(),
      storeDir: join(dir, 'node-1'),
      pollMs: 100,
      log: (m) => log.push(m),
    });
    let closed = false;
    try {
      const record = variant(validRecords.eu261Delay, (d) => {
        d.claimant.wallet = freshWallet();
      });
      const { id } = await f.file(record);
      await waitUntil(() => log.some((m) => m.startsWith('committed batch')), `node 1 to commit (case ${id}); log:\n${log.join('\n')}`, 120_000);
      // Then it waits in the watch for nodes 2 and 3, who never commit: the watch looks at the
      // chain's head for it (and reads logs only when a block came: an idle chain may mine none).
      const headsAtCommit = count('eth_blockNumber');
      await waitUntil(() => count('eth_blockNumber') > headsAtCommit + 1, 'the watch to look at the chain for the waiting job', 10_000, 5);
      const queue = new Queue(nodeQueueName(me), { connection: f.redis, prefix: f.t.config.queuePrefix });
      try {
        expect(await queue.getActiveCount()).toBe(1);
        // Waiting, it reads the chain about once per wait (250 ms), not on every poll of the watch:
        // a watch that read from the head's previous block after each wake-up woke the job again
        // and again on its own Committed event (still in the newest block), ~75 reads a second.
        const readsWaiting = count('eth_call');
        const sampleStart = Date.now();
        await new Promise((r) => setTimeout(r, 1000));
        expect(count('eth_call') - readsWaiting).toBeLessThanOrEqual(2 * (Math.ceil((Date.now() - sampleStart) / 250) + 2));

        const readsBefore = count('eth_call');
        const blocksBefore = count('eth_getBlockByNumber');
        const t0 = Date.now();
        // The job's in-process wait is 3 s; closing takes at most that and its move to delayed.
        await Promise.race([
          node.close(),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`node.close() still pending after 15 s; log:\n${log.join('\n')}`)), 15_000)),
        ]);
        closed = true;
        const closeMs = sinceStart(t0);
        // The job ended (moved to delayed for its timer, or done): nothing is left active.
        expect(await queue.getActiveCount()).toBe(0);
        // Each look is two eth_calls and a block read, then a wait of 250 ms unless woken: at most
        // a dozen looks in 3 s. A spinning job made hundreds.
        const looks = Math.ceil(closeMs / 250) + 4;
        expect(count('eth_call') - readsBefore).toBeLessThanOrEqual(2 * looks);
        expect(count('eth_getBlockByNumber') - blocksBefore).toBeLessThanOrEqual(looks);
        // Closed: its watch reads nothing more.
        const logsAtClose = count('eth_getLogs');
        const callsAtClose = count('eth_call');
        // Nothing to wait for here (no read may come): give it more than ten of the watch's 20 ms polls.
        await new Promise((r) => setTimeout(r, 300));
        expect(count('eth_getLogs')).toBe(logsAtClose);
        expect(count('eth_call')).toBe(callsAtClose);
      } finally {
        await queue.close();
      }
    } finally {
      if (!closed) await node.close().catch(() => {});
    }
  });

  it('follow › calls back once at the batch\'s next event, not after it is cancelled, and looks at a follower\'s slow cadence', async () => {
    const { provider, count } = countingProvider();
    const watch = createBatchWatch(provider, f.chain.deployment.addresses.arbitration, 10, 200);
    try {
      // The next batch the registrar opens: the one our filing goes into.
      const next = BigInt(await f.chain.contracts.arbitration.batchCount()) + 1n;
      let calls = 0;
      let cancelledCalls = 0;
      watch.follow(next, () => calls++);
      const cancel = watch.follow(next, () => cancelledCalls++);
      cancel();
      // Only followers: a look every 200 ms, not every 10.
      const heads = count('eth_blockNumber');
      await new Promise((r) => setTimeout(r, 1000));
      expect(count('eth_blockNumber') - heads).toBeLessThanOrEqual(8);
      expect(calls).toBe(0);
      await f.file(variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = freshWallet())));
      await waitUntil(() => calls > 0, `the follower of batch ${next} to be called`, 60_000, 20);
      // Once: later events of the batch (sealed, drawn) call nobody.
      await new Promise((r) => setTimeout(r, 1000));
      expect(calls).toBe(1);
      expect(cancelledCalls).toBe(0);
    } finally {
      watch.stop();
    }
  });

  it('follow › a watch fallen more than 256 blocks behind wakes every follower (a skipped block may hold its challenge)', async () => {
    const { provider, count } = countingProvider();
    // The watch's head reads wait while `gate` is closed: the 300 blocks below are mined whole
    // before it looks again (mining them takes a while; a look in the middle of it saw two
    // halves of 150 blocks on a busy machine, and never fell behind).
    let gate: Promise<void> | undefined;
    let closings = 0;
    const counted = provider.send.bind(provider);
    provider.send = async (method, params) => {
      if (method !== 'eth_blockNumber') return counted(method, params);
      for (;;) {
        if (gate) await gate;
        const seen = closings;
        const head = await counted(method, params);
        // Answered while the blocks were being mined: read again once they all are.
        if (!gate && seen === closings) return head;
      }
    };
    const watch = createBatchWatch(provider, f.chain.deployment.addresses.arbitration, 10, 200);
    try {
      let calls = 0;
      watch.follow(987_654n, () => calls++); // a batch nothing happens to
      // Its first look has read the head (it reads that look's logs after).
      await waitUntil(() => count('eth_getLogs') > 0, 'the watch to look once', 10_000, 5);
      expect(calls).toBe(0);
      let open!: () => void;
      gate = new Promise<void>((resolve) => (open = resolve));
      closings++;
      // 300 blocks at once: more than the watch reads in one look.
      await f.fx.provider.send('anvil_mine', ['0x12c']);
      gate = undefined;
      open();
      await waitUntil(() => calls > 0, 'the follower woken after the watch fell behind', 10_000, 20);
      expect(calls).toBe(1);
    } finally {
      watch.stop();
    }
  });
});
