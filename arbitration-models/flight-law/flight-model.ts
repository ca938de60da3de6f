// The ModelDefinition of the three flight models (server/models/definition.ts) and the folder
// build they share: params.json (learned cause classifiers) → integer graph (decision-list.ts) →
// compile.ts → model.onnx + card.json, with the public evaluation measured by ONNX Runtime.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlightCaseRecordT } from '../../server/cases/schemas.js';
import type { Featurizer } from '../../server/inference/featurizer.js';
import { createRunner } from '../../server/inference/runner.js';
import { rowVector } from '../../server/inference/tensor.js';
import { CAUSE_CONCEPT_DIMS, CAUSE_CONCEPTS, CAUSE_CONCEPTS_VERSION } from '../../server/featurizers/flight-cause-concepts.js';
import { WORDNET_SOURCE } from '../../server/featurizers/flight-cause-wordnet.js';
import type { CardClass, ModelCard } from '../../server/models/card.js';
import type { EvalLine, ModelDefinition } from '../../server/models/definition.js';
import { measureCauseClassifier, TARGET_KINDS, trainCauseClassifier, trainKindClassifiers, type IntLinear, type TrainedCauseClassifier } from './cause-classifier.js';
import { compileDecisionList, type DecisionList } from './decision-list.js';

export interface FlightParams {
  extraordinary: IntLinear & Partial<TrainedCauseClassifier>;
  reasonableGrounds: IntLinear & Partial<TrainedCauseClassifier>;
  /** One-vs-rest score per kind of cause (TARGET_KINDS), naming what was recognised. */
  kinds: Record<string, IntLinear & Partial<TrainedCauseClassifier>>;
}

export const CLASSIFIER_TRAIN_SIZE = 6000;
export const CLASSIFIER_EPOCHS = 300;
export const HELD_OUT_PHRASES = 2000;

/** Both cause classifiers, trained on TRAIN wordings; seeds derived from the model seed. */
export function trainFlightClassifiers(seed: number, progress?: (phase: string, done: number, total: number) => void): FlightParams {
  const opts = { n: CLASSIFIER_TRAIN_SIZE, epochs: CLASSIFIER_EPOCHS };
  progress?.('extraordinary', 0, 4);
  const extraordinary = trainCauseClassifier('extraordinary', seed, opts);
  progress?.('reasonable grounds', 1, 4);
  const reasonableGrounds = trainCauseClassifier('reasonableGrounds', seed + 1, opts);
  progress?.('kinds of extraordinary circumstance', 2, 4);
  const kinds = { ...trainKindClassifiers('extraordinary', seed + 2, opts) };
  progress?.('kinds of reasonable grounds', 3, 4);
  Object.assign(kinds, trainKindClassifiers('reasonableGrounds', seed + 3, opts));
  progress?.('done', 4, 4);
  return { extraordinary, reasonableGrounds, kinds };
}

/** A classifier of all-zero weights, bias 0 (never positive): the rules alone, for class lists. */
const zero = (): IntLinear => ({ weights: new Array<number>(CAUSE_CONCEPT_DIMS).fill(0), bias: 0 });
export const ZERO_CLASSIFIERS = (): FlightParams => ({
  extraordinary: zero(),
  reasonableGrounds: zero(),
  kinds: Object.fromEntries([...TARGET_KINDS.extraordinary, ...TARGET_KINDS.reasonableGrounds].map((k) => [k, zero()])),
});

export interface FlightModelSpec<C> {
  id: string;
  version: string;
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
    version: spec.version,
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

export interface Tally {
  cases: number;
  correct: number;
  /** the outcome and award agree (the grounds may still name another kind of cause) */
  outcomeCorrect: number;
}

export interface EvalResult {
  cases: number;
  ruleDetermined: { cases: number; correct: number; percent: number | null };
  freeText: { cases: number; correct: number; percent: number | null; outcomePercent: number | null };
  /** free-text lines by the kind of cause their note names ("cause <kind>") */
  byCategory: Record<string, Tally>;
  failures: { line: number; note?: string; text?: string; expected: unknown; got: unknown }[];
}

const verdictOf = (c: CardClass, record: FlightCaseRecordT) => ({
  outcome: c.outcome,
  award: c.award === null ? null : c.award.rule === 'fixed' ? { amount: Number(c.award.amount), currency: c.award.currency } : record.flight.fare ? { amount: record.flight.fare.amount, currency: record.flight.fare.currency } : null,
  grounds: c.grounds,
  review: c.review,
});

const pct = (n: number, d: number): number | null => (d === 0 ? null : Math.round((10000 * n) / d) / 100);

/** Decides every line with ONNX Runtime; a line whose note starts `text` is free-text, its category after "cause ". */
export async function evaluateWithOrt(def: ModelDefinition<FlightParams | undefined>, onnx: Uint8Array, lines: EvalLine[]): Promise<EvalResult> {
  const runner = await createRunner(onnx);
  const rule = { cases: 0, correct: 0 };
  const text = { cases: 0, correct: 0, outcomeCorrect: 0 };
  const byCategory: Record<string, Tally> = {};
  const failures: EvalResult['failures'] = [];
  try {
    for (const [i, line] of lines.entries()) {
      const record = line.case as FlightCaseRecordT;
      const x = def.featurizer.featurize(record);
      const out = await runner.run(rowVector(x));
      const cls = def.classes[Number(out.output.data[0])];
      const got = verdictOf(cls, record);
      const ok = JSON.stringify(got) === JSON.stringify(line.expected);
      const outcomeOk = got.outcome === line.expected.outcome && JSON.stringify(got.award) === JSON.stringify(line.expected.award);
      if (line.note?.startsWith('text')) {
        const cat = /cause ([a-z_]+)/.exec(line.note)?.[1] ?? 'other';
        const t = (byCategory[cat] ??= { cases: 0, correct: 0, outcomeCorrect: 0 });
        for (const b of [text, t]) {
          b.cases++;
          if (ok) b.correct++;
          if (outcomeOk) b.outcomeCorrect++;
        }
      } else {
        rule.cases++;
        if (ok) rule.correct++;
      }
      if (!ok) failures.push({ line: i + 1, note: line.note, text: record.flight.carrierStatedCause, expected: line.expected, got });
    }
  } finally {
    await runner.close();
  }
  return {
    cases: lines.length,
    ruleDetermined: { ...rule, percent: pct(rule.correct, rule.cases) },
    freeText: { cases: text.cases, correct: text.correct, percent: pct(text.correct, text.cases), outcomePercent: pct(text.outcomeCorrect, text.cases) },
    byCategory: Object.fromEntries(Object.entries(byCategory).sort(([a], [b]) => (a < b ? -1 : 1))),
    failures,
  };
}

const categoryPercents = (r: EvalResult): Record<string, string> =>
  Object.fromEntries(Object.entries(r.byCategory).map(([k, t]) => [k, `${t.correct}/${t.cases} (outcome ${t.outcomeCorrect}/${t.cases})`]));

export const INDEPENDENT_EVAL_FILE = 'eval-independent.jsonl';

export const readEval = (dir: string, file = 'eval.jsonl'): EvalLine[] =>
  readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as EvalLine);

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
    freeTextOutcomePercent: result.freeText.outcomePercent,
    ruleDetermined: { cases: result.ruleDetermined.cases, agreed: result.ruleDetermined.correct },
    freeText: { cases: result.freeText.cases, agreed: result.freeText.correct },
    freeTextByCategory: categoryPercents(result),
    split: 'eval.jsonl lines whose note starts "text" turn on the meaning of a stated carrierStatedCause (D3, C4, B2); all others are rule-determined. A free-text line agrees when outcome, award and every ground (the named kind of cause too) agree; "outcome" counts outcome and award alone',
  };
  if (existsSync(join(dir, INDEPENDENT_EVAL_FILE))) {
    const ind = await evaluateWithOrt(def, new Uint8Array(readFileSync(join(dir, card.file))), readEval(dir, INDEPENDENT_EVAL_FILE));
    evaluation.independent = {
      file: INDEPENDENT_EVAL_FILE,
      note: 'carrier wordings written from LAW.md §1.4, §1.3 B2 and §2 alone (flight-law/independent-causes.json), never used for training or for choosing features; every line is decided by its stated cause',
      freeTextPercent: ind.freeText.percent,
      freeTextOutcomePercent: ind.freeText.outcomePercent,
      freeText: { cases: ind.freeText.cases, agreed: ind.freeText.correct, outcomeAgreed: Math.round(((ind.freeText.outcomePercent ?? 0) * ind.freeText.cases) / 100) },
      byCategory: categoryPercents(ind),
    };
    // counts only: the independent wordings are not read back while the model is being built
    console.error(`${def.id}: independent set ${ind.freeText.correct}/${ind.freeText.cases} (outcome ${ind.freeText.outcomePercent} %)`);
  }
  if (def.train) {
    const params = JSON.parse(readFileSync(join(dir, def.paramsFile ?? 'params.json'), 'utf8')) as FlightParams;
    const ex = measureCauseClassifier(params.extraordinary, 'extraordinary', 'eval', HELD_OUT_PHRASES, 9001);
    const rg = measureCauseClassifier(params.reasonableGrounds, 'reasonableGrounds', 'eval', HELD_OUT_PHRASES, 9002);
    evaluation.heldOutPhrasings = {
      note: 'each classifier alone on phrases built only from the EVAL cores and sentence frames of flight-law/cause-phrases.ts (none in training)',
      phrases: HELD_OUT_PHRASES,
      extraordinaryPercent: Math.round(ex.accuracy * 10000) / 100,
      reasonableGroundsPercent: Math.round(rg.accuracy * 10000) / 100,
    };
    const t = (m: Partial<TrainedCauseClassifier>) => ({ trainPhrases: m.trainSize, trainAccuracy: m.trainAccuracy, epochs: m.epochs });
    card.training = {
      ...card.training,
      causeConcepts: { version: CAUSE_CONCEPTS_VERSION, concepts: CAUSE_CONCEPTS.length, columns: CAUSE_CONCEPT_DIMS, wordnet: WORDNET_SOURCE },
      classifiers: {
        extraordinary: t(params.extraordinary),
        reasonableGrounds: t(params.reasonableGrounds),
        kinds: Object.fromEntries(Object.entries(params.kinds).map(([k, m]) => [k, t(m)])),
      },
    };
  }
  card.evaluation = evaluation;
  writeFileSync(join(dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  if (result.failures.length) console.error(`${def.id}: ${result.failures.length} evaluation disagreements`, JSON.stringify(result.failures.slice(0, 8).map((f) => [f.note, f.text, (f.got as { grounds: string[] }).grounds])));
  return card;
}
