// A node operator's side of the market: the models registered through a service's API, fetched
// (bytes and card), measured here exactly as the service measured them (server/market/measure.ts)
// and added to the node's catalogue, so `arbiter node --api URL` serves them too. A model whose
// bytes do not match its card is skipped, with the differences named.
import { readOnnx } from '../inference/onnx-reader.js';
import { createRunner } from '../inference/runner.js';
import type { ModelCard } from '../models/card.js';
import type { ModelDefinition } from '../models/definition.js';
import { pipelineModel, type ModelCatalogue } from '../pipeline/models.js';
import { measureModel } from './measure.js';

interface Listed {
  id: string;
  ref: string;
  source: string;
  status: string;
  price: string;
  royaltyBps: number;
}

/** Adds every approved registered model of `api` to `models`; returns what was added and skipped. */
export async function addRegisteredModels(api: string, models: ModelCatalogue, log: (m: string) => void = () => {}): Promise<{ added: string[]; skipped: string[] }> {
  const base = api.replace(/\/+$/, '');
  const list = ((await (await fetch(`${base}/v1/models`)).json()) as { data: Listed[] }).data;
  const added: string[] = [];
  const skipped: string[] = [];
  for (const m of list) {
    if (m.source !== 'registered' || m.status !== 'approved' || models.byId(m.id)) continue;
    const card = ((await (await fetch(`${base}/v1/models/${m.id}`)).json()) as { card: ModelCard }).card;
    const bytes = new Uint8Array(await (await fetch(`${base}/v1/models/${m.id}/onnx`)).arrayBuffer());
    const shipped = models.all.find((s) => s.card.jurisdiction === card.jurisdiction && s.card.featurizer.id === card.featurizer.id && s.card.featurizer.version === card.featurizer.version);
    if (!shipped) {
      skipped.push(m.ref);
      log(`${m.ref}: featurizer ${card.featurizer.id}@${card.featurizer.version} is not shipped with this release; not served`);
      continue;
    }
    const featurizer = shipped.definition.featurizer;
    const { measured, differences } = await measureModel(bytes, card, featurizer, { dir: shipped.dir, evalFile: shipped.definition.evalFile });
    if (differences.length) {
      skipped.push(m.ref);
      log(`${m.ref}: does not match its card, not served: ${differences.map((d) => `${d.pointer}: ${d.message}`).join('; ')}`);
      continue;
    }
    const definition = { ...shipped.definition, id: card.id, version: card.version, classes: card.classes } as ModelDefinition;
    const runner = await createRunner(bytes);
    models.add(pipelineModel({ dir: shipped.dir, card, definition, runner }, measured.ir ?? readOnnx(bytes), BigInt(m.price), m.royaltyBps));
    added.push(m.ref);
  }
  return { added, skipped };
}
