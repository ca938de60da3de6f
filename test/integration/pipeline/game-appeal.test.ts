// A dispute game between nodes does not take the parties' appeal away. One in-process node lies
// at state t_8 (only the EU261 model's 9-step traces have it), the honest members challenge it
// and play the game on chain; once it is evicted the members still standing agree and the
// contract proposes the batch's verdict with a window of its own (VerdictProposed after the
// game's Resolved). The case goes bisecting → proposed with that window and the verdict; the
// appeal route shows the bond and the deadline and the appeal goes through on chain (appealed →
// re-executing); with no appeal the case is final after the window and paid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { readTimeline } from '../../../server/cases/timeline.js';
import { webhookOutbox } from '../../../server/db/schema.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { freshWallet, startPipelineFixture, type PipelineFixture } from './pipeline-fixture.js';

const LIAR = 3;
const FAULT_STATE = 8;
/** Long enough that the appeal lands within the window on a busy machine; the test moves anvil's clock past it. */
const WINDOW = 120;
/** The liar lies while this holds: the level-1 re-execution after the appeal runs faithfully. */
let lying = true;

let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture({ nodeFaults: { [LIAR]: FAULT_STATE }, nodeFaultWhile: () => lying, config: { challengeWindow: WINDOW } });
}, 120_000);
afterAll(async () => f?.stop());

const types = (caseId: string) => readTimeline(f.t.app.db, caseId).map((e) => e.type);
const webhooks = (caseId: string) => f.t.app.db.select({ type: webhookOutbox.eventType, payload: webhookOutbox.payload }).from(webhookOutbox).where(eq(webhookOutbox.caseId, caseId)).all();
const GAME = ['filed', 'execution_started', 'challenged', 'bisection_started', 'game_resolved', 'verdict_proposed'];

/** Files an EU261 case (a 9-step trace: the liar's) paid to a fresh wallet. */
async function fileGamed() {
  const wallet = freshWallet();
  const filed = await f.file(variant(validRecords.eu261Delay, (d) => void (d.claimant.wallet = wallet)));
  return { ...filed, wallet, auth: { authorization: `Bearer ${filed.accessToken}` } };
}

describe('pipeline › a verdict proposed after a dispute game may be appealed', () => {
  it('after the game the case is proposed with the new window; with no appeal it is final after that window and paid', async () => {
    lying = true;
    const c = await fileGamed();
    const proposed = await f.waitForGameOver(c.id);
    const p = f.pipeline.store.byCase(c.id)!;
    const batch = await f.pipeline.port.getBatch(BigInt(p.batchId!));
    expect(proposed.windowEnd).toBe(Number(batch.windowEnd));
    expect(proposed.claimsRoot).toBe(batch.claimsRoot.toLowerCase());
    expect(proposed.verdict).toMatchObject({ outcome: 'claimant', traceRoot: p.traceRoot });
    expect(types(c.id)).toEqual(GAME);
    await f.advance(WINDOW + 1);
    await f.waitFor(c.id, 'paid');
    expect(types(c.id)).toEqual([...GAME, 'finalized', 'paid']);
    expect(await f.fx.provider.getBalance(c.wallet)).toBeGreaterThan(0n);
    // The webhooks: the game, then the verdict proposed (its outbox row written with the move), final, paid.
    const sent = webhooks(c.id);
    expect(sent.map((w) => w.type)).toEqual(['case.filed', 'case.executing', 'case.challenged', 'game.opened', 'game.resolved', 'verdict.proposed', 'verdict.final', 'payout.sent']);
    const outbox = sent.find((w) => w.type === 'verdict.proposed')!.payload;
    expect(outbox).toContain('"previousStatus":"bisecting"');
    expect(outbox).toContain(`"windowEnd":${proposed.windowEnd}`);
  }, 600_000);

  it('GET /appeal shows the bond and the new deadline, and POST /appeal goes through on chain: appealed → re-executing', async () => {
    lying = true;
    const c = await fileGamed();
    const proposed = await f.waitForGameOver(c.id);
    // From here on the nodes run faithfully: the re-execution agrees with the game's result.
    lying = false;
    const show = await f.t.app.inject({ method: 'GET', url: `/v1/cases/${c.id}/appeal`, headers: c.auth });
    expect(show.statusCode, show.body).toBe(200);
    expect(show.json()).toMatchObject({
      status: 'proposed',
      level: 0,
      nextLevel: 1,
      open: true,
      bond: f.chain.deployment.config.appealBond1,
      deadline: new Date(proposed.windowEnd * 1000).toISOString(),
    });
    const appeal = await f.t.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/appeal`, headers: c.auth });
    expect(appeal.statusCode, appeal.body).toBe(202);
    expect(appeal.json()).toMatchObject({ level: 1, status: 'pending' });
    await f.waitFor(c.id, 're-executing');
    expect(types(c.id)).toEqual([...GAME, 'appealed', 're_execution_started']);
    const chainCaseId = f.pipeline.store.byCase(c.id)!.chainCaseId;
    expect(Number((await f.chain.contracts.arbitration.cases(chainCaseId)).appealLevel)).toBe(1);
    expect((await f.chain.contracts.arbitration.appeals(chainCaseId)).pending).toBe(true);
    // A second appeal at once is refused: the case is no longer proposed.
    const again = await f.t.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/appeal`, headers: c.auth });
    expect(again.statusCode).toBe(409);
  }, 600_000);
});
