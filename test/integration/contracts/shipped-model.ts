// The shipped models (arbitration-models/<id>/): each .onnx read back into the IR (its model root
// checked against its card), its card, and featurized inputs from its public evaluation set.
// Read from the folders, so new versions of a model are picked up as they ship.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { id as utf8Id } from 'ethers';
import { readOnnx } from '../../../server/inference/onnx-reader.js';
import { modelRoot } from '../../../server/inference/model-root.js';
import type { ModelIR } from '../../../server/inference/ops.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import type { Tensor } from '../../../server/inference/tensor.js';
import type { ModelCard } from '../../../server/models/card.js';
import { importDefinition } from '../../../server/models/load.js';
import { MODELS_ROOT, modelDirs } from '../../../server/models/registry.js';
import { claimantClassWords } from '../../../server/chain/awards.js';

export interface ShippedModel {
  card: ModelCard;
  ir: ModelIR;
  modelId: string;
  /** The registry's claimant-class bitmap (from the card; server/chain/awards.ts claimantClassWords). */
  claimantClasses: bigint[];
  inputs: Tensor[];
}

/** The ids of every shipped model folder (those with a card.json). */
export const shippedModelIds = (): string[] => modelDirs().map((d) => basename(d));

/** Loads `arbitration-models/<id>` with the first `count` evaluation cases featurized. */
export async function loadShippedModel(id: string, count = 4): Promise<ShippedModel> {
  const dir = join(MODELS_ROOT, id);
  const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ModelCard;
  const ir = readOnnx(new Uint8Array(readFileSync(join(dir, card.file))));
  if (bytesToHex(modelRoot(ir.steps)) !== card.modelRoot) throw new Error(`${id}: model root differs from its card`);
  if (ir.steps.length !== card.steps) throw new Error(`${id}: ${ir.steps.length} steps in the graph, the card says ${card.steps}`);
  const { featurizer } = await importDefinition(dir);
  const lines = readFileSync(join(dir, 'eval.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, count);
  const inputs = lines.map((l) => {
    const data = featurizer.featurize(JSON.parse(l).case);
    return { rows: 1, cols: data.length, data };
  });
  return { card, ir, modelId: utf8Id(`${card.id}@${card.version}`), claimantClasses: claimantClassWords(card), inputs };
}

/** The shipped EU261 model (kept for the suites that drive it through Arbitration). */
export const loadEu261 = (count = 4): Promise<ShippedModel> => loadShippedModel('eu261', count);
