import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';
import { Problem } from '../../../server/errors.js';
import {
  caseActions,
  caseStatuses,
  nextStatus,
  transitionTable,
  type CaseAction,
  type CaseStatus,
} from '../../../server/cases/state-machine.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

/** Shortest list of actions leading from filed to each status, from the table itself. */
function pathsFromFiled(): Map<CaseStatus, CaseAction[]> {
  const paths = new Map<CaseStatus, CaseAction[]>([['filed', []]]);
  const queue: CaseStatus[] = ['filed'];
  while (queue.length) {
    const s = queue.shift()!;
    for (const a of caseActions) {
      const n = nextStatus(s, a);
      if (n && !paths.has(n)) {
        paths.set(n, [...paths.get(s)!, a]);
        queue.push(n);
      }
    }
  }
  return paths;
}

function fileCase(): string {
  return t.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' }).id;
}

function counts(caseId: string) {
  const sqlite = t.app.db.$client;
  return {
    status: (sqlite.prepare('select status from cases where id = ?').get(caseId) as { status: string }).status,
    events: (sqlite.prepare('select count(*) as n from case_events where case_id = ?').get(caseId) as { n: number }).n,
    outbox: (sqlite.prepare('select count(*) as n from webhook_outbox where case_id = ?').get(caseId) as { n: number }).n,
  };
}

const paths = pathsFromFiled();
const pairs = caseStatuses.flatMap((s) => caseActions.map((a) => [s, a] as const));

describe('case transitions', () => {
  it.each(pairs)('from %s, %s either moves the case with its event and webhook, or is refused with 409', (from, action) => {
    const id = fileCase();
    for (const step of paths.get(from)!) t.services.cases.transition(step, id, { actor: 'system' });
    const before = counts(id);
    expect(before.status).toBe(from);
    const to = nextStatus(from, action);
    if (to) {
      const result = t.services.cases[action](id, { actor: 'node:n1', data: { note: 'test' } });
      expect(result).toMatchObject({ from, to, action });
      const after = counts(id);
      expect(after).toEqual({ status: to, events: before.events + 1, outbox: before.outbox + 1 });
      const event = t.app.db.$client.prepare('select * from case_events where id = ?').get(result.eventId) as Record<string, string>;
      expect(event).toMatchObject({ type: transitionTable[action].event, from_status: from, to_status: to, actor: 'node:n1' });
      expect(JSON.parse(event.data)).toEqual({ note: 'test' });
      const outbox = t.app.db.$client.prepare('select * from webhook_outbox where id = ?').get(result.outboxId) as Record<string, string>;
      expect(outbox.event_type).toBe(`case.${transitionTable[action].event}`);
      expect(JSON.parse(outbox.payload).data).toMatchObject({ caseId: id, status: to, previousStatus: from, note: 'test' });
    } else {
      let thrown: unknown;
      try {
        t.services.cases[action](id);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(Problem);
      expect((thrown as Problem).status).toBe(409);
      expect(counts(id)).toEqual(before);
    }
  });

  it('rolls back the status change and the timeline event when the outbox write fails', () => {
    const id = fileCase();
    const sqlite = t.app.db.$client;
    sqlite.exec(`create temp trigger fail_outbox before insert on webhook_outbox begin select raise(abort, 'outbox down'); end`);
    try {
      expect(() => t.services.cases.startExecution(id)).toThrow(/outbox down/);
    } finally {
      sqlite.exec('drop trigger fail_outbox');
    }
    expect(counts(id)).toEqual({ status: 'filed', events: 1, outbox: 1 });
  });

  it('answers 404 for a transition of a case that does not exist', () => {
    expect(() => t.services.cases.startExecution('cs_missing')).toThrow(/No case/);
  });

  it('refuses an illegal move over HTTP with a 409 problem naming the current status', async () => {
    const filed = (await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.uk261Delay })).json();
    const auth = { authorization: `Bearer ${filed.accessToken}` };
    for (const action of ['startExecution', 'proposeVerdict', 'finalize'] as const) t.services.cases[action](filed.id);
    const res = await t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/withdraw`, headers: auth });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: '/problems/illegal-transition', status: 409, caseStatus: 'final', action: 'withdraw' });
  });

  it('lets the claimant withdraw before final, with the reason on the timeline', async () => {
    const filed = (await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.usDotRefund })).json();
    t.services.cases.startExecution(filed.id);
    const auth = { authorization: `Bearer ${filed.accessToken}` };
    const res = await t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/withdraw`, headers: auth, payload: { reason: 'Refunded directly.' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('withdrawn');
    const timeline = (await t.app.inject({ url: `/v1/cases/${filed.id}/timeline`, headers: auth })).json().data;
    expect(timeline.map((e: { type: string }) => e.type)).toEqual(['filed', 'execution_started', 'withdrawn']);
    expect(timeline[2]).toMatchObject({ actor: `claimant:${filed.id}`, data: { reason: 'Refunded directly.' } });
  });
});
