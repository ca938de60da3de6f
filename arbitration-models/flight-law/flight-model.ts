// The ModelDefinition of the three flight models (server/models/definition.ts) and the folder
// build they share: params.json (learned cause classifiers) → integer graph (decision-list.ts) →
// compile.ts → model.onnx + card.json, with the public evaluation measured by ONNX Runtime.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlightCaseRecordT } from '../../server/cases/schemas.js';
import type { Featurizer } from '../../server/inference/featurizer.js';
import { createRunner } from '../../server/inference/runner.js';
import { rowVector } from '../../server/inference/tensor.js';
import { TEXT_VECTOR_VERSION } from '../../server/inference/text-vector.js';
import type { CardClass, ModelCard } from '../../server/models/card.js';
import type { EvalLine, ModelDefinition } from '../../server/models/definition.js';
import { measureCauseClassifier, trainCauseClassifier, type IntLinear, type TrainedCauseClassifier } from './cause-classifier.js';
import { CAUSE_TEXT_SPEC } from '../../server/featurizers/flight-compensation.js';
import { compileDecisionList, type DecisionList } from './decision-list.js';

export interface FlightParams {
  extraordinary: IntLinear & Partial<TrainedCauseClassifier>;
  reasonableGrounds: IntLinear & Partial<TrainedCauseClassifier>;
}

export const CLASSIFIER_TRAIN_SIZE = 6000;
export const CLASSIFIER_EPOCHS = 300;
export const HELD_OUT_PHRASES = 2000;

/** Both cause classifiers, trained on TRAIN wordings; seeds derived from the model seed. */
export function trainFlightClassifiers(seed: number, progress?: (phase: string, done: number, total: number) => void): FlightParams {
  progress?.('extraordinary', 0, 2);
  const extraordinary = trainCauseClassifier('extraordinary', CAUSE_TEXT_SPEC, seed, { n: CLASSIFIER_TRAIN_SIZE, epochs: CLASSIFIER_EPOCHS });
  progress?.('reasonable grounds', 1, 2);
  const reasonableGrounds = trainCauseClassifier('reasonableGrounds', CAUSE_TEXT_SPEC, seed + 1, { n: CLASSIFIER_TRAIN_SIZE, epochs: CLASSIFIER_EPOCHS });
  progress?.('done', 2, 2);
  return { extraordinary, reasonableGrounds };
}

/** A classifier of all-zero weights, bias 0 (never positive): the rules alone, for class lists. */
export const ZERO_CLASSIFIERS = (): FlightParams => ({
  extraordinary: { weights: new Array(CAUSE_TEXT_SPEC.dims).fill(0), bias: 0 },
  reasonableGrounds: { weights: new Array(CAUSE_TEXT_SPEC.dims).fill(0), bias: 0 },
});

export interface FlightModelSpec<C> {
  id: string;
  jurisdiction: 'EU261' | 'UK261' | 'US_DOT_REFUND';
  featurizer: Featurizer;
  /** The decision list for these params (the rules do not depend on them, the scores do). */
  program(params: FlightParams | undefined): DecisionList<C>;
  classFor(index: number, decides: C): CardClass;
  learned: boolean;
  training: Record<string, unknown>;
}

export function flightDefinition<C>(spec: FlightModelSpec<C>): ModelDefinition<FlightParams | undefined> {
  const rules = spec.program(spec.learned ? ZERO_CLASSIFIERS() : undefined).rules;
  const def: ModelDefinition<FlightParams | undefined> = {
    id: spec.id,
    version: '1.0.0',
    jurisdiction: spec.jurisdiction,
    kind: 'flight',
    featurizer: spec.featurizer,
    classes: rules.map((r, i) => spec.classFor(i, r.decides)),
    build: (params) => compileDecisionList(spec.program(params), spec.featurizer.features),
    training: spec.training,
    evalFile: 'eval.jsonl',
  };
  if (spec.learned) {
    def.seed = 261;
    def.paramsFile = 'params.json';
    def.train = ({ seed, progress }) => trainFlightClassifiers(seed, progress);
  }
  return def;
}

export interface EvalResult {
  cases: number;
  ruleDetermined: { cases: number; correct: number; percent: number | null };
  freeText: { cases: number; correct: number; percent: number | null };
  failures: { line: number; note?: string; expected: unknown; got: unknown }[];
}

const verdictOf = (c: CardClass, record: FlightCaseRecordT) => ({
  outcome: c.outcome,
  award: c.award === null ? null : c.award.rule === 'fixed' ? { amount: Number(c.award.amount), currency: c.award.currency } : record.flight.fare ? { amount: record.flight.fare.amount, currency: record.flight.fare.currency } : null,
  grounds: c.grounds,
  review: c.review,
});

/** Decides every line of eval.jsonl with ONNX Runtime; a line whose note starts `text` is free-text. */
export async function evaluateWithOrt(def: ModelDefinition<FlightParams | undefined>, onnx: Uint8Array, lines: EvalLine[]): Promise<EvalResult> {
  const runner = await createRunner(onnx);
  const res: EvalResult = { cases: lines.length, ruleDetermined: { cases: 0, correct: 0, percent: 0 }, freeText: { cases: 0, correct: 0, percent: 0 }, failures: [] };
  try {
    for (const [i, line] of lines.entries()) {
      const record = line.case as FlightCaseRecordT;
      const x = def.featurizer.featurize(record);
      const out = await runner.run(rowVector(x));
      const cls = def.classes[Number(out.output.data[0])];
      const got = verdictOf(cls, record);
      const ok = JSON.stringify(got) === JSON.stringify(line.expected);
      const bucket = line.note?.startsWith('text') ? res.freeText : res.ruleDetermined;
      bucket.cases++;
      if (ok) bucket.correct++;
      else res.failures.push({ line: i + 1, note: line.note, expected: line.expected, got });
    }
  } finally {
    await runner.close();
  }
  for (const b of [res.ruleDetermined, res.freeText]) b.percent = b.cases === 0 ? null : Math.round((10000 * b.correct) / b.cases) / 100;
  return res;
}

export const readEval = (dir: string): EvalLine[] =>
  readFileSync(join(dir, 'eval.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as EvalLine);

/**
 * `arbiter model train` + `arbiter model build` for a flight folder (the CLI's own code, so the
 * card is what `arbiter model verify` expects), then the card's evaluation gains the split this
 * brief asks for: rule-determined and free-text agreement, measured again with ONNX Runtime, and
 * (learned models) the classifiers' accuracy on held-out phrasings.
 */
export async function trainAndBuild(def: ModelDefinition<FlightParams | undefined>, dir: string): Promise<ModelCard> {
  const cli = await import('../../server/cli/model-commands.js');
  if ((await cli.train(dir)) !== 0 || (await cli.build(dir)) !== 0) throw new Error(`${def.id}: train/build failed`);
  const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ModelCard;
  const result = await evaluateWithOrt(def, new Uint8Array(readFileSync(join(dir, card.file))), readEval(dir));
  const evaluation: Record<string, unknown> = {
    ...card.evaluation,
    ruleDeterminedPercent: result.ruleDetermined.percent,
    freeTextPercent: result.freeText.percent,
    ruleDetermined: { cases: result.ruleDetermined.cases, agreed: result.ruleDetermined.correct },
    freeText: { cases: result.freeText.cases, agreed: result.freeText.correct },
    split: 'eval.jsonl lines whose note starts "text" turn on the meaning of a stated carrierStatedCause (D3, C4, B2); all others are rule-determined',
  };
  if (def.train) {
    const params = JSON.parse(readFileSync(join(dir, def.paramsFile ?? 'params.json'), 'utf8')) as FlightParams;
    const ex = measureCauseClassifier(params.extraordinary, 'extraordinary', CAUSE_TEXT_SPEC, 'eval', HELD_OUT_PHRASES, 9001);
    const rg = measureCauseClassifier(params.reasonableGrounds, 'reasonableGrounds', CAUSE_TEXT_SPEC, 'eval', HELD_OUT_PHRASES, 9002);
    evaluation.heldOutPhrasings = {
      note: 'each classifier alone on phrases built only from the EVAL cores and sentence frames of flight-law/cause-phrases.ts (none in training)',
      phrases: HELD_OUT_PHRASES,
      extraordinaryPercent: Math.round(ex.accuracy * 10000) / 100,
      reasonableGroundsPercent: Math.round(rg.accuracy * 10000) / 100,
    };
    card.training = {
      ...card.training,
      textVector: { version: TEXT_VECTOR_VERSION, ...CAUSE_TEXT_SPEC },
      classifiers: {
        extraordinary: { trainPhrases: params.extraordinary.trainSize, trainAccuracy: params.extraordinary.trainAccuracy, epochs: params.extraordinary.epochs },
        reasonableGrounds: { trainPhrases: params.reasonableGrounds.trainSize, trainAccuracy: params.reasonableGrounds.trainAccuracy, epochs: params.reasonableGrounds.epochs },
      },
    };
  }
  card.evaluation = evaluation;
  writeFileSync(join(dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  if (result.failures.length) console.error(`${def.id}: ${result.failures.length} evaluation disagreements`, JSON.stringify(result.failures.slice(0, 5)));
  return card;
}
