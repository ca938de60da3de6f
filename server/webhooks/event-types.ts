// The event catalogue: the public type names a merchant subscribes to. The case timeline writes
// outbox rows named `case.<timeline event>`; those with a catalogue name are renamed here, on the
// way out. Every other outbox type (the pipeline's `game.opened`, `payout.sent`, …) is delivered
// under its own name, so a new event needs no change here to reach the merchant.

export const eventCatalogue = [
  { type: 'case.created', when: 'A case naming the merchant as respondent was filed.' },
  { type: 'case.response_due', when: 'The merchant may respond to the case until `dueAt`; the case waits until then.' },
  { type: 'case.response_submitted', when: 'The merchant responded; its facts joined the record and the record hash changed.' },
  { type: 'case.response_lapsed', when: 'The response deadline passed without a response; the case proceeds without it.' },
  { type: 'case.evidence_added', when: 'An evidence file was attached to the case.' },
  { type: 'case.executing', when: 'The committee started running the model on the case.' },
  { type: 'verdict.proposed', when: 'The committee agreed (again after a re-execution or a dispute game); a verdict is proposed and the appeal window is open.' },
  { type: 'case.appealed', when: 'A party appealed the proposed verdict.' },
  { type: 'game.opened', when: 'Results disagree: the on-chain dispute game opened.' },
  { type: 'game.resolved', when: 'The dispute game ended; the faithful execution won. Once no game is left, the verdict is proposed with an appeal window of its own (`verdict.proposed`).' },
  { type: 'verdict.final', when: 'The verdict is final.' },
  { type: 'payout.sent', when: 'The award was paid from escrow (or became claimable).' },
  { type: 'case.not_escrowed', when: "The respondent's free escrow did not cover the case's largest award: the case is decided, but any award is owed, not escrowed." },
  { type: 'payout.owed', when: 'The final verdict awards the claimant, but the award was not escrowed: the respondent owes it directly; Arbiter paid nothing.' },
  { type: 'case.rejected', when: 'The case was rejected as invalid or out of scope.' },
  { type: 'case.input_refused', when: 'The chain refused the case: its input was shown invalid, or was not made available in time; the deposit went back.' },
  { type: 'case.refused', when: 'No arbitrator ruled on the level-2 appeal by its deadline: the chain ended the case refused, with no award; the bond went back to the appellant and the deposit to the respondent.' },
  { type: 'case.withdrawn', when: 'The claimant withdrew the case.' },
  { type: 'merchant.escrow_account_named', when: 'The merchant named the escrow account its cases reserve from (PUT /v1/merchants/me/escrow/account); cases opened from now on name it as respondent.' },
  { type: 'merchant.arbitrable_added', when: 'The operator tied an ERC-792 arbitrable contract to the merchant (PUT /v1/merchants/{id}/arbitrables/{address}): cases the merchant files may now bind its disputes.' },
  { type: 'merchant.arbitrable_removed', when: 'The operator untied an arbitrable contract from the merchant: cases it files may no longer bind its disputes (those filed keep theirs).' },
  { type: 'merchant.model_pinned', when: 'The merchant pinned the model its cases of a jurisdiction are decided by, or unpinned it (PUT /v1/merchants/me/model-pins/:jurisdiction); `effective` is the model its new cases go to.' },
  { type: 'model.registered', when: 'A creator registered a model version (POST /v1/models): measured, matching its card, published on chain. Sent to every merchant subscribed to it.' },
  { type: 'model.deprecated', when: 'A creator deprecated a model version: no new cases. `pinned` says whether the merchant had pinned it; `effective` is the model its new cases of that jurisdiction go to.' },
  { type: 'model.default_changed', when: "A jurisdiction's default model changed (a better model was registered, or the default was deprecated). `pinned` is the merchant's own pin there, if any." },
] as const;

export type CatalogueEventType = (typeof eventCatalogue)[number]['type'];
export const catalogueTypes: readonly string[] = eventCatalogue.map((e) => e.type);

/** Outbox names written by the case timeline → catalogue names. */
const renamed: Record<string, string> = {
  'case.filed': 'case.created',
  'case.execution_started': 'case.executing',
  'case.verdict_proposed': 'verdict.proposed',
  'case.bisection_started': 'game.opened',
  'case.finalized': 'verdict.final',
  'case.paid': 'payout.sent',
};

export function publicEventType(outboxType: string): string {
  return renamed[outboxType] ?? outboxType;
}

/** Whether an endpoint subscribed to `subscribed` receives `type`. */
export function subscribes(subscribed: readonly string[], type: string): boolean {
  return subscribed.includes('*') || subscribed.includes(type);
}
