// Every role × every route: nobody reads or writes what is not theirs. Each row gets fresh
// cases so writes (withdraw, evidence) of one row cannot change another's outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords, withField } from '../../support/case-fixtures.js';
import { pdfFile } from '../../support/evidence-files.js';

type Actor = 'claimant' | 'otherClaimant' | 'merchant' | 'otherMerchant' | 'arbitrator' | 'admin' | 'anonymous';
const actors: Actor[] = ['claimant', 'otherClaimant', 'merchant', 'otherMerchant', 'arbitrator', 'admin', 'anonymous'];

let t: TestApp;
let merchant: { id: string; apiKey: string };
let otherMerchant: { id: string; apiKey: string };
let arbitratorToken: string;

beforeAll(async () => {
  t = await startTestApp();
  const admin = { authorization: `Bearer ${t.adminToken}` };
  merchant = (await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'M1' }, headers: admin })).json();
  otherMerchant = (await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'M2' }, headers: admin })).json();
  arbitratorToken = (await t.app.inject({ method: 'POST', url: '/v1/arbitrators', payload: { name: 'Arb' }, headers: admin })).json().token;
});
afterAll(async () => t?.close());

/** Case A (the claimant's, against `merchant`) and case B (another claimant's, against `otherMerchant`). */
async function world() {
  const fileAgainst = async (m: { id: string }) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/v1/cases',
        payload: withField(validRecords.visaFraud, '/respondent', { merchantId: m.id }),
      })
    ).json() as { id: string; accessToken: string };
  const a = await fileAgainst(merchant);
  const b = await fileAgainst(otherMerchant);
  const tokens: Record<Actor, string | undefined> = {
    claimant: a.accessToken,
    otherClaimant: b.accessToken,
    merchant: merchant.apiKey,
    otherMerchant: otherMerchant.apiKey,
    arbitrator: arbitratorToken,
    admin: t.adminToken,
    anonymous: undefined,
  };
  return { a, b, tokens };
}

const pdf = pdfFile();
function evidenceBody() {
  const boundary = 'matrixboundary';
  return {
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="e.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

interface Route {
  name: string;
  expected: Record<Actor, number>;
  request(caseA: string): { method: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string> };
}

const readCase: Record<Actor, number> = {
  claimant: 200,
  otherClaimant: 404,
  merchant: 200,
  otherMerchant: 404,
  arbitrator: 200,
  admin: 200,
  anonymous: 401,
};
const adminOnly: Record<Actor, number> = {
  claimant: 403,
  otherClaimant: 403,
  merchant: 403,
  otherMerchant: 403,
  arbitrator: 403,
  admin: 201,
  anonymous: 401,
};

const routes: Route[] = [
  {
    name: 'POST /v1/cases',
    expected: { claimant: 201, otherClaimant: 201, merchant: 201, otherMerchant: 201, arbitrator: 201, admin: 201, anonymous: 201 },
    request: () => ({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay }),
  },
  { name: 'GET /v1/cases/:id', expected: readCase, request: (a) => ({ method: 'GET', url: `/v1/cases/${a}` }) },
  { name: 'GET /v1/cases/:id/timeline', expected: readCase, request: (a) => ({ method: 'GET', url: `/v1/cases/${a}/timeline` }) },
  { name: 'GET /v1/cases/:id/evidence', expected: readCase, request: (a) => ({ method: 'GET', url: `/v1/cases/${a}/evidence` }) },
  {
    name: 'GET /v1/cases',
    expected: { claimant: 200, otherClaimant: 200, merchant: 200, otherMerchant: 200, arbitrator: 200, admin: 200, anonymous: 401 },
    request: () => ({ method: 'GET', url: '/v1/cases?limit=100' }),
  },
  {
    name: 'POST /v1/cases/:id/evidence',
    expected: { claimant: 201, otherClaimant: 404, merchant: 201, otherMerchant: 404, arbitrator: 403, admin: 201, anonymous: 401 },
    request: (a) => ({ method: 'POST', url: `/v1/cases/${a}/evidence`, ...evidenceBody() }),
  },
  {
    name: 'POST /v1/cases/:id/withdraw',
    expected: { claimant: 200, otherClaimant: 404, merchant: 403, otherMerchant: 404, arbitrator: 403, admin: 403, anonymous: 401 },
    request: (a) => ({ method: 'POST', url: `/v1/cases/${a}/withdraw` }),
  },
  { name: 'POST /v1/merchants', expected: adminOnly, request: () => ({ method: 'POST', url: '/v1/merchants', payload: { name: 'X' } }) },
  { name: 'POST /v1/arbitrators', expected: adminOnly, request: () => ({ method: 'POST', url: '/v1/arbitrators', payload: { name: 'Y' } }) },
  {
    name: 'GET /health',
    expected: { claimant: 200, otherClaimant: 200, merchant: 200, otherMerchant: 200, arbitrator: 200, admin: 200, anonymous: 200 },
    request: () => ({ method: 'GET', url: '/health' }),
  },
];

const rows = routes.flatMap((route) => actors.map((actor) => [route.name, actor, route.expected[actor], route] as const));

describe('authorization matrix', () => {
  it.each(rows)('%s as %s → %i', async (_name, actor, expected, route) => {
    const { a, tokens } = await world();
    const req = route.request(a.id);
    const token = tokens[actor];
    const res = await t.app.inject({
      method: req.method,
      url: req.url,
      payload: req.payload as never,
      headers: { ...(req.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    expect(res.statusCode, res.body).toBe(expected);
    if (expected >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (route.name === 'GET /v1/cases/:id' && expected === 200) expect(res.json().id).toBe(a.id);
  });

  it('lists only what each caller may see', async () => {
    const { a, b, tokens } = await world();
    const ids = async (actor: Actor) =>
      (await t.app.inject({ url: '/v1/cases?limit=100', headers: { authorization: `Bearer ${tokens[actor]}` } }))
        .json()
        .data.map((c: { id: string; merchantId: string | null }) => c);
    expect((await ids('claimant')).map((c: { id: string }) => c.id)).toEqual([a.id]);
    expect((await ids('otherClaimant')).map((c: { id: string }) => c.id)).toEqual([b.id]);
    const merchantCases = await ids('merchant');
    expect(merchantCases.length).toBeGreaterThan(0);
    expect(merchantCases.every((c: { merchantId: string }) => c.merchantId === merchant.id)).toBe(true);
    expect(merchantCases.map((c: { id: string }) => c.id)).toContain(a.id);
    expect(merchantCases.map((c: { id: string }) => c.id)).not.toContain(b.id);
    const all = (await ids('arbitrator')).map((c: { id: string }) => c.id);
    expect(all).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('refuses an unknown or malformed token with 401 instead of treating the caller as anonymous', async () => {
    for (const authorization of ['Bearer ct_forged', 'Bearer mk_forged', 'Token abc']) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay, headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it('keeps a claimant token from acting on any other case, including via timeline and evidence', async () => {
    const { b, tokens } = await world();
    for (const url of [`/v1/cases/${b.id}`, `/v1/cases/${b.id}/timeline`, `/v1/cases/${b.id}/evidence`]) {
      const res = await t.app.inject({ url, headers: { authorization: `Bearer ${tokens.claimant}` } });
      expect(res.statusCode, url).toBe(404);
    }
  });
});
