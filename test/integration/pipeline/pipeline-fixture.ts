// The whole system for a pipeline test: its own anvil (free port) with the contracts deployed
// with short windows, the real app on a temp SQLite file and the shared Redis under a unique
// QUEUE_PREFIX, and the pipeline (registrar, indexer, optionally in-process node operators).
import { Redis } from 'ioredis';
import { Wallet, type NonceManager } from 'ethers';
import { expect } from 'vitest';
import type { ChainClient } from '../../../server/chain/client.js';
import { writeDeployment, type DeployConfig } from '../../../server/chain/deploy.js';
import { join } from 'node:path';
import { connectRedis } from '../../../server/redis/connection.js';
import { createQueues, type Queues } from '../../../server/queues/queues.js';
import { startDevNode, startPipeline, type Pipeline } from '../../../server/pipeline/start.js';
import type { NodeWorker } from '../../../server/nodes/node-worker.js';
import type { CaseRecordT } from '../../../server/cases/schemas.js';
import { readTimeline } from '../../../server/cases/timeline.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { increaseTime, startChain, type ChainFixture } from '../contracts/chain-fixture.js';
import { DEFAULT_BLOCK_MS } from '../../../server/config.js';
import { reportOnFailure } from '../../support/failure-report.js';
import { cases } from '../../../server/db/schema.js';
import { queueReport } from '../../support/queue-report.js';

export const WINDOWS = { commitWindow: 30, revealWindow: 30, challengeWindow: 20, clockSeconds: 60, batchWindow: 1 } satisfies Partial<DeployConfig>;

export interface PipelineFixture {
  fx: ChainFixture;
  t: TestApp;
  chain: ChainClient;
  redis: Redis;
  queues: Queues;
  pipeline: Pipeline;
  log: string[];
  file(record: CaseRecordT): Promise<{ id: string; accessToken: string }>;
  status(caseId: string): string;
  /** Polls until the case reaches `status` (or throws with its timeline after the deadline). */
  waitFor(caseId: string, status: string, timeoutMs?: number): Promise<void>;
  /**
   * Polls until the case has entered `status` at some time (its timeline holds a move into it),
   * whether it is there still or has gone on: for a status the pipeline may pass between two looks.
   */
  waitForReached(caseId: string, status: string, timeoutMs?: number): Promise<void>;
  /**
   * Polls until the case's timeline holds an event of `type`. For a status the case only passes
   * through (bisecting lasts as long as its game), wait for the event that entered it instead.
   */
  waitForEvent(caseId: string, type: string, timeoutMs?: number): Promise<void>;
  /**
   * Waits out a case's dispute game: opened, resolved, and the verdict the chain proposes after
   * it (bisecting → proposed, a new window). Returns that verdict_proposed event's data.
   */
  waitForGameOver(caseId: string, timeoutMs?: number): Promise<{ windowEnd: number; claimsRoot: string; verdict: { outcome: string; traceRoot: string }; tx: string }>;
  advance(seconds: number): Promise<void>;
  /** Starts dev node operator i as a worker of the test process (stopped with the fixture). */
  startNode(i: number, o?: { concurrency?: number }): Promise<NodeWorker>;
  /** Stops the pipeline (workers, indexer, in-process nodes) and starts a fresh one on the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Polls `check` until it returns true; throws `what()` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: () => string, timeoutMs = 90_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function startPipelineFixture(
  opts: { nodes?: number; inProcessNodes?: boolean; config?: Partial<DeployConfig>; env?: Record<string, string>; nodeFaults?: Record<number, number>; nodeFaultWhile?: () => boolean } = {},
): Promise<PipelineFixture> {
  // A start that has not finished after 100 s says where it is (the hook's deadline is 120 s):
  // its step, the pipeline's log and the chain's pool.
  let phase = 'chain';
  const log: string[] = [];
  let fxRef: ChainFixture | undefined;
  const slow = setTimeout(() => {
    void (async () => {
      let chain = '';
      try {
        chain = `pool ${JSON.stringify(await fxRef?.provider.send('txpool_inspect', []))}, head ${await fxRef?.provider.getBlockNumber()}, mined ${fxRef?.anvil.miner?.blocks}`;
      } catch (e) {
        chain = `chain unreadable: ${(e as Error).message}`;
      }
      process.stderr.write(`pipeline fixture: still starting after 100 s, at ${phase}; ${chain}; log:\n${log.slice(-40).join('\n')}\n`);
    })();
  }, 100_000);
  slow.unref();
  const fx = await startChain({ blockMs: DEFAULT_BLOCK_MS, log: (m) => log.push(m), deploy: true, config: { committeeSize: 3, ...WINDOWS, ...opts.config } });
  fxRef = fx;
  phase = 'app';
  const t = await startTestApp({ env: { NODES: String(opts.nodes ?? 3), PIPELINE_POLL_MS: '100', PIPELINE_SEAL_MS: '300', ...opts.env } });
  // As npm start records it: the trail and the appeal service read the addresses from here.
  writeDeployment(join(t.dataDir, 'chain', 'deployment.json'), fx.deployment!);
  const chain: ChainClient = {
    url: fx.anvil.url,
    provider: fx.provider,
    anvil: fx.anvil,
    registrar: fx.wallets[0],
    deployment: fx.deployment!,
    contracts: fx.c!,
    devSigner: (i: number): NonceManager => fx.wallets[i],
    close: async () => {},
  };
  const redis = connectRedis(t.config.redisUrl);
  const queues = createQueues({ connection: redis, prefix: t.config.queuePrefix });
  phase = 'pipeline';
  const start = () =>
    startPipeline({
      config: t.config,
      db: t.app.db,
      redis,
      queues,
      chain,
      embedded: true,
      inProcessNodes: opts.inProcessNodes ?? true,
      nodeFaults: opts.nodeFaults,
      nodeFaultWhile: opts.nodeFaultWhile,
      log: (m) => log.push(m),
    });
  const extraNodes: NodeWorker[] = [];
  const fixture: PipelineFixture = {
    fx,
    t,
    chain,
    redis,
    queues,
    log,
    async file(record) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: record });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; accessToken: string };
    },
    status: (id) => fixture.pipeline.store.caseStatus(id) as string,
    async waitFor(caseId, want, timeoutMs = 120_000) {
      await until(
        () => fixture.pipeline.store.caseStatus(caseId) === want,
        () =>
          `case ${caseId} to be ${want}; it is ${fixture.pipeline.store.caseStatus(caseId)}; timeline ${readTimeline(t.app.db, caseId)
            .map((e) => e.type)
            .join(' → ')}; log:\n${log.slice(-30).join('\n')}`,
        timeoutMs,
      );
    },
    async waitForReached(caseId, want, timeoutMs = 120_000) {
      await until(
        () => readTimeline(t.app.db, caseId).some((e) => e.toStatus === want),
        () =>
          `case ${caseId} to have been ${want}; it is ${fixture.pipeline.store.caseStatus(caseId)}; timeline ${readTimeline(t.app.db, caseId)
            .map((e) => e.type)
            .join(' → ')}; log:\n${log.slice(-30).join('\n')}`,
        timeoutMs,
      );
    },
    async waitForEvent(caseId, type, timeoutMs = 120_000) {
      await until(
        () => readTimeline(t.app.db, caseId).some((e) => e.type === type),
        () => `case ${caseId} to have a ${type} event; timeline ${readTimeline(t.app.db, caseId)
          .map((e) => e.type)
          .join(' → ')}; log:\n${log.slice(-30).join('\n')}`,
        timeoutMs,
      );
    },
    async waitForGameOver(caseId, timeoutMs = 180_000) {
      await fixture.waitForEvent(caseId, 'bisection_started', timeoutMs);
      await fixture.waitForEvent(caseId, 'game_resolved', timeoutMs);
      await fixture.waitFor(caseId, 'proposed', timeoutMs);
      const timeline = readTimeline(t.app.db, caseId);
      const resolved = timeline.findIndex((e) => e.type === 'game_resolved');
      const proposed = timeline.findLast((e) => e.type === 'verdict_proposed');
      expect(proposed && timeline.indexOf(proposed), 'the verdict proposed after the game').toBeGreaterThan(resolved);
      expect(proposed!.fromStatus).toBe('bisecting');
      return proposed!.data as Awaited<ReturnType<PipelineFixture['waitForGameOver']>>;
    },
    advance: (seconds) => increaseTime(fx.provider, seconds),
    async restart() {
      await fixture.pipeline.stop();
      fixture.pipeline = await start();
    },
    async startNode(i, o = {}) {
      const { node } = await startDevNode(i, {
        provider: fx.provider,
        port: fixture.pipeline.port,
        redis,
        prefix: t.config.queuePrefix,
        models: fixture.pipeline.models,
        dataDir: t.config.dataDir,
        pollMs: 100,
        concurrency: o.concurrency,
        log: (m) => log.push(`node ${i} (test): ${m}`),
      });
      extraNodes.push(node);
      return node;
    },
    async stop() {
      unreport();
      for (const n of extraNodes.splice(0)) await n.close();
      await fixture.pipeline.stop();
      await queues.close();
      redis.disconnect();
      await t.close();
      await fx.stop();
    },
    pipeline: await start(),
  };
  clearTimeout(slow);
  const unreport = reportOnFailure(() => describeSystem(fixture));
  return fixture;
}

const FINISHED = new Set(['paid', 'final', 'rejected', 'withdrawn']);

/**
 * Where the system stands, for a failed test: the chain (head, its clock, the pool, the miner),
 * every queue's job counts with its active and failed jobs, the cases not yet finished with their
 * timelines, and the pipeline's log.
 */
async function describeSystem(f: PipelineFixture): Promise<string> {
  const out: string[] = [];
  try {
    const head = await f.fx.provider.getBlock('latest');
    out.push(`chain: head ${head?.number} at ${head?.timestamp} (now ${Math.floor(Date.now() / 1000)}), mined by the miner ${f.fx.anvil.miner?.blocks}`);
    out.push(`pool: ${JSON.stringify(await f.fx.provider.send('txpool_inspect', [])).slice(0, 3000)}`);
  } catch (e) {
    out.push(`chain unreadable: ${(e as Error).message}`);
  }
  out.push(await queueReport(f.redis, f.t.config.queuePrefix));
  const open = f.t.app.db.select({ id: cases.id, status: cases.status }).from(cases).all().filter((c) => !FINISHED.has(c.status));
  for (const c of open.slice(0, 10)) out.push(`case ${c.id} ${c.status}: ${readTimeline(f.t.app.db, c.id).map((e) => e.type).join(' → ')}`);
  if (open.length > 10) out.push(`… and ${open.length - 10} more unfinished cases`);
  out.push(`log (last 60):\n${f.log.slice(-60).join('\n')}`);
  return out.join('\n');
}

/** A fresh random address for a claimant's wallet (its balance starts at 0). */
export const freshWallet = (): string => Wallet.createRandom().address;
