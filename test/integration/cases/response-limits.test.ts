// The response route's body limit fits the largest valid response, and not much more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });
let t: TestApp;
let m: { id: string; apiKey: string };
beforeAll(async () => {
  t = await startTestApp({ env: { CASE_RESPONSE_SECONDS: '3600' } });
  m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name: 'Verbose Shop' } })).json();
});
afterAll(async () => t?.close());

async function newCase() {
  return (await t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(m.apiKey), payload: validRecords.visaFraud })).json<{ id: string }>().id;
}

// Every list full, the free text at its length limit in characters that JSON may \u-escape.
function largest(char: string, escape: boolean) {
  const text = char.repeat(10_000);
  const body = {
    chargeback: {
      merchantResponse: text,
      delivery: { proof: 'signed', date: '2025-10-01' },
      refundIssued: false,
      priorUndisputedTransactions: Array.from({ length: 100 }, () => ({ date: '2025-09-01', ipMatch: false, deviceIdMatch: false, shippingAddressMatch: false, accountMatch: false })),
    },
  };
  const json = JSON.stringify(body);
  return escape ? json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

describe('response body limit', () => {
  it('takes the largest valid response, raw and fully \\u-escaped', async () => {
    for (const [char, escape] of [['日', false], ['日', true], ['😀', true]] as const) {
      const payload = largest(char, escape);
      const res = await t.app.inject({ method: 'POST', url: `/v1/cases/${await newCase()}/response`, headers: { ...as(m.apiKey), 'content-type': 'application/json' }, payload });
      expect({ bytes: payload.length, status: res.statusCode, body: res.statusCode === 200 ? '' : res.body.slice(0, 300) }).toMatchObject({ status: 200 });
    }
  });

  it('answers 413 problem+json to a body well over that', async () => {
    const payload = JSON.stringify({ chargeback: { merchantResponse: 'x'.repeat(400_000) } });
    const res = await t.app.inject({ method: 'POST', url: `/v1/cases/${await newCase()}/response`, headers: { ...as(m.apiKey), 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
