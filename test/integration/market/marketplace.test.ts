// The marketplace end to end (issue 12): an admin creates a model creator; the creator registers a
// new model (the EU261 graph under its own name) through POST /v1/models; the service measures
// it, publishes it on chain from the creator's own account and the in-process nodes serve it; a
// tampered file, a tampered card and an overstated card are refused naming what differs; a
// merchant pins the model, its case is decided with it and the creator's royalty is credited to
// the wei (server/market/split.ts); deprecation stops the pin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { BIN } from '../cli/model-folder-copy.js';
import { MAX_MODEL_BYTES } from '../../../server/market/routes.js';
import { join } from 'node:path';
import { id as utf8Id } from 'ethers';
import { validRecords } from '../../support/case-fixtures.js';
import { MODELS_ROOT } from '../../../server/models/registry.js';
import { modelIdOf } from '../../../server/inference/claim-commitment.js';
import { splitFee } from '../../../server/market/split.js';
import { responseComponent } from '../../../server/cases/response-component.js';
import type { ComponentHandle } from '../../../server/main.js';
import type { ModelCard } from '../../../server/models/card.js';
import { stakeAndServe } from '../../../server/pipeline/bootstrap.js';
import { loadCatalogue } from '../../../server/pipeline/models.js';
import { addRegisteredModels } from '../../../server/market/remote.js';
import { asc, eq } from 'drizzle-orm';
import { webhookOutbox } from '../../../server/db/schema.js';
import { startPipelineFixture, until, WINDOWS, type PipelineFixture } from '../pipeline/pipeline-fixture.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const EU = join(MODELS_ROOT, 'eu261');
const onnx = readFileSync(join(EU, 'model.onnx'));
const shippedCard = JSON.parse(readFileSync(join(EU, 'card.json'), 'utf8')) as ModelCard;
const PRICE = 2_000_000_000_000_000n;
const ROYALTY_BPS = 1500;
const SHIPPED_REF = `${shippedCard.id}@${shippedCard.version}`;
const FEATURIZER = `${shippedCard.featurizer.id}@${shippedCard.featurizer.version}`;

/** The EU261 graph as another creator's model: same bytes, its own name. */
const acmeCard = (version = '1.0.0'): ModelCard => ({ ...structuredClone(shippedCard), id: 'eu261-acme', version });

/** A multipart body as a client sends it. */
async function multipart(fields: Record<string, string>, file?: Uint8Array) {
  const form = new FormData();
  if (file) form.append('model', new Blob([new Uint8Array(file) as Uint8Array<ArrayBuffer>]), 'model.onnx');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const r = new Response(form);
  return { payload: Buffer.from(await r.arrayBuffer()), headers: { 'content-type': r.headers.get('content-type')! } };
}

let f: PipelineFixture;
let responses: ComponentHandle;
let creator: { id: string; apiKey: string; address: string };
let pinningMerchant: string;
beforeAll(async () => {
  f = await startPipelineFixture({ env: { CASE_RESPONSE_SECONDS: '1' } });
  await f.t.app.market.attach(f.pipeline.market);
  responses = await responseComponent.start({ config: f.t.config, db: f.t.app.db, redis: f.redis, queues: f.queues, chain: f.chain, say: () => {} });
}, 180_000);
afterAll(async () => {
  await responses?.stop();
  await f?.stop();
});

async function register(key: string, card: unknown, file: Uint8Array = onnx, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const body = await multipart({ card: JSON.stringify(card), featurizer: FEATURIZER, price: PRICE.toString(), royaltyBps: String(ROYALTY_BPS), ...extra }, file);
  return f.t.app.inject({ method: 'POST', url: '/v1/models', headers: { ...as(key), ...body.headers, ...headers }, payload: body.payload });
}

/** The outbox rows of a type (their merchant and the event's data), oldest first. */
function outbox(type: string): { merchantId: string | null; caseId: string | null; data: Record<string, unknown> }[] {
  return f.t.app.db
    .select()
    .from(webhookOutbox)
    .where(eq(webhookOutbox.eventType, type))
    .orderBy(asc(webhookOutbox.id))
    .all()
    .map((r) => ({ merchantId: r.merchantId, caseId: r.caseId, data: (JSON.parse(r.payload) as { data: Record<string, unknown> }).data }));
}

describe('market › creators and registration', { timeout: 300_000 }, () => {
  it('POST /v1/creators › the admin creates a creator (API key once, a dev account on the embedded chain); nobody else may', async () => {
    const anon = await f.t.app.inject({ method: 'POST', url: '/v1/creators', payload: { name: 'Acme' } });
    expect(anon.statusCode).toBe(401);
    const res = await f.t.app.inject({ method: 'POST', url: '/v1/creators', headers: as(f.t.adminToken), payload: { name: 'Acme Models' } });
    expect(res.statusCode, res.body).toBe(201);
    creator = res.json();
    expect(creator.apiKey).toMatch(/^cr_/);
    expect(creator.address).toMatch(/^0x[0-9a-f]{40}$/);
    const me = await f.t.app.inject({ method: 'GET', url: '/v1/creators/me', headers: as(creator.apiKey) });
    expect(me.json()).toMatchObject({ id: creator.id, address: creator.address });
    // A creator's key reads no cases.
    expect((await f.t.app.inject({ method: 'GET', url: '/v1/cases', headers: as(creator.apiKey) })).statusCode).toBe(403);
  });

  it('POST /v1/models › a tampered file, a tampered card and an overstated card are refused, each difference named', async () => {
    const flipped = new Uint8Array(onnx);
    flipped[flipped.length - 9] ^= 0x01;
    const a = await register(creator.apiKey, acmeCard(), flipped);
    expect(a.statusCode, a.body).toBe(422);
    expect(a.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/card/sha256');

    const badCard = { ...acmeCard(), steps: shippedCard.steps + 1 };
    const b = await register(creator.apiKey, badCard);
    expect(b.statusCode, b.body).toBe(422);
    expect(b.json().errors).toEqual([{ pointer: '/card/steps', message: `the graph has ${shippedCard.steps} steps; the card says ${shippedCard.steps + 1}` }]);

    const ev = shippedCard.evaluation as { cases: number; agreed: number; accuracy: number };
    const overstated = { ...acmeCard(), evaluation: { ...ev, agreed: ev.cases, accuracy: 1 } };
    const c = await register(creator.apiKey, overstated);
    expect(c.statusCode, c.body).toBe(422);
    const errs = c.json().errors as { pointer: string; message: string }[];
    expect(errs.map((e) => e.pointer).sort()).toEqual(['/card/evaluation/accuracy', '/card/evaluation/agreed']);
    for (const e of errs) expect(e.message).toMatch(/^overstated: /);
    expect(c.json().detail).toContain(`measured accuracy ${ev.accuracy}; the card claims 1`);
    // Nothing of the refused attempts reached the chain.
    expect(await f.pipeline.port.isRegistered(modelIdOf('eu261-acme@1.0.0'))).toBe(false);
  });

  it('POST /v1/models › a featurizer the service does not ship, a merchant or an anonymous caller, an oversized file, a card that is not JSON, a body that is not multipart are refused', async () => {
    const r = await register(creator.apiKey, acmeCard(), onnx, { featurizer: 'my-featurizer@9.9.9' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].pointer).toBe('/featurizer');
    const m = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(f.t.adminToken), payload: { name: 'Not a creator' } })).json<{ apiKey: string }>();
    expect((await register(m.apiKey, acmeCard())).statusCode).toBe(403);
    const body = await multipart({ card: JSON.stringify(acmeCard()), featurizer: FEATURIZER }, onnx);
    expect((await f.t.app.inject({ method: 'POST', url: '/v1/models', headers: body.headers, payload: body.payload })).statusCode).toBe(401);
    // A file over the limit is cut off while it arrives: 413 naming the field.
    const huge = await register(creator.apiKey, acmeCard(), new Uint8Array(MAX_MODEL_BYTES + 1));
    expect(huge.statusCode, huge.body).toBe(413);
    expect(huge.json().errors[0].pointer).toBe('/model');
    // A card that is not JSON, and a body that is not multipart.
    const notJson = await multipart({ card: '{', featurizer: FEATURIZER }, onnx);
    const nj = await f.t.app.inject({ method: 'POST', url: '/v1/models', headers: { ...as(creator.apiKey), ...notJson.headers }, payload: notJson.payload });
    expect([nj.statusCode, nj.json().errors[0].pointer]).toEqual([400, '/card']);
    expect((await f.t.app.inject({ method: 'POST', url: '/v1/models', headers: as(creator.apiKey), payload: { card: {} } })).statusCode).toBe(415);
  });

  it('POST /v1/models › a matching model is published on chain from the creator\'s account, at its price and royalty, and served by the nodes', async () => {
    const res = await register(creator.apiKey, acmeCard());
    expect(res.statusCode, res.body).toBe(201);
    const modelId = modelIdOf('eu261-acme@1.0.0').toLowerCase();
    expect(res.json().model).toMatchObject({ id: modelId, ref: 'eu261-acme@1.0.0', source: 'registered', status: 'approved', creator: creator.address, price: PRICE.toString(), royaltyBps: ROYALTY_BPS });
    const entry = (await f.pipeline.port.registryEntry(modelId))!;
    expect(entry).toMatchObject({ creator: creator.address, price: PRICE, royaltyBps: ROYALTY_BPS, deprecated: false, steps: shippedCard.steps, modelRoot: shippedCard.modelRoot.toLowerCase(), onnxSha256: `0x${shippedCard.sha256}`, featurizer: utf8Id(FEATURIZER) });
    for (const i of [1, 2, 3]) expect(await f.pipeline.port.servers(modelId)).toContain((await f.chain.devSigner(i).getAddress()).toLowerCase());
    // The same version again is a conflict; another creator may not take the name.
    expect((await register(creator.apiKey, acmeCard())).statusCode).toBe(409);
    const other = (await f.t.app.inject({ method: 'POST', url: '/v1/creators', headers: as(f.t.adminToken), payload: { name: 'Other' } })).json<{ apiKey: string }>();
    const taken = await register(other.apiKey, acmeCard('1.0.1'));
    expect(taken.statusCode, taken.body).toBe(403);
    expect(taken.json().errors[0].pointer).toBe('/card/id');
  });

  it('GET /v1/models, /:id, /:id/evaluation › list, card, and the measured evaluation with per-ground results and a confusion table', async () => {
    const list = (await f.t.app.inject({ method: 'GET', url: '/v1/models' })).json<{ data: { ref: string; default: boolean; jurisdiction: string }[] }>().data;
    expect(list.map((m) => m.ref)).toContain('eu261-acme@1.0.0');
    // Equal public evaluation: the shipped model stays the EU261 default.
    expect(list.filter((m) => m.jurisdiction === 'EU261' && m.default).map((m) => m.ref)).toEqual([SHIPPED_REF]);
    const one = await f.t.app.inject({ method: 'GET', url: '/v1/models/eu261-acme@1.0.0' });
    expect(one.json().card.id).toBe('eu261-acme');
    const ev = (await f.t.app.inject({ method: 'GET', url: `/v1/models/${modelIdOf('eu261-acme@1.0.0')}/evaluation` })).json();
    const claimed = shippedCard.evaluation as { sha256: string; cases: number; agreed: number };
    expect(ev).toMatchObject({ evaluationSet: claimed.sha256, cases: claimed.cases, agreed: claimed.agreed });
    const groundCases = Object.values(ev.byGround as Record<string, { cases: number }>).reduce((a, g) => a + g.cases, 0);
    expect(groundCases).toBe(claimed.cases);
    const confusionCases = Object.values(ev.confusion as Record<string, Record<string, number>>).flatMap((r) => Object.values(r)).reduce((a, n) => a + n, 0);
    expect(confusionCases).toBe(claimed.cases);
    const bytes = await f.t.app.inject({ method: 'GET', url: '/v1/models/eu261-acme@1.0.0/onnx' });
    expect(Buffer.from(bytes.rawPayload).equals(onnx)).toBe(true);
    expect((await f.t.app.inject({ method: 'GET', url: '/v1/models/nothing@1.0.0' })).statusCode).toBe(404);
  });

  it('pinned model › a merchant\'s case is decided by its pinned model; the royalty reaches the creator to the wei; trail, usage, node view and quote show the split', async () => {
    const admin = as(f.t.adminToken);
    const m = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: admin, payload: { name: 'Pinning Air' } })).json<{ id: string; apiKey: string }>();
    pinningMerchant = m.id;
    const pin = await f.t.app.inject({ method: 'PUT', url: '/v1/merchants/me/model-pins/EU261', headers: as(m.apiKey), payload: { modelId: 'eu261-acme@1.0.0' } });
    expect(pin.statusCode, pin.body).toBe(200);
    expect(pin.json().effective).toBe(modelIdOf('eu261-acme@1.0.0').toLowerCase());
    // A model of another jurisdiction cannot be pinned.
    expect((await f.t.app.inject({ method: 'PUT', url: '/v1/merchants/me/model-pins/UK261', headers: as(m.apiKey), payload: { modelId: 'eu261-acme@1.0.0' } })).statusCode).toBe(400);
    // The merchant's price cap: a model that costs more is refused as problem+json naming /maxPrice (the pin stands).
    const capped = await f.t.app.inject({ method: 'PUT', url: '/v1/merchants/me/model-pins/EU261', headers: as(m.apiKey), payload: { modelId: 'eu261-acme@1.0.0', maxPrice: (PRICE - 1n).toString() } });
    expect(capped.statusCode, capped.body).toBe(400);
    expect(capped.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(capped.json().errors).toEqual([{ pointer: '/maxPrice', message: `eu261-acme@1.0.0 costs ${PRICE} wei per case, more than your cap of ${PRICE - 1n}` }]);

    const escrow = f.pipeline.port.contracts.escrow;
    const before = BigInt(await escrow.credit(creator.address));
    const filed = await f.t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(m.apiKey), payload: validRecords.eu261Delay });
    expect(filed.statusCode, filed.body).toBe(201);
    const caseId = filed.json<{ id: string }>().id;
    await f.waitFor(caseId, 'proposed', 180_000);
    expect(f.pipeline.store.byCase(caseId)!.modelRef).toBe('eu261-acme@1.0.0');
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(caseId, 'paid', 180_000);
    const batchId = BigInt(f.pipeline.store.byCase(caseId)!.batchId!);
    const b = await f.pipeline.port.getBatch(batchId);
    const split = splitFee(PRICE * BigInt(b.count), ROYALTY_BPS, (await f.pipeline.port.committee(batchId)).length);
    await until(async () => BigInt(await escrow.credit(creator.address)) - before === split.royalty, () => `royalty ${split.royalty} credited to ${creator.address}`);

    // The trail shows the batch's split, expected and as paid: nothing lost or created.
    const treasury = String(await f.pipeline.port.contracts.staking.treasury()).toLowerCase();
    let trail: { fees: { expected: Record<string, string>; paid: { role: string; payee: string; amount: string }[] } } | undefined;
    await until(
      async () => {
        trail = (await f.t.app.inject({ method: 'GET', url: `/v1/cases/${caseId}/trail`, headers: as(f.t.adminToken) })).json();
        return (trail?.fees?.paid.length ?? 0) > 0;
      },
      () => `the fee payments of batch ${batchId} in the trail: ${JSON.stringify(trail?.fees)}`,
    );
    const fees = trail!.fees;
    expect(fees.expected).toEqual({ pool: split.pool.toString(), royalty: split.royalty.toString(), perNode: split.perNode.toString(), nodes: split.nodes.toString(), protocol: split.protocol.toString() });
    expect(fees.paid.find((p) => p.role === 'royalty')).toMatchObject({ payee: creator.address, amount: split.royalty.toString() });
    expect(fees.paid.find((p) => p.role === 'protocol')).toMatchObject({ payee: treasury, amount: split.protocol.toString() });
    for (const p of fees.paid.filter((x) => x.role === 'node')) expect(p.amount).toBe(split.perNode.toString());
    expect(fees.paid.reduce((a, p) => a + BigInt(p.amount), 0n)).toBe(split.pool);

    // The creator sees its model's use; a node operator its seat and fee earnings.
    const usage = (await f.t.app.inject({ method: 'GET', url: '/v1/models/eu261-acme@1.0.0/usage' })).json();
    expect(usage).toMatchObject({ model: 'eu261-acme@1.0.0', creator: creator.address, decided: 1, royaltiesPaid: split.royalty.toString() });
    const member = (await f.pipeline.port.committee(batchId))[0].toLowerCase();
    const node = (await f.t.app.inject({ method: 'GET', url: `/v1/nodes/${member}` })).json();
    expect(node.models.map((x: { model: string }) => x.model)).toContain('eu261-acme@1.0.0');
    expect(node.jobs.seats).toBeGreaterThanOrEqual(1);
    expect(BigInt(node.earnings.fees)).toBeGreaterThanOrEqual(split.perNode);
    expect(BigInt(node.stake)).toBeGreaterThan(0n);
    expect((await f.t.app.inject({ method: 'GET', url: '/v1/nodes/not-an-address' })).statusCode).toBe(400);

    // A quote before filing: the merchant's pin applies to its quote, anyone else gets the default.
    const q = (await f.t.app.inject({ method: 'GET', url: '/v1/quote?jurisdiction=EU261', headers: as(m.apiKey) })).json();
    const one = splitFee(PRICE, ROYALTY_BPS, Number(f.chain.deployment.config.committeeSize));
    expect(q).toMatchObject({ model: 'eu261-acme@1.0.0', caseFee: PRICE.toString(), total: PRICE.toString(), split: { royalty: one.royalty.toString(), perNode: one.perNode.toString() } });
    expect(q.servers.map((s: { node: string }) => s.node).sort()).toEqual((await f.pipeline.port.servers(modelIdOf('eu261-acme@1.0.0'))).sort());
    const anonQuote = (await f.t.app.inject({ method: 'GET', url: '/v1/quote?jurisdiction=EU261' })).json();
    expect(anonQuote.model).toBe(SHIPPED_REF);
    expect((await f.t.app.inject({ method: 'GET', url: '/v1/quote?jurisdiction=MARS' })).statusCode).toBe(400);
    // An unpinned case of the same jurisdiction goes to the default (shipped) model.
    const plain = await f.file(validRecords.eu261Delay);
    await until(() => f.pipeline.store.byCase(plain.id) !== undefined, () => 'the unpinned case to be opened');
    expect(f.pipeline.store.byCase(plain.id)!.modelRef).toBe(SHIPPED_REF);
  });

  it('deprecate › only its creator deprecates a version; the chain refuses new cases and the pin falls back to the default', async () => {
    const id = modelIdOf('eu261-acme@1.0.0').toLowerCase();
    const other = (await f.t.app.inject({ method: 'POST', url: '/v1/creators', headers: as(f.t.adminToken), payload: { name: 'Third' } })).json<{ apiKey: string }>();
    expect((await f.t.app.inject({ method: 'POST', url: `/v1/models/${id}/deprecate`, headers: as(other.apiKey) })).statusCode).toBe(404);
    const res = await f.t.app.inject({ method: 'POST', url: `/v1/models/${id}/deprecate`, headers: as(creator.apiKey) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('deprecated');
    expect((await f.pipeline.port.registryEntry(id))!.deprecated).toBe(true);
    const list = (await f.t.app.inject({ method: 'GET', url: '/v1/models' })).json<{ data: { id: string; status: string }[] }>().data;
    expect(list.find((m) => m.id === id)!.status).toBe('deprecated');
    // The chain refuses a new case under it …
    const arbitration = f.pipeline.port.contracts.arbitration.connect(f.chain.devSigner(9)) as typeof f.pipeline.port.contracts.arbitration;
    const opening = arbitration.openCase.staticCall(utf8Id('after-deprecation'), id, utf8Id('s0'), creator.address, creator.address, '0x', { value: PRICE });
    await expect(opening).rejects.toThrow();
    expect(await opening.catch((e) => f.pipeline.port.revertName(e))).toBe('ModelIsDeprecated');
    // … and the merchant's pin falls back to the jurisdiction's default.
    expect(f.t.app.market.chooser(f.pipeline.models)('EU261', pinningMerchant)!.ref).toBe(SHIPPED_REF);
  });

  it('node fees › an operator declares its fee (stakeAndServe, as `arbiter node --fee`): every model served again at it, shown by /v1/nodes and the quote', async () => {
    const signer = f.pipeline.market.nodes[0];
    const address = (await signer.getAddress()).toLowerCase();
    const FEE = 123_456_789n;
    const r = await stakeAndServe(f.pipeline.port, signer, f.pipeline.models, undefined, FEE);
    expect(r.served.length).toBe(f.pipeline.models.all.length);
    expect(BigInt((await f.pipeline.port.contracts.staking.nodes(address)).fee)).toBe(FEE);
    expect((await f.t.app.inject({ method: 'GET', url: `/v1/nodes/${address}` })).json().fee).toBe(FEE.toString());
    const q = (await f.t.app.inject({ method: 'GET', url: '/v1/quote?jurisdiction=VISA' })).json();
    expect(q.servers.find((s: { node: string }) => s.node === address)).toMatchObject({ fee: FEE.toString(), eligible: true });
    // The same fee again changes nothing.
    expect((await stakeAndServe(f.pipeline.port, signer, f.pipeline.models, undefined, FEE)).served).toEqual([]);
    // A node asking more than one seat's part of the case fee is not drawn (Arbitration.seatFeeCap):
    // the quote says so, and that the committee can no longer be full.
    const size = Number(f.chain.deployment.config.committeeSize);
    expect(q.seatFeeCap).toBe((await f.pipeline.port.contracts.arbitration.seatFeeCap(q.modelId, size)).toString());
    expect(q.fullCommittee).toBe(true);
    await stakeAndServe(f.pipeline.port, signer, f.pipeline.models, undefined, BigInt(q.seatFeeCap) + 1n);
    const dear = (await f.t.app.inject({ method: 'GET', url: '/v1/quote?jurisdiction=VISA' })).json();
    expect(dear.servers.find((s: { node: string }) => s.node === address).eligible).toBe(false);
    expect(dear.fullCommittee).toBe(dear.servers.filter((s: { eligible: boolean }) => s.eligible).length >= size);
    await stakeAndServe(f.pipeline.port, signer, f.pipeline.models, undefined, FEE);
  });

  it('arbiter model register <dir> / verify <modelId | dir> / node status › the CLI registers, re-verifies against the chain, and names a flipped byte, a changed figure and an overstated card', async () => {
    await f.t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = f.t.app.server.address() as { port: number };
    const api = `http://127.0.0.1:${address.port}`;
    const chainArgs = ['--api', api, '--rpc', f.fx.anvil.url, '--deployment', join(f.t.dataDir, 'chain', 'deployment.json')];
    const cli = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 240_000 }, (err, stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
      });
    const root = mkdtempSync(join(tmpdir(), 'arbiter-market-cli-'));
    const folder = (name: string, card: ModelCard, bytes: Uint8Array = onnx) => {
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 2));
      writeFileSync(join(dir, 'model.onnx'), bytes);
      return dir;
    };
    try {
      const good = folder('good', acmeCard('1.1.0'));
      const reg = await cli(['model', 'register', good, '--api', api, '--price', PRICE.toString(), '--royalty-bps', String(ROYALTY_BPS)], { ARBITER_CREATOR_KEY: creator.apiKey });
      expect(reg.code, reg.stderr).toBe(0);
      expect(reg.stdout).toContain('registered eu261-acme@1.1.0');
      expect(await f.pipeline.port.isRegistered(modelIdOf('eu261-acme@1.1.0'))).toBe(true);

      const byId = await cli(['model', 'verify', modelIdOf('eu261-acme@1.1.0'), ...chainArgs]);
      expect(byId.code, byId.stdout + byId.stderr).toBe(0);
      expect(byId.stdout).toMatch(/ok {3}on-chain model root/);
      expect(byId.stdout).toMatch(/verified/);

      const flipped = new Uint8Array(onnx);
      flipped[Math.floor(flipped.length / 2)] ^= 0x01;
      const flip = await cli(['model', 'verify', folder('flipped', acmeCard('1.1.0'), flipped), ...chainArgs]);
      expect(flip.code).toBe(1);
      expect(flip.stdout).toMatch(/FAIL \/card\/sha256: the file's sha256 is/);

      const figure = await cli(['model', 'verify', folder('figure', { ...acmeCard('1.1.0'), modelRoot: `0x${'ab'.repeat(32)}` }), ...chainArgs]);
      expect(figure.code).toBe(1);
      expect(figure.stdout).toMatch(/FAIL \/card\/modelRoot: the graph's model root is/);
      expect(figure.stdout).toMatch(/FAIL on-chain model root/);

      const ev = shippedCard.evaluation as { cases: number };
      const over = await cli(['model', 'verify', folder('overstated', { ...acmeCard('1.1.0'), evaluation: { ...shippedCard.evaluation, agreed: ev.cases, accuracy: 1 } }), ...chainArgs]);
      expect(over.code).toBe(1);
      expect(over.stdout).toMatch(/FAIL \/card\/evaluation\/accuracy: overstated: measured accuracy/);

      // A node operator's process takes the approved registered models from the API, measured locally.
      const nodeModels = await loadCatalogue();
      const remote = await addRegisteredModels(api, nodeModels);
      expect(remote).toEqual({ added: ['eu261-acme@1.1.0'], skipped: [] });
      expect(nodeModels.byRef('eu261-acme@1.1.0')!.terms).toMatchObject({ price: PRICE, royaltyBps: ROYALTY_BPS, modelRoot: shippedCard.modelRoot });
      expect(nodeModels.byRef('eu261-acme@1.0.0')).toBeUndefined(); // deprecated: not served

      const member = (await f.chain.devSigner(1).getAddress()).toLowerCase();
      const status = await cli(['node', 'status', '--api', api, '--address', member]);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain(`node ${member}`);
      expect(status.stdout).toMatch(/models +.*eu261-acme@1\.1\.0/);
      expect(status.stdout).toMatch(/jobs +[1-9]\d* seats/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('race › two registrations of one version at once: one is published, the other is a 409, never a 500', async () => {
    const [a, b] = await Promise.all([register(creator.apiKey, acmeCard('1.2.0')), register(creator.apiKey, acmeCard('1.2.0'))]);
    expect([a.statusCode, b.statusCode].sort(), a.body + b.body).toEqual([201, 409]);
    expect((await f.pipeline.port.registryEntry(modelIdOf('eu261-acme@1.2.0')))?.creator).toBe(creator.address);
  });

  it('Idempotency-Key › a retried registration replays the first answer and registers nothing twice; the key with another body is a 409 problem', async () => {
    const key = { 'idempotency-key': `register-${creator.id}-1.3.0` };
    const first = await register(creator.apiKey, acmeCard('1.3.0'), onnx, {}, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await register(creator.apiKey, acmeCard('1.3.0'), onnx, {}, key);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    // Without the key the same body is a new request: the version exists, a 409.
    expect((await register(creator.apiKey, acmeCard('1.3.0'))).statusCode).toBe(409);
    // Registered once: one webhook row per listener, not two.
    expect(outbox('model.registered').filter((e) => e.data.ref === 'eu261-acme@1.3.0').length).toBe(new Set(outbox('model.registered').filter((e) => e.data.ref === 'eu261-acme@1.3.0').map((e) => e.merchantId)).size);

    // The same key with another body (another version, or another file) is refused and runs nothing.
    const other = await register(creator.apiKey, acmeCard('1.4.0'), onnx, {}, key);
    expect(other.statusCode, other.body).toBe(409);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json().type).toMatch(/idempotency-key-reused$/);
    const flipped = new Uint8Array(onnx);
    flipped[flipped.length - 9] ^= 0x01;
    expect((await register(creator.apiKey, acmeCard('1.3.0'), flipped, {}, key)).statusCode).toBe(409);
    expect(await f.pipeline.port.isRegistered(modelIdOf('eu261-acme@1.4.0'))).toBe(false);
  });

  it('webhooks › a registration and a deprecation each write, with the change, one model.… row per subscribed merchant; a pin sends merchant.model_pinned to its merchant only', async () => {
    const admin = as(f.t.adminToken);
    const merchant = async (name: string, events: string[]) => {
      const m = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: admin, payload: { name } })).json<{ id: string; apiKey: string }>();
      const e = await f.t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(m.apiKey), payload: { url: 'http://127.0.0.1:9/hooks', events } });
      expect(e.statusCode, e.body).toBe(201);
      return m;
    };
    const listener = await merchant('Model Watcher', ['model.registered', 'model.deprecated', 'merchant.model_pinned']);
    const bystander = await merchant('Case Only', ['case.created']);
    const ref = 'eu261-acme@1.5.0';
    const id = modelIdOf(ref).toLowerCase();

    const reg = await register(creator.apiKey, acmeCard('1.5.0'));
    expect(reg.statusCode, reg.body).toBe(201);
    const registered = outbox('model.registered').filter((e) => e.data.ref === ref);
    expect(registered.map((e) => e.merchantId)).toContain(listener.id);
    expect(registered.map((e) => e.merchantId)).not.toContain(bystander.id);
    expect(registered.every((e) => e.caseId === null)).toBe(true);
    expect(registered.find((e) => e.merchantId === listener.id)!.data).toMatchObject({
      model: id,
      jurisdiction: 'EU261',
      creator: creator.address,
      price: PRICE.toString(),
      royaltyBps: ROYALTY_BPS,
      sha256: shippedCard.sha256,
      default: false, // the same accuracy as the shipped default: the default stays
      tx: reg.json().tx,
    });
    // No default moved (an equal evaluation keeps the shipped model).
    expect(outbox('model.default_changed').filter((e) => e.data.ref === ref)).toEqual([]);

    // The listener pins it: the pin's row goes to the listener alone; the same pin again sends nothing.
    const pin = () => f.t.app.inject({ method: 'PUT', url: '/v1/merchants/me/model-pins/EU261', headers: as(listener.apiKey), payload: { modelId: ref } });
    expect((await pin()).statusCode).toBe(200);
    expect((await pin()).statusCode).toBe(200);
    const pinned = outbox('merchant.model_pinned').filter((e) => e.merchantId === listener.id);
    expect(pinned.map((e) => e.data)).toEqual([{ merchantId: listener.id, jurisdiction: 'EU261', model: id, previousModel: null, effective: id, actor: `merchant:${listener.id}` }]);

    const dep = await f.t.app.inject({ method: 'POST', url: `/v1/models/${id}/deprecate`, headers: as(creator.apiKey) });
    expect(dep.statusCode, dep.body).toBe(200);
    const deprecated = outbox('model.deprecated').filter((e) => e.data.ref === ref);
    expect(deprecated.map((e) => e.merchantId)).not.toContain(bystander.id);
    expect(deprecated.find((e) => e.merchantId === listener.id)!.data).toEqual({
      model: id,
      ref,
      jurisdiction: 'EU261',
      creator: creator.address,
      pinned: true,
      effective: modelIdOf(SHIPPED_REF).toLowerCase(),
    });
    // Deprecating again is no change: no second row.
    await f.t.app.inject({ method: 'POST', url: `/v1/models/${id}/deprecate`, headers: as(creator.apiKey) });
    expect(outbox('model.deprecated').filter((e) => e.data.ref === ref).length).toBe(deprecated.length);
  });

  it('restart › registered models join the pipeline again from DATA_DIR/market (bytes, card, terms)', async () => {
    await f.restart();
    const m = f.pipeline.models.byRef('eu261-acme@1.0.0');
    expect(m?.terms).toMatchObject({ price: PRICE, royaltyBps: ROYALTY_BPS, sha256: shippedCard.sha256 });
    expect(f.pipeline.models.byRef('eu261-acme@1.1.0')).toBeDefined();
    expect(m!.runner.steps).toBe(shippedCard.steps);
  });
});
