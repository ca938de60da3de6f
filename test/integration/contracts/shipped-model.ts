// The shipped EU261 model (arbitration-models/eu261/): its .onnx read back into the IR, its card,
// and featurized inputs from its public evaluation set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { id as utf8Id } from 'ethers';
import { eu261Featurizer } from '../../../server/featurizers/eu261.js';
import { readOnnx } from '../../../server/inference/onnx-reader.js';
import { modelRoot } from '../../../server/inference/model-root.js';
import type { ModelIR } from '../../../server/inference/ops.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import type { Tensor } from '../../../server/inference/tensor.js';
import type { ModelCard } from '../../../server/models/card.js';
import { claimantClassWords } from '../../../server/chain/awards.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'arbitration-models', 'eu261');

export interface ShippedModel {
  card: ModelCard;
  ir: ModelIR;
  modelId: string;
  /** The registry's claimant-class bitmap (from the card; server/chain/awards.ts claimantClassWords). */
  claimantClasses: bigint[];
  inputs: Tensor[];
}

export function loadEu261(count = 4): ShippedModel {
  const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ModelCard;
  const ir = readOnnx(new Uint8Array(readFileSync(join(dir, card.file))));
  if (bytesToHex(modelRoot(ir.steps)) !== card.modelRoot) throw new Error('eu261 model root differs from its card');
  const claimantClasses = claimantClassWords(card);
  const lines = readFileSync(join(dir, 'eval.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, count);
  const inputs = lines.map((l) => {
    const data = eu261Featurizer.featurize(JSON.parse(l).case);
    return { rows: 1, cols: data.length, data };
  });
  return { card, ir, modelId: utf8Id(`${card.id}@${card.version}`), claimantClasses, inputs };
}
