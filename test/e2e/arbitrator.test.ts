// The arbitrator console and the claimant's case page on the whole system: the real app serving
// the web build, a real anvil with the contracts, the pipeline with three in-process node
// operators (one of them dishonest at state t_8, which only the EU261 model's 9-step traces have:
// its EU261 cases go to a dispute game, its Visa cases, 6 steps, are decided honestly).
//
// The console shows the game picture on the EU261 case (proposed again after its game, with a
// window of its own; appealing a gamed case is appeal-game.test.ts) and rules on the appealed Visa
// case: the claimant appeals it twice from the case page (bond and deadline shown first), an
// arbitrator rules with a written reason, and the claimant, who filed without a wallet, names one
// on the case page and is paid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { id as utf8Id } from 'ethers';
import { ensureWebBuild } from '../../server/web/build.js';
import { readTimeline } from '../../server/cases/timeline.js';
import { validRecords, variant } from '../support/case-fixtures.js';
import { freshWallet, startPipelineFixture, until, type PipelineFixture } from '../integration/pipeline/pipeline-fixture.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { checkAtBothWidths } from './support/axe.js';

const LIAR = 3;
const FAULT_STATE = 8;

let f: PipelineFixture;
let browser: TestBrowser;
let baseUrl: string;
beforeAll(async () => {
  ensureWebBuild();
  // A long challenge window: the claimant appeals through a browser on a busy machine.
  f = await startPipelineFixture({ nodeFaults: { [LIAR]: FAULT_STATE }, config: { challengeWindow: 600 }, env: { WEB: 'on' } });
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

describe('The arbitrator console and the case page, on the whole pipeline', () => {
  it('a claimant appeals from the case page, an arbitrator sees the game picture and rules, and the claimant names a payout wallet and is paid', async () => {
    // The EU261 case goes to a game with the liar; the Visa case (no wallet) is decided honestly.
    const gamed = await f.file(variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = freshWallet())));
    const visa = await f.file(variant(validRecords.visaFraud, (d) => void delete d.claimant.wallet));
    await f.waitFor(visa.id, 'proposed', 240_000);

    // The claimant's page shows the verdict, the trail and the appeal terms before anything is paid.
    const claimant = await (await browser.context()).newPage();
    await claimant.goto(`${baseUrl}/c#${visa.accessToken}`);
    await claimant.waitForURL(`${baseUrl}/case/${visa.id}`, { timeout: 60_000 });
    await claimant.getByTestId('verdict').waitFor({ timeout: 60_000 });
    const terms = await claimant.getByTestId('appeal-terms').textContent();
    expect(terms).toMatch(/You can appeal until .+\. The bond for this appeal \(level 1\) is [0-9.,]+ ETH/);
    await claimant.getByText('Show the verdict trail (for re-checking)').click();
    const trail = claimant.getByTestId('trail');
    expect(await trail.textContent()).toContain((await f.t.app.inject({ method: 'GET', url: `/v1/cases/${visa.id}`, headers: { authorization: `Bearer ${visa.accessToken}` } })).json().recordHash);
    expect(await claimant.getByTestId('no-game').textContent()).toContain('No dispute');
    await checkAtBothWidths(claimant, 'case-trail');

    // Level 1: a fresh committee re-executes; level 2: the case waits for an arbitrator.
    await claimant.getByRole('button', { name: /^Appeal and pay the .+ bond$/ }).click();
    await claimant.getByTestId('appeal-sent').waitFor({ timeout: 60_000 });
    await f.waitFor(visa.id, 're-executing', 120_000);
    await f.waitFor(visa.id, 'proposed', 240_000);
    await claimant.reload();
    expect(await claimant.getByTestId('appeal-terms').textContent()).toContain('(level 2)');
    await claimant.getByRole('button', { name: /^Appeal and pay the .+ bond$/ }).click();
    await claimant.getByTestId('appeal-sent').waitFor({ timeout: 60_000 });
    await f.waitFor(visa.id, 'appealed', 120_000);

    // Meanwhile the liar's EU261 case has been played out on chain.
    await until(() => types(gamed.id).includes('game_resolved'), () => `the game to be resolved: ${types(gamed.id).join(' → ')}`, 300_000, 250);

    // The arbitrator signs in: a wrong token is refused at its field, the right one opens the queue.
    const { token } = f.t.services.arbitrators.create({ name: 'A. Arbitrator' });
    const arbitrator = await (await browser.context()).newPage();
    await arbitrator.goto(`${baseUrl}/arbitrator`);
    await arbitrator.getByLabel('Arbitrator token').fill('at_not-a-token');
    await arbitrator.getByRole('button', { name: 'Sign in' }).click();
    await arbitrator.getByText('This token does not open an arbitrator account.').waitFor({ timeout: 60_000 });
    await arbitrator.getByLabel('Arbitrator token').fill(token);
    await arbitrator.getByRole('button', { name: 'Sign in' }).click();
    const waiting = arbitrator.getByTestId('queue-waiting');
    await waiting.waitFor({ timeout: 60_000 });
    expect(await waiting.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([`/arbitrator/case/${visa.id}`]);
    await checkAtBothWidths(arbitrator, 'arbitrator-queue');

    // The gamed case, opened by its id: the dissection narrows to state t_8, whose step the
    // referee re-executed; the honest side won and the liar was slashed.
    await arbitrator.getByLabel('Case id (cs_…)').fill(gamed.id);
    await arbitrator.getByRole('button', { name: 'Open its trail' }).click();
    await arbitrator.waitForURL(`${baseUrl}/arbitrator/case/${gamed.id}`, { timeout: 60_000 });
    const picture = arbitrator.getByTestId('game-picture');
    await picture.waitFor({ timeout: 60_000 });
    const liar = f.pipeline.nodes[LIAR - 1].address.toLowerCase();
    const [game] = (await f.t.app.inject({ method: 'GET', url: `/v1/cases/${gamed.id}/trail`, headers: { authorization: `Bearer ${token}` } })).json().games;
    const liarRole = game.defender === liar ? 'defender' : 'challenger';
    const honestRole = liarRole === 'defender' ? 'challenger' : 'defender';
    // One row per dissection round (both parties' moves split the same node), then the step.
    const rounds = new Set(game.moves.map((m: { height: number; index: number }) => `${m.height}:${m.index}`)).size;
    expect(rounds).toBeGreaterThan(0);
    expect(await picture.locator('svg [data-row="move"]').count()).toBe(rounds);
    expect(await picture.locator('svg [data-row="leaf"]').count()).toBe(1);
    expect(await arbitrator.getByTestId('game-step').textContent()).toContain(`The first differing state is t${FAULT_STATE}: the referee re-executed step ${FAULT_STATE}`);
    expect(await arbitrator.getByTestId('game-outcome').textContent()).toContain(`The ${honestRole} (`);
    expect(await arbitrator.getByTestId('game-slashed').textContent()).toContain(`Slashed: ${liarRole} ${liar.slice(0, 10)}`);
    await checkAtBothWidths(arbitrator, 'arbitrator-game');

    // The appealed case: its trail, the committee's verdict, and the ruling form. A ruling without
    // a reason is refused at its field; with one, it goes on chain and settles the case.
    await arbitrator.goto(`${baseUrl}/arbitrator/case/${visa.id}`);
    await arbitrator.getByRole('heading', { name: 'Your ruling' }).waitFor({ timeout: 60_000 });
    expect(await arbitrator.getByTestId('trail').locator('table.committee tbody tr').count()).toBe(3);
    await checkAtBothWidths(arbitrator, 'arbitrator-ruling');
    const classes = arbitrator.getByLabel('Decide the outcome (the model card’s classes)');
    await classes.selectOption('2');
    expect(await classes.locator('option:checked').textContent()).toMatch(/^Class 2: for the claimant — The card was used without being present/);
    await arbitrator.getByLabel('Written reason').fill('   ');
    await arbitrator.getByRole('button', { name: 'Rule and settle the case' }).click();
    await arbitrator.locator('#f-reason-error:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await arbitrator.locator('#f-reason-error').textContent()).toBe('Write the reason for your ruling.');
    const reason = 'The card was not present and no earlier undisputed purchase ties it to the cardholder.';
    await classes.selectOption('2');
    await arbitrator.getByLabel('Written reason').fill(reason);
    await arbitrator.getByRole('button', { name: 'Rule and settle the case' }).click();
    await arbitrator.getByTestId('ruling-submitted').waitFor({ timeout: 60_000 });
    await f.waitFor(visa.id, 'final', 120_000);
    await until(() => types(visa.id).includes('award_claimable'), () => `the award to be claimable: ${types(visa.id).join(' → ')}`, 120_000, 250);
    const ruled = (await f.t.app.inject({ method: 'GET', url: `/v1/cases/${visa.id}/trail`, headers: { authorization: `Bearer ${token}` } })).json();
    expect(ruled.ruling).toMatchObject({ output: 2, reasonHash: utf8Id(reason) });
    await arbitrator.reload();
    await arbitrator.getByTestId('trail-ruling').waitFor({ timeout: 60_000 });

    // The claimant, who filed without a wallet, names one on the case page and is paid there.
    await claimant.reload();
    await claimant.getByLabel('Payout wallet address').fill('0x1234');
    await claimant.getByRole('button', { name: 'Send my award there' }).click();
    await claimant.locator('[data-error-for="address"]:not(:empty)').waitFor({ timeout: 60_000 });
    await checkAtBothWidths(claimant, 'case-payout-wallet');
    const wallet = freshWallet();
    await claimant.getByLabel('Payout wallet address').fill(wallet);
    await claimant.getByRole('button', { name: 'Send my award there' }).click();
    await claimant.getByTestId('payout-named').waitFor({ timeout: 60_000 });
    expect(await claimant.getByTestId('payout-named').textContent()).toContain(wallet);
    await f.waitFor(visa.id, 'paid', 120_000);
    expect(await f.fx.provider.getBalance(wallet)).toBeGreaterThan(0n);
    // The page follows the case by itself (it re-reads every few seconds while the case moves).
    await claimant.getByTestId('case-status').filter({ hasText: 'Paid' }).waitFor({ timeout: 60_000 });
    expect(types(visa.id)).toEqual(expect.arrayContaining(['appealed', 're_execution_started', 'ruling_submitted', 'finalized', 'award_claimable', 'paid']));
  }, 1_500_000);
});
