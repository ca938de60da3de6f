// The card checks that need no model: a card's shape, and its evaluation claims against what was
// measured (an overstated score is called so; each differing group is named).
import { describe, expect, it } from 'vitest';
import { cardShapeProblems, evaluationDifferences } from '../../../server/market/measure.js';
import type { Evaluation } from '../../../server/models/evaluate.js';

const measured: Evaluation = { file: 'eval.jsonl', sha256: 'aa', cases: 10, agreed: 8, accuracy: 0.8, byNote: { rule: { cases: 6, agreed: 6 }, text: { cases: 4, agreed: 2 } }, disagreements: [] };

describe('market › card checks', () => {
  it('evaluationDifferences › a matching claim has none', () => {
    expect(evaluationDifferences({ sha256: 'aa', cases: 10, agreed: 8, accuracy: 0.8, byNote: measured.byNote }, measured)).toEqual([]);
  });

  it('evaluationDifferences › a card claiming more than measured is overstated, naming agreed, accuracy and the group', () => {
    const d = evaluationDifferences({ sha256: 'aa', cases: 10, agreed: 9, accuracy: 0.9, byNote: { rule: { cases: 6, agreed: 6 }, text: { cases: 4, agreed: 3 } } }, measured);
    expect(d.map((x) => x.pointer)).toEqual(['/card/evaluation/agreed', '/card/evaluation/accuracy', '/card/evaluation/byNote/text']);
    expect(d[0].message).toBe('overstated: the model agrees with 8 of 10 expected verdicts; the card says 9');
    expect(d[1].message).toBe('overstated: measured accuracy 0.8; the card claims 0.9');
    expect(d[2].message).toBe('group "text": measured 2/4; the card says 3/4');
  });

  it('evaluationDifferences › another evaluation set or a smaller claim is a difference, not an overstatement', () => {
    const d = evaluationDifferences({ sha256: 'bb', cases: 10, agreed: 7, accuracy: 0.7 }, measured);
    expect(d.map((x) => x.pointer)).toEqual(['/card/evaluation/sha256', '/card/evaluation/agreed', '/card/evaluation/accuracy']);
    expect(d.some((x) => x.message.startsWith('overstated'))).toBe(false);
  });

  it('cardShapeProblems › names each malformed field; a card that is not an object is refused whole', () => {
    expect(cardShapeProblems([])).toEqual([{ pointer: '/card', message: 'the card must be a JSON object' }]);
    const p = cardShapeProblems({ id: 'Bad Name', version: 'v1', jurisdiction: 'EU261', kind: 'flight', sha256: 'x', modelRoot: 'y', steps: 1.5, inputWidth: 3, featurizer: { id: 'eu261' }, classes: [{ index: 1, outcome: 'maybe', grounds: [] }], evaluation: {} });
    expect(p.map((x) => x.pointer)).toEqual(['/card/id', '/card/version', '/card/steps', '/card/featurizer', '/card/classes/0/index', '/card/classes/0/outcome']);
  });
});
