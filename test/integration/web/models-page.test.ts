// The marketplace page /models, server-rendered (no browser): it lists what the marketplace
// service lists (the same service as GET /v1/models), shipped and registered models alike, with
// the exact price in ETH for the page's language, the royalty share, the status and the
// jurisdiction's default, the evaluation figures and hashes, and how to re-verify each model.
// Real SQLite file and ONNX Runtime; the chain side is a stand-in (the page reads no chain).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../../server/web/build.js';
import type { PipelineModel } from '../../../server/pipeline/models.js';
import type { ModelView } from '../../../server/market/service.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { addRegisteredStandIns, STAND_IN_CREATOR } from '../../support/market-models.js';

let t: TestApp;
const creatorAddress = STAND_IN_CREATOR;
let acme: PipelineModel;
let retired: PipelineModel;

beforeAll(async () => {
  ensureWebBuild();
  t = await startTestApp({ env: { WEB: 'on' } });
  // Two registered EU261 models: one scoring better than the shipped model (so it becomes the
  // default), one its creator deprecated.
  ({ acme, retired } = await addRegisteredStandIns(t));
}, 600_000);
afterAll(async () => t?.close());

const page = async (lang: 'en' | 'de') => {
  const res = await t.app.inject({ url: '/models', headers: { 'accept-language': lang } });
  expect(res.statusCode).toBe(200);
  return res.body.replace(/<!-- -->/g, '');
};
/** One model's card on the page, as HTML (from its <li> to the next). */
const cardOf = (html: string, ref: string): string => {
  const start = html.indexOf(`data-model="${ref}"`);
  expect(start, `the card of ${ref}`).toBeGreaterThan(-1);
  const end = html.indexOf('</li>', start);
  return html.slice(start, end);
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('the marketplace page', () => {
  it('lists every model GET /v1/models lists, shipped and registered, with its price, royalty, status, creator and default', async () => {
    const api = (await t.app.inject({ url: '/v1/models' })).json() as { data: ModelView[] };
    expect(api.data.map((m) => m.ref)).toEqual(expect.arrayContaining([acme.ref, retired.ref, 'eu261@2.0.0']));
    expect(api.data.filter((m) => m.source === 'shipped').length).toBeGreaterThanOrEqual(5);
    const html = await page('en');
    for (const m of api.data) {
      const card = text(cardOf(html, m.ref));
      expect(card).toContain(m.ref);
      expect(card).toContain(m.id);
      expect(card).toContain(m.sha256);
      expect(card).toContain(m.modelRoot);
      expect(card).toContain(`npx arbiter model verify ${m.ref} --api http://`);
      expect(cardOf(html, m.ref)).toContain(`href="/v1/models/${m.id}/evaluation"`);
      if (m.default) expect(card).toContain('Default for ');
      else expect(card).not.toContain('Default for ');
      if (m.source === 'shipped') expect(card).toContain('Arbiter (shipped with the service)');
    }
    const a = text(cardOf(html, acme.ref));
    expect(a).toContain('Price per use 1.234567890123456789 ETH');
    expect(a).toMatch(/Creator’s royalty 2\.5\s?% of the price/);
    expect(a).toContain('Approved');
    expect(a).toContain('Default for EU261');
    expect(a).toContain(`Creator ${creatorAddress}`);
    const ev = acme.card.evaluation as { cases: number; sha256: string };
    expect(a).toContain(`${ev.cases.toLocaleString('en')} of ${ev.cases.toLocaleString('en')} cases decided as expected (100%)`);
    expect(a).toContain(`Evaluation set sha256 ${ev.sha256}`);
    const r = text(cardOf(html, retired.ref));
    expect(r).toContain('Deprecated: takes no new cases');
    expect(r).toContain('Price per use 0 ETH');
    // The shipped EU261 model is no longer its jurisdiction's default: the better registered one is.
    expect(text(cardOf(html, 'eu261@2.0.0'))).not.toContain('Default for');
    expect(api.data.find((m) => m.ref === acme.ref)).toMatchObject({ default: true, price: '1234567890123456789', royaltyBps: 250, creator: creatorAddress });
  });

  it('shows it in German: the amounts, shares and statuses formatted for the language', async () => {
    const html = await page('de');
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Entscheidungsmodelle');
    const a = text(cardOf(html, acme.ref));
    expect(a).toContain('Preis pro Nutzung 1,234567890123456789 ETH');
    expect(a).toMatch(/Anteil des Urhebers 2,5\s?% des Preises/);
    expect(a).toContain('Standard für EU261');
    expect(a).toContain('Zugelassen');
    expect(text(cardOf(html, retired.ref))).toContain('Zurückgezogen: nimmt keine neuen Fälle an');
    expect(a).toContain('Selbst nachprüfen');
  });
});
