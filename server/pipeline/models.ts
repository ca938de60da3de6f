// The shipped models as the pipeline uses them: the checked folder (card, featurizer, ONNX
// Runtime session; server/models/load.ts), its integer graph (for one-step proofs) and its
// registry terms (PROTOCOL.md §2: model root, sha256, featurizer, steps; price and royalty).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEther } from 'ethers';
import { claimantClassWords } from '../chain/awards.js';
import { modelIdOf } from '../inference/claim-commitment.js';
import { readOnnx } from '../inference/onnx-reader.js';
import type { ModelIR } from '../inference/ops.js';
import { modelRef } from '../models/card.js';
import { loadModel, type LoadedModel } from '../models/load.js';
import { MODELS_ROOT, modelDirs } from '../models/registry.js';
import type { ModelTerms } from './chain-port.js';

/** Case fee per model on the embedded chain (a card states no price): 0.001 ETH. */
export const DEFAULT_PRICE = parseEther('0.001');
/** The creator's royalty on the fee, basis points. */
export const DEFAULT_ROYALTY_BPS = 1000;

export interface PipelineModel extends LoadedModel {
  ref: string;
  modelId: string;
  ir: ModelIR;
  terms: ModelTerms;
}

export interface ModelCatalogue {
  all: PipelineModel[];
  byJurisdiction(j: string): PipelineModel | undefined;
  byRef(ref: string): PipelineModel | undefined;
  byId(modelId: string): PipelineModel | undefined;
  /** Adds a model registered through the market (server/market) to the running pipeline. */
  add(model: PipelineModel): void;
}

/** A loaded model as the pipeline uses it, with its registry terms. */
export function pipelineModel(m: LoadedModel, ir: ModelIR, price: bigint = DEFAULT_PRICE, royaltyBps: number = DEFAULT_ROYALTY_BPS): PipelineModel {
  const ref = modelRef(m.card);
  return {
    ...m,
    ref,
    modelId: modelIdOf(ref),
    ir,
    terms: {
      ref,
      name: m.card.id,
      version: m.card.version,
      modelRoot: m.card.modelRoot,
      sha256: m.card.sha256,
      featurizerRef: `${m.card.featurizer.id}@${m.card.featurizer.version}`,
      steps: m.card.steps,
      price,
      royaltyBps,
      claimantClasses: claimantClassWords(m.card),
    },
  };
}

/** Loads every shipped model (or the ones named in `only`, by card id) once. */
export async function loadCatalogue(only?: readonly string[], root = MODELS_ROOT): Promise<ModelCatalogue> {
  const all: PipelineModel[] = [];
  for (const dir of modelDirs(root)) {
    const m = await loadModel(dir);
    if (only && !only.includes(m.card.id)) continue;
    all.push(pipelineModel(m, readOnnx(new Uint8Array(readFileSync(join(dir, m.card.file))))));
  }
  const lower = (s: string) => s.toLowerCase();
  return {
    all,
    byJurisdiction: (j) => all.find((m) => m.card.jurisdiction === j),
    byRef: (r) => all.find((m) => m.ref === r),
    byId: (id) => all.find((m) => lower(m.modelId) === lower(id)),
    add: (m) => {
      if (!all.some((x) => x.ref === m.ref)) all.push(m);
    },
  };
}
