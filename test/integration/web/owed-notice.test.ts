// The claimant's case page says plainly when an award is owed but not escrowed (issue 11 #3):
// the respondent's escrow did not cover it, so Arbiter cannot pay it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../../server/web/build.js';
import { decideCase } from '../../../server/verdicts/decide.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  ensureWebBuild();
  t = await startTestApp({ env: { WEB: 'on' } });
}, 600_000);
afterAll(async () => t?.close());

async function pageWith(escrow: { status: 'escrowed' | 'owed_not_escrowed'; deposit: string; statement: string }) {
  const filed = t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
  const decided = await decideCase(validRecords.eu261Delay);
  if (!decided.ok) throw new Error(decided.error.message);
  t.services.cases.startExecution(filed.id);
  t.services.cases.proposeVerdict(filed.id, { data: { verdict: { ...decided.verdict, escrow } } });
  const res = await t.app.inject({ url: `/case/${filed.id}`, headers: { cookie: `arbiter_case_${filed.id}=${encodeURIComponent(filed.accessToken!)}` } });
  expect(res.statusCode).toBe(200);
  return res.body;
}

describe('case page › escrow', () => {
  it('an award owed but not escrowed is said plainly; an escrowed one adds nothing', async () => {
    const owed = await pageWith({ status: 'owed_not_escrowed', deposit: '600000000000000', statement: 'owed' });
    expect(owed).toContain('data-testid="owed-not-escrowed"');
    expect(owed).toContain('Owed but not escrowed');
    const escrowed = await pageWith({ status: 'escrowed', deposit: '600000000000000', statement: 'escrowed' });
    expect(escrowed).not.toContain('owed-not-escrowed');
  });
});
