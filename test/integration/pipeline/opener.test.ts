// The pipeline's opener: prepared cases go on chain many to an openCases transaction (not one
// openCase per case from the escrow signer), every case exactly once, its row carrying the
// transaction of its CaseOpened. The chain's miner is paused while the cases are prepared (anvil
// runs --no-mining: pausing anvil's automine, as this test once did, paused nothing, and on a
// loaded CI machine the cases went out in six transactions), so the opener's transactions (at
// most two in flight) must carry the rest together: deterministic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { validRecords } from '../../support/case-fixtures.js';
import { chainEvents, pipelineCases } from '../../../server/db/schema.js';
import { startPipelineFixture, until, type PipelineFixture } from './pipeline-fixture.js';

let f: PipelineFixture;
beforeAll(async () => {
  f = await startPipelineFixture();
}, 120_000);
afterAll(async () => {
  f?.fx.anvil.miner?.resume();
  await f?.stop();
});

const N = 12;

describe('pipeline › opener', { timeout: 300_000 }, () => {
  it('opens a backlog of cases many to a transaction, each case once, its row carrying its CaseOpened transaction', async () => {
    f.fx.anvil.miner!.pause();
    const ids: string[] = [];
    try {
      for (let i = 0; i < N; i++) ids.push((await f.file(validRecords.eu261Delay)).id);
      // Every case prepared (its row written) while no transaction can land.
      await until(
        () => f.t.app.db.select({ id: pipelineCases.caseId }).from(pipelineCases).where(inArray(pipelineCases.caseId, ids)).all().length === N,
        () => 'not every case was prepared',
      );
      // The opener's first transactions wait in the pool, unmined.
      await until(async () => Number((await f.fx.provider.send('txpool_status', [])).pending) > 0, () => 'the opener to send while the chain stands still');
    } finally {
      f.fx.anvil.miner!.resume();
    }
    for (const id of ids) await f.waitForReached(id, 'executing', 120_000);

    const rows = f.t.app.db.select().from(pipelineCases).where(inArray(pipelineCases.caseId, ids)).all();
    const opened = f.t.app.db
      .select()
      .from(chainEvents)
      .where(and(eq(chainEvents.name, 'CaseOpened'), inArray(chainEvents.chainCaseId, rows.map((r) => r.chainCaseId))))
      .all();
    // Each case opened once, and its row names the transaction that opened it.
    expect(opened.length).toBe(N);
    expect(new Set(opened.map((e) => e.chainCaseId)).size).toBe(N);
    for (const r of rows) expect(r.openTx).toBe(opened.find((e) => e.chainCaseId === r.chainCaseId)!.txHash);
    // At most four transactions were out while the chain stood still; the rest went together.
    const txs = new Set(opened.map((e) => e.txHash));
    expect(txs.size).toBeLessThanOrEqual(5);
    expect(txs.size).toBeLessThan(N);
  });
});
