// Migration 0010 rebuilds webhook_outbox (case_id becomes optional, for a merchant's own events
// such as merchant.escrow_account_named). Other tables reference it (webhook_deliveries), so the
// rebuild must run with foreign keys off (migrate.ts): on a database that already has deliveries,
// the rows survive, still linked, and the foreign keys are on again after.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connection.js';
import { applyMigrations, migrationsFolder } from '../../../server/db/migrate.js';

let dir: string;
let handle: DatabaseHandle | undefined;
afterEach(async () => {
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Inserts a row filling each required column without a default (text 'x', numbers 0) besides `values`. */
function insert(db: DatabaseHandle['db'], table: string, values: Record<string, unknown>) {
  const cols = db.$client.prepare(`pragma table_info(${table})`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[];
  const row: Record<string, unknown> = {};
  for (const c of cols) if (c.notnull && c.dflt_value === null && !(c.pk && c.type === 'integer')) row[c.name] = /int|real/i.test(c.type) ? 0 : 'x';
  Object.assign(row, values);
  const names = Object.keys(row);
  db.$client.prepare(`insert into ${table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`).run(...names.map((n) => row[n]));
}

describe('migration 0010 (webhook_outbox.case_id optional)', () => {
  it('keeps existing outbox rows and their deliveries on a database that has them, with foreign keys on after', async () => {
    dir = mkdtempSync(join(tmpdir(), 'arbiter-outbox-mig-'));
    // The migrations up to 0009, as a database made before this change has them.
    const before = join(dir, 'migrations');
    cpSync(migrationsFolder, before, { recursive: true });
    const journalFile = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag === '0010_outbox_merchant_events');
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    writeFileSync(journalFile, JSON.stringify(journal));

    handle = openDatabase(join(dir, 'a.db'), { backgroundCheckpoints: false });
    const { db } = handle;
    migrate(db, { migrationsFolder: before });
    insert(db, 'merchants', { id: 'mch_1' });
    insert(db, 'cases', { id: 'cs_1', merchant_id: 'mch_1' });
    insert(db, 'webhook_endpoints', { id: 'we_1', merchant_id: 'mch_1' });
    insert(db, 'webhook_outbox', { id: 'evt_1', case_id: 'cs_1', merchant_id: 'mch_1', event_type: 'case.filed', payload: '{}', created_at: '2026-01-01T00:00:00.000Z' });
    insert(db, 'webhook_deliveries', { id: 'whd_1', event_id: 'evt_1', endpoint_id: 'we_1', merchant_id: 'mch_1', status: 'succeeded' });

    applyMigrations(db);

    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('foreign_key_check')).toEqual([]);
    expect(db.$client.prepare('select id, case_id as caseId from webhook_outbox').all()).toEqual([{ id: 'evt_1', caseId: 'cs_1' }]);
    expect(db.$client.prepare('select id, event_id as eventId from webhook_deliveries').all()).toEqual([{ id: 'whd_1', eventId: 'evt_1' }]);
    // A merchant's own event has no case; a case id that does not exist is still refused.
    insert(db, 'webhook_outbox', { id: 'evt_2', case_id: null, merchant_id: 'mch_1', event_type: 'merchant.escrow_account_named', payload: '{}', created_at: '2026-01-01T00:00:00.000Z' });
    expect(() => insert(db, 'webhook_outbox', { id: 'evt_3', case_id: 'cs_nope', merchant_id: 'mch_1', event_type: 'case.filed', payload: '{}', created_at: '2026-01-01T00:00:00.000Z' })).toThrow(/FOREIGN KEY/);
  });
});
