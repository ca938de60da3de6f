// Issue 9, High 2: no live bearer secret in any table. The idempotency store used to keep whole
// response bodies (claimant accessTokens, merchant apiKeys) and the keys themselves in clear.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';
import { pdfFile } from '../../support/evidence-files.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

/** The secret part of every token shape Arbiter issues (ct_…, mk_…, at_…, adm_…). */
const secretPart = (token: string) => token.slice(token.lastIndexOf('.') + 1).replace(/^(mk|at|adm)_/, '');

describe('secrets at rest', () => {
  it('keeps no issued token, and no Idempotency-Key, in any table or database file, yet replays the response', async () => {
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const keys = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const merchant = await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Keyed' }, headers: { ...admin, 'idempotency-key': keys[0] } });
    const arbitrator = await t.app.inject({ method: 'POST', url: '/v1/arbitrators', payload: { name: 'Arb' }, headers: { ...admin, 'idempotency-key': keys[1] } });
    const filed = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay, headers: { 'idempotency-key': keys[2] } });
    const c = filed.json();
    const boundary = 'rest';
    await t.app.inject({
      method: 'POST',
      url: `/v1/cases/${c.id}/evidence`,
      payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.pdf"\r\n\r\n`), pdfFile(), Buffer.from(`\r\n--${boundary}--\r\n`)]),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${c.accessToken}`, 'idempotency-key': keys[3] },
    });
    const issued = [merchant.json().apiKey, arbitrator.json().token, c.accessToken, t.adminToken];
    for (const token of issued) expect(typeof token).toBe('string');

    const sqlite = t.app.db.$client;
    const tables = (sqlite.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toContain('idempotency_keys');
    const dump = tables.map((name) => JSON.stringify(sqlite.prepare(`select * from "${name}"`).all())).join('\n');
    for (const token of issued) expect(dump).not.toContain(secretPart(token));
    for (const key of keys) expect(dump).not.toContain(key);

    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(t.dataDir).filter((f) => f.startsWith('arbiter.db'))) {
      const bytes = readFileSync(join(t.dataDir, file));
      for (const token of issued) expect(bytes.includes(Buffer.from(secretPart(token)))).toBe(false);
    }

    // The caller who retries still gets its one chance at the secret.
    const again = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay, headers: { 'idempotency-key': keys[2] } });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().accessToken).toBe(c.accessToken);
    expect(again.headers['cache-control']).toBe('no-store');
  });
});
