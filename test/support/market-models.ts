// Registered-model stand-ins for pages that show the marketplace: two EU261 versions of a
// creator's model (sharing the shipped model's graph, so nothing is measured or published) stored
// as the market service stores a registration, and the service given a catalogue that holds them.
// One scores better than the shipped model (so it is EU261's default), one is deprecated. The
// chain side is a stand-in: only what lists models (GET /v1/models, /models) may be used with it.
import { creators, marketModels } from '../../server/db/schema.js';
import { loadCatalogue, pipelineModel, type PipelineModel } from '../../server/pipeline/models.js';
import type { ChainPort } from '../../server/pipeline/chain-port.js';
import type { TestApp } from './app.js';

export const STAND_IN_CREATOR = '0x00000000000000000000000000000000000ac3e0';

export async function addRegisteredStandIns(t: TestApp): Promise<{ acme: PipelineModel; retired: PipelineModel }> {
  const now = '2026-12-07T00:00:00.000Z';
  const catalogue = await loadCatalogue();
  const shipped = catalogue.byJurisdiction('EU261')!;
  const cases = (shipped.card.evaluation as { cases: number }).cases;
  const registered = (id: string, version: string, price: bigint, royaltyBps: number, agreed: number) => {
    const card = { ...shipped.card, id, version, evaluation: { ...shipped.card.evaluation, agreed, accuracy: Math.round((agreed / cases) * 10_000) / 10_000 } };
    return pipelineModel({ ...shipped, card }, shipped.ir, price, royaltyBps);
  };
  const acme = registered('eu261-acme', '1.1.0', 1_234_567_890_123_456_789n, 250, cases);
  const retired = registered('eu261-old', '0.9.0', 0n, 0, cases - 40);
  t.app.db.insert(creators).values({ id: 'crt_acme', name: 'Acme Models', apiKeyHash: 'h-acme', address: STAND_IN_CREATOR, devIndex: null, createdAt: now }).run();
  for (const [m, status] of [[acme, 'approved'], [retired, 'deprecated']] as const) {
    t.app.db
      .insert(marketModels)
      .values({
        modelId: m.modelId.toLowerCase(),
        ref: m.ref,
        name: m.card.id,
        version: m.card.version,
        creatorId: 'crt_acme',
        jurisdiction: 'EU261',
        featurizer: `${m.card.featurizer.id}@${m.card.featurizer.version}`,
        sha256: m.card.sha256,
        modelRoot: m.card.modelRoot,
        steps: m.card.steps,
        price: m.terms.price.toString(),
        royaltyBps: m.terms.royaltyBps,
        status,
        card: JSON.stringify(m.card),
        evaluation: JSON.stringify(m.card.evaluation),
        registerTx: null,
        createdAt: now,
        deprecatedAt: status === 'deprecated' ? now : null,
      })
      .run();
    catalogue.add(m);
  }
  await t.app.market.attach({ port: {} as ChainPort, models: catalogue, embedded: true, nodes: [] });
  return { acme, retired };
}
