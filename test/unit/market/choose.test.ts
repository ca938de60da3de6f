// Which model a case is opened with (issue 12 #1): the merchant's pin while it takes cases, else
// the jurisdiction's default, the approved model with the best public evaluation (the shipped one
// wins a tie; a deprecated one never counts). Real SQLite file; the catalogue holds stand-ins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connection.js';
import { applyMigrations } from '../../../server/db/migrate.js';
import { creators, marketModels, merchants, webhookEndpoints, webhookOutbox } from '../../../server/db/schema.js';
import { createMarketService, DEFAULT_PIN_MIN_ACCURACY, type MarketChain } from '../../../server/market/service.js';
import { Problem } from '../../../server/errors.js';
import type { ModelCatalogue, PipelineModel } from '../../../server/pipeline/models.js';
import { eq } from 'drizzle-orm';

let dir: string;
let handle: DatabaseHandle;
const now = '2026-12-07T00:00:00.000Z';
const fake = (modelId: string, ref: string, jurisdiction: string, accuracy: number, price = 1000n) =>
  ({ modelId, ref, card: { jurisdiction, evaluation: { accuracy }, featurizer: { id: 'eu261', version: '2.0.0' } }, terms: { price, royaltyBps: 0 } }) as unknown as PipelineModel;
const shipped = fake('0x01', 'eu261@2.0.0', 'EU261', 0.99);
const better = fake('0x02', 'eu261-acme@1.0.0', 'EU261', 1, 5000n);
const worse = fake('0x03', 'eu261-cheap@1.0.0', 'EU261', 0.96, 500n);
const weak = fake('0x04', 'eu261-weak@1.0.0', 'EU261', 0.5, 100n);
const all = [shipped, better, worse, weak];
const catalogue = { all, byId: (id: string) => all.find((m) => m.modelId === id), byRef: (r: string) => all.find((m) => m.ref === r) } as unknown as ModelCatalogue;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arbiter-choose-'));
  handle = openDatabase(join(dir, 'a.db'), { backgroundCheckpoints: false });
  applyMigrations(handle.db);
  handle.db.insert(creators).values({ id: 'crt_1', name: 'Acme', apiKeyHash: 'h', address: '0xabc', devIndex: 100, createdAt: now }).run();
  handle.db.insert(merchants).values({ id: 'mch_1', name: 'Air', apiKeyHash: 'k', webhookUrl: null, createdAt: now }).run();
  for (const m of [better, worse, weak]) {
    handle.db
      .insert(marketModels)
      .values({ modelId: m.modelId, ref: m.ref, name: m.ref.split('@')[0], version: '1.0.0', creatorId: 'crt_1', jurisdiction: 'EU261', featurizer: 'eu261@2.0.0', sha256: 's', modelRoot: 'r', steps: 9, price: '1', royaltyBps: 0, status: 'approved', card: '{}', evaluation: JSON.stringify(m.card.evaluation), registerTx: null, createdAt: now, deprecatedAt: null })
      .run();
  }
});
afterAll(async () => {
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('market › the model a case is opened with', () => {
  it('default › the approved model with the best public evaluation; a deprecated one is passed over; none for an unknown jurisdiction', () => {
    const market = createMarketService({ db: handle.db, dataDir: dir });
    const choose = market.chooser(catalogue);
    expect(choose('EU261', null)?.ref).toBe('eu261-acme@1.0.0');
    handle.db.update(marketModels).set({ status: 'deprecated' }).where(eq(marketModels.modelId, '0x02')).run();
    expect(choose('EU261', null)?.ref).toBe('eu261@2.0.0');
    handle.db.update(marketModels).set({ status: 'approved' }).where(eq(marketModels.modelId, '0x02')).run();
    expect(choose('UK261', null)).toBeUndefined();
  });

  it('pin › a merchant\'s pin wins over the default for its cases only, and falls back once deprecated', async () => {
    const market = createMarketService({ db: handle.db, dataDir: dir, catalogue: async () => catalogue });
    const choose = market.chooser(catalogue);
    expect(await market.pin('mch_1', 'EU261', 'eu261-cheap@1.0.0')).toEqual({ jurisdiction: 'EU261', modelId: '0x03', effective: '0x03' });
    expect(choose('EU261', 'mch_1')?.ref).toBe('eu261-cheap@1.0.0');
    expect(choose('EU261', 'mch_other')?.ref).toBe('eu261-acme@1.0.0');
    handle.db.update(marketModels).set({ status: 'deprecated' }).where(eq(marketModels.modelId, '0x03')).run();
    expect(choose('EU261', 'mch_1')?.ref).toBe('eu261-acme@1.0.0');
    await expect(market.pin('mch_1', 'EU261', 'eu261-cheap@1.0.0')).rejects.toThrow(/deprecated/);
    await expect(market.pin('mch_1', 'UK261', 'eu261-acme@1.0.0')).rejects.toThrow(/decides EU261, not UK261/);
    expect((await market.pin('mch_1', 'EU261', null)).effective).toBe('0x02');
  });

  it('pin policy › only an approved model of the jurisdiction whose public evaluation reaches the floor, within the merchant\'s price cap; each refusal names its field', async () => {
    const market = createMarketService({ db: handle.db, dataDir: dir, catalogue: async () => catalogue });
    const refusal = async (p: Promise<unknown>) => {
      const e = (await p.then(() => undefined, (err: unknown) => err)) as Problem | undefined;
      expect(e).toBeInstanceOf(Problem);
      expect(e!.status).toBe(400);
      return e!.errors![0] as { pointer: string; message: string };
    };
    // Below the default floor (0.95): refused, naming the measured figure and the floor.
    expect(await refusal(market.pin('mch_1', 'EU261', 'eu261-weak@1.0.0'))).toEqual({
      pointer: '/modelId',
      message: `eu261-weak@1.0.0 measured accuracy 0.5 on its public evaluation, below the floor ${DEFAULT_PIN_MIN_ACCURACY} a pinned model needs`,
    });
    expect(await refusal(market.pin('mch_1', 'EU261', 'nothing@1.0.0'))).toMatchObject({ pointer: '/modelId' });
    // The merchant's price cap: a model above it is refused naming /maxPrice; at the cap it is taken.
    expect(await refusal(market.pin('mch_1', 'EU261', 'eu261-acme@1.0.0', '4999'))).toEqual({ pointer: '/maxPrice', message: 'eu261-acme@1.0.0 costs 5000 wei per case, more than your cap of 4999' });
    expect(await refusal(market.pin('mch_1', 'EU261', 'eu261-acme@1.0.0', '5e3'))).toMatchObject({ pointer: '/maxPrice' });
    expect((await market.pin('mch_1', 'EU261', 'eu261-acme@1.0.0', '5000')).effective).toBe('0x02');
    // A refused pin changed nothing: the earlier one stands.
    await refusal(market.pin('mch_1', 'EU261', 'eu261-cheap@1.0.0', '1'));
    expect(market.chooser(catalogue)('EU261', 'mch_1')?.ref).toBe('eu261-acme@1.0.0');

    // A lower configured floor admits the weak model; once the floor is raised again the pin no
    // longer decides the merchant's cases (the default does).
    const lenient = createMarketService({ db: handle.db, dataDir: dir, catalogue: async () => catalogue, pinMinAccuracy: 0.4 });
    expect((await lenient.pin('mch_1', 'EU261', 'eu261-weak@1.0.0')).effective).toBe('0x04');
    expect(market.chooser(catalogue)('EU261', 'mch_1')?.ref).toBe('eu261-acme@1.0.0');
    expect((await market.pin('mch_1', 'EU261', null)).effective).toBe('0x02');
  });

  it('deprecating the default › model.deprecated and model.default_changed are written with the change, to subscribed merchants only, saying who pinned what', async () => {
    const listen = (id: string, events: string[]) =>
      handle.db
        .insert(webhookEndpoints)
        .values({ id: `we_${id}`, merchantId: id, url: 'http://127.0.0.1:9/h', events: JSON.stringify(events), description: null, status: 'enabled', disabledReason: null, secretSealed: 'x', previousSecretSealed: null, previousSecretExpiresAt: null, failingSince: null, createdAt: now, updatedAt: now })
        .run();
    handle.db.insert(merchants).values({ id: 'mch_2', name: 'Watcher', apiKeyHash: 'k2', webhookUrl: null, createdAt: now }).run();
    handle.db.insert(merchants).values({ id: 'mch_3', name: 'Other', apiKeyHash: 'k3', webhookUrl: null, createdAt: now }).run();
    listen('mch_2', ['*']);
    listen('mch_3', ['case.created']);
    const market = createMarketService({ db: handle.db, dataDir: dir, catalogue: async () => catalogue });
    // The chain already shows the version deprecated: the service records it without a transaction.
    const port = { registryEntry: async () => ({ deprecated: true }) } as unknown as MarketChain['port'];
    await market.attach({ port, models: catalogue, embedded: true, nodes: [] });
    await market.pin('mch_2', 'EU261', 'eu261-acme@1.0.0');
    expect(market.chooser(catalogue)('EU261', null)?.ref).toBe('eu261-acme@1.0.0');
    await market.deprecate('crt_1', '0x02');
    const rows = (type: string) =>
      handle.db.select().from(webhookOutbox).where(eq(webhookOutbox.eventType, type)).all().map((r) => ({ merchantId: r.merchantId, data: (JSON.parse(r.payload) as { data: unknown }).data }));
    expect(rows('model.deprecated')).toEqual([{ merchantId: 'mch_2', data: { model: '0x02', ref: 'eu261-acme@1.0.0', jurisdiction: 'EU261', creator: '0xabc', pinned: true, effective: '0x01' } }]);
    expect(rows('model.default_changed')).toEqual([
      { merchantId: 'mch_2', data: { jurisdiction: 'EU261', model: '0x01', ref: 'eu261@2.0.0', previousModel: '0x02', previousRef: 'eu261-acme@1.0.0', reason: 'deprecated', pinned: '0x02' } },
    ]);
    // Again: no change, no row.
    await market.deprecate('crt_1', '0x02');
    expect(rows('model.deprecated').length).toBe(1);
    handle.db.update(marketModels).set({ status: 'approved' }).where(eq(marketModels.modelId, '0x02')).run();
  });
});
