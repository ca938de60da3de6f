// Node operators as their own processes (`arbiter node`), against the service's Redis and anvil:
// they stake themselves, take their committee seats from their queues and never see the
// service's database. One of them is made dishonest (--fault-step K) at several states: the
// honest members challenge it (or it challenges them), the game runs to its end, the liar is
// slashed, the honest verdict is proposed again (a new appeal window) and paid. A liar that stops answering (--silent) loses on its
// clock; a node killed with SIGKILL does not stop the case from being paid.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { ANVIL_KEYS } from '../../../server/chain/anvil.js';
import { writeDeployment } from '../../../server/chain/deploy.js';
import { readTimeline } from '../../../server/cases/timeline.js';
import { NODE_STAKE } from '../../../server/pipeline/bootstrap.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { startNodeProcess, type NodeProcess } from '../../support/node-process.js';
import { freshWallet, startPipelineFixture, until, WINDOWS, type PipelineFixture } from './pipeline-fixture.js';

const root = new URL('../../../', import.meta.url).pathname;
/** anvil's public dev keys 4, 5, 6: three operators outside the service's process. */
const KEY_INDEXES = [4, 5, 6];
const addressOf = (i: number) => new Wallet(ANVIL_KEYS[i]).address.toLowerCase();

let f: PipelineFixture;
let dir: string;
let deploymentFile: string;

interface RunningNode extends NodeProcess {
  index: number;
}
const running = new Map<number, RunningNode>();

async function startNode(index: number, extra: string[] = []): Promise<RunningNode> {
  const p = Object.assign(
    await startNodeProcess({
      label: `node ${index}`,
      key: ANVIL_KEYS[index],
      keyFile: join(dir, `key-${index}`),
      dataDir: join(dir, `node-${index}`),
      redisUrl: f.t.config.redisUrl,
      rpcUrl: f.fx.anvil.url,
      deploymentFile,
      prefix: f.t.config.queuePrefix,
      pollMs: 100,
      extra,
      readyTimeoutMs: 240_000,
    }),
    { index },
  );
  running.set(index, p);
  return p;
}

async function stopNode(index: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const p = running.get(index);
  if (!p) return;
  running.delete(index);
  await p.stop(signal);
}

beforeAll(async () => {
  f = await startPipelineFixture({ nodes: 0, inProcessNodes: false });
  dir = mkdtempSync(join(tmpdir(), 'arbiter-nodes-'));
  deploymentFile = join(dir, 'deployment.json');
  writeDeployment(deploymentFile, f.chain.deployment);
}, 120_000);
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') for (const p of running.values()) console.error(`--- node ${p.index}\n${p.output().slice(-3000)}`);
  for (const i of [...running.keys()]) await stopNode(i);
});
afterAll(async () => {
  await f?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Files an EU261 case with a fresh wallet; returns its id and wallet. */
async function fileCase() {
  const wallet = freshWallet();
  const record = variant(validRecords.eu261Delay, (d) => {
    d.claimant.wallet = wallet;
  });
  return { id: (await f.file(record)).id, wallet };
}

const stake = (i: number) => f.pipeline.port.stakeOf(addressOf(i));

describe('arbiter node › separate processes', () => {
  it('the key is never taken from the command line', async () => {
    const child = spawn(process.execPath, ['server/cli/arbiter.js', 'node', '--key', ANVIL_KEYS[4]], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).not.toBe(0);
    expect(err).toMatch(/never taken from the command line/);
    expect(err).not.toContain(ANVIL_KEYS[4].slice(2, 20));
  }, 300_000);

  it('three honest processes decide and the award is paid', async () => {
    await Promise.all(KEY_INDEXES.map((i) => startNode(i)));
    const c = await fileCase();
    await f.waitFor(c.id, 'proposed');
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(c.id, 'paid');
    expect(await f.fx.provider.getBalance(c.wallet)).toBeGreaterThan(0n);
    // Each node kept its own trace store and never saw the claimant's data.
    for (const i of KEY_INDEXES) expect(running.get(i)!.output()).not.toContain('A. Passenger');
  }, 600_000);

  it.each([1, 5, 9])('a node faulting at state %i loses its game, is slashed, and the honest verdict is paid', async (k) => {
    await Promise.all([startNode(4, ['--fault-step', String(k)]), startNode(5), startNode(6)]);
    const before = await stake(4);
    const honestBefore = await stake(5);
    const c = await fileCase();
    // The game is played by the processes; then the honest root stands, proposed again with a
    // window of its own (the parties may appeal it), and the window runs.
    await f.waitForGameOver(c.id);
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(c.id, 'paid');
    const verdict = JSON.parse(f.pipeline.store.byCase(c.id)!.verdict!) as { outcome: string; traceRoot: string };
    expect(verdict.outcome).toBe('claimant');
    expect(verdict.traceRoot).toBe(f.pipeline.store.byCase(c.id)!.traceRoot);
    expect(await f.fx.provider.getBalance(c.wallet)).toBeGreaterThan(0n);
    expect(await stake(4)).toBe(before - BigInt(f.chain.deployment.config.gameSlash));
    expect(await stake(5)).toBe(honestBefore);
    const types = readTimeline(f.t.app.db, c.id).map((e) => e.type);
    expect(types).toEqual(['filed', 'execution_started', 'challenged', 'bisection_started', 'game_resolved', 'verdict_proposed', 'finalized', 'paid']);
    // The trail shows the game: its moves, the one step (or the leaf decided against S_0), the
    // outcome against the liar and its slash, each with its transaction.
    const res = await f.t.app.inject({ method: 'GET', url: `/v1/cases/${c.id}/trail`, headers: { authorization: `Bearer ${f.t.adminToken}` } });
    expect(res.statusCode, res.body).toBe(200);
    const [game] = res.json().games;
    const liar = addressOf(4);
    expect([game.defender, game.challenger]).toContain(liar);
    expect(game.moves.length).toBeGreaterThan(0);
    expect(game.leaf.index).toBe(k);
    expect(game.step?.step ?? k).toBe(k);
    expect(game.outcome).toBe(game.defender === liar ? 'challenger_wins' : 'defender_wins');
    expect(game.slashed).toContainEqual(expect.objectContaining({ node: liar }));
  }, 600_000);

  it('a liar that hides its claims is made to open its root, is accused, answers into a game, loses and is slashed; the honest members opened theirs', async () => {
    await Promise.all([startNode(4, ['--fault-step', '3', '--hide-claims']), startNode(5), startNode(6)]);
    const before = await stake(4);
    const honestBefore = await stake(5);
    const c = await fileCase();
    // Nobody can challenge claims it never published: the honest members accuse it from its opened root.
    await until(
      () => readTimeline(f.t.app.db, c.id).some((e) => e.type === 'member_accused' && e.data.accused === addressOf(4)),
      () => `the liar to be accused; log:\n${running.get(5)!.output().slice(-2000)}`,
    );
    await f.waitForGameOver(c.id);
    const batchId = BigInt(f.pipeline.store.byCase(c.id)!.batchId!);
    for (const i of [4, 5, 6]) expect((await f.pipeline.port.memberState(batchId, addressOf(i))).opened).toBe(true);
    expect(await stake(4)).toBe(before - BigInt(f.chain.deployment.config.gameSlash));
    expect(await stake(5)).toBe(honestBefore);
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(c.id, 'paid');
    const verdict = JSON.parse(f.pipeline.store.byCase(c.id)!.verdict!) as { outcome: string };
    expect(verdict.outcome).toBe('claimant');
  }, 600_000);

  it('a liar that never opens its root (nor publishes) is evicted and slashed by closeDispute after the dispute window; the honest root stands and is paid', async () => {
    await Promise.all([startNode(4, ['--fault-step', '3', '--hide-claims', '--silent']), startNode(5), startNode(6)]);
    const before = await stake(4);
    const honestBefore = await stake(5);
    const c = await fileCase();
    await f.waitForReached(c.id, 'executing');
    const batchId = BigInt(f.pipeline.store.byCase(c.id)!.batchId!);
    // Disputed, and the honest members opened their roots; nothing can be challenged or accused.
    await until(async () => {
      const opened = await Promise.all([5, 6].map(async (i) => (await f.pipeline.port.memberState(batchId, addressOf(i))).opened));
      return Number((await f.pipeline.port.getBatch(batchId)).status) === 3 && opened.every(Boolean);
    }, () => `the honest roots to be opened in the disputed batch; log:\n${running.get(5)!.output().slice(-2000)}`);
    expect((await f.pipeline.port.memberState(batchId, addressOf(4))).opened).toBe(false);
    await f.advance(Number(f.chain.deployment.config.disputeWindow) + 1);
    // The registrar's close job sends closeDispute: the unopened liar is evicted and slashed.
    await until(async () => Number((await f.pipeline.port.getBatch(batchId)).status) === 4, () => `the batch to be proposed; log:\n${f.log.slice(-20).join('\n')}`);
    expect(await stake(4)).toBe(before - BigInt(f.chain.deployment.config.missSlash));
    expect(await stake(5)).toBe(honestBefore);
    await f.waitFor(c.id, 'proposed');
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(c.id, 'paid');
    expect(await f.fx.provider.getBalance(c.wallet)).toBeGreaterThan(0n);
  }, 600_000);

  it('a dishonest node that stops answering loses on its clock', async () => {
    await Promise.all([startNode(4, ['--fault-step', '4', '--silent']), startNode(5), startNode(6)]);
    const before = await stake(4);
    const c = await fileCase();
    await f.waitForEvent(c.id, 'bisection_started');
    await f.advance(WINDOWS.clockSeconds + 1);
    await f.waitForGameOver(c.id);
    expect(await stake(4)).toBeLessThan(before);
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(c.id, 'paid');
    expect(await f.fx.provider.getBalance(c.wallet)).toBeGreaterThan(0n);
  }, 600_000);

  it('a node process killed with SIGKILL once it has committed, then restarted: its seat completes from its queue and store, nothing is slashed, the case is paid', async () => {
    await Promise.all([startNode(4), startNode(5), startNode(6)]);
    const before = await stake(6);
    const c = await fileCase();
    await f.waitForReached(c.id, 'executing');
    const batchId = () => BigInt(f.pipeline.store.byCase(c.id)!.batchId!);
    await until(async () => (await f.pipeline.port.memberState(batchId(), addressOf(6))).state >= 2, () => 'node 6 to commit');
    await stopNode(6, 'SIGKILL');
    await startNode(6);
    await f.waitFor(c.id, 'proposed');
    expect(await stake(6)).toBe(before); // it revealed in time: nothing slashed
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(c.id, 'paid');
  }, 600_000);

  it('a node process killed with SIGKILL misses its seat: it is slashed as silent at the reveal deadline and the case is still paid', async () => {
    await Promise.all([startNode(4), startNode(5), startNode(6)]);
    await stopNode(6, 'SIGKILL');
    const before = await stake(6);
    const c = await fileCase();
    await f.waitForReached(c.id, 'executing');
    const batch = () => f.pipeline.port.getBatch(BigInt(f.pipeline.store.byCase(c.id)!.batchId!));
    await until(async () => (await batch()).committed >= 2, () => 'two commits');
    // The two live members commit, then may reveal after the commit deadline; the reveal
    // deadline passes and the registrar's close job slashes the silent one.
    await f.advance(WINDOWS.commitWindow + 1);
    await until(async () => (await batch()).revealed >= 2, () => 'two reveals');
    await f.advance(WINDOWS.revealWindow + 1);
    await f.waitFor(c.id, 'proposed');
    expect(await stake(6)).toBeLessThan(before);
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(c.id, 'paid');
  }, 600_000);
});
