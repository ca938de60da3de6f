import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connection.js';
import { createGroupCommit } from '../../../server/db/group-commit.js';

let dir: string;
let handle: DatabaseHandle;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'arbiter-gc-'));
  handle = openDatabase(join(dir, 'a.db'), { backgroundCheckpoints: false });
  handle.sqlite.exec('create table t (k text primary key)');
});
afterEach(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const keys = () => (handle.sqlite.prepare('select k from t order by k').all() as { k: string }[]).map((r) => r.k);

describe('group commit', () => {
  it('commits the writes of one event-loop turn in one transaction', async () => {
    const gc = createGroupCommit(handle.db);
    const insert = handle.sqlite.prepare('insert into t values (?)');
    const other = new Database(join(dir, 'a.db'), { readonly: true });
    const seen: { inTransaction: boolean; own: number; outside: number }[] = [];
    const write = (k: string) =>
      gc.run(() => {
        insert.run(k);
        seen.push({
          inTransaction: handle.sqlite.inTransaction,
          own: (handle.sqlite.prepare('select count(*) as n from t').get() as { n: number }).n,
          // Another connection sees nothing until the shared COMMIT.
          outside: (other.prepare('select count(*) as n from t').get() as { n: number }).n,
        });
        return k;
      });
    try {
      expect(await Promise.all([write('a'), write('b'), write('c')])).toEqual(['a', 'b', 'c']);
    } finally {
      other.close();
    }
    expect(seen).toEqual([
      { inTransaction: true, own: 1, outside: 0 },
      { inTransaction: true, own: 2, outside: 0 },
      { inTransaction: true, own: 3, outside: 0 },
    ]);
    expect(keys()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back a failing write alone and rejects only its caller', async () => {
    const gc = createGroupCommit(handle.db);
    const insert = handle.sqlite.prepare('insert into t values (?)');
    const outcomes = await Promise.allSettled([
      gc.run(() => insert.run('x')),
      gc.run(() => {
        insert.run('y');
        insert.run('x'); // duplicate key: this write fails after inserting y
      }),
      gc.run(() => insert.run('z')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(keys()).toEqual(['x', 'z']);
  });

  it('keeps each successful write exactly once when another write of the batch fails', async () => {
    const gc = createGroupCommit(handle.db);
    handle.sqlite.exec('create table log (v text)');
    const append = handle.sqlite.prepare('insert into log values (?)');
    const outcomes = await Promise.allSettled([
      gc.run(() => append.run('a')),
      gc.run(() => {
        append.run('b');
        throw new Error('refused');
      }),
      gc.run(() => append.run('c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect((handle.sqlite.prepare('select v from log order by rowid').all() as { v: string }[]).map((r) => r.v)).toEqual(['a', 'c']);
    expect(handle.sqlite.inTransaction).toBe(false);
  });

  it('settles nobody before the data is committed', async () => {
    const gc = createGroupCommit(handle.db);
    const insert = handle.sqlite.prepare('insert into t values (?)');
    let committedWhenSettled: string[] = [];
    await gc.run(() => insert.run('q')).then(() => {
      committedWhenSettled = keys();
    });
    expect(committedWhenSettled).toEqual(['q']);
    expect(handle.sqlite.inTransaction).toBe(false);
  });
});
