// A merchant pins a marketplace model (issue 12) for its cases; a claimant appeals a verdict to
// level 2 (issue 8): the arbitrator must be able to rule. The ruling checked the output class
// against the shipped cards only, so every ruling on a registered model's case was a 400
// (`/output`: "has no output class") and the case stayed `appealed` for good: pinning a
// registered model put a merchant's cases out of a human's reach. The pipeline rows a level-2
// appeal leaves are written here directly (the chain part is covered by the appeals pipeline test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { ensureWebBuild } from '../../../server/web/build.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';
import { cases, chainEvents, creators, marketModels, pipelineCases } from '../../../server/db/schema.js';
import { MODELS_ROOT } from '../../../server/models/registry.js';
import { modelIdOf } from '../../../server/inference/claim-commitment.js';
import type { ModelCard } from '../../../server/models/card.js';

const shipped = JSON.parse(readFileSync(join(MODELS_ROOT, 'eu261', 'card.json'), 'utf8')) as ModelCard;
const card: ModelCard = { ...structuredClone(shipped), id: 'eu261-acme', version: '1.0.0' };
const REF = 'eu261-acme@1.0.0';
const MODEL_ID = modelIdOf(REF).toLowerCase();
const admin = () => ({ authorization: `Bearer ${t.adminToken}` });

let t: TestApp;
beforeAll(async () => {
  ensureWebBuild();
  t = await startTestApp({ env: { WEB: 'on' } });
}, 600_000);
afterAll(async () => t?.close());

describe('POST /v1/cases/:id/ruling › a case decided by a registered model', () => {
  it('takes the arbitrator\'s ruling for a class of the registered model\'s card, and refuses a class it lacks', async () => {
    const db = t.app.db;
    const now = new Date().toISOString();
    db.insert(creators).values({ id: 'crt_acme', name: 'Acme', apiKeyHash: 'h-acme', address: `0x${'a'.repeat(40)}`, devIndex: null, createdAt: now }).run();
    db.insert(marketModels)
      .values({
        modelId: MODEL_ID, ref: REF, name: card.id, version: card.version, creatorId: 'crt_acme', jurisdiction: card.jurisdiction,
        featurizer: `${card.featurizer.id}@${card.featurizer.version}`, sha256: card.sha256, modelRoot: card.modelRoot, steps: card.steps,
        price: '1000000000000000', royaltyBps: 1000, status: 'approved', card: JSON.stringify(card), evaluation: JSON.stringify(card.evaluation),
        registerTx: `0x${'1'.repeat(64)}`, createdAt: now, deprecatedAt: null,
      })
      .run();
    const filed = t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const chainCaseId = `0x${'c'.repeat(64)}`;
    db.update(cases).set({ status: 'appealed' }).where(eq(cases.id, filed.id)).run();
    db.insert(pipelineCases)
      .values({ caseId: filed.id, chainCaseId, modelRef: REF, modelId: MODEL_ID, s0: `0x${'0'.repeat(64)}`, output: 0, traceRoot: `0x${'0'.repeat(64)}`, steps: card.steps, awardTable: '0x', deposit: '0', claimant: `0x${'b'.repeat(40)}`, respondent: `0x${'d'.repeat(40)}`, createdAt: now })
      .run();
    for (const level of [1, 2]) {
      db.insert(chainEvents).values({ id: `ev-appeal-${level}`, blockNumber: 10 + level, logIndex: 0, txHash: `0x${String(level).repeat(64)}`, source: 'arbitration', name: 'Appealed', args: JSON.stringify({ level: String(level) }), batchId: null, gameId: null, chainCaseId }).run();
    }
    const arbitrator = (await t.app.inject({ method: 'POST', url: '/v1/arbitrators', payload: { name: 'Arb' }, headers: admin() })).json<{ token: string }>().token;
    const rule = (output: number) => t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/ruling`, headers: { authorization: `Bearer ${arbitrator}` }, payload: { output, reason: 'The delay was within the airline\'s control.' } });

    // The console's ruling form lists the registered card's classes (it read the shipped cards only: an empty select).
    const page = await t.app.inject({ url: `/arbitrator/case/${filed.id}`, headers: { cookie: `arbiter_arbitrator=${encodeURIComponent(arbitrator)}` } });
    expect(page.statusCode).toBe(200);
    for (const c of card.classes) expect(page.body).toContain(`<option value="${c.index}"`);

    const none = await rule(card.classes.length);
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].pointer).toBe('/output');
    const claimantClass = card.classes.find((c) => c.outcome === 'claimant')!.index;
    const ruled = await rule(claimantClass);
    expect(ruled.statusCode, ruled.body).toBe(202);
    expect(t.services.cases.timeline(filed.id, { kind: 'admin' }).map((e) => e.type)).toContain('ruling_submitted');
  });
});
