// Issue 8 #6 through the pipeline: a committee that lies unanimously is held to account by the
// level-1 appeal. The re-execution differs, the keeper compares it with the first committee's
// claim, the nodes play the games, the liars lose their games (and stake), the first batch is
// redrawn rather than paid, the bond goes back to the appellant, and the case is paid on the
// faithful result. Before the fix the first batch finalized and paid the liars, the bond was kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTimeline } from '../../../server/cases/timeline.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { freshWallet, startPipelineFixture, until, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
let lying = true;
beforeAll(async () => {
  // Every dev node corrupts t_2 while `lying`: the first committee agrees on a wrong trace.
  f = await startPipelineFixture({ nodeFaults: { 1: 2, 2: 2, 3: 2 }, nodeFaultWhile: () => lying, config: { appealCommitteeSize: 3 } });
}, 120_000);
afterAll(async () => f?.stop());

describe('pipeline › an appeal holds the first committee to account (issue 8 #6)', () => {
  it('a differing re-execution goes to the game against the first committee: the liars are slashed and unpaid, the bond refunded, the case paid on the faithful result', async () => {
    const c = f.chain.contracts;
    const wallet = freshWallet();
    const filed = await f.file(variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = wallet)));
    const auth = { authorization: `Bearer ${filed.accessToken}` };
    await f.waitFor(filed.id, 'proposed');
    const first = BigInt(f.pipeline.store.byCase(filed.id)!.batchId!);
    const stakes = await Promise.all(f.pipeline.nodes.map(async (n) => BigInt((await c.staking.nodes(n.address)).stake)));
    // From now on the nodes run faithfully: the re-execution differs from the first root.
    lying = false;
    const appeal = await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/appeal`, headers: auth });
    expect(appeal.statusCode, appeal.body).toBe(202);
    const chainCaseId = f.pipeline.store.byCase(filed.id)!.chainCaseId;
    await until(async () => (await c.arbitration.appeals(chainCaseId)).pending === true, () => 'the appeal on chain');
    // The keeper compares, the games run, until the first root has fallen and the comparison closes.
    await until(
      async () => (await c.arbitration.appeals(chainCaseId)).pending === false,
      () => `the appeal compared; log:\n${f.log.slice(-30).join('\n')}`,
      300_000,
      250,
    );
    await until(() => readTimeline(f.t.app.db, filed.id).some((e) => e.type === 'appeal_compared'), () => 'the comparison folded into the timeline');
    const closed = readTimeline(f.t.app.db, filed.id).filter((e) => e.type === 'appeal_compared');
    expect(closed.at(-1)?.data).toMatchObject({ changed: true, bondRefund: f.chain.deployment.config.appealBond1.toString() });
    // Every member of the first committee lost a game there (evicted, slashed): read from the
    // batch's Evicted events, as the seats themselves move on (with nobody left the batch is
    // redrawn, and a fast pipeline has the new round's members revealed there before this look).
    const evicted = () => new Set(f.pipeline.store.eventsOfBatch(Number(first)).filter((e) => e.name === 'Evicted').map((e) => String((JSON.parse(e.args) as { node: string }).node).toLowerCase()));
    await until(() => f.pipeline.nodes.every((n) => evicted().has(n.address.toLowerCase())), () => `every first-committee member evicted; evicted: ${[...evicted()].join(', ')}`);
    const after = await Promise.all(f.pipeline.nodes.map(async (n) => BigInt((await c.staking.nodes(n.address)).stake)));
    expect(after.reduce((a, x) => a + x, 0n)).toBeLessThan(stakes.reduce((a, x) => a + x, 0n));
    // The case stays out of `proposed` while a game over it runs: the re-execution batch is
    // proposed meanwhile, and its settle job must not propose a case whose game is still open
    // (a second verdict.proposed and an appeal offered mid-game).
    const open = new Set<string>();
    const proposedMidGame: string[] = [];
    for (const e of readTimeline(f.t.app.db, filed.id)) {
      const gameId = (e.data as { gameId?: string } | null)?.gameId;
      if (e.type === 'bisection_started' && gameId) open.add(gameId);
      if (e.type === 'game_resolved' && gameId) open.delete(gameId);
      if (e.type === 'verdict_proposed' && open.size) proposedMidGame.push(`verdict_proposed at ${e.createdAt} with game(s) ${[...open].join(', ')} open`);
    }
    expect(proposedMidGame).toEqual([]);
    // The case is paid on the faithful result.
    await f.advance(30);
    await f.waitFor(filed.id, 'paid', 240_000);
    const row = f.pipeline.store.byCase(filed.id)!;
    const paid = readTimeline(f.t.app.db, filed.id).find((e) => e.type === 'paid');
    expect(paid?.data).toMatchObject({ output: row.output });
  }, 600_000);
});
