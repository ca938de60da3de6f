import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';

let t: TestApp;
let admin: Record<string, string>;
const filed: { id: string; jurisdiction: string; kind: string }[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = { authorization: `Bearer ${t.adminToken}` };
  const records = Object.values(validRecords);
  for (let i = 0; i < 23; i++) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: records[i % records.length] });
    filed.push(res.json());
  }
  // One withdrawn case to filter on.
  t.services.cases.withdraw(filed[3].id);
});
afterAll(async () => t?.close());

const list = (query: string, headers = admin) => t.app.inject({ url: `/v1/cases${query}`, headers });

describe('GET /v1/cases', () => {
  it('returns newest first, 10 by default, with has_more', async () => {
    const res = await list('');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(10);
    expect(body.has_more).toBe(true);
    expect(body.data.map((c: { id: string }) => c.id)).toEqual(filed.slice(-10).reverse().map((c) => c.id));
  });

  it('walks every case exactly once with limit and starting_after', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const body = (await list(`?limit=7${cursor ? `&starting_after=${cursor}` : ''}`)).json();
      seen.push(...body.data.map((c: { id: string }) => c.id));
      if (!body.has_more) break;
      cursor = body.data.at(-1).id;
    }
    expect(seen).toEqual([...filed].reverse().map((c) => c.id));
  });

  it('says has_more is false on an exactly full last page', async () => {
    const body = (await list(`?limit=3&starting_after=${filed[3].id}`)).json();
    expect(body.data.map((c: { id: string }) => c.id)).toEqual([filed[2].id, filed[1].id, filed[0].id]);
    expect(body.has_more).toBe(false);
  });

  it('filters by status, jurisdiction and kind', async () => {
    const withdrawn = (await list('?status=withdrawn')).json();
    expect(withdrawn.data.map((c: { id: string }) => c.id)).toEqual([filed[3].id]);

    const visa = (await list('?jurisdiction=VISA&limit=100')).json();
    expect(visa.data.length).toBe(filed.filter((c) => c.jurisdiction === 'VISA').length);
    expect(visa.data.every((c: { jurisdiction: string }) => c.jurisdiction === 'VISA')).toBe(true);

    const chargebacks = (await list('?kind=chargeback&status=filed&limit=100')).json();
    expect(chargebacks.data.length).toBe(filed.filter((c, i) => c.kind === 'chargeback' && i !== 3).length);
  });

  it('rejects a bad limit or an unknown filter value with a pointer to the parameter', async () => {
    for (const [query, pointer] of [
      ['?limit=0', '/limit'],
      ['?limit=101', '/limit'],
      ['?status=lost', '/status'],
      ['?jurisdiction=MARS', '/jurisdiction'],
      ['?colour=red', '/colour'],
    ]) {
      const res = await list(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors.map((e: { pointer: string }) => e.pointer), query).toContain(pointer);
    }
  });
});
