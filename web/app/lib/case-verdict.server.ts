// A case's verdict as the case pages read it: the latest one the pipeline wrote into the
// timeline (verdict_proposed, finalized: {verdict, …}), the same for whoever may read the case.

export interface Money {
  amount: number;
  currency: string;
}

export interface VerdictView {
  outcome: 'claimant' | 'respondent';
  award: Money | null;
  explanation: string;
  grounds: string[];
  model?: { id: string; root: string };
  inputHash?: string;
  traceRoot?: string;
  review?: boolean;
  /** The escrow behind the award (pipeline's fold): `owed_not_escrowed` when the respondent's free escrow did not cover it. */
  escrow?: { status: 'escrowed' | 'owed_not_escrowed'; deposit: string; statement: string };
}

/** The latest verdict in the timeline, or undefined before any. */
export function latestVerdict(timeline: readonly { data: unknown }[]): VerdictView | undefined {
  let verdict: VerdictView | undefined;
  for (const e of timeline) {
    const d = e.data as Record<string, unknown> | null;
    if (d?.verdict && typeof d.verdict === 'object') verdict = d.verdict as VerdictView;
  }
  return verdict;
}
