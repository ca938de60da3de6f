// `model.default_changed` through the real API (server/market/service.ts defaultChanged): a
// creator's registration of a better model, then its deprecation, move EU261's default, and each
// writes one row per subscribed merchant in the same SQLite transaction as the change, which the
// delivery worker then sends. Same transaction: with the outbox refusing that row (a temporary
// trigger on the app's connection), the change itself is rolled back (no model row, no status
// change, no other event); a request refused by validation writes nothing.
//
// The default is the approved model with the best public evaluation, and nothing in the repo beats
// the shipped EU261 graph (0.9985). So this process's catalogue states the shipped card's figure
// lower (0.99): the creator's copy of the same graph, measured at 0.9985, is then the better model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { webhookOutbox } from '../../../server/db/schema.js';
import { modelIdOf } from '../../../server/inference/claim-commitment.js';
import type { ModelCard } from '../../../server/models/card.js';
import { MODELS_ROOT } from '../../../server/models/registry.js';
import { startWebhookDelivery, type WebhookDelivery } from '../../../server/webhooks/runtime.js';
import { createWebhookServices } from '../../../server/webhooks/service.js';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.js';
import { fastPolicy } from '../../support/webhook-world.js';
import { waitUntil } from '../../support/wait.js';
import { startPipelineFixture, type PipelineFixture } from '../pipeline/pipeline-fixture.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const EU = join(MODELS_ROOT, 'eu261');
const onnx = readFileSync(join(EU, 'model.onnx'));
const shippedCard = JSON.parse(readFileSync(join(EU, 'card.json'), 'utf8')) as ModelCard;
const SHIPPED_REF = `${shippedCard.id}@${shippedCard.version}`;
const SHIPPED_ID = modelIdOf(SHIPPED_REF).toLowerCase();
const FEATURIZER = `${shippedCard.featurizer.id}@${shippedCard.featurizer.version}`;
const acmeCard = (version: string): ModelCard => ({ ...structuredClone(shippedCard), id: 'eu261-default', version });
const REF = 'eu261-default@1.0.0';
const ID = modelIdOf(REF).toLowerCase();

async function multipart(fields: Record<string, string>, file: Uint8Array) {
  const form = new FormData();
  form.append('model', new Blob([new Uint8Array(file) as Uint8Array<ArrayBuffer>]), 'model.onnx');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const r = new Response(form);
  return { payload: Buffer.from(await r.arrayBuffer()), headers: { 'content-type': r.headers.get('content-type')! } };
}

let f: PipelineFixture;
let delivery: WebhookDelivery;
let receiver: Receiver;
let shippedEvaluation: { accuracy: number };
let shippedAccuracy: number;
let creator: { id: string; apiKey: string; address: string };
let listener: { id: string; apiKey: string };
let bystander: { id: string; apiKey: string };

beforeAll(async () => {
  f = await startPipelineFixture();
  await f.t.app.market.attach(f.pipeline.market);
  shippedEvaluation = f.pipeline.models.byRef(SHIPPED_REF)!.card.evaluation as unknown as { accuracy: number };
  shippedAccuracy = shippedEvaluation.accuracy;
  shippedEvaluation.accuracy = 0.99;
  receiver = await startReceiver('up');
  const webhooks = createWebhookServices({ db: f.t.app.db, config: f.t.config, notify: f.t.services.merchants.notify, policy: fastPolicy(), random: () => 0.5 });
  delivery = await startWebhookDelivery({ services: webhooks, queues: f.t.app.queues, allowPrivateTargets: true, timeoutMs: 2000, pollMs: 50 });

  const admin = as(f.t.adminToken);
  const c = await f.t.app.inject({ method: 'POST', url: '/v1/creators', headers: admin, payload: { name: 'Default Movers' } });
  expect(c.statusCode, c.body).toBe(201);
  creator = c.json();
  const merchant = async (name: string, url: string, events: string[]) => {
    const m = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: admin, payload: { name } })).json<{ id: string; apiKey: string }>();
    const e = await f.t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(m.apiKey), payload: { url, events } });
    expect(e.statusCode, e.body).toBe(201);
    return m;
  };
  listener = await merchant('Default Watcher', receiver.url, ['model.default_changed']);
  bystander = await merchant('Registrations Only', 'http://127.0.0.1:9/hooks', ['model.registered']);
}, 180_000);
afterAll(async () => {
  if (shippedEvaluation) shippedEvaluation.accuracy = shippedAccuracy;
  await delivery?.stop();
  await receiver?.close();
  await f?.stop();
});

function register(card: unknown) {
  return multipart({ card: JSON.stringify(card), featurizer: FEATURIZER }, onnx).then((body) =>
    f.t.app.inject({ method: 'POST', url: '/v1/models', headers: { ...as(creator.apiKey), ...body.headers }, payload: body.payload }),
  );
}

/** The outbox rows of a type (merchant, event data), oldest first. */
function outbox(type: string): { merchantId: string | null; caseId: string | null; data: Record<string, unknown> }[] {
  return f.t.app.db
    .select()
    .from(webhookOutbox)
    .where(eq(webhookOutbox.eventType, type))
    .orderBy(asc(webhookOutbox.id))
    .all()
    .map((r) => ({ merchantId: r.merchantId, caseId: r.caseId, data: (JSON.parse(r.payload) as { data: Record<string, unknown> }).data }));
}

/** Every outbox row (no case is filed here: all are market events), to show that a refused or rolled-back request wrote none. */
const marketRows = () => f.t.app.db.select({ id: webhookOutbox.id }).from(webhookOutbox).all().length;

async function euDefault(): Promise<string[]> {
  const list = (await f.t.app.inject({ method: 'GET', url: '/v1/models' })).json<{ data: { ref: string; default: boolean; jurisdiction: string }[] }>().data;
  return list.filter((m) => m.jurisdiction === 'EU261' && m.default).map((m) => m.ref);
}

/** While it is in place, the app's connection refuses to write a model.default_changed outbox row. */
function refuseDefaultChangedRows<T>(fn: () => Promise<T>): Promise<T> {
  const sqlite = f.t.app.db.$client;
  sqlite.exec(
    "CREATE TEMP TRIGGER refuse_default_changed BEFORE INSERT ON webhook_outbox WHEN NEW.event_type = 'model.default_changed' BEGIN SELECT RAISE(ABORT, 'test: model.default_changed refused'); END",
  );
  return fn().finally(() => sqlite.exec('DROP TRIGGER IF EXISTS temp.refuse_default_changed'));
}

/** The model.default_changed events the listener's endpoint received: event id and facts (data.object). */
const deliveredDefaultChanges = () =>
  receiver.received
    .map((r) => JSON.parse(r.body) as { id: string; type: string; data: { object: Record<string, unknown> } })
    .filter((b) => b.type === 'model.default_changed')
    .map((b) => ({ id: b.id, data: b.data.object }));

/** The ids of a type's outbox rows, oldest first (a delivered event carries its row's id). */
const outboxIds = (type: string) =>
  f.t.app.db
    .select({ id: webhookOutbox.id })
    .from(webhookOutbox)
    .where(eq(webhookOutbox.eventType, type))
    .orderBy(asc(webhookOutbox.id))
    .all()
    .map((r) => r.id);

describe('market › model.default_changed through the API', { timeout: 300_000 }, () => {
  it('a registration refused by validation writes nothing and moves nothing', async () => {
    const before = marketRows();
    // The card overstates the evaluation: 422, nothing registered, no row.
    const ev = shippedCard.evaluation as { cases: number; agreed: number; accuracy: number };
    const overstated = await register({ ...acmeCard('1.0.0'), evaluation: { ...ev, agreed: ev.cases, accuracy: 1 } });
    expect(overstated.statusCode, overstated.body).toBe(422);
    // A featurizer the service does not ship: 400.
    const body = await multipart({ card: JSON.stringify(acmeCard('1.0.0')), featurizer: 'nothing@9.9.9' }, onnx);
    const unknown = await f.t.app.inject({ method: 'POST', url: '/v1/models', headers: { ...as(creator.apiKey), ...body.headers }, payload: body.payload });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(marketRows()).toBe(before);
    expect(outbox('model.default_changed')).toEqual([]);
    expect(await euDefault()).toEqual([SHIPPED_REF]);
    expect(await f.pipeline.port.isRegistered(ID)).toBe(false);
  });

  it('a registration whose model.default_changed row cannot be written is rolled back whole: no model row, no model.registered row, the default unchanged', async () => {
    const before = marketRows();
    const ref = 'eu261-default@0.9.0';
    const res = await refuseDefaultChangedRows(() => register(acmeCard('0.9.0')));
    expect(res.statusCode, res.body).toBe(500);
    expect(marketRows()).toBe(before);
    expect(outbox('model.registered').filter((e) => e.data.ref === ref)).toEqual([]);
    expect((await f.t.app.inject({ method: 'GET', url: `/v1/models/${ref}` })).statusCode).toBe(404);
    expect(f.pipeline.models.byRef(ref)).toBeUndefined();
    expect(await euDefault()).toEqual([SHIPPED_REF]);
  });

  it('a better model registered: model.default_changed written with it, to the subscribed merchant only, and delivered', async () => {
    const res = await register(acmeCard('1.0.0'));
    expect(res.statusCode, res.body).toBe(201);
    expect(await euDefault()).toEqual([REF]);
    const rows = outbox('model.default_changed');
    expect(rows).toEqual([
      { merchantId: listener.id, caseId: null, data: { jurisdiction: 'EU261', model: ID, ref: REF, previousModel: SHIPPED_ID, previousRef: SHIPPED_REF, reason: 'registered', pinned: null } },
    ]);
    // The registration's own row says it became the default; the bystander hears of it, not of the default.
    expect(outbox('model.registered').filter((e) => e.data.ref === REF).map((e) => [e.merchantId, e.data.default])).toEqual([[bystander.id, true]]);
    await waitUntil(() => deliveredDefaultChanges().length >= 1, 'model.default_changed to reach the listener', 30_000);
    expect(deliveredDefaultChanges()).toEqual([{ id: outboxIds('model.default_changed')[0], data: rows[0].data }]);
  });

  it('a deprecation refused (another creator, an unknown model) writes nothing and moves nothing', async () => {
    const before = marketRows();
    const other = (await f.t.app.inject({ method: 'POST', url: '/v1/creators', headers: as(f.t.adminToken), payload: { name: 'Not the creator' } })).json<{ apiKey: string }>();
    const theirs = await f.t.app.inject({ method: 'POST', url: `/v1/models/${ID}/deprecate`, headers: as(other.apiKey) });
    expect(theirs.statusCode, theirs.body).toBe(404);
    const missing = await f.t.app.inject({ method: 'POST', url: `/v1/models/${modelIdOf('eu261-default@7.7.7').toLowerCase()}/deprecate`, headers: as(creator.apiKey) });
    expect(missing.statusCode, missing.body).toBe(404);
    expect(marketRows()).toBe(before);
    expect(await euDefault()).toEqual([REF]);
  });

  it('a deprecation whose model.default_changed row cannot be written leaves the model approved and the default where it was; once it can, the change and its rows commit together', async () => {
    const before = marketRows();
    const res = await refuseDefaultChangedRows(() => f.t.app.inject({ method: 'POST', url: `/v1/models/${ID}/deprecate`, headers: as(creator.apiKey) }));
    expect(res.statusCode, res.body).toBe(500);
    expect(marketRows()).toBe(before);
    expect((await f.t.app.inject({ method: 'GET', url: `/v1/models/${ID}` })).json().status).toBe('approved');
    expect(await euDefault()).toEqual([REF]);

    // Again, with the outbox open: the chain has it deprecated already; status and rows commit.
    const again = await f.t.app.inject({ method: 'POST', url: `/v1/models/${ID}/deprecate`, headers: as(creator.apiKey) });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().status).toBe('deprecated');
    expect(await euDefault()).toEqual([SHIPPED_REF]);
    const back = outbox('model.default_changed').filter((e) => e.data.reason === 'deprecated');
    expect(back).toEqual([
      { merchantId: listener.id, caseId: null, data: { jurisdiction: 'EU261', model: SHIPPED_ID, ref: SHIPPED_REF, previousModel: ID, previousRef: REF, reason: 'deprecated', pinned: null } },
    ]);
    await waitUntil(() => deliveredDefaultChanges().some((b) => b.data.reason === 'deprecated'), 'the deprecation\'s model.default_changed to reach the listener', 30_000);
    expect(deliveredDefaultChanges().find((b) => b.data.reason === 'deprecated')).toEqual({ id: outboxIds('model.default_changed')[1], data: back[0].data });
    // Deprecating again changes nothing and writes nothing.
    const rows = marketRows();
    expect((await f.t.app.inject({ method: 'POST', url: `/v1/models/${ID}/deprecate`, headers: as(creator.apiKey) })).statusCode).toBe(200);
    expect(marketRows()).toBe(rows);
  });
});
