// Issue 3 through the HTTP API: "A property test (fast-check, fixed seed, at least 2,000 mutated
// records: dropped, added, retyped and out-of-range fields) asserts no 5xx and that every 400
// names a field that exists in the mutated record." POST /v1/cases on the real app (SQLite
// file, Redis), by app.inject; "names a field" is `namesFieldOf` (present, or a missing member
// of an object that is present), judged on the record as the server received it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';
import { mutatedRecord, namesFieldOf } from '../../support/record-mutations.js';

const SEED = 20_260_302;
const RUNS = 2_000;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('POST /v1/cases with mutated records', () => {
  it.each(Object.keys(validRecords) as (keyof typeof validRecords)[])('files the valid %s fixture (201)', async (name) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords[name] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().record).toEqual(validRecords[name]);
  });

  it('never answers 5xx, and every 400 is problem+json naming fields of the record sent', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(mutatedRecord, async ({ record, steps }) => {
        const payload = JSON.stringify(record);
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/cases',
          headers: { 'content-type': 'application/json' },
          payload,
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const why = `${res.statusCode} ${res.body.slice(0, 300)} after ${steps.join('; ')}`;
        expect(res.statusCode, why).toBeLessThan(500);
        if (res.statusCode !== 400) return;
        expect(res.headers['content-type'], why).toMatch(/^application\/problem\+json/);
        const body = res.json() as { status: number; errors?: { pointer: string; message: string }[] };
        expect(body.status, why).toBe(400);
        expect(Array.isArray(body.errors) && body.errors.length > 0, why).toBe(true);
        const received = JSON.parse(payload) as unknown;
        for (const error of body.errors ?? []) {
          expect(namesFieldOf(received, error.pointer), `${error.pointer}: ${why}`).toBe(true);
          expect(typeof error.message).toBe('string');
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both outcomes occur: most mutations are rejected, a few leave a valid record that is filed.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 2);
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
  });
});
