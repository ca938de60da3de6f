import { describe, expect, it } from 'vitest';
import {
  canTransition,
  caseActions,
  caseStatuses,
  nextStatus,
  terminalStatuses,
  transitionTable,
  type CaseStatus,
} from '../../../server/cases/state-machine.js';

describe('case state machine table', () => {
  it('follows the main path of DESIGN.md: filed → executing → proposed → final → paid', () => {
    expect(nextStatus('filed', 'startExecution')).toBe('executing');
    expect(nextStatus('executing', 'proposeVerdict')).toBe('proposed');
    expect(nextStatus('proposed', 'finalize')).toBe('final');
    expect(nextStatus('final', 'markPaid')).toBe('paid');
  });

  it('has the appeal branch proposed → appealed → re-executing → final', () => {
    expect(nextStatus('proposed', 'appeal')).toBe('appealed');
    expect(nextStatus('appealed', 'startReexecution')).toBe('re-executing');
    expect(nextStatus('re-executing', 'finalize')).toBe('final');
  });

  it('has the challenge branch proposed → challenged → bisecting → final', () => {
    expect(nextStatus('proposed', 'challenge')).toBe('challenged');
    expect(nextStatus('challenged', 'startBisection')).toBe('bisecting');
    expect(nextStatus('bisecting', 'finalize')).toBe('final');
  });

  it('proposes the verdict again after a dispute game (bisecting → proposed), which may then be appealed to a re-execution', () => {
    // The chain re-proposes the batch with a new window once the game ends (ArbitrationState._evaluate).
    expect(nextStatus('bisecting', 'proposeVerdict')).toBe('proposed');
    expect(nextStatus('proposed', 'appeal')).toBe('appealed');
    expect(nextStatus('appealed', 'startReexecution')).toBe('re-executing');
    // The same event and webhook as a first proposal.
    expect(transitionTable.proposeVerdict.event).toBe('verdict_proposed');
  });

  it('proposes a verdict from executing, re-executing and bisecting only (challenged moves on to bisecting in the same transaction)', () => {
    const from: CaseStatus[] = ['executing', 're-executing', 'bisecting'];
    for (const s of caseStatuses) expect(nextStatus(s, 'proposeVerdict'), s).toBe(from.includes(s) ? 'proposed' : undefined);
  });

  it('lets the claimant withdraw from every status before final, and from none after', () => {
    const before: CaseStatus[] = ['filed', 'executing', 'proposed', 'appealed', 're-executing', 'challenged', 'bisecting'];
    for (const s of caseStatuses) expect(canTransition(s, 'withdraw'), s).toBe(before.includes(s));
  });

  it('lets the chain refuse a case (its input invalid or unavailable) from every on-chain status before final, and from none after (issue 8 #7)', () => {
    const onChain: CaseStatus[] = ['executing', 'proposed', 'appealed', 're-executing', 'challenged', 'bisecting'];
    for (const s of caseStatuses) expect(nextStatus(s, 'refuse'), s).toBe(onChain.includes(s) ? 'rejected' : undefined);
  });

  it('ends a level-2 appeal no arbitrator ruled on as rejected, from appealed only (issue 13)', () => {
    for (const s of caseStatuses) expect(nextStatus(s, 'refuseUnruled'), s).toBe(s === 'appealed' ? 'rejected' : undefined);
  });

  it('leaves no terminal status by any action', () => {
    for (const s of terminalStatuses) for (const a of caseActions) expect(canTransition(s, a), `${s} ${a}`).toBe(false);
  });

  it('cannot skip ahead (filed cannot be finalized or paid, final cannot be appealed)', () => {
    expect(nextStatus('filed', 'finalize')).toBeUndefined();
    expect(nextStatus('filed', 'markPaid')).toBeUndefined();
    expect(nextStatus('final', 'appeal')).toBeUndefined();
    expect(nextStatus('paid', 'withdraw')).toBeUndefined();
  });

  it('reaches every status from filed', () => {
    const reached = new Set<CaseStatus>(['filed']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of [...reached])
        for (const a of caseActions) {
          const n = nextStatus(s, a);
          if (n && !reached.has(n)) (reached.add(n), (grew = true));
        }
    }
    expect([...reached].sort()).toEqual([...caseStatuses].sort());
  });

  it('names a distinct timeline event per action', () => {
    const events = Object.values(transitionTable).map((r) => r.event);
    expect(new Set(events).size).toBe(events.length);
  });
});
