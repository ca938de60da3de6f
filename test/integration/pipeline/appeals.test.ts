// Appeals through both levels (DESIGN.md step 6): the claimant appeals a proposed verdict (level
// 1: a fresh committee re-executes and the result is proposed again), then appeals again (level
// 2) and a registered arbitrator rules with a written reason whose hash goes on chain; the ruling
// settles the case. Only the parties appeal, only arbitrators rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { id as utf8Id } from 'ethers';
import { readTimeline } from '../../../server/cases/timeline.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { freshWallet, startPipelineFixture, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture();
}, 120_000);
afterAll(async () => f?.stop());

describe('pipeline › appeals', () => {
  it('level 1 re-executes, level 2 is ruled by an arbitrator with a reason hash on chain, and the ruling is paid', async () => {
    const wallet = freshWallet();
    const filed = await f.file(variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = wallet)));
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    await f.waitFor(filed.id, 'proposed');

    const show = await f.t.app.inject({ method: 'GET', url: `/v1/cases/${filed.id}/appeal`, headers: auth(filed.accessToken) });
    expect(show.statusCode, show.body).toBe(200);
    expect(show.json()).toMatchObject({ level: 0, nextLevel: 1, open: true, bond: f.chain.deployment.config.appealBond1 });
    expect(Date.parse(show.json().deadline)).toBeGreaterThan(0);

    // Nobody but a party appeals.
    expect((await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/appeal` })).statusCode).toBe(401);
    expect((await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/appeal`, headers: auth(f.t.adminToken) })).statusCode).toBe(403);

    const one = await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/appeal`, headers: auth(filed.accessToken) });
    expect(one.statusCode, one.body).toBe(202);
    await f.waitFor(filed.id, 're-executing');
    await f.waitFor(filed.id, 'proposed'); // the fresh committee agreed
    const batch = f.pipeline.store.byCase(filed.id)!.batchId!;
    expect(f.pipeline.store.eventsOfBatch(batch).some((e) => e.name === 'BatchSealed')).toBe(true);

    const two = await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/appeal`, headers: auth(filed.accessToken) });
    expect(two.statusCode, two.body).toBe(202);
    await f.waitFor(filed.id, 'appealed');
    const again = await f.t.app.inject({ method: 'GET', url: `/v1/cases/${filed.id}/appeal`, headers: auth(filed.accessToken) });
    expect(again.json()).toMatchObject({ level: 2, nextLevel: null, open: false });

    // An arbitrator rules: respondent class 1 of eu261 (delay under three hours), with a reason.
    const arb = await f.t.app.inject({ method: 'POST', url: '/v1/arbitrators', headers: auth(f.t.adminToken), payload: { name: 'A. Arbitrator' } });
    const arbToken = arb.json().token as string;
    const reason = 'The delay at the door was under three hours on the evidence filed.';
    const body = { output: 1, reason };
    expect((await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/ruling`, headers: auth(filed.accessToken), payload: body })).statusCode).toBe(403);
    const bogus = await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/ruling`, headers: auth(arbToken), payload: { output: 999, reason } });
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json().errors[0].pointer).toBe('/output');
    const ruled = await f.t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/ruling`, headers: auth(arbToken), payload: body });
    expect(ruled.statusCode, ruled.body).toBe(202);
    expect(ruled.json().reasonHash).toBe(utf8Id(reason));
    await f.waitFor(filed.id, 'paid');

    const types = readTimeline(f.t.app.db, filed.id).map((e) => e.type);
    expect(types.filter((t) => t !== 'appeal_compared')).toEqual([
      'filed', 'execution_started', 'verdict_proposed', 'appealed', 're_execution_started', 'verdict_proposed', 'appealed', 'ruling_submitted', 'finalized', 'paid',
    ]);
    // The keeper compared the re-execution with the first committee's claim (the same result:
    // upheld, the bond pays the re-execution) before either batch could finalize (issue 8 #6).
    const compared = readTimeline(f.t.app.db, filed.id).filter((e) => e.type === 'appeal_compared');
    expect(compared).toHaveLength(1);
    expect(compared[0].data).toMatchObject({ changed: false, bondRefund: '0' });
    const trail = (await f.t.app.inject({ method: 'GET', url: `/v1/cases/${filed.id}/trail`, headers: auth(arbToken) })).json();
    expect(trail.ruling).toMatchObject({ output: 1, reasonHash: utf8Id(reason) });
    // Both appeals with the bonds paid into escrow: level 1 re-executed and compared, level 2 referred.
    const { appealBond1, appealBond2 } = f.chain.deployment.config;
    expect(trail.appeals).toMatchObject([
      { level: 1, bond: appealBond1.toString(), reExecutionBatch: batch, compared: { changed: false, bondRefund: '0' } },
      { level: 2, bond: appealBond2.toString(), reExecutionBatch: null, compared: null },
    ]);
    expect(trail.verdict.outcome).toBe('respondent');
    expect(trail.payout).toMatchObject({ output: 1, claimantWon: false, award: '0' });
    expect(await f.fx.provider.getBalance(wallet)).toBe(0n);
  }, 300_000);
});
