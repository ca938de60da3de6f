// The case state machine of DESIGN.md as a pure table: which action moves a case from which
// statuses to which status, and the timeline event it writes. No I/O here; the one function per
// transition lives in server/cases/transitions.ts and consults this table inside its transaction.
//
//   filed → executing → proposed → (appealed → re-executing | challenged → bisecting) → final → paid
//   plus rejected (invalid / out of scope) and withdrawn (by the claimant before final).
//   re-executing and bisecting lead back to proposed: the chain proposes the batch's verdict again,
//   with a new window, after a re-execution agrees or a dispute game ends (ArbitrationState._evaluate).

export const caseStatuses = [
  'filed',
  'executing',
  'proposed',
  'appealed',
  're-executing',
  'challenged',
  'bisecting',
  'final',
  'paid',
  'rejected',
  'withdrawn',
] as const;

export type CaseStatus = (typeof caseStatuses)[number];

/** Statuses no action leaves. */
export const terminalStatuses: readonly CaseStatus[] = ['paid', 'rejected', 'withdrawn'];

/** Before `final`: the only statuses a claimant may withdraw from. */
const openStatuses: readonly CaseStatus[] = [
  'filed',
  'executing',
  'proposed',
  'appealed',
  're-executing',
  'challenged',
  'bisecting',
];

export interface TransitionRule {
  from: readonly CaseStatus[];
  to: CaseStatus;
  /** Timeline event type; the webhook event is `case.<event>`. */
  event: string;
}

export const transitionTable = {
  /** The committee's execution jobs are enqueued. */
  startExecution: { from: ['filed'], to: 'executing', event: 'execution_started' },
  /**
   * All reveals agree: a verdict is proposed and the challenge window opens. Again, with a new
   * window, after a level-1 re-execution (whose result may be appealed to level 2) and after a
   * dispute game (bisecting): once the loser is evicted, the members still standing agree and the
   * chain re-proposes the batch (VerdictProposed after the game's Resolved), so the parties keep
   * their appeal. Not from `challenged`: the service moves a case challenged → bisecting in the
   * one transaction that folds the chain's Challenged event (the game opens with it), so no
   * VerdictProposed ever finds a case there.
   */
  proposeVerdict: { from: ['executing', 're-executing', 'bisecting'], to: 'proposed', event: 'verdict_proposed' },
  /** A party appeals within the window, with a bond. */
  appeal: { from: ['proposed'], to: 'appealed', event: 'appealed' },
  /** Appeal level 1: a fresh, larger committee re-executes. */
  startReexecution: { from: ['appealed'], to: 're-executing', event: 're_execution_started' },
  /** Results disagree (first run or re-execution) or a node challenges the proposed verdict. */
  challenge: { from: ['executing', 'proposed', 're-executing'], to: 'challenged', event: 'challenged' },
  /** The refereed-delegation game opens on chain. */
  startBisection: { from: ['challenged'], to: 'bisecting', event: 'bisection_started' },
  /**
   * The verdict becomes final: window closed unchallenged (proposed), an arbitrator ruled on an
   * appeal (appealed, level 2). From re-executing and bisecting only when the service did not
   * show the re-proposed verdict (the committee's claims were never readable): the chain itself
   * finalizes a batch only once it is proposed and its window has closed (Arbitration.finalize).
   */
  finalize: { from: ['proposed', 'appealed', 're-executing', 'bisecting'], to: 'final', event: 'finalized' },
  /** The escrow paid out (or the award became claimable). */
  markPaid: { from: ['final'], to: 'paid', event: 'paid' },
  /** Invalid or out of scope (e.g. the featurizer cannot read the record). */
  reject: { from: ['filed', 'executing'], to: 'rejected', event: 'rejected' },
  /**
   * The chain refused the case (issue 8 #7): a node proved its input invalid, or the input was
   * claimed unavailable and nobody published it in time. The deposit went back to the respondent.
   * Possible at any point before the verdict is final (a refused case is never settled).
   */
  refuse: { from: ['executing', 'proposed', 'appealed', 're-executing', 'challenged', 'bisecting'], to: 'rejected', event: 'input_refused' },
  /**
   * A level-2 appeal no arbitrator ruled on by its deadline: the chain ended the case refused
   * (Arbitration.refuseCase): no award, the bond back to the appellant, the deposit to the respondent.
   */
  refuseUnruled: { from: ['appealed'], to: 'rejected', event: 'refused' },
  /** The claimant withdraws while the case is not final. */
  withdraw: { from: openStatuses, to: 'withdrawn', event: 'withdrawn' },
} as const satisfies Record<string, TransitionRule>;

export type CaseAction = keyof typeof transitionTable;

export const caseActions = Object.keys(transitionTable) as CaseAction[];

export function canTransition(from: CaseStatus, action: CaseAction): boolean {
  return (transitionTable[action].from as readonly CaseStatus[]).includes(from);
}

/** The status `action` leads to from `from`, or undefined when the move is illegal. */
export function nextStatus(from: CaseStatus, action: CaseAction): CaseStatus | undefined {
  return canTransition(from, action) ? transitionTable[action].to : undefined;
}

export function isCaseStatus(value: string): value is CaseStatus {
  return (caseStatuses as readonly string[]).includes(value);
}
