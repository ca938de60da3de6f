// "Training" of a card model: its graph is the exact compilation of LAW.md's table, so nothing is
// learned. What `arbiter model train` does instead is check the graph on a seeded synthetic check
// set: every generated case goes through the featurizer and the model's integer graph (the
// reference interpreter, bit-exact with ONNX Runtime) and must land in the class of the oracle's
// verdict. Any disagreement fails the run. The result is the "params" file the card cites.
import { validateCaseRecord } from '../../server/cases/validate.js';
import { runReference } from '../../server/inference/reference.js';
import type { ModelDefinition, TrainOptions } from '../../server/models/definition.js';
import type { CardCase, LawVerdict } from './card-case.js';
import { type Network, randomCase } from './case-generator.js';
import { classIndex } from './card-classes.js';
import { seededRandom } from '../seeded-random.js';

export interface CardCheckParams {
  method: string;
  checkSet: { generator: string; seed: number; size: number; agreed: number; classesSeen: number };
}

export function checkRules(
  def: ModelDefinition<unknown>,
  network: Network,
  oracle: (c: CardCase) => LawVerdict,
  size: number,
  { seed, progress }: Pick<TrainOptions, 'seed' | 'progress'>,
): CardCheckParams {
  const ir = def.build(undefined);
  const r = seededRandom(seed);
  const seen = new Set<number>();
  let agreed = 0;
  for (let i = 0; i < size; i++) {
    const c = randomCase(r, network, `check-${i + 1}`);
    const valid = validateCaseRecord(c);
    if (!valid.ok) throw new Error(`generated case ${i + 1} is invalid: ${JSON.stringify(valid.errors[0])}`);
    const want = oracle(c);
    const expected = classIndex(def.classes, want.grounds[0], want.review);
    const x = def.featurizer.featurize(valid.record);
    const trace = runReference(ir, { rows: 1, cols: x.length, data: x });
    const got = Number(trace[trace.length - 1].data[0]);
    if (got !== expected) {
      throw new Error(`check case ${i + 1}: graph gives class ${got}, LAW.md's oracle ${expected} (${want.grounds[0]}): ${JSON.stringify(c)}`);
    }
    agreed++;
    seen.add(got);
    if ((i + 1) % 500 === 0 || i + 1 === size) progress('check', i + 1, size);
  }
  return {
    method: 'exact compilation of the LAW.md table into integer rule layers; checked, not learned',
    checkSet: { generator: 'arbitration-models/card-law/case-generator.ts', seed, size, agreed, classesSeen: seen.size },
  };
}
