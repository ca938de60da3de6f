// Filing to payout with nothing done by hand: a case of every jurisdiction, filed through the
// API, is opened on chain, decided by a committee of three in-process node operators (real
// ONNX Runtime), proposed, final after the challenge window (anvil's clock advanced), and paid
// from the escrow to the claimant's wallet; the timeline and the webhook outbox carry each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { readTimeline } from '../../../server/cases/timeline.js';
import { webhookOutbox } from '../../../server/db/schema.js';
import { bootstrapChain } from '../../../server/pipeline/bootstrap.js';
import { DEV_WEI_PER_UNIT } from '../../../server/pipeline/registrar.js';
import { decimalToWei } from '../../../server/chain/awards.js';
import type { CaseRecordT } from '../../../server/cases/schemas.js';
import { freshWallet, startPipelineFixture, WINDOWS, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture();
}, 120_000);
afterAll(async () => f?.stop());

const jurisdictions = {
  EU261: validRecords.eu261Delay,
  UK261: validRecords.uk261Delay,
  US_DOT_REFUND: validRecords.usDotRefund,
  VISA: validRecords.visaFraud,
  MASTERCARD: validRecords.mastercardNotProvided,
} as Record<string, CaseRecordT>;

describe('pipeline › filing to payout', () => {
  it('bootstrap › the shipped models are registered and the node operators staked once; a second run does nothing', async () => {
    expect(f.pipeline.models.all.map((m) => m.card.jurisdiction).sort()).toEqual(['EU261', 'MASTERCARD', 'UK261', 'US_DOT_REFUND', 'VISA']);
    for (const m of f.pipeline.models.all) expect(await f.pipeline.port.isRegistered(m.modelId)).toBe(true);
    const again = await bootstrapChain(f.pipeline.port, f.chain.registrar, [1, 2, 3].map((i) => f.chain.devSigner(i)), f.pipeline.models);
    expect(again).toEqual({ registered: [], staked: [], served: [] });
  });

  it('every jurisdiction › filed → executing → proposed → final → paid, the award paid to the wallet', async () => {
    const filed: { id: string; wallet: string; record: CaseRecordT }[] = [];
    for (const record of Object.values(jurisdictions)) {
      const wallet = freshWallet();
      const r = variant(record, (d) => {
        d.claimant.wallet = wallet;
      });
      filed.push({ id: (await f.file(r)).id, wallet, record: r });
    }
    for (const c of filed) await f.waitFor(c.id, 'proposed');
    await f.advance(WINDOWS.challengeWindow + 1);
    for (const c of filed) await f.waitFor(c.id, 'paid');
    for (const c of filed) {
      const timeline = readTimeline(f.t.app.db, c.id);
      expect(timeline.map((e) => e.type)).toEqual(['filed', 'execution_started', 'verdict_proposed', 'finalized', 'paid']);
      const proposed = timeline[2].data as { verdict: { outcome: string; award: { amount: number; currency: string } } };
      expect(proposed.verdict.outcome).toBe('claimant');
      const paid = timeline[4].data as { award: string; tx: string };
      const expected = decimalToWei(String(proposed.verdict.award.amount), DEV_WEI_PER_UNIT);
      expect(BigInt(paid.award)).toBe(expected);
      expect(await f.fx.provider.getBalance(c.wallet)).toBe(expected);
      const types = f.t.app.db.select({ type: webhookOutbox.eventType }).from(webhookOutbox).where(eq(webhookOutbox.caseId, c.id)).all().map((r) => r.type);
      expect(types).toEqual(['case.filed', 'case.executing', 'verdict.proposed', 'verdict.final', 'payout.sent']);
    }
  });
});
