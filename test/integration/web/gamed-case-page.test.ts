// The claimant's case page for a case that went to a dispute game between nodes: while the game
// runs it says the contested step is being verified and that the appeal terms come once a decision
// is proposed; once the chain proposes the verdict after the game (bisecting → proposed) it shows
// the proposed decision and its timeline in order, game first, with the appeal still to come.
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

/** The page's visible text, tags stripped. */
const text = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('case page › a gamed case', () => {
  it('reads right while the game runs and once the verdict is proposed after it', async () => {
    const filed = t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const page = async () => {
      const res = await t.app.inject({ url: `/case/${filed.id}`, headers: { cookie: `arbiter_case_${filed.id}=${encodeURIComponent(filed.accessToken!)}` } });
      expect(res.statusCode).toBe(200);
      return text(res.body);
    };
    const decided = await decideCase(validRecords.eu261Delay);
    if (!decided.ok) throw new Error(decided.error.message);
    t.services.cases.startExecution(filed.id);
    t.services.cases.challenge(filed.id, { actor: 'chain' });
    t.services.cases.startBisection(filed.id, { actor: 'chain' });

    const during = await page();
    expect(during).toContain('Being verified');
    expect(during).toContain('Once a decision is proposed, the deadline and the bond for an appeal are shown here');
    expect(during).not.toContain('can no longer be appealed');

    t.services.cases.proposeVerdict(filed.id, { actor: 'chain', data: { verdict: decided.verdict, windowEnd: Math.floor(Date.now() / 1000) + 600 } });
    const after = await page();
    expect(after).toContain('Decision proposed');
    expect(after).toContain('You are owed €');
    // No chain here: the appeal terms are not published yet (game-appeal.test.ts shows them).
    expect(after).toContain('The appeal deadline and bond will be shown here before anything is paid');
    const labels = ['Decision committee started', 'Decision challenged', 'On-chain verification started', 'Decision proposed'];
    const at = labels.map((l) => after.lastIndexOf(l));
    expect(at.every((i) => i >= 0), `${labels.join(', ')} in ${after}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  }, 120_000);
});
