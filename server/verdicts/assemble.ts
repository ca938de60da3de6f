// Output class + record → the verdict of CASES.md. Pure: the class comes from the model's last
// state t_n (the game verifies it); everything else follows from the card and the record
// (PROTOCOL.md §4), so anyone can recompute the verdict from the trace's output.
import type { CaseRecordT } from '../cases/schemas.js';
import { type ModelCard, modelRef } from '../models/card.js';
import { awardOf, formatAward } from './award.js';
import type { VerdictT } from './schemas.js';

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
  return {
    ref: record.ref ?? null,
    outcome: cls.outcome,
    award,
    grounds: [...cls.grounds],
    explanation: award ? cls.explanation.replaceAll('{amount}', formatAward(award)) : cls.explanation,
    model: { id: modelRef(card), root: card.modelRoot },
    inputHash,
    traceRoot,
    steps,
    review: cls.review,
  };
}
