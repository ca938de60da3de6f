import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';
import { openDatabase } from '../../../server/db/connection.js';

const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('restart on the same DATA_DIR', () => {
  it('keeps cases, tokens, merchants, timelines and idempotency keys', async () => {
    const first = await startTestApp({ dataDir, adminToken: 'adm_restart' });
    const admin = { authorization: 'Bearer adm_restart' };
    const merchant = (await first.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Persisted' }, headers: admin })).json();
    const filed = await first.app.inject({
      method: 'POST',
      url: '/v1/cases',
      payload: validRecords.eu261Delay,
      headers: { 'idempotency-key': 'restart-key' },
    });
    const c = filed.json();
    first.services.cases.startExecution(c.id);
    await first.close();
    expect(statSync(join(dataDir, 'arbiter.db')).size).toBeGreaterThan(0);

    const second = await startTestApp({ dataDir, adminToken: 'adm_restart' });
    try {
      const read = await second.app.inject({ url: `/v1/cases/${c.id}`, headers: { authorization: `Bearer ${c.accessToken}` } });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ id: c.id, status: 'executing', recordHash: c.recordHash, record: validRecords.eu261Delay });
      const timeline = (await second.app.inject({ url: `/v1/cases/${c.id}/timeline`, headers: { authorization: `Bearer ${c.accessToken}` } })).json();
      expect(timeline.data.map((e: { type: string }) => e.type)).toEqual(['filed', 'execution_started']);
      const asMerchant = await second.app.inject({ url: '/v1/cases', headers: { authorization: `Bearer ${merchant.apiKey}` } });
      expect(asMerchant.statusCode).toBe(200);
      const replay = await second.app.inject({
        method: 'POST',
        url: '/v1/cases',
        payload: validRecords.eu261Delay,
        headers: { 'idempotency-key': 'restart-key' },
      });
      expect(replay.body).toBe(filed.body);
    } finally {
      await second.close();
    }
  });

  it('uses WAL journaling and applies migrations once (a second start finds the schema current)', async () => {
    const handle = openDatabase(join(dataDir, 'arbiter.db'), { backgroundCheckpoints: false });
    try {
      expect(handle.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      const migrations = handle.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
      expect(migrations.n).toBeGreaterThanOrEqual(1);
    } finally {
      await handle.close();
    }
  });
});
