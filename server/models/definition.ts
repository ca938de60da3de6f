// A model definition: what `arbitration-models/<id>/model.ts` exports as default. It says what the
// model decides (jurisdiction, classes), how a record becomes its input (featurizer), how its
// parameters are learned (train, optional) and how they become the integer graph that
// `server/inference/compile.ts` proves free of overflow and splits into steps (build).
// `arbiter model train|build|verify <id>` drive it; `server/models/load.ts` checks a shipped folder
// against it. Everything here is deterministic: the same seed gives the same bytes (PROTOCOL.md §1).
import type { Featurizer } from '../inference/featurizer.js';
import type { ModelIR } from '../inference/ops.js';
import type { CardClass, ModelCard } from './card.js';

/** The integer graph `build` returns (PROTOCOL.md §1); compile.ts proves and splits it. */
export type { ModelIR };

/** JSON-serialisable learned parameters, persisted as `<model folder>/<paramsFile>`. */
export type ModelParams = unknown;

export interface TrainProgress {
  /** Called as work advances: `done` of `total` units of `phase` (e.g. "generate", "epoch 3"). */
  (phase: string, done: number, total: number): void;
}

export interface TrainOptions {
  /** Seed of every random choice (data generator, init, shuffling): same seed, same params. */
  seed: number;
  /** The model folder (`arbitration-models/<id>`), for reading training data shipped there. */
  dir: string;
  progress: TrainProgress;
}

export interface ModelDefinition<P = ModelParams> {
  /** e.g. `eu261`; equals the folder name and the card's `id`. */
  id: string;
  /** semantic version, e.g. `1.0.0`; a change of featurizer, params or graph is a new version. */
  version: string;
  jurisdiction: ModelCard['jurisdiction'];
  kind: ModelCard['kind'];
  featurizer: Featurizer;
  /** One per ArgMax index of the graph's output, in index order (card.json repeats them). */
  classes: readonly CardClass[];
  /**
   * Learns the parameters. Deterministic in `seed`. The CLI writes the returned value as JSON to
   * `<dir>/<paramsFile>`; `build` receives it back from there. Absent for models whose graph is an
   * exact compilation of rules (the card says so in `training`).
   */
  train?(options: TrainOptions): Promise<P> | P;
  /** File name of the persisted params; default `params.json`. Ignored without `train`. */
  paramsFile?: string;
  /** Default seed of `arbiter model train` (recorded in the card's `training`). */
  seed?: number;
  /** Params → integer graph for the compiler. Without `train`, called with `undefined`. */
  build(params: P): ModelIR;
  /**
   * What goes into the card's `training` field besides what the CLI records itself (seed,
   * params file hash): the method, data generator, sizes, stated honestly.
   */
  training: Record<string, unknown>;
  /** Public evaluation set, JSONL of `EvalLine`, relative to the folder; default `eval.jsonl`. */
  evalFile?: string;
}

/** What a public evaluation line expects of the verdict (CASES.md "Verdict" fields). */
export interface EvalExpectation {
  outcome: 'claimant' | 'respondent';
  award: { amount: number; currency: string } | null;
  grounds: string[];
  review: boolean;
}

/** One line of `eval.jsonl`: `{"case": <CASES.md record>, "expected": {...}}`. */
export interface EvalLine {
  case: unknown;
  expected: EvalExpectation;
  /** Optional: what the line tests, e.g. "day 121: late". */
  note?: string;
}

export const DEFAULT_PARAMS_FILE = 'params.json';
export const DEFAULT_EVAL_FILE = 'eval.jsonl';
