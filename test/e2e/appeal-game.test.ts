// One case both appealed and gamed, as the arbitrator console shows it, on the whole system: the
// real app serving the web build, a real anvil with the contracts, the pipeline with three
// in-process node operators. The first committee agrees (every node honest); the claimant appeals
// to level 1; from then on node 3 lies at state t_8 (the node fault switch), so the fresh
// committee's re-execution disagrees and a dispute game is played on chain. The honest side wins,
// the liar is evicted and slashed, the re-execution's result equals the first committee's (the
// appeal is not upheld: the bond pays the re-execution), the verdict is proposed again after the
// game (a level-2 appeal is open), and with no further appeal the case is final and paid.
//
// The arbitrator sees it in the queue while it is being re-checked (the liar's queue is paused
// once it has revealed, so the game waits for its move: an in-process game lasts under a
// second), then on its page: the appeal
// with its level and bond and how the comparison closed, the re-execution's committee with the
// liar evicted, the game (its rounds, the one step, who won, who was slashed and by how much), the
// final verdict, the payout and the timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../server/web/build.js';
import { readTimeline } from '../../server/cases/timeline.js';
import { MemberState } from '../../server/chain/contracts.js';
import { nodeQueueName } from '../../server/pipeline/jobs.js';
import { ether } from '../../web/app/lib/format.js';
import { validRecords, variant } from '../support/case-fixtures.js';
import { freshWallet, startPipelineFixture, until, type PipelineFixture } from '../integration/pipeline/pipeline-fixture.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { checkAtBothWidths } from './support/axe.js';

const LIAR = 3;
const FAULT_STATE = 8;
const WINDOW = 120;
let lying = false;

let f: PipelineFixture;
let browser: TestBrowser;
let baseUrl: string;
beforeAll(async () => {
  ensureWebBuild();
  // The appeal's committee is all three nodes, so the liar sits on it.
  f = await startPipelineFixture({
    nodeFaults: { [LIAR]: FAULT_STATE },
    nodeFaultWhile: () => lying,
    // A long game clock: the liar, held while the console is read, must not lose on time.
    config: { challengeWindow: WINDOW, appealCommitteeSize: 3, clockSeconds: 600 },
    env: { WEB: 'on' },
  });
  await f.t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = f.t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchBrowser();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await f?.stop();
});

const types = (caseId: string) => readTimeline(f.t.app.db, caseId).map((e) => e.type);

describe('An appealed and gamed case in the arbitrator console, on the whole pipeline', () => {
  it('the arbitrator sees the appeal and its bond, the re-execution’s dispute game, the slashed liar, the final verdict and the payout', async () => {
    const wallet = freshWallet();
    const filed = await f.file(variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = wallet)));
    await f.waitFor(filed.id, 'proposed', 240_000);
    const firstBatch = f.pipeline.store.byCase(filed.id)!.batchId!;

    // The claimant appeals (level 1); the re-execution's committee will have a liar on it.
    lying = true;
    const auth = { authorization: `Bearer ${filed.accessToken}` };
    const appeal = await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/appeal`, headers: auth });
    expect(appeal.statusCode, appeal.body).toBe(202);
    // Hold the liar once it has revealed in the re-execution: its game moves wait on its queue.
    await f.waitFor(filed.id, 're-executing', 300_000);
    const liarQueue = f.queues.get(nodeQueueName(f.pipeline.nodes[LIAR - 1].address));
    const reExecution = BigInt(f.pipeline.store.byCase(filed.id)!.batchId!);
    await until(
      async () => Number((await f.pipeline.port.memberState(reExecution, f.pipeline.nodes[LIAR - 1].address)).state) >= MemberState.Revealed,
      () => 'the liar to reveal in the re-execution',
      300_000,
      25,
    );
    await liarQueue.pause();
    await f.waitForEvent(filed.id, 'bisection_started', 300_000);
    expect(f.status(filed.id)).toBe('bisecting');

    // While the game runs, the case is in the arbitrator's queue of cases being re-checked.
    const { token } = f.t.services.arbitrators.create({ name: 'A. Arbitrator' });
    const arbitrator = await (await browser.context()).newPage();
    await arbitrator.goto(`${baseUrl}/arbitrator`);
    await arbitrator.getByLabel('Arbitrator token').fill(token);
    await arbitrator.getByRole('button', { name: 'Sign in' }).click();
    const rechecked = arbitrator.getByTestId('queue-appealed');
    await rechecked.waitFor({ timeout: 60_000 });
    expect(await rechecked.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([`/arbitrator/case/${filed.id}`]);
    expect(await rechecked.locator('tbody tr').first().textContent()).toContain('Being verified');
    await liarQueue.resume();

    // The game is played out; the re-execution's verdict is proposed again, then its window runs.
    await until(() => types(filed.id).includes('game_resolved'), () => `the game to be resolved: ${types(filed.id).join(' → ')}`, 300_000, 250);
    const reBatch = f.pipeline.store.byCase(filed.id)!.batchId!;
    expect(reBatch).not.toBe(firstBatch);
    await until(
      () => f.pipeline.store.eventsOfBatch(reBatch).some((e) => e.name === 'VerdictProposed'),
      () => `the re-execution's verdict to be proposed; log:\n${f.log.slice(-20).join('\n')}`,
      120_000,
      250,
    );
    // Proposed again after the game, with its own window: the parties keep their (level-2) appeal.
    await f.waitFor(filed.id, 'proposed', 120_000);
    const terms = (await f.t.app.inject({ method: 'GET', url: `/v1/cases/${filed.id}/appeal`, headers: auth })).json();
    expect(terms).toMatchObject({ status: 'proposed', level: 1, nextLevel: 2, open: true, bond: f.chain.deployment.config.appealBond2 });
    await f.advance(WINDOW + 1);
    await f.waitFor(filed.id, 'paid', 240_000);
    expect(types(filed.id)).toEqual(
      expect.arrayContaining(['verdict_proposed', 'appealed', 're_execution_started', 'challenged', 'bisection_started', 'game_resolved', 'appeal_compared', 'finalized', 'paid']),
    );
    const afterGame = types(filed.id).slice(types(filed.id).indexOf('game_resolved'));
    expect(afterGame.filter((t) => t !== 'appeal_compared')).toEqual(['game_resolved', 'verdict_proposed', 'finalized', 'paid']);

    // The arbitrator opens the case from the queue's link (kept from before) by its id.
    await arbitrator.goto(`${baseUrl}/arbitrator/case/${filed.id}`);
    await arbitrator.getByTestId('trail').waitFor({ timeout: 60_000 });
    const trail = (await f.t.app.inject({ method: 'GET', url: `/v1/cases/${filed.id}/trail`, headers: { authorization: `Bearer ${token}` } })).json();
    expect(await arbitrator.getByTestId('case-status').textContent()).toBe('Paid');
    expect(await arbitrator.locator('.status-card').textContent()).toContain('Appeal level reached: 1 of 2.');

    // The appeal: level 1, who paid which bond, the re-execution's batch, and the comparison.
    const bond = ether('en-GB', f.chain.deployment.config.appealBond1.toString());
    expect(trail.appeals).toMatchObject([{ level: 1, bond: f.chain.deployment.config.appealBond1.toString(), reExecutionBatch: reBatch, compared: { fromBatch: firstBatch, changed: false, bondRefund: '0' } }]);
    const appealText = await arbitrator.getByTestId('trail-appeal-1').textContent();
    expect(appealText).toContain(`Level 1 appeal by ${trail.appeals[0].appellant.slice(0, 10)}`);
    expect(appealText).toContain(`bond ${bond}:`);
    expect(appealText).toContain(`a fresh committee re-executed the case in batch ${reBatch}.`);
    expect(await arbitrator.getByTestId('trail-appeal-1-compared').textContent()).toContain(
      `Compared with the first committee’s claim (batch ${firstBatch}): the same result, so the first verdict stood and the bond paid for the re-execution.`,
    );

    // The re-execution's committee: three members, the liar evicted.
    const t = arbitrator.getByTestId('trail');
    expect(await t.textContent()).toContain(`Batch ${reBatch}: the level-1 re-execution.`);
    const rows = t.locator('table.committee tbody tr');
    expect(await rows.count()).toBe(3);
    const liar = f.pipeline.nodes[LIAR - 1].address.toLowerCase();
    expect(await rows.filter({ hasText: 'evicted' }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'evicted' }).textContent()).toContain(liar.slice(0, 10));

    // The game: one row per dissection round, then the one step; the honest side won; the liar slashed.
    expect(trail.games).toHaveLength(1);
    const [game] = trail.games;
    const liarRole = game.defender === liar ? 'defender' : 'challenger';
    const honestRole = liarRole === 'defender' ? 'challenger' : 'defender';
    const picture = arbitrator.getByTestId('game-picture');
    const rounds = new Set(game.moves.map((m: { height: number; index: number }) => `${m.height}:${m.index}`)).size;
    expect(rounds).toBeGreaterThan(0);
    expect(await picture.locator('svg [data-row="move"]').count()).toBe(rounds);
    expect(await picture.locator('svg [data-row="leaf"]').count()).toBe(1);
    expect(await arbitrator.getByTestId('game-step').textContent()).toContain(`The first differing state is t${FAULT_STATE}: the referee re-executed step ${FAULT_STATE}`);
    expect(await arbitrator.getByTestId('game-outcome').textContent()).toContain(`The ${honestRole} (`);
    const slash = ether('en-GB', f.chain.deployment.config.gameSlash.toString());
    expect(game.slashed).toEqual([expect.objectContaining({ node: liar, amount: f.chain.deployment.config.gameSlash.toString() })]);
    expect(await arbitrator.getByTestId('game-slashed').textContent()).toBe(`Slashed: ${liarRole} ${liar.slice(0, 10)}…${liar.slice(-6)} (${slash}).`);

    // The final verdict (the honest result, as first proposed) and its payout to the claimant's wallet.
    expect(trail.verdict.outcome).toBe('claimant');
    expect(await arbitrator.getByTestId('verdict').textContent()).toContain('€');
    const award = ether('en-GB', trail.payout.award);
    expect(BigInt(trail.payout.award)).toBeGreaterThan(0n);
    const payout = await arbitrator.getByTestId('trail-payout').textContent();
    expect(payout).toContain(`Settled on class ${trail.payout.output} for the claimant: award ${award}`);
    expect(payout).toContain(`Paid ${award} to the claimant (${wallet.toLowerCase().slice(0, 10)}`);
    // Only the parties' payments of the settlement, not the batch's fee shares paid in the same transaction.
    for (const line of await arbitrator.getByTestId('trail-payout').locator('li').allTextContents()) expect(line).toMatch(/the (claimant|respondent) \(0x/);
    expect(await f.fx.provider.getBalance(wallet)).toBe(BigInt(trail.payout.award));
    expect(await arbitrator.getByText('This case is not waiting for a ruling.').count()).toBe(1);

    // The timeline tells the same story in order.
    const timeline = await arbitrator.getByTestId('timeline').locator('li span').allTextContents();
    const order = ['Appeal filed', 'Re-check started', 'Decision challenged', 'On-chain verification started', 'Dispute game decided', 'Decision final', 'Award paid'];
    expect(timeline.filter((x) => order.includes(x))).toEqual(order);
    expect(timeline).toContain('Appeal compared with the first result');
    await checkAtBothWidths(arbitrator, 'arbitrator-appeal-game');
  }, 1_500_000);
});
