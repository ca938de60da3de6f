// Attack on model registration (issue 12): a creator's card naming a file outside its model folder.
// GET /v1/models/:id/onnx (public) served `join(folder, card.file)`, so a card with
// `"file": "../../arbiter.sqlite"` would let anyone download the server's database. And the
// public node view: a malformed address is the caller's mistake, named, whatever the chain's state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { startTestApp, type TestApp } from '../../support/app.js';
import { MODELS_ROOT } from '../../../server/models/registry.js';
import type { ModelCard } from '../../../server/models/card.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const EU = join(MODELS_ROOT, 'eu261');
const onnx = readFileSync(join(EU, 'model.onnx'));
const shippedCard = JSON.parse(readFileSync(join(EU, 'card.json'), 'utf8')) as ModelCard;
const FEATURIZER = `${shippedCard.featurizer.id}@${shippedCard.featurizer.version}`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

async function multipart(fields: Record<string, string>, file: Uint8Array) {
  const form = new FormData();
  form.append('model', new Blob([new Uint8Array(file) as Uint8Array<ArrayBuffer>]), 'model.onnx');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const r = new Response(form);
  return { payload: Buffer.from(await r.arrayBuffer()), headers: { 'content-type': r.headers.get('content-type')! } };
}

describe('POST /v1/models › a card that names a file outside the model folder', { timeout: 120_000 }, () => {
  it('is refused naming /card/file before anything is measured or published (GET …/onnx would serve that path to anyone)', async () => {
    const creator = await t.app.inject({ method: 'POST', url: '/v1/creators', headers: as(t.adminToken), payload: { name: 'Traversal Models', address: Wallet.createRandom().address } });
    expect(creator.statusCode, creator.body).toBe(201);
    const key = creator.json<{ apiKey: string }>().apiKey;
    for (const file of ['../../arbiter.sqlite', '/etc/passwd', 'sub/model.onnx', '..', 42]) {
      const card = { ...structuredClone(shippedCard), id: 'eu261-traversal', file };
      const body = await multipart({ card: JSON.stringify(card), featurizer: FEATURIZER }, onnx);
      const res = await t.app.inject({ method: 'POST', url: '/v1/models', headers: { ...as(key), ...body.headers }, payload: body.payload });
      expect(res.statusCode, `file ${JSON.stringify(file)}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/card/file');
    }
  });
});

describe('POST /v1/models › a card over 256 KiB', { timeout: 120_000 }, () => {
  it('is a 413 problem+json naming /card and the limit (not "the card is not JSON": the field was cut at the limit)', async () => {
    const creator = await t.app.inject({ method: 'POST', url: '/v1/creators', headers: as(t.adminToken), payload: { name: 'Big Card Models', address: Wallet.createRandom().address } });
    expect(creator.statusCode, creator.body).toBe(201);
    const key = creator.json<{ apiKey: string }>().apiKey;
    // Valid JSON, just too long: a description padding it past 256 KiB.
    const card = JSON.stringify({ ...structuredClone(shippedCard), id: 'eu261-big-card', padding: 'x'.repeat(256 * 1024) });
    const body = await multipart({ card, featurizer: FEATURIZER }, onnx);
    const res = await t.app.inject({ method: 'POST', url: '/v1/models', headers: { ...as(key), ...body.headers }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<{ detail: string; errors: { pointer: string; message: string }[] }>();
    expect(problem.errors).toEqual([{ pointer: '/card', message: expect.stringContaining(String(256 * 1024)) }]);
    expect(problem.detail).toContain('256 KiB');
    expect(res.body).not.toContain('not JSON');
    // A card just under the limit still gets past the size check (to the card's own checks).
    const fits = await multipart({ card: JSON.stringify({ ...structuredClone(shippedCard), id: 'eu261-big-card', file: '../x' }), featurizer: FEATURIZER }, onnx);
    const ok = await t.app.inject({ method: 'POST', url: '/v1/models', headers: { ...as(key), ...fits.headers }, payload: fits.payload });
    expect(ok.statusCode, ok.body).toBe(400);
    expect(ok.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/card/file');
  });
});

describe('GET /v1/nodes/:address › input first', () => {
  it('a malformed address is a 400 naming /address even without a chain (not a 503 that hides the caller\'s mistake)', async () => {
    for (const address of ['xyz', '0x12', `0x${'g'.repeat(40)}`, '..%2F..%2Fetc']) {
      const res = await t.app.inject({ url: `/v1/nodes/${address}` });
      expect(res.statusCode, `${address}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors[0].pointer).toBe('/address');
    }
    // A well-formed address without a chain: the chain's absence is what the caller is told.
    expect((await t.app.inject({ url: `/v1/nodes/0x${'a'.repeat(40)}` })).statusCode).toBe(503);
  });
});
