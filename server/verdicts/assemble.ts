// Output class + record → the verdict of CASES.md. Pure: the class comes from the model's last
// state t_n (the game verifies it); everything else follows from the card and the record
// (PROTOCOL.md §4), so anyone can recompute the verdict from the trace's output.
import type { CaseRecordT } from '../cases/schemas.js';
import { type ModelCard, modelRef } from '../models/card.js';
import { awardOf, formatAward } from './award.js';
import type { VerdictT } from './schemas.js';
import { ORDINARY_CAUSE_WORDS, ordinaryCauseKind } from '../featurizers/flight-cause-kind.js';

/**
 * The grounds on which an EU261/UK261 claimant wins because the stated cause was ruled ordinary:
 * a delay of 3 h or more (D4), a cancellation without notice (C5), an involuntary denied
 * boarding (B3). Their verdict names the kind of cause read (flight-cause-kind.ts).
 */
const CAUSE_RULED_ORDINARY = /^(EU261|UK261)\.(delay\.ge3h|art5\.1c|art4\.3)$/;

/**
 * A verdict's grounds as its model class states them: without the ordinary cause's kind that
 * assembleVerdict adds after D4/C5/B3. The public evaluation (server/models/evaluate.ts) scores
 * the model's decision with these, as `model build` does from the classes; the kind's naming is
 * measured on its own (test/unit/verdicts/cause-kind.test.ts, docs/cause-reading.md).
 */
export function classGrounds(outcome: VerdictT['outcome'], grounds: readonly string[]): string[] {
  if (outcome !== 'claimant') return [...grounds];
  const at = grounds.findIndex((g) => CAUSE_RULED_ORDINARY.test(g));
  if (at === -1 || !/^(EU261|UK261)\.cause\.[a-z_]+$/.test(grounds[at + 1] ?? '')) return [...grounds];
  return [...grounds.slice(0, at + 1), ...grounds.slice(at + 2)];
}

/** The `<regime>.cause.<kind>` ground and the explanation's sentence, when the cause was ruled ordinary. */
function ordinaryCause(grounds: readonly string[], record: CaseRecordT): { ground: string; after: number; sentence: string } | undefined {
  if (record.kind !== 'flight') return undefined;
  const after = grounds.findIndex((g) => CAUSE_RULED_ORDINARY.test(g));
  if (after === -1) return undefined;
  const regime = CAUSE_RULED_ORDINARY.exec(grounds[after])![1];
  const { disruption, carrierStatedCause } = record.flight;
  const kind = ordinaryCauseKind(carrierStatedCause, disruption);
  const test = disruption === 'denied_boarding' ? 'a reasonable ground to refuse boarding' : 'an extraordinary circumstance';
  const sentence =
    kind === 'none'
      ? `The airline gave no cause, so it has not shown ${test}.`
      : `The airline's stated cause reads as ${ORDINARY_CAUSE_WORDS[kind]}, which is not ${test}.`;
  return { ground: `${regime}.cause.${kind}`, after, sentence };
}

export interface VerdictInputs {
  card: Pick<ModelCard, 'id' | 'version' | 'modelRoot' | 'classes'>;
  /** ArgMax index: the value of t_n. */
  classIndex: number;
  record: CaseRecordT;
  /** S_0, 0x-hex. */
  inputHash: string;
  traceRoot: string;
  steps: number;
}

export function assembleVerdict({ card, classIndex, record, inputHash, traceRoot, steps }: VerdictInputs): VerdictT {
  const cls = card.classes.find((c) => c.index === classIndex);
  if (!cls) throw new Error(`${modelRef(card)} has no class ${classIndex}`);
  const award = cls.outcome === 'claimant' && cls.award ? awardOf(cls.award, record) : null;
  if (cls.outcome === 'claimant' && !award) throw new Error(`${modelRef(card)} class ${classIndex} is for the claimant but has no award rule`);
  const explained = award ? cls.explanation.replaceAll('{amount}', formatAward(award)) : cls.explanation;
  // When the passenger wins because the cause was ordinary, the verdict names the kind read, as
  // the model's classes do when the airline wins (LAW.md `cause.<kind>`), so a misreading can be
  // appealed. Derived from the record, so the model and its award table are unchanged.
  const cause = cls.outcome === 'claimant' ? ordinaryCause(cls.grounds, record) : undefined;
  return {
    ref: record.ref ?? null,
    outcome: cls.outcome,
    award,
    // Right after the ground it explains, as `cause.<kind>` follows `art5.3.extraordinary`.
    grounds: cause ? [...cls.grounds.slice(0, cause.after + 1), cause.ground, ...cls.grounds.slice(cause.after + 1)] : [...cls.grounds],
    explanation: cause ? `${explained} ${cause.sentence}` : explained,
    model: { id: modelRef(card), root: card.modelRoot },
    inputHash,
    traceRoot,
    steps,
    review: cls.review,
  };
}
