// The pipeline survives its own restart and never acts twice: cases in flight when the service
// stops all reach `paid` after it starts again, each paid once, with every timeline event once;
// the indexer resumes from its cursor, one indexer holds the lease at a time, and folding the
// whole chain history again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { eventDecoder, readEvents } from '../../../server/chain/events.js';
import { caseEvents, chainEvents, webhookOutbox } from '../../../server/db/schema.js';
import { createCaseTransitions } from '../../../server/cases/transitions.js';
import { createFolder } from '../../../server/pipeline/fold.js';
import { startIndexer } from '../../../server/pipeline/indexer.js';
import { JOB_DEFAULTS, PIPELINE_QUEUE, jobIds, nodeQueueName } from '../../../server/pipeline/jobs.js';
import { readTimeline } from '../../../server/cases/timeline.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { countingProvider } from '../../support/counting-provider.js';
import { freshWallet, startPipelineFixture, until, WINDOWS, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture();
}, 120_000);
afterAll(async () => f?.stop());

const records = [validRecords.eu261Delay, validRecords.eu261Cancellation, validRecords.visaFraud, validRecords.uk261Delay, validRecords.usDotRefund];

describe('pipeline › restart and idempotency', { timeout: 300_000 }, () => {
  const ids: string[] = [];

  it('restart mid-pipeline › every case is paid once, with every timeline event once', async () => {
    for (const r of records) ids.push((await f.file(variant(r, (d) => void (d.claimant.wallet = freshWallet())))).id);
    await until(() => ids.some((id) => f.status(id) !== 'filed'), () => 'a case to leave filed');
    await f.restart();
    for (const id of ids) await f.waitFor(id, 'proposed');
    await f.restart();
    await f.advance(WINDOWS.challengeWindow + 1);
    for (const id of ids) await f.waitFor(id, 'paid');
    for (const id of ids) {
      expect(readTimeline(f.t.app.db, id).map((e) => e.type)).toEqual(['filed', 'execution_started', 'verdict_proposed', 'finalized', 'paid']);
      const outbox = f.t.app.db.select({ n: count() }).from(webhookOutbox).where(eq(webhookOutbox.caseId, id)).get()!.n;
      expect(outbox).toBe(5);
      const chainCaseId = f.pipeline.store.byCase(id)!.chainCaseId;
      const resolved = f.pipeline.store.eventsOfCase(chainCaseId).filter((e) => e.source === 'arbitration' && e.name === 'Resolved');
      expect(resolved).toHaveLength(1); // one payout on chain
    }
  }, 300_000);

  it('fold › folding the whole history again adds no event, row or transition', async () => {
    const before = {
      events: f.t.app.db.select({ n: count() }).from(chainEvents).get()!.n,
      timeline: f.t.app.db.select({ n: count() }).from(caseEvents).get()!.n,
      outbox: f.t.app.db.select({ n: count() }).from(webhookOutbox).get()!.n,
    };
    const fold = createFolder({
      db: f.t.app.db,
      store: f.pipeline.store,
      transitions: createCaseTransitions({ db: f.t.app.db }),
      models: f.pipeline.models,
      queue: (name) => f.queues.get(name, { defaultJobOptions: JOB_DEFAULTS }),
    });
    const events = await readEvents(f.fx.provider, f.chain.deployment, f.chain.deployment.block, await f.fx.provider.getBlockNumber());
    expect(events.length).toBeGreaterThan(20);
    for (const e of events) await fold(e);
    expect({
      events: f.t.app.db.select({ n: count() }).from(chainEvents).get()!.n,
      timeline: f.t.app.db.select({ n: count() }).from(caseEvents).get()!.n,
      outbox: f.t.app.db.select({ n: count() }).from(webhookOutbox).get()!.n,
    }).toEqual(before);
  });

  it('fold › a crash between a range\'s commit and its enqueue loses no job: the range read again enqueues the jobs of events already folded', async () => {
    // The fold's jobs go to probe queues no worker reads, so they stay to be looked at.
    const probe = (name: string) => f.queues.get(`probe-${name}`, { defaultJobOptions: JOB_DEFAULTS });
    let redisDown = true;
    const fold = createFolder({
      db: f.t.app.db,
      store: f.pipeline.store,
      transitions: createCaseTransitions({ db: f.t.app.db }),
      models: f.pipeline.models,
      queue: (name) =>
        redisDown
          ? ({ addBulk: async () => Promise.reject(new Error('Connection is closed.')) } as unknown as ReturnType<typeof probe>)
          : probe(name),
    });
    const chainCaseId = `0x${'5c'.repeat(32)}`;
    const tx = `0x${'cd'.repeat(32)}`;
    const events = [
      // A batch sealed: the keeper's draw job. A member claims a case's input unavailable: the
      // service's input job (publish it, or refuse the case past the deadline). Both were lost
      // before: the input job was never enqueued by the indexer's path at all.
      { source: 'arbitration', name: 'SeedCommitted', args: { batchId: 990_001n, seedBlock: 4242n }, blockNumber: 4241, transactionHash: tx, logIndex: 0 },
      { source: 'arbitration', name: 'InputClaimed', args: { caseId: chainCaseId, member: '0x' + '77'.repeat(20) }, blockNumber: 4241, transactionHash: tx, logIndex: 1 },
    ] as const;
    await expect(fold.many(events as never)).rejects.toThrow('Connection is closed.');
    // The range's transaction committed (its events are recorded), but nothing was enqueued.
    expect(f.pipeline.store.hasEvent(`${tx}-0`)).toBe(true);
    expect(await probe(PIPELINE_QUEUE).getJob(jobIds.draw(990_001n, 4242))).toBeUndefined();
    // The indexer reads the range again (its cursor never moved): the jobs are enqueued now.
    redisDown = false;
    await fold.many(events as never);
    expect((await probe(PIPELINE_QUEUE).getJob(jobIds.draw(990_001n, 4242)))?.data).toEqual({ batchId: '990001' });
    expect((await probe(PIPELINE_QUEUE).getJob(jobIds.input(chainCaseId)))?.data).toEqual({ chainCaseId });
    // And a third read adds no second job.
    await fold.many(events as never);
    expect(await probe(PIPELINE_QUEUE).getJobCounts('delayed', 'waiting')).toEqual({ delayed: 1, waiting: 1 });
  });

  it('restart › a batch the keeper meant to draw itself (the fold enqueued no draw job) gets its draw job at the next start', async () => {
    const probe = (name: string) => f.queues.get(`probe-${name}`, { defaultJobOptions: JOB_DEFAULTS });
    const fold = createFolder({
      db: f.t.app.db,
      store: f.pipeline.store,
      transitions: createCaseTransitions({ db: f.t.app.db }),
      models: f.pipeline.models,
      queue: (name) => probe(name),
    });
    const tx = `0x${'ce'.repeat(32)}`;
    const sealed = { source: 'arbitration', name: 'SeedCommitted', args: { batchId: 990_002n, seedBlock: 5000n }, blockNumber: 4999, transactionHash: tx, logIndex: 0 } as const;
    // The keeper sealed it in this process and draws it itself: the fold enqueues no draw job.
    fold.drawing(990_002n, 5000);
    await fold.many([sealed] as never);
    expect(f.pipeline.store.hasEvent(`${tx}-0`)).toBe(true);
    expect(await probe(PIPELINE_QUEUE).getJob(jobIds.draw(990_002n, 5000))).toBeUndefined();
    expect(f.pipeline.store.sealedNotDrawn()).toContainEqual({ batchId: 990_002, seedBlock: 5000 });
    // The process ends before its draw lands. At the next start the draw job is enqueued (and,
    // this batch being unknown on chain, finds nothing to draw).
    await f.restart();
    const queue = f.queues.get(PIPELINE_QUEUE, { defaultJobOptions: JOB_DEFAULTS });
    await until(async () => (await queue.getJob(jobIds.draw(990_002n, 5000)))?.finishedOn !== undefined, () => 'the draw job of the sealed batch to run after the restart');
    expect((await queue.getJob(jobIds.draw(990_002n, 5000)))!.returnvalue).toBeDefined();
    // A batch drawn after its seal is not listed.
    const drawnTx = `0x${'cf'.repeat(32)}`;
    await fold.many([{ source: 'arbitration', name: 'BatchSealed', args: { batchId: 990_002n, modelId: `0x${'00'.repeat(32)}`, count: 0n, committee: [] }, blockNumber: 5001, transactionHash: drawnTx, logIndex: 0 }] as never);
    expect(f.pipeline.store.sealedNotDrawn().some((b) => b.batchId === 990_002)).toBe(false);
  });

  it('fold › a committee\'s jobs go out from the draw\'s receipt, and the indexer\'s fold of its BatchSealed does not send them again', async () => {
    const sealed = f.pipeline.store.eventsOfBatch(f.pipeline.store.byCase(ids[0])!.batchId!).filter((e) => e.name === 'BatchSealed').at(-1)!;
    const receipt = (await f.fx.provider.getTransactionReceipt(sealed.txHash))!;
    const added = new Map<string, number>();
    const probe = (name: string) => {
      const q = f.queues.get(`probe2-${name}`, { defaultJobOptions: JOB_DEFAULTS });
      return {
        getJob: (id: string) => q.getJob(id),
        addBulk: (jobs: Parameters<typeof q.addBulk>[0]) => {
          added.set(name, (added.get(name) ?? 0) + jobs.length);
          return q.addBulk(jobs);
        },
      } as unknown as typeof q;
    };
    const fold = createFolder({
      db: f.t.app.db,
      store: f.pipeline.store,
      transitions: createCaseTransitions({ db: f.t.app.db }),
      models: f.pipeline.models,
      queue: probe,
      decoder: eventDecoder(f.chain.deployment),
    });
    await fold.drawn(receipt.logs);
    const args = JSON.parse(sealed.args) as { batchId: string; committee: string[] };
    expect(args.committee.length).toBeGreaterThan(0);
    for (const member of args.committee) {
      const job = await probe(nodeQueueName(member)).getJob(jobIds.exec(BigInt(args.batchId), sealed.blockNumber, member));
      expect(job?.data).toMatchObject({ batchId: args.batchId, round: sealed.blockNumber });
      // Our case goes with its facts (what the featurizer reads), never the claimant's wallet.
      expect(JSON.stringify(job!.data)).not.toContain('wallet');
    }
    const before = [...added.values()].reduce((a, n) => a + n, 0);
    expect(before).toBe(args.committee.length + 1); // the members' exec jobs and the batch's close job
    // The indexer folds the same BatchSealed (a range with it): nothing sent again.
    const event = (await readEvents(f.fx.provider, f.chain.deployment, sealed.blockNumber, sealed.blockNumber)).find((e) => e.name === 'BatchSealed' && e.transactionHash === sealed.txHash)!;
    await fold.many([event]);
    expect([...added.values()].reduce((a, n) => a + n, 0)).toBe(before);
    // Read again (a crash before the cursor moved): sent again, harmlessly (the same ids).
    await fold.many([event]);
    expect([...added.values()].reduce((a, n) => a + n, 0)).toBe(2 * before);
  });

  it('award tables › the table committed at opening is checked against the card and the record; a different one is flagged on the case', async () => {
    for (const id of ids) expect(readTimeline(f.t.app.db, id).some((e) => e.type === 'award_table_mismatch')).toBe(false);
    const row = f.pipeline.store.byCase(ids[0])!;
    const fold = createFolder({
      db: f.t.app.db,
      store: f.pipeline.store,
      transitions: createCaseTransitions({ db: f.t.app.db }),
      models: f.pipeline.models,
      queue: (name) => f.queues.get(name, { defaultJobOptions: JOB_DEFAULTS }),
    });
    const forged = `0x${'11'.repeat(32)}`;
    // A CaseOpened whose commitment is not the card's table for this record (as an opener that
    // inflated the awards would emit).
    await fold({
      source: 'arbitration',
      name: 'CaseOpened',
      args: { caseId: row.chainCaseId, modelId: row.modelId, batchId: BigInt(row.batchId!), index: BigInt(row.batchIndex!), s0: row.s0, awards: forged },
      blockNumber: 1,
      transactionHash: `0x${'ab'.repeat(32)}`,
      logIndex: 0,
    });
    const flagged = readTimeline(f.t.app.db, ids[0]).find((e) => e.type === 'award_table_mismatch');
    expect(flagged?.data).toMatchObject({ committed: forged });
  });

  it('confirmations › an event is folded only once it is CHAIN_CONFIRMATIONS blocks deep', async () => {
    await f.pipeline.indexer.stop(); // this test's indexer reads alone
    const folded: number[] = [];
    const store = { ...f.pipeline.store, cursor: () => head + 1, setCursor: () => {} };
    const head = await f.fx.provider.getBlockNumber();
    const ix = startIndexer({
      provider: f.fx.provider,
      deployment: f.chain.deployment,
      store,
      fold: async (e) => void folded.push(e.blockNumber),
      redis: f.redis,
      prefix: `${f.t.config.queuePrefix}-confirmations`,
      pollMs: 20,
      confirmations: 3,
    });
    try {
      // One event (a stake) in block head + 1: not folded while fewer than 3 blocks sit on it.
      await f.pipeline.port.stake(f.chain.devSigner(7), 1n);
      const block = head + 1;
      for (let i = 0; i < 2; i++) {
        await f.fx.provider.send('evm_mine', []);
        await until(() => ix.leading, () => 'the lease');
        for (let k = 0; k < 5; k++) {
          await new Promise((r) => setTimeout(r, 20));
          expect(folded).not.toContain(block);
        }
      }
      await f.fx.provider.send('evm_mine', []);
      await until(() => folded.includes(block), () => 'the event to be folded at depth 3');
    } finally {
      await ix.stop();
    }
  });

  it('caught up without confirmations › a pass with new logs is one eth_getLogs, no head read; every event folded once, in order, across empty blocks', async () => {
    // The pipeline's own indexer is stopped (the confirmations test above): this one reads alone.
    const { provider, calls: sent } = countingProvider(f.fx.anvil.url, 20);
    const head = await f.fx.provider.getBlockNumber();
    let cursor = head; // the head block read again: the first pass moves the cursor
    let passes = 0; // passes that moved (or set) the cursor
    const store = {
      ...f.pipeline.store,
      cursor: () => cursor,
      setCursor: (_: string, n: number) => {
        cursor = n;
        passes++;
      },
    };
    const folded: string[] = [];
    const ix = startIndexer({
      provider,
      deployment: f.chain.deployment,
      store,
      fold: async (e) => void folded.push(`${e.blockNumber}:${e.logIndex}`),
      redis: f.redis,
      prefix: `${f.t.config.queuePrefix}-fast-pass`,
      pollMs: 60_000, // a pass only when woken, as the embedded miner wakes the service's
      confirmations: 0,
    });
    try {
      await until(() => passes > 0, () => 'the indexer\'s first pass'); // ordinary: it reads the head
      let lastBlock = head;
      // Each round: two empty blocks, then a block with an event; the indexer woken once.
      for (let round = 0; round < 4; round++) {
        await f.fx.provider.send('evm_mine', []);
        await f.fx.provider.send('evm_mine', []);
        const mark = sent.length;
        const { blockNumber } = await f.pipeline.port.stake(f.chain.devSigner(7), 1n);
        lastBlock = blockNumber;
        ix.wake();
        await until(() => folded.some((k) => k.startsWith(`${blockNumber}:`)), () => `the event of block ${blockNumber} to be folded (round ${round})`);
        // Read by a pass that asked for the logs up to the latest block, and for nothing else.
        expect(sent.slice(mark).map((r) => r.method)).toEqual(['eth_getLogs']);
        expect((sent[mark].params[0] as { toBlock: string }).toBlock).toBe('latest');
      }
      // Every event up to the last round's block, each once, in chain order.
      const all = (await readEvents(f.fx.provider, f.chain.deployment, head, lastBlock)).map((e) => `${e.blockNumber}:${e.logIndex}`);
      expect(folded.filter((k) => Number(k.split(':')[0]) <= lastBlock)).toEqual(all);
    } finally {
      await ix.stop();
      provider.destroy();
    }
  });

  it('a chain behind the blocks already folded (it lost them) is said once, loudly', async () => {
    const head = await f.fx.provider.getBlockNumber();
    const said: string[] = [];
    // As if the database had folded ten blocks this chain does not have.
    const store = { ...f.pipeline.store, cursor: () => head + 11, setCursor: () => {} };
    const ix = startIndexer({
      provider: f.fx.provider,
      deployment: f.chain.deployment,
      store,
      fold: async () => {},
      redis: f.redis,
      prefix: `${f.t.config.queuePrefix}-behind`,
      pollMs: 20,
      confirmations: 0,
      log: (m) => said.push(m),
    });
    try {
      await until(() => said.some((m) => m.includes('lost blocks')), () => `the indexer to say the chain lost blocks (${said.join('; ')})`, 30_000);
      expect(said.find((m) => m.includes('lost blocks'))).toContain(`behind block ${head + 10}, already folded`);
      // Once, not every poll.
      await new Promise((r) => setTimeout(r, 300));
      expect(said.filter((m) => m.includes('lost blocks'))).toHaveLength(1);
    } finally {
      await ix.stop();
    }
  });

  it('lease › a second indexer waits while the first holds the lease, and takes over when it stops', async () => {
    const make = () =>
      startIndexer({
        provider: f.fx.provider,
        deployment: f.chain.deployment,
        store: f.pipeline.store,
        fold: async () => {},
        redis: f.redis,
        prefix: f.t.config.queuePrefix,
        pollMs: 50,
        confirmations: 0,
        leaseMs: 1000,
      });
    await f.restart(); // a fresh pipeline (the confirmations test stopped its indexer)
    await until(() => f.pipeline.indexer.leading, () => 'the pipeline indexer to lead');
    const second = make();
    try {
      // While the first renews its lease, the second never leads (checked over ten of its polls).
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 50));
        expect(second.leading).toBe(false);
      }
      await f.pipeline.indexer.stop(); // releases the lease
      await until(() => second.leading, () => 'the second indexer to take over');
    } finally {
      await second.stop();
    }
  });
});
