// fastSelect and fastRun (server/db/fast-run.ts) run drizzle's own SQL straight on better-sqlite3:
// the same rows as drizzle's prepared queries, named the same, on the real migrated schema. The
// pipeline store's hot reads and writes go through them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connection.js';
import { applyMigrations } from '../../../server/db/migrate.js';
import { fastRun, fastSelect } from '../../../server/db/fast-run.js';
import { cases, chainEvents, pipelineCases } from '../../../server/db/schema.js';
import { createPipelineStore } from '../../../server/pipeline/store.js';

let dir: string;
let handle: DatabaseHandle;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'arbiter-fast-'));
  handle = openDatabase(join(dir, 'a.db'), { backgroundCheckpoints: false });
  applyMigrations(handle.db);
});
afterEach(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = '2026-12-07T00:00:00.000Z';
function fileCase(id: string, status = 'filed') {
  handle.db
    .insert(cases)
    .values({ id, status, kind: 'flight', jurisdiction: 'eu261', ref: null, record: '{"a":1}', recordHash: '0xab', merchantId: null, accessTokenHash: 'h', filedBy: 'anonymous', createdAt: now, updatedAt: now })
    .run();
}
const row = (caseId: string, over: Partial<typeof pipelineCases.$inferInsert> = {}) => ({
  caseId,
  chainCaseId: `0x${caseId.padStart(64, '0')}`,
  modelRef: 'eu261@1.0.0',
  modelId: '0x01',
  s0: '0x02',
  output: 3,
  traceRoot: '0x04',
  steps: 17,
  awardTable: '0x',
  deposit: '0',
  claimant: '0x0000000000000000000000000000000000000000',
  respondent: '0x0000000000000000000000000000000000000001',
  createdAt: now,
  ...over,
});

describe('fastSelect / fastRun', () => {
  it('reads the same rows as drizzle, with the same keys and values (nulls included), for a whole table and for chosen fields', () => {
    const db = handle.db;
    fileCase('c1');
    fileCase('c2');
    db.insert(pipelineCases).values(row('c1', { batchId: 7, batchIndex: 1, openTx: '0xtx', verdict: null })).run();
    db.insert(pipelineCases).values(row('c2', { batchId: 7, batchIndex: 0 })).run();
    const $ = sql.placeholder;
    const byBatch = db.select().from(pipelineCases).where(eq(pipelineCases.batchId, $('batch'))).orderBy(asc(pipelineCases.batchIndex));
    const fast = fastSelect(db, byBatch, Object.keys(getTableColumns(pipelineCases)));
    expect(fast.all({ batch: 7 })).toEqual(byBatch.prepare().all({ batch: 7 }));
    expect(fast.all({ batch: 7 }).map((r) => (r as { caseId: string }).caseId)).toEqual(['c2', 'c1']);
    expect(fast.get({ batch: 8 })).toBeUndefined();
    const status = db.select({ status: cases.status }).from(cases).where(eq(cases.id, $('id')));
    expect(fastSelect(db, status, ['status']).get({ id: 'c1' })).toEqual({ status: 'filed' });
    // A key list that does not match the selected columns is refused at once.
    expect(() => fastSelect(db, status, ['status', 'extra'])).toThrow(/1 columns selected, 2 keys/);
    // A write with placeholders, then read back.
    const setVerdict = fastRun(db, db.update(pipelineCases).set({ verdict: sql`${$('v')}` }).where(eq(pipelineCases.caseId, $('id'))));
    expect(setVerdict({ v: '{"x":1}', id: 'c2' }).changes).toBe(1);
    expect(fast.all({ batch: 7 })[0]).toMatchObject({ caseId: 'c2', verdict: '{"x":1}' });
  });

  it('the pipeline store: insertCase, setOpenTx, setOpened, events and cursor read back as drizzle reads them', () => {
    const db = handle.db;
    const store = createPipelineStore(db);
    fileCase('c1');
    fileCase('c2');
    store.insertCase(row('c1'));
    store.insertCase(row('c1', { output: 9 })); // a second insert of the same case does nothing
    store.insertCase(row('c2'));
    const drizzleRow = (id: string) => db.select().from(pipelineCases).where(eq(pipelineCases.caseId, id)).get();
    expect(store.byCase('c1')).toEqual(drizzleRow('c1'));
    expect(store.byCase('c1')!.output).toBe(3);
    expect(store.preparedNotOpened(10).map((r) => r.caseId)).toEqual(['c1', 'c2']);
    expect(store.preparedNotOpened(10)[0]).toEqual(drizzleRow('c1'));
    store.setOpenTx([row('c1').chainCaseId.toUpperCase().replace('0X', '0x')], '0xopen');
    expect(store.byCase('c1')!.openTx).toBe('0xopen');
    expect(store.preparedNotOpened(10).map((r) => r.caseId)).toEqual(['c2']);
    store.setOpened(row('c2').chainCaseId, 5, 0, '0xopen2');
    expect(store.byBatch(5)).toEqual([drizzleRow('c2')]);
    expect(store.byChainId(row('c2').chainCaseId)).toMatchObject({ caseId: 'c2', batchId: 5, batchIndex: 0, openTx: '0xopen2' });
    expect(store.caseRow('c1')).toEqual(db.select().from(cases).where(eq(cases.id, 'c1')).get());
    expect(store.caseStatus('c1')).toBe('filed');
    store.insertEvent({ source: 'arbitration', name: 'CaseOpened', args: { caseId: row('c2').chainCaseId, batchId: 5n, index: 0n }, blockNumber: 12, transactionHash: '0xt', logIndex: 3 });
    expect(store.hasEvent('0xt-3')).toBe(true);
    expect(store.hasEvent('0xt-4')).toBe(false);
    expect(store.eventsOfBatch(5)).toEqual(db.select().from(chainEvents).where(eq(chainEvents.batchId, 5)).all());
    expect(store.eventsOfCase(row('c2').chainCaseId)).toHaveLength(1);
    expect(store.cursor('x')).toBeUndefined();
    store.setCursor('x', 10);
    store.setCursor('x', 11);
    expect(store.cursor('x')).toBe(11);
  });
});
