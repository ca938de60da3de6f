// The model card: everything a verifier needs to check a model and turn its output class into a
// verdict. Stored as `arbitration-models/<id>/card.json`; `arbiter model verify` recomputes it.

/** How the award of a claimant class is computed from the record (PROTOCOL.md §4). */
export type AwardRule =
  | { rule: 'fixed'; amount: string; currency: string } // decimal string, major units
  | { rule: 'record'; pointer: '/flight/fare' | '/chargeback/amount' }; // {amount, currency} taken from the record

export interface CardClass {
  /** ArgMax index of the model's output. */
  index: number;
  outcome: 'claimant' | 'respondent';
  /** Machine-readable reasons, most specific first (LAW.md codes). */
  grounds: string[];
  award: AwardRule | null;
  /** LAW.md "flag": mark for human review. */
  review: boolean;
  /** One or two plain sentences for the claimant; `{amount}` is replaced by the formatted award. */
  explanation: string;
}

export interface ModelCard {
  id: string; // e.g. "eu261"
  version: string; // semantic version, e.g. "1.0.0"
  jurisdiction: 'EU261' | 'UK261' | 'US_DOT_REFUND' | 'VISA' | 'MASTERCARD';
  kind: 'flight' | 'chargeback';
  featurizer: { id: string; version: string };
  file: string; // "model.onnx", relative to the card
  sha256: string; // hex of the .onnx file bytes
  modelRoot: string; // 0x… bytes32, PROTOCOL.md §2
  steps: number;
  inputWidth: number;
  classes: CardClass[];
  training: Record<string, unknown>; // how it was trained: data generator, seed, sizes, method
  evaluation: Record<string, unknown>; // public evaluation results (rule-determined %, free-text %)
}

/** `eu261@1.0.0`: the id the chain and verdicts use. */
export const modelRef = (card: Pick<ModelCard, 'id' | 'version'>): string => `${card.id}@${card.version}`;
