// `arbiter model train|build|verify`: a model folder from its definition to a checked card.
//   train  → the definition's `train` (seeded) → params JSON in the folder
//   build  → params → IR → compile (overflow proof, split) → model.onnx + card.json (sha256,
//            model root, steps, public evaluation)
//   verify → recompute everything the card claims from the folder's files and fail on any
//            difference (PROTOCOL.md §2: the registry publishes root and sha256)
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { checkModel, compileModel } from '../inference/compile.js';
import { bytesToHex } from '../inference/hex.js';
import { modelRoot } from '../inference/model-root.js';
import { readOnnx } from '../inference/onnx-reader.js';
import { proveNoOverflow } from '../inference/overflow-proof.js';
import { createRunner } from '../inference/runner.js';
import { STEP_BOUND, stepCost } from '../inference/step-split.js';
import type { ModelCard } from '../models/card.js';
import { DEFAULT_PARAMS_FILE, type ModelDefinition } from '../models/definition.js';
import { evaluateModel } from '../models/evaluate.js';
import { cardDefinitionMismatches, importDefinition, readCard, sha256Hex } from '../models/load.js';
import { MODELS_ROOT } from '../models/registry.js';
import { stderrProgress } from './progress.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** `<id>` names a folder under arbitration-models/; a path (with a slash) is taken as is. */
export function modelDir(arg: string): string {
  return isAbsolute(arg) || arg.includes('/') || arg.startsWith('.') ? resolve(arg) : join(MODELS_ROOT, arg);
}

const paramsPath = (dir: string, def: ModelDefinition): string => join(dir, def.paramsFile ?? DEFAULT_PARAMS_FILE);

async function readParams(dir: string, def: ModelDefinition): Promise<unknown> {
  if (!def.train) return undefined;
  const file = paramsPath(dir, def);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`arbiter model train ${def.id}\` first`);
  return JSON.parse(await readFile(file, 'utf8'));
}

export async function train(arg: string): Promise<number> {
  const dir = modelDir(arg);
  const def = await importDefinition(dir);
  if (!def.train) {
    log(`${def.id}: nothing to train; its graph is an exact compilation of rules (see the card's "training").`);
    return 0;
  }
  const seed = def.seed ?? 0;
  log(`${def.id}@${def.version}: training with seed ${seed}`);
  const params = await def.train({ seed, dir, progress: stderrProgress() });
  const file = paramsPath(dir, def);
  await writeFile(file, `${JSON.stringify(params, null, 2)}\n`);
  log(`${def.id}: wrote ${file}`);
  return 0;
}

export async function build(arg: string): Promise<number> {
  const dir = modelDir(arg);
  const def = await importDefinition(dir);
  const progress = stderrProgress();
  const params = await readParams(dir, def);
  progress('compile', 0, 1);
  const compiled = compileModel(def.build(params as never), def.featurizer.features);
  progress('compile', 1, 1);
  const card: ModelCard = {
    id: def.id,
    version: def.version,
    jurisdiction: def.jurisdiction,
    kind: def.kind,
    featurizer: { id: def.featurizer.id, version: def.featurizer.version },
    file: 'model.onnx',
    sha256: compiled.sha256,
    modelRoot: compiled.modelRoot,
    steps: compiled.steps,
    inputWidth: def.featurizer.features.length,
    classes: [...def.classes],
    training: {
      ...def.training,
      ...(def.train ? { seed: def.seed ?? 0, params: { file: def.paramsFile ?? DEFAULT_PARAMS_FILE, sha256: sha256Hex(await readFile(paramsPath(dir, def))) } } : {}),
    },
    evaluation: {},
  };
  const runner = await createRunner(compiled.onnx);
  try {
    card.evaluation = { ...(await evaluateModel({ dir, card, definition: def, runner }, (d, t) => progress('evaluate', d, t))) };
  } finally {
    await runner.close();
  }
  await writeFile(join(dir, card.file), compiled.onnx);
  await writeFile(join(dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  const ev = card.evaluation as { agreed: number; cases: number };
  log(`${def.id}@${def.version}: ${compiled.steps} steps, root ${compiled.modelRoot}, sha256 ${compiled.sha256}`);
  log(`${def.id}: public evaluation ${ev.agreed}/${ev.cases} agree with the expected verdicts`);
  return 0;
}

/** One verify check: what was compared and whether it matched. */
interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

export async function verifyFolder(dir: string): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (what: string, ok: boolean, detail: string) => checks.push({ what, ok, detail });
  const card = await readCard(dir);
  const def = await importDefinition(dir);
  const mismatches = cardDefinitionMismatches(dir, card, def);
  check('card matches model.ts', mismatches.length === 0, mismatches.map((m) => m[1]).join('; ') || `${card.id}@${card.version}`);

  const bytes = new Uint8Array(await readFile(join(dir, card.file)));
  const sha = sha256Hex(bytes);
  check('sha256 of the file', sha === card.sha256, sha === card.sha256 ? sha : `file ${sha}, card ${card.sha256}`);

  let ir;
  try {
    ir = readOnnx(bytes);
  } catch (e) {
    check('file parses as an Arbiter ONNX graph', false, (e as Error).message);
    return checks;
  }
  const root = bytesToHex(modelRoot(ir.steps));
  check('model root from the file', root === card.modelRoot, root === card.modelRoot ? root : `file ${root}, card ${card.modelRoot}`);
  check('steps', ir.steps.length === card.steps, `file ${ir.steps.length}, card ${card.steps}`);
  check('input width', ir.inputWidth === card.inputWidth, `file ${ir.inputWidth}, card ${card.inputWidth}`);
  try {
    checkModel(ir);
    let cols = ir.inputWidth;
    const worst = Math.max(
      ...ir.steps.map((step) => {
        const gas = stepCost(step, 1, cols).gas;
        cols = step.op === 'MATMUL' ? step.constant.cols : step.op === 'ARGMAX' ? 1 : cols;
        return gas;
      }),
    );
    check('allowed ops and the per-step gas bound', worst <= STEP_BOUND.gas, `costliest step ~${worst} gas, bound ${STEP_BOUND.gas}`);
  } catch (e) {
    check('allowed ops and the per-step gas bound', false, (e as Error).message);
  }
  try {
    proveNoOverflow(ir, def.featurizer.features);
    check('overflow proof over the featurizer ranges', true, `${def.featurizer.features.length} inputs, ${ir.steps.length} steps`);
  } catch (e) {
    check('overflow proof over the featurizer ranges', false, (e as Error).message);
  }
  try {
    const rebuilt = compileModel(def.build((await readParams(dir, def)) as never), def.featurizer.features);
    check('rebuilt from model.ts gives the same file', rebuilt.sha256 === sha, `rebuilt ${rebuilt.sha256}`);
  } catch (e) {
    check('rebuilt from model.ts gives the same file', false, (e as Error).message);
  }

  let runner;
  try {
    runner = await createRunner(bytes);
  } catch (e) {
    check('ONNX Runtime loads the file', false, (e as Error).message);
    return checks;
  }
  try {
    const ev = await evaluateModel({ dir, card, definition: def, runner });
    const claimed = card.evaluation as { cases?: number; agreed?: number; sha256?: string; byNote?: unknown };
    const same =
      ev.cases === claimed.cases &&
      ev.agreed === claimed.agreed &&
      ev.sha256 === claimed.sha256 &&
      (claimed.byNote === undefined || JSON.stringify(ev.byNote) === JSON.stringify(claimed.byNote));
    check('public evaluation', same, `recomputed ${ev.agreed}/${ev.cases}, card ${claimed.agreed}/${claimed.cases}${ev.sha256 === claimed.sha256 ? '' : ' (evaluation file changed)'}`);
  } catch (e) {
    check('public evaluation', false, (e as Error).message);
  } finally {
    await runner.close();
  }
  return checks;
}

export async function verify(arg: string): Promise<number> {
  const dir = modelDir(arg);
  let checks: Check[];
  try {
    checks = await verifyFolder(dir);
  } catch (e) {
    process.stderr.write(`arbiter: ${dir} cannot be verified: ${(e as Error).message}\n`);
    return 1;
  }
  for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: ${c.detail}\n`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    process.stderr.write(`arbiter: ${dir} does NOT match its card (${failed.length} check${failed.length > 1 ? 's' : ''} failed)\n`);
    return 1;
  }
  process.stdout.write(`${dir}: verified\n`);
  return 0;
}
