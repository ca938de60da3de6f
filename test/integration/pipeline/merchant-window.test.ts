// A case against a merchant waits in `filed` until its response window closes, then the pipeline
// opens it on chain. With a chain, the pipeline owns filed → executing (its CaseOpened fold): the
// response scheduler's proceed hook (server/cases/response-component.ts) leaves the move to it, so
// the two never both try it, and a later attempt from the response side is a no-op.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTimeline } from '../../../server/cases/timeline.js';
import { responseComponent } from '../../../server/cases/response-component.js';
import type { ComponentHandle } from '../../../server/main.js';
import { validRecords } from '../../support/case-fixtures.js';
import { startPipelineFixture, until, type PipelineFixture } from './pipeline-fixture.js';

const RESPONSE_SECONDS = 5;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

let f: PipelineFixture;
let responses: ComponentHandle;
beforeAll(async () => {
  f = await startPipelineFixture({ env: { CASE_RESPONSE_SECONDS: String(RESPONSE_SECONDS) } });
  // Wired as npm start wires it after the chain component.
  responses = await responseComponent.start({ config: f.t.config, db: f.t.app.db, redis: f.redis, queues: f.queues, chain: f.chain, say: () => {} });
}, 120_000);
afterAll(async () => {
  await responses?.stop();
  await f?.stop();
});

describe('pipeline › a case against a merchant', { timeout: 300_000 }, () => {
  it('stays filed and off chain until its response window closes, then the pipeline alone moves it to executing, once', async () => {
    const admin = as(f.t.adminToken);
    const m = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: admin, payload: { name: 'Shop' } })).json<{ id: string; apiKey: string }>();
    const res = await f.t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(m.apiKey), payload: validRecords.visaFraud });
    expect(res.statusCode, res.body).toBe(201);
    const caseId = res.json<{ id: string }>().id;
    const svc = f.t.services.responses;

    // While the window is open the case is filed and the pipeline has not taken it. mayProceed
    // only turns true, so a false read after the status read proves the status was read in time.
    let sawOpenWindow = false;
    await until(
      () => {
        const status = f.status(caseId);
        const taken = f.pipeline.store.byCase(caseId) !== undefined;
        if (svc.mayProceed(caseId)) return true;
        if (svc.row(caseId)) sawOpenWindow = true;
        expect(status).toBe('filed');
        expect(taken).toBe(false);
        return false;
      },
      () => `the response window of ${caseId} to close`,
      120_000,
      50,
    );
    expect(sawOpenWindow).toBe(true);

    await f.waitForReached(caseId, 'executing');
    const p = f.pipeline.store.byCase(caseId)!;
    expect((await f.pipeline.port.getCase(p.chainCaseId)).batchId).toBeGreaterThan(0n);
    const types = readTimeline(f.t.app.db, caseId).map((e) => e.type);
    expect(types.indexOf('response_lapsed')).toBeGreaterThan(-1);
    expect(types.indexOf('execution_started')).toBeGreaterThan(types.indexOf('response_lapsed'));

    // The response side trying again is a no-op, not an error.
    expect(svc.lapse(caseId)).toBe(false);
    expect(svc.proceedReady()).toBe(0);
    await f.waitFor(caseId, 'proposed');
    expect(readTimeline(f.t.app.db, caseId).filter((e) => e.type === 'execution_started')).toHaveLength(1);
  });
});
