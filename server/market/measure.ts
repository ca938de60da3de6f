// What the service measures of a model it is asked to register (issue 12 #1), from the bytes
// alone: the sha256 of the .onnx file, the model root and step count of its graph, the allowed
// ops and the per-step gas bound, the overflow proof over the named featurizer's input ranges,
// and the public evaluation on the jurisdiction's evaluation set (the one the shipped model of
// that jurisdiction is evaluated on, so scores compare). Each claim of the card that differs
// from what was measured is named, with an RFC 6901 pointer into the card; a card that claims
// more accuracy than measured is refused as overstated. `arbiter model verify <modelId>`
// runs the same measure on the bytes the registry serves.
import { checkModel } from '../inference/compile.js';
import type { Featurizer } from '../inference/featurizer.js';
import { bytesToHex } from '../inference/hex.js';
import { modelRoot } from '../inference/model-root.js';
import { readOnnx } from '../inference/onnx-reader.js';
import type { ModelIR } from '../inference/ops.js';
import { proveNoOverflow } from '../inference/overflow-proof.js';
import { createRunner } from '../inference/runner.js';
import { STEP_BOUND, stepCost } from '../inference/step-split.js';
import type { ModelCard } from '../models/card.js';
import type { ModelDefinition } from '../models/definition.js';
import { evaluateModel, type Evaluation } from '../models/evaluate.js';
import { sha256Hex } from '../models/load.js';

export interface Difference {
  /** RFC 6901 pointer: into the card (`/card/sha256`) or at the file (`/model`). */
  pointer: string;
  message: string;
}

/** The jurisdiction's public evaluation set: the shipped model folder and its eval file. */
export interface EvalSetRef {
  dir: string;
  evalFile?: string;
}

export interface Measured {
  sha256: string;
  modelRoot?: string;
  steps?: number;
  inputWidth?: number;
  /** Output classes (the width ArgMax reads). */
  classes?: number;
  evaluation?: Evaluation;
  ir?: ModelIR;
}

export interface Measurement {
  measured: Measured;
  differences: Difference[];
}

const REF_PART = /^[a-z0-9][a-z0-9-]{0,47}$/;
const SEMVER = /^\d{1,6}\.\d{1,6}\.\d{1,6}$/;

/** The card's shape, before anything is measured: what makes it a card at all. */
export function cardShapeProblems(card: unknown): Difference[] {
  const out: Difference[] = [];
  const c = card as Partial<ModelCard> | null;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return [{ pointer: '/card', message: 'the card must be a JSON object' }];
  if (typeof c.id !== 'string' || !REF_PART.test(c.id)) out.push({ pointer: '/card/id', message: 'id: lowercase letters, digits and "-", at most 48' });
  if (typeof c.version !== 'string' || !SEMVER.test(c.version)) out.push({ pointer: '/card/version', message: 'version must be a semantic version such as 1.0.0' });
  for (const k of ['jurisdiction', 'kind', 'sha256', 'modelRoot'] as const) if (typeof c[k] !== 'string') out.push({ pointer: `/card/${k}`, message: `${k} must be a string` });
  for (const k of ['steps', 'inputWidth'] as const) if (!Number.isInteger(c[k])) out.push({ pointer: `/card/${k}`, message: `${k} must be an integer` });
  if (typeof c.featurizer !== 'object' || c.featurizer === null || typeof c.featurizer.id !== 'string' || typeof c.featurizer.version !== 'string') {
    out.push({ pointer: '/card/featurizer', message: 'featurizer must be {"id", "version"}' });
  }
  // The service stores the bytes as model.onnx in the model's own folder and GET /v1/models/:id/onnx
  // serves join(folder, card.file): any other name (`../../arbiter.sqlite`) would serve that file.
  if (c.file !== undefined && c.file !== 'model.onnx') out.push({ pointer: '/card/file', message: 'file must be "model.onnx" (or omitted): the service stores the bytes under that name' });
  if (!Array.isArray(c.classes) || c.classes.length === 0) out.push({ pointer: '/card/classes', message: 'classes must list every output class' });
  else
    c.classes.forEach((k, i) => {
      if (k?.index !== i) out.push({ pointer: `/card/classes/${i}/index`, message: `class ${i} must have index ${i} (classes in index order)` });
      if (k?.outcome !== 'claimant' && k?.outcome !== 'respondent') out.push({ pointer: `/card/classes/${i}/outcome`, message: 'outcome must be "claimant" or "respondent"' });
      if (!Array.isArray(k?.grounds)) out.push({ pointer: `/card/classes/${i}/grounds`, message: 'grounds must be an array of codes' });
    });
  if (typeof c.evaluation !== 'object' || c.evaluation === null) out.push({ pointer: '/card/evaluation', message: 'evaluation must state the public evaluation (cases, agreed, accuracy, sha256)' });
  return out;
}

/** Measures `bytes` and compares every figure with `card`. Never throws on bad bytes: names them. */
export async function measureModel(bytes: Uint8Array, card: ModelCard, featurizer: Featurizer, evalSet: EvalSetRef): Promise<Measurement> {
  const differences: Difference[] = [];
  const differ = (pointer: string, message: string) => differences.push({ pointer, message });
  const sha256 = sha256Hex(bytes);
  const measured: Measured = { sha256 };
  if (sha256 !== card.sha256) differ('/card/sha256', `the file's sha256 is ${sha256}; the card says ${card.sha256}`);
  if (card.featurizer.id !== featurizer.id || card.featurizer.version !== featurizer.version) {
    differ('/card/featurizer', `the card names featurizer ${card.featurizer.id}@${card.featurizer.version}; the registration names ${featurizer.id}@${featurizer.version}`);
  }
  let ir: ModelIR;
  try {
    ir = readOnnx(bytes);
  } catch (e) {
    differ('/model', `the file is not an Arbiter integer ONNX graph: ${(e as Error).message}`);
    return { measured, differences };
  }
  measured.ir = ir;
  measured.modelRoot = bytesToHex(modelRoot(ir.steps));
  measured.steps = ir.steps.length;
  measured.inputWidth = ir.inputWidth;
  if (measured.modelRoot !== card.modelRoot) differ('/card/modelRoot', `the graph's model root is ${measured.modelRoot}; the card says ${card.modelRoot}`);
  if (measured.steps !== card.steps) differ('/card/steps', `the graph has ${measured.steps} steps; the card says ${card.steps}`);
  if (ir.inputWidth !== card.inputWidth) differ('/card/inputWidth', `the graph's input is 1×${ir.inputWidth}; the card says ${card.inputWidth}`);
  if (ir.inputWidth !== featurizer.features.length) {
    differ('/model', `the graph's input is 1×${ir.inputWidth}; featurizer ${featurizer.id}@${featurizer.version} gives ${featurizer.features.length} values`);
  }
  let structural = true;
  try {
    checkModel(ir);
    let cols = ir.inputWidth;
    let worst = 0;
    for (const step of ir.steps) {
      worst = Math.max(worst, stepCost(step, 1, cols).gas);
      if (step.op === 'ARGMAX') measured.classes = cols;
      cols = step.op === 'MATMUL' ? step.constant.cols : step.op === 'ARGMAX' ? 1 : cols;
    }
    if (worst > STEP_BOUND.gas) differ('/model', `the costliest step needs ~${worst} gas; the one-step bound is ${STEP_BOUND.gas}`);
  } catch (e) {
    structural = false;
    differ('/model', `the graph is not an allowed Arbiter model: ${(e as Error).message}`);
  }
  if (measured.classes !== undefined && measured.classes !== card.classes.length) {
    differ('/card/classes', `the graph's ArgMax chooses among ${measured.classes} classes; the card lists ${card.classes.length}`);
  }
  if (ir.inputWidth === featurizer.features.length) {
    try {
      proveNoOverflow(ir, featurizer.features);
    } catch (e) {
      structural = false;
      differ('/model', `overflow proof over the featurizer's input ranges fails: ${(e as Error).message}`);
    }
  } else structural = false;
  if (!structural || differences.some((d) => d.pointer === '/card/classes')) return { measured, differences };

  let runner;
  try {
    runner = await createRunner(bytes);
  } catch (e) {
    differ('/model', `ONNX Runtime cannot load the file: ${(e as Error).message}`);
    return { measured, differences };
  }
  try {
    const definition = { featurizer, evalFile: evalSet.evalFile } as unknown as ModelDefinition;
    const ev = await evaluateModel({ dir: evalSet.dir, card, definition, runner }, undefined, { detail: true });
    measured.evaluation = ev;
    differences.push(...evaluationDifferences(card.evaluation, ev));
  } finally {
    await runner.close();
  }
  return { measured, differences };
}

/** The card's evaluation claims against the measured evaluation; an overstated score says so. */
export function evaluationDifferences(claimed: Record<string, unknown>, ev: Evaluation): Difference[] {
  const out: Difference[] = [];
  const c = claimed as { cases?: unknown; agreed?: unknown; accuracy?: unknown; sha256?: unknown; byNote?: unknown };
  if (c.sha256 !== ev.sha256) out.push({ pointer: '/card/evaluation/sha256', message: `the public evaluation set has sha256 ${ev.sha256}; the card says ${String(c.sha256)}` });
  if (c.cases !== ev.cases) out.push({ pointer: '/card/evaluation/cases', message: `the public evaluation has ${ev.cases} cases; the card says ${String(c.cases)}` });
  const over = (typeof c.agreed === 'number' && c.agreed > ev.agreed) || (typeof c.accuracy === 'number' && c.accuracy > ev.accuracy);
  if (c.agreed !== ev.agreed) {
    out.push({
      pointer: '/card/evaluation/agreed',
      message: `${over ? 'overstated: ' : ''}the model agrees with ${ev.agreed} of ${ev.cases} expected verdicts; the card says ${String(c.agreed)}`,
    });
  }
  if (c.accuracy !== ev.accuracy) {
    out.push({ pointer: '/card/evaluation/accuracy', message: `${over ? 'overstated: ' : ''}measured accuracy ${ev.accuracy}; the card claims ${String(c.accuracy)}` });
  }
  if (c.byNote !== undefined && JSON.stringify(c.byNote) !== JSON.stringify(ev.byNote)) {
    for (const [note, got] of Object.entries(ev.byNote)) {
      const said = (c.byNote as Record<string, { cases: number; agreed: number }>)[note];
      if (!said || said.cases !== got.cases || said.agreed !== got.agreed) {
        out.push({ pointer: `/card/evaluation/byNote/${note.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `group "${note}": measured ${got.agreed}/${got.cases}; the card says ${said ? `${said.agreed}/${said.cases}` : 'nothing'}` });
      }
    }
  }
  return out;
}
