// The pipeline's tables (server/db/schema.ts "pipeline"): each case's life on chain, the folded
// contract events (the verdict trail) and the indexer's cursor. Only the pipeline reads or writes
// them; case status moves only through the cases service's transitions.
import { and, asc, eq, getTableColumns, gt, isNull, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { fastRun, fastSelect } from '../db/fast-run.js';
import { cases, chainCursor, chainEvents, merchantArbitrables, merchants, pipelineCases, type ChainEventRow, type PipelineCaseRow } from '../db/schema.js';
import type { ChainEvent } from '../chain/events.js';
import { createCaseEventRecorder } from '../cases/timeline.js';
import type { CaseStatus } from '../cases/state-machine.js';

export type NewPipelineCase = typeof pipelineCases.$inferInsert;

/** JSON for decoded event arguments: integers as decimal text, arrays kept. */
export function argsJson(args: Record<string, unknown>): string {
  return JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export const eventKey = (e: Pick<ChainEvent, 'transactionHash' | 'logIndex'>) => `${e.transactionHash}-${e.logIndex}`;

export function createPipelineStore(db: Db, clock: () => Date = () => new Date()) {
  const recordEvent = createCaseEventRecorder(db);
  // The reads on the pipeline's hot path, prepared once: drizzle built and SQLite compiled each
  // of them again on every call, the largest share of the service's CPU in the pipeline bench
  // after ethers (docs/pipeline-bench.md).
  const $ = sql.placeholder;
  // Run straight on their better-sqlite3 statements (server/db/fast-run.ts): drizzle's per-call
  // parameter and row mapping was ~1 ms of the service's CPU a case at 100 cases/s.
  const pipelineKeys = Object.keys(getTableColumns(pipelineCases));
  const caseKeys = Object.keys(getTableColumns(cases));
  const eventKeys = Object.keys(getTableColumns(chainEvents));
  const q = {
    byCase: fastSelect<PipelineCaseRow>(db, db.select().from(pipelineCases).where(eq(pipelineCases.caseId, $('id'))), pipelineKeys),
    byChainId: fastSelect<PipelineCaseRow>(db, db.select().from(pipelineCases).where(eq(pipelineCases.chainCaseId, $('id'))), pipelineKeys),
    byBatch: fastSelect<PipelineCaseRow>(db, db.select().from(pipelineCases).where(eq(pipelineCases.batchId, $('batch'))).orderBy(asc(pipelineCases.batchIndex)), pipelineKeys),
    caseStatus: fastSelect<{ status: string }>(db, db.select({ status: cases.status }).from(cases).where(eq(cases.id, $('id'))), ['status']),
    caseRow: fastSelect<typeof cases.$inferSelect>(db, db.select().from(cases).where(eq(cases.id, $('id'))), caseKeys),
    filedNotOpened: fastSelect<{ id: string }>(
      db,
      db
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.status, 'filed'), notExists(db.select({ one: sql`1` }).from(pipelineCases).where(eq(pipelineCases.caseId, cases.id)))))
        .orderBy(asc(cases.id))
        .limit($('limit')),
      ['id'],
    ),
    filedNotOpenedAfter: fastSelect<{ id: string }>(
      db,
      db
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.status, 'filed'), gt(cases.id, $('after')), notExists(db.select({ one: sql`1` }).from(pipelineCases).where(eq(pipelineCases.caseId, cases.id)))))
        .orderBy(asc(cases.id))
        .limit($('limit')),
      ['id'],
    ),
    preparedNotOpened: fastSelect<PipelineCaseRow>(
      db,
      db
        .select(getTableColumns(pipelineCases))
        .from(pipelineCases)
        .innerJoin(cases, eq(cases.id, pipelineCases.caseId))
        .where(and(eq(cases.status, 'filed'), isNull(pipelineCases.batchId), isNull(pipelineCases.openTx)))
        .orderBy(asc(pipelineCases.createdAt))
        .limit($('limit')),
      pipelineKeys,
    ),
    hasEvent: fastSelect<{ id: string }>(db, db.select({ id: chainEvents.id }).from(chainEvents).where(eq(chainEvents.id, $('id'))), ['id']),
    eventsOfBatch: fastSelect<ChainEventRow>(db, db.select().from(chainEvents).where(eq(chainEvents.batchId, $('batch'))).orderBy(asc(chainEvents.blockNumber), asc(chainEvents.logIndex)), eventKeys),
    cursor: fastSelect<{ nextBlock: number }>(db, db.select({ nextBlock: chainCursor.nextBlock }).from(chainCursor).where(eq(chainCursor.name, $('name'))), ['nextBlock']),
    insertEvent: fastRun(
      db,
      db
        .insert(chainEvents)
        .values({
          id: $('id'),
          blockNumber: $('blockNumber'),
          logIndex: $('logIndex'),
          txHash: $('txHash'),
          source: $('source'),
          name: $('name'),
          args: $('args'),
          batchId: $('batchId'),
          gameId: $('gameId'),
          chainCaseId: $('chainCaseId'),
        })
        .onConflictDoNothing(),
    ),
    insertCase: fastRun(
      db,
      db
        .insert(pipelineCases)
        .values(Object.fromEntries(pipelineKeys.map((k) => [k, $(k)])) as unknown as NewPipelineCase)
        .onConflictDoNothing(),
    ),
    setOpened: fastRun(db, db.update(pipelineCases).set({ batchId: sql`${$('batch')}`, batchIndex: sql`${$('index')}`, openTx: sql`${$('tx')}` }).where(eq(pipelineCases.chainCaseId, $('id')))),
    setOpenTx: fastRun(db, db.update(pipelineCases).set({ openTx: sql`${$('tx')}` }).where(eq(pipelineCases.chainCaseId, $('id')))),
    setVerdict: fastRun(db, db.update(pipelineCases).set({ verdict: sql`${$('verdict')}` }).where(eq(pipelineCases.caseId, $('id')))),
    setCursor: fastRun(
      db,
      db
        .insert(chainCursor)
        .values({ name: $('name') as unknown as string, nextBlock: $('nextBlock') as unknown as number, updatedAt: $('updatedAt') as unknown as string })
        .onConflictDoUpdate({ target: chainCursor.name, set: { nextBlock: sql`excluded.next_block`, updatedAt: sql`excluded.updated_at` } }),
    ),
    eventsOfGame: fastSelect<ChainEventRow>(db, db.select().from(chainEvents).where(eq(chainEvents.gameId, $('game'))).orderBy(asc(chainEvents.blockNumber), asc(chainEvents.logIndex)), eventKeys),
    eventsOfCase: fastSelect<ChainEventRow>(db, db.select().from(chainEvents).where(eq(chainEvents.chainCaseId, $('id'))).orderBy(asc(chainEvents.blockNumber), asc(chainEvents.logIndex)), eventKeys),
  };
  return {
    insertCase(row: NewPipelineCase): void {
      q.insertCase(Object.fromEntries(pipelineKeys.map((k) => [k, (row as Record<string, unknown>)[k] ?? null])));
    },
    byCase: (caseId: string): PipelineCaseRow | undefined => q.byCase.get({ id: caseId }),
    byChainId: (chainCaseId: string): PipelineCaseRow | undefined => q.byChainId.get({ id: chainCaseId.toLowerCase() }),
    byBatch: (batchId: number): PipelineCaseRow[] => q.byBatch.all({ batch: batchId }),
    setOpened(chainCaseId: string, batchId: number, index: number, openTx: string): void {
      q.setOpened({ batch: batchId, index, tx: openTx, id: chainCaseId.toLowerCase() });
    },
    /** The opener's openCases transaction landed for these cases (their CaseOpened is not folded yet). */
    setOpenTx(chainCaseIds: string[], openTx: string): void {
      if (!chainCaseIds.length) return;
      db.$client.transaction(() => {
        for (const c of chainCaseIds) q.setOpenTx({ tx: openTx, id: c.toLowerCase() });
      })();
    },
    setVerdict(caseId: string, verdict: unknown): void {
      q.setVerdict({ verdict: JSON.stringify(verdict), id: caseId });
    },
    setPayout(caseId: string, tx: string): void {
      db.update(pipelineCases).set({ payoutTx: tx }).where(eq(pipelineCases.caseId, caseId)).run();
    },
    caseStatus: (caseId: string): CaseStatus | undefined => q.caseStatus.get({ id: caseId })?.status as CaseStatus | undefined,
    caseRow: (caseId: string) => q.caseRow.get({ id: caseId }),
    /** The merchant's escrow account address, if it named one. */
    /** The merchant operating an ERC-792 arbitrable contract (merchant_arbitrables), if any. */
    arbitrableOperator: (address: string): string | undefined =>
      db.select({ m: merchantArbitrables.merchantId }).from(merchantArbitrables).where(eq(merchantArbitrables.address, address.toLowerCase())).get()?.m ?? undefined,
    merchantWallet: (merchantId: string): string | undefined =>
      db.select({ w: merchants.walletAddress }).from(merchants).where(eq(merchants.id, merchantId)).get()?.w ?? undefined,
    /** Filed cases not yet taken by the pipeline, oldest first (only ids after `after`, when given: ids sort by time). */
    filedNotOpened(limit: number, after?: string): string[] {
      const rows = after === undefined ? q.filedNotOpened.all({ limit }) : q.filedNotOpenedAfter.all({ limit, after });
      return rows.map((r) => r.id);
    },
    /** Cases the pipeline prepared (row written) that still wait for their CaseOpened, oldest first. */
    preparedNotOpened(limit: number): PipelineCaseRow[] {
      return q.preparedNotOpened.all({ limit });
    },
    /** Filed cases whose record names ERC-792 dispute `disputeId` (rare: read when a dispute is refused). */
    filedNamingDispute(disputeId: string): string[] {
      return db
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.status, 'filed'), sql`cast(json_extract(${cases.record}, '$.onchainDispute.disputeId') as text) = ${disputeId}`))
        .all()
        .map((r) => r.id);
    },
    /** Same as filedNotOpened, plus cases whose row exists but still await their CaseOpened. */
    filedAll(limit: number): string[] {
      return db.select({ id: cases.id }).from(cases).where(eq(cases.status, 'filed')).orderBy(asc(cases.id)).limit(limit).all().map((r) => r.id);
    },

    // ── events and cursor ──
    hasEvent: (id: string): boolean => q.hasEvent.get({ id }) !== undefined,
    insertEvent(e: ChainEvent): void {
      const a = e.args as Record<string, unknown>;
      const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : null);
      q.insertEvent({
        id: eventKey(e),
        blockNumber: e.blockNumber,
        logIndex: e.logIndex,
        txHash: e.transactionHash,
        source: e.source,
        name: e.name,
        args: argsJson(a),
        batchId: num(a.batchId),
        gameId: num(a.gameId),
        chainCaseId: typeof a.caseId === 'string' ? a.caseId.toLowerCase() : null,
      });
    },
    eventsOfBatch: (batchId: number): ChainEventRow[] => q.eventsOfBatch.all({ batch: batchId }),
    /**
     * Batches whose latest SeedCommitted has no BatchSealed after it (sealed, or sealed again, and
     * not drawn since, as far as the events folded here tell), with that seal's seed block. Read
     * once at start: a draw the keeper meant to send itself (so the fold enqueued no draw job) is
     * lost with a crash before it landed.
     */
    sealedNotDrawn: (): { batchId: number; seedBlock: number }[] =>
      db
        .all<{ batchId: number; args: string }>(
          sql`SELECT s.batch_id AS batchId, s.args AS args FROM chain_events s
              WHERE s.name = 'SeedCommitted' AND s.source = 'arbitration'
                AND s.block_number = (SELECT MAX(x.block_number) FROM chain_events x WHERE x.batch_id = s.batch_id AND x.name = 'SeedCommitted' AND x.source = 'arbitration')
                AND NOT EXISTS (SELECT 1 FROM chain_events d WHERE d.batch_id = s.batch_id AND d.name = 'BatchSealed' AND d.source = 'arbitration' AND d.block_number > s.block_number)`,
        )
        .map((r) => ({ batchId: Number(r.batchId), seedBlock: Number((JSON.parse(r.args) as { seedBlock: string }).seedBlock) })),
    eventsOfGame: (gameId: number): ChainEventRow[] => q.eventsOfGame.all({ game: gameId }),
    eventsOfCase: (chainCaseId: string): ChainEventRow[] => q.eventsOfCase.all({ id: chainCaseId.toLowerCase() }),
    cursor: (name: string): number | undefined => q.cursor.get({ name })?.nextBlock,
    setCursor(name: string, nextBlock: number): void {
      q.setCursor({ name, nextBlock, updatedAt: clock().toISOString() });
    },
    /** A timeline fact that does not move the case (a game resolved), with its webhook row. */
    note(caseId: string, type: string, data: Record<string, unknown>, webhookType: string): void {
      const row = db.select({ status: cases.status, merchantId: cases.merchantId }).from(cases).where(eq(cases.id, caseId)).get();
      if (!row) return;
      const status = row.status as CaseStatus;
      recordEvent({ caseId, merchantId: row.merchantId, type, fromStatus: status, toStatus: status, actor: 'chain', data, createdAt: clock().toISOString(), webhookType });
    },
  };
}

export type PipelineStore = ReturnType<typeof createPipelineStore>;
