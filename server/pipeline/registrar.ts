// The service's side of the pipeline (DESIGN.md "The flow of one case", steps 2, 3, 7): a
// dispatcher that hands every filed case to the `open` job, and the worker of the pipeline queue:
// open (featurize → S_0, the service's own run, award table, openCase), seal (the registrar
// closes a filling batch after PIPELINE_SEAL_MS), close (after the reveal deadline: slash the
// silent, redraw a failed batch), settle (after the challenge window: pay every case). Each job
// reads the chain first, so running it twice changes nothing.
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { ZeroAddress, type NonceManager, type TransactionReceipt } from 'ethers';
import { caseAwardTable } from './award-table.js';
import { claimLeaf, claimsRoot } from '../chain/batch-claims.js';
import { bytesToHex } from '../inference/hex.js';
import { encodeTensor } from '../inference/tensor-encoding.js';
import { REFUSED } from '../chain/input-ranges.js';
import type { CaseRecordT } from '../cases/schemas.js';
import type { Claim } from '../inference/claim-commitment.js';
import type { CaseTransitions } from '../cases/transitions.js';
import { FeaturizeError } from '../inference/featurizer.js';
import { executeModel, InputRangeError } from '../inference/execution.js';
import { claimFromJson, type ClaimJson } from '../nodes/trace-store.js';
import { BatchStatus, CaseStatus, DisputeState, type ChainPort } from './chain-port.js';
import { caseFacts, factsAsRecord } from './facts.js';
import { ownClaim, verdictFor } from './fold.js';
import { JOB_DEFAULTS, jobIds, PIPELINE_QUEUE, retryDelay } from './jobs.js';
import type { ModelCatalogue, PipelineModel } from './models.js';
import type { PipelineStore } from './store.js';
import type { PipelineCaseRow } from '../db/schema.js';

export interface RegistrarOptions {
  port: ChainPort;
  registrar: NonceManager;
  /**
   * The default respondent: cases without a merchant escrow account name its address and reserve
   * from its escrow account (the embedded chain's dev respondent, funded at start; elsewhere the
   * registrar, whose account is normally empty, so those cases are owed but not escrowed). It also
   * sends merchants' escrow deposits on the embedded chain (`deposit` jobs).
   */
  escrow: NonceManager;
  /** The embedded chain's arbitrator account (level-2 rulings are sent from it). */
  arbitrator?: NonceManager;
  store: PipelineStore;
  transitions: CaseTransitions;
  models: ModelCatalogue;
  /** The model a case is opened with (server/market: a merchant's pin or the jurisdiction's default). */
  chooseModel?: (jurisdiction: string, merchantId: string | null) => PipelineModel | undefined;
  connection: Redis;
  prefix: string;
  sealMs: number;
  pollMs: number;
  /** Group commit (config.ts PipelineConfig): batches in flight that make a filling batch wait, and for at most how long. */
  batchesInFlight?: number;
  sealHoldMs?: number;
  /** Most cases in one openCases transaction (default 100: ~20M gas of anvil's 30M block limit). */
  openBatch?: number;
  /** The private embedded chain mines only on transactions: the keeper mines a seed block with this. */
  mineBlock?: () => Promise<void>;
  /** Whether a filed case may be opened now (a merchant's response window closed); default: always. */
  mayProceed?: (caseId: string) => boolean;
  /**
   * Called with the receipt of a draw the keeper sent: the members' jobs can be enqueued from its
   * BatchSealed at once, before the indexer folds it (start.ts, when no confirmations are awaited).
   */
  onDrawn?: (receipt: TransactionReceipt) => void;
  /**
   * Called when the keeper sealed `batchId` in block `seedBlock` and draws it itself: the fold of
   * its SeedCommitted need not enqueue the draw job (it is enqueued here if the draw fails).
   */
  onDrawing?: (batchId: bigint, seedBlock: number) => void;
  /** Called when one of the registrar's transactions changed the chain (the indexer looks at once). */
  onChainChange?: () => void;
  log?: (msg: string) => void;
}

/** A draw nobody is eligible for looks again at a doubling interval, up to this. */
const NO_NODES_MAX_MS = 5_000;

const sameFeatures = (a: BigInt64Array, b: BigInt64Array) => a.length === b.length && a.every((v, i) => v === b[i]);

export function startRegistrar(o: RegistrarOptions) {
  const log = o.log ?? (() => {});
  let stopped = false;
  const queue = new Queue(PIPELINE_QUEUE, { connection: o.connection, prefix: o.prefix, defaultJobOptions: JOB_DEFAULTS });

  async function later(job: Job, token: string | undefined, ms = o.pollMs): Promise<never> {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  }
  const chainNow = async () => Math.max(await o.port.now(), Math.floor(Date.now() / 1000));

  function reject(caseId: string, field: string, message: string) {
    o.transitions.reject(caseId, { actor: 'system', data: { field, message } });
    return { rejected: field };
  }

  async function open(caseId: string) {
    const row = o.store.caseRow(caseId);
    if (!row || row.status !== 'filed') return { skipped: row?.status ?? 'missing' };
    let p = o.store.byCase(caseId);
    if (!p) {
      const record = JSON.parse(row.record) as CaseRecordT;
      const m = o.chooseModel ? o.chooseModel(record.jurisdiction, row.merchantId) : o.models.byJurisdiction(record.jurisdiction);
      if (!m) return reject(caseId, '/jurisdiction', `No model is installed for ${record.jurisdiction}.`);
      let features: BigInt64Array;
      try {
        features = m.definition.featurizer.featurize(record);
      } catch (e) {
        if (e instanceof FeaturizeError) return reject(caseId, e.pointer, e.message);
        throw e;
      }
      // Data minimisation holds only if the facts a node gets featurize to the same S_0.
      if (!sameFeatures(features, m.definition.featurizer.featurize(factsAsRecord(caseFacts(record))))) {
        throw new UnrecoverableError(`${m.ref}: the featurizer reads a field nodes do not receive`);
      }
      let ex;
      try {
        ex = await executeModel(m.runner, { rows: 1, cols: features.length, data: features }, m.definition.featurizer.features);
      } catch (e) {
        if (e instanceof InputRangeError) return reject(caseId, '/', e.message);
        throw e;
      }
      const table = caseAwardTable(m.card, record);
      // The chain names the case by its opener (the registrar, who alone may reserve a
      // respondent's escrow) and the service's reference (caseIdOf).
      const ref = o.port.caseRefOf(caseId);
      let chainCaseId = o.port.chainCaseIdOf(await o.registrar.getAddress(), ref);
      let awardTable = table.table;
      // The largest award: reserved from the respondent's escrow account at opening.
      let deposit = table.max;
      let claimant = (record.claimant.wallet ?? ZeroAddress).toLowerCase();
      // The merchant's escrow account when it named one; else the default respondent's.
      const wallet = row.merchantId ? o.store.merchantWallet(row.merchantId) : undefined;
      let respondent = (wallet ?? (await o.escrow.getAddress())).toLowerCase();
      const dispute = record.onchainDispute;
      if (dispute) {
        // ERC-792: the record decides a dispute an arbitrable raised on chain; its S_0 is bound to
        // that dispute (no award table: the arbitrable holds the money and acts on the ruling).
        // The first record bound wins, so an anonymous filing may not name one.
        if (row.filedBy === 'anonymous') return reject(caseId, '/onchainDispute', 'an on-chain dispute is bound only for a case filed with an API key');
        // Filing checked it (422); checked again here, as the operator may have untied the contract since.
        if (row.filedBy.startsWith('merchant:') && o.store.arbitrableOperator(dispute.arbitrable) !== row.filedBy.slice('merchant:'.length)) {
          return reject(caseId, '/onchainDispute/arbitrable', `${dispute.arbitrable.toLowerCase()} is not an arbitrable contract of the merchant that filed the case`);
        }
        const d = await o.port.dispute(BigInt(dispute.disputeId));
        if (d.arbitrable !== dispute.arbitrable.toLowerCase()) {
          return reject(caseId, '/onchainDispute/arbitrable', `dispute ${dispute.disputeId} was not raised by ${dispute.arbitrable}`);
        }
        if (d.state === DisputeState.Ruled && !o.store.byChainId(d.chainCaseId)) {
          return reject(caseId, '/onchainDispute/disputeId', `dispute ${dispute.disputeId} was already ruled on chain (refused when no input was bound within the input window)`);
        }
        if (d.state !== DisputeState.AwaitingInput || o.store.byChainId(d.chainCaseId)) {
          return reject(caseId, '/onchainDispute/disputeId', `dispute ${dispute.disputeId} is unknown or already has its case`);
        }
        // The record's ruling mapping must fit the dispute's choices and any mapping the arbitrable pinned.
        const rulings = dispute.rulings;
        if (rulings && (BigInt(rulings.claimant) > d.choices || BigInt(rulings.respondent) > d.choices)) {
          return reject(caseId, '/onchainDispute/rulings', `dispute ${dispute.disputeId} has ${d.choices} choices; rulings must be at most ${d.choices}`);
        }
        if (rulings && d.pinned && (rulings.claimant !== d.pinned.claimant || rulings.respondent !== d.pinned.respondent)) {
          return reject(caseId, '/onchainDispute/rulings', `the arbitrable fixed the rulings of dispute ${dispute.disputeId} to ${JSON.stringify(d.pinned)}`);
        }
        chainCaseId = d.chainCaseId;
        awardTable = '0x';
        deposit = 0n;
        claimant = ZeroAddress;
        respondent = d.arbitrable;
      }
      o.store.insertCase({
        caseId,
        chainCaseId,
        modelRef: m.ref,
        modelId: m.modelId,
        s0: ex.s0,
        output: Number(ex.output),
        traceRoot: ex.traceRoot,
        steps: ex.steps,
        awardTable,
        deposit: deposit.toString(),
        claimant,
        respondent,
        createdAt: new Date().toISOString(),
      });
      p = o.store.byCase(caseId)!;
    }
    const dispute = (JSON.parse(row.record) as CaseRecordT).onchainDispute;
    // An ordinary case is opened by the opener, many to a transaction (openCases, below).
    if (!dispute) {
      kickOpener();
      return { prepared: p.chainCaseId };
    }
    const { batchId, receipt } = await o.port.bindInput(o.registrar, BigInt(dispute.disputeId), p.s0, dispute.rulings);
    await queue.add('seal', { batchId: batchId.toString() }, { jobId: jobIds.seal(batchId), delay: o.sealMs });
    return { opened: receipt?.hash ?? 'already open', batchId: batchId.toString() };
  }

  // The opener: drains the prepared cases (rows written by `open`, no CaseOpened yet) into
  // openCases transactions of up to openBatch cases, up to OPENER_IN_FLIGHT at once (the chain
  // port pipelines the escrow signer's nonces). A case sent is not sent again while its
  // transaction is out, nor after it landed (its row then carries the transaction); a case
  // already on chain is dropped by openCases, so a restart or a duplicate does no harm.
  // Two, not four: at 100 cases/s four transactions in flight carried ~6 cases each, and the
  // p50 to `proposed` was 1.4–1.5 s against 1.0–1.1 s with two (docs/pipeline-bench.md).
  const OPENER_IN_FLIGHT = 2;
  const openBatch = Math.max(1, o.openBatch ?? 100);
  const sent = new Set<string>(); // caseIds whose transaction is out
  const backoff = new Map<string, { until: number; ms: number }>(); // a case whose opening failed
  let inFlight = 0;
  /** The opener's transactions on their way: a seal job waits for them (one may seal its batch). */
  const openerTxs = new Set<Promise<void>>();
  /**
   * Batches with a seal job queued by the opener: each openCases receipt names the batches its
   * cases went into, and adding the same job again (a no-op for BullMQ) was a Redis round trip
   * per batch per transaction, three or four per batch under load.
   */
  const sealQueued = new Set<string>();
  let openerTimer: NodeJS.Timeout | undefined;
  let openerAddress: string | undefined; // the registrar: it alone may reserve a respondent's escrow
  function kickOpener() {
    if (openerTimer || stopped) return;
    // Kicks within a few milliseconds (each prepared case kicks) make one look.
    openerTimer = setTimeout(() => {
      openerTimer = undefined;
      void openSome().catch((e: Error) => log(`opener: ${e.message}`));
    }, Math.min(10, o.pollMs));
  }
  /** A settle job looks every SETTLE_FAR_MS while its window ends more than SETTLE_FAR_S seconds away. */
  const SETTLE_FAR_S = 60;
  const SETTLE_FAR_MS = 10_000;
  /**
   * The chain's clock against the wall clock, read once a second: when it jumps ahead (a test or
   * a dev moving anvil's time), every waiting job of the pipeline queue (settle, close, refuse,
   * unbound) looks now rather than at the end of its wait.
   */
  let skew: number | undefined;
  let clockTimer: NodeJS.Timeout | undefined;
  async function watchClock() {
    try {
      const s = (await o.port.now()) - Date.now() / 1000;
      if (skew !== undefined && s - skew > 5) {
        const delayed = await queue.getDelayed(0, 10_000);
        let n = 0;
        for (const j of delayed) {
          if (!['settle', 'close', 'refuse', 'unbound', 'claim', 'input'].includes(j.name)) continue;
          await j.promote().then(
            () => n++,
            () => {}, // taken meanwhile
          );
        }
        if (n) log(`the chain's clock jumped ${Math.round(s - skew)} s: ${n} waiting jobs look now`);
      }
      skew = skew === undefined ? s : Math.max(s, skew);
    } catch {
      /* the next look */
    }
    if (!stopped) clockTimer = setTimeout(() => void watchClock(), 1000);
  }
  void watchClock();
  /** Our batches drawn and not yet proposed (batch id → when drawn), for the seal job's hold. */
  const inFlightBatches = new Map<string, number>();
  const BATCHES_IN_FLIGHT = o.batchesInFlight ?? 2;
  const SEAL_HOLD_MS = o.sealHoldMs ?? Math.max(o.sealMs, 1000);
  /** A batch that never reached its proposal (disputed, failed, redrawn) stops counting after a minute. */
  function forgetStale() {
    const cutoff = Date.now() - 60_000;
    for (const [id, at] of inFlightBatches) if (at < cutoff) inFlightBatches.delete(id);
  }
  /** Whether a prepared row is opened by us (not an ERC-792 binding), remembered per case: two keccaks a row a look added up with a backlog. */
  const ours = new Map<string, boolean>();
  function isOurs(r: PipelineCaseRow): boolean {
    let v = ours.get(r.caseId);
    if (v === undefined) {
      v = r.chainCaseId === o.port.chainCaseIdOf(openerAddress!, o.port.caseRefOf(r.caseId));
      if (ours.size >= 20_000) ours.clear();
      ours.set(r.caseId, v);
    }
    return v;
  }
  async function openSome(): Promise<void> {
    if (stopped || inFlight >= OPENER_IN_FLIGHT) return;
    const now = Date.now();
    openerAddress ??= await o.registrar.getAddress();
    const limit = openBatch + sent.size + backoff.size;
    const waiting = o.store.preparedNotOpened(limit);
    const rows = waiting
      .filter((r) => !sent.has(r.caseId) && !((backoff.get(r.caseId)?.until ?? 0) > now))
      // ERC-792 cases are bound (bindInput), not opened: their case id is the front's.
      .filter((r) => isOurs(r))
      .slice(0, openBatch);
    if (!rows.length) return;
    for (const r of rows) sent.add(r.caseId);
    inFlight++;
    if (rows.length === openBatch) kickOpener(); // more are waiting: another transaction alongside
    // The last cases waiting, nothing else on its way to the chain, and no group commit holding
    // batches back: the same transaction seals their batches (openCasesAndSeal), and the draw
    // goes in the next block. Otherwise the batches fill on, and their seal jobs decide. "The
    // last": the read above was complete (fewer rows than asked for) and left none of ours
    // behind (a case backing off after a refusal is one: its batch waits for it).
    forgetStale();
    const seal =
      inFlight === 1 &&
      rows.length < openBatch &&
      inFlightBatches.size < BATCHES_IN_FLIGHT &&
      waiting.length < limit &&
      !waiting.some((p) => !sent.has(p.caseId) && isOurs(p));
    const tx = openRows(rows, seal);
    openerTxs.add(tx);
    try {
      await tx;
    } finally {
      openerTxs.delete(tx);
      inFlight--;
    }
    kickOpener();
  }
  /** One openCases transaction; a refused batch is split in halves to find the case at fault. */
  async function openRows(rows: PipelineCaseRow[], seal = false): Promise<void> {
    try {
      const r = await o.port.openCases(
        o.registrar,
        rows.map((p) => ({
          ref: o.port.caseRefOf(p.caseId),
          chainCaseId: p.chainCaseId,
          modelId: p.modelId,
          s0: p.s0,
          claimant: p.claimant,
          respondent: p.respondent,
          awardTable: p.awardTable,
          // Fee only: the deposit is reserved from the respondent's escrow account (or owed).
          deposit: 0n,
        })),
        { seal },
      );
      // On chain now: the row carries the transaction (the CaseOpened fold sets the same), so the
      // opener's query no longer returns it.
      if (r.receipt) o.store.setOpenTx(rows.filter((p) => r.opened.has(p.chainCaseId.toLowerCase())).map((p) => p.chainCaseId), r.receipt.hash);
      for (const p of rows) {
        sent.delete(p.caseId);
        backoff.delete(p.caseId);
      }
      if (r.receipt) o.onChainChange?.();
      // Sealed by this transaction: drawn now, in the next block (its seed is the hash of the
      // block just mined). A draw not taken here gets its draw job from enqueueDraw (the fold of
      // SeedCommitted enqueues none for a batch the keeper draws itself: onDrawing).
      const sealed = new Set(r.sealed.map(String));
      const seedBlock = r.receipt?.blockNumber;
      // Past this point the cases are on chain: a failure below is not the opening's (its catch
      // would open them again in halves), and the draw job is enqueued until it is.
      await Promise.all(
        r.sealed.map(async (b) => {
          if (seedBlock !== undefined) o.onDrawing?.(b, seedBlock);
          if (!(await drawSealed(b)) && seedBlock !== undefined) void enqueueDraw(b, seedBlock);
        }),
      );
      // A batch fills for PIPELINE_SEAL_MS while more cases are on their way to it; when nothing
      // else is being opened or waits to be, there is nothing to wait for: it seals now. (Read
      // afresh, not from openSome's read: cases prepared while this transaction was out count.)
      const more = inFlight > 1 || o.store.preparedNotOpened(openBatch + sent.size).some((p) => !sent.has(p.caseId));
      for (const batchId of new Set(r.opened.values())) {
        const id = batchId.toString();
        if (sealed.has(id)) continue;
        // Queued already (and not yet run to its end): a second add would change nothing, not
        // even its delay. A seal due now ("nothing more on its way") is still added: BullMQ
        // keeps the first's delay, which then stands.
        if (sealQueued.has(id) && more) continue;
        if (sealQueued.size > 10_000) sealQueued.clear();
        sealQueued.add(id);
        await queue.add('seal', { batchId: id }, { jobId: jobIds.seal(batchId), delay: more ? o.sealMs : 0 });
      }
      if (r.receipt) log(`opened ${r.opened.size} cases in ${r.receipt.hash}${r.existing.length ? ` (${r.existing.length} already open)` : ''}${r.sealed.length ? `, sealed batch ${r.sealed.join(', ')}` : ''}`);
    } catch (e) {
      if (rows.length > 1) {
        const half = Math.ceil(rows.length / 2);
        await openRows(rows.slice(0, half));
        await openRows(rows.slice(half));
        return;
      }
      const p = rows[0];
      const ms = Math.min(60_000, (backoff.get(p.caseId)?.ms ?? 250) * 2);
      backoff.set(p.caseId, { until: Date.now() + ms, ms });
      sent.delete(p.caseId);
      log(`opener: case ${p.caseId} not opened (${o.port.revertName(e) ?? (e as Error).message}); again in ${ms} ms`);
    }
  }

  /**
   * Draws a batch this process has just sealed (its seed block is the sealing transaction's, mined:
   * the draw goes in the next block), without reading it first. Not taken (someone drew first, no
   * eligible node, a failure): the draw job, which the fold of SeedCommitted enqueues, is the way.
   */
  async function drawSealed(batchId: bigint): Promise<boolean> {
    try {
      if ((await o.port.draw(o.registrar, batchId, true, o.onDrawn)) !== 'drawn') return false;
    } catch (e) {
      log(`batch ${batchId}: draw after sealing not taken (${o.port.revertName(e) ?? (e as Error).message}); the draw job will`);
      return false;
    }
    inFlightBatches.set(batchId.toString(), Date.now());
    o.onChainChange?.();
    log(`batch ${batchId}: committee drawn`);
    return true;
  }

  /**
   * The draw job of a batch the keeper sealed here and did not draw: the fold enqueued none
   * (onDrawing), so it is enqueued here, again and again while Redis refuses (a restart would
   * still find the batch: store.sealedNotDrawn).
   */
  async function enqueueDraw(batchId: bigint, seedBlock: number): Promise<void> {
    for (let wait = 500; !stopped; wait = Math.min(wait * 2, 30_000)) {
      try {
        await queue.add('draw', { batchId: batchId.toString() }, { jobId: jobIds.draw(batchId, seedBlock), delay: 250 });
        return;
      } catch (e) {
        log(`batch ${batchId}: its draw job not enqueued (${(e as Error).message}); again in ${wait} ms`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * The keeper's draw: a sealed batch's committee, once its seed block is mined. Reads the batch
   * first, so a second run (or a draw someone else sent) is a no-op.
   */
  async function draw(job: Job, token: string | undefined, batchId: bigint) {
    let r = await o.port.draw(o.registrar, batchId, false, o.onDrawn);
    if (r === 'early' && o.mineBlock) {
      // The seed block is not the head yet (a chain read behind the sealing transaction): on the
      // private embedded chain, which mines only on transactions, mine a block and draw at once.
      await o.mineBlock();
      r = await o.port.draw(o.registrar, batchId, false, o.onDrawn);
    }
    if (r === 'drawn') log(`batch ${batchId}: committee drawn`);
    if (r === 'early') return later(job, token, Math.min(1000, Math.max(o.pollMs, 1)));
    if (r === 'no nodes') {
      // Every node serving the model has its stake locked in seats (or none serves it): seats
      // free up as batches finalize, seconds or hours away. It looked again every
      // PIPELINE_POLL_MS for as long: 25 draw estimates a second per batch (seen in the bench).
      const waits = (job.data as { noNodes?: number }).noNodes ?? 0;
      if (waits === 0) log(`batch ${batchId}: no eligible node (every serving node's stake is in seats, or none serves its model); the draw waits`);
      await job.updateData({ ...job.data, noNodes: waits + 1 });
      return later(job, token, Math.min(NO_NODES_MAX_MS, Math.max(o.pollMs, 1) * 2 ** Math.min(waits, 16)));
    }
    return { draw: r };
  }

  async function close(job: Job, token: string | undefined, batchId: bigint) {
    const [b, now] = await Promise.all([o.port.getBatch(batchId), chainNow()]);
    // A disputed or failed batch is no longer on the fast path: it does not hold others' sealing.
    if (b.status === BatchStatus.Disputed || b.status === BatchStatus.Failed) inFlightBatches.delete(batchId.toString());
    if (b.status === BatchStatus.Failed) {
      try {
        await o.port.redraw(o.registrar, batchId);
        log(`batch ${batchId}: nobody revealed, committee redrawn`);
      } catch (e) {
        if (o.port.revertName(e) !== 'WrongBatchStatus') throw e;
      }
      return { redrawn: true };
    }
    if (b.status === BatchStatus.Disputed) {
      // A way out of every dispute: once a member is overdue (root unopened past the open
      // deadline, accusation unanswered) and no game runs, closeDispute evicts and slashes it.
      if (b.games === 0 && now > b.openDeadline) {
        try {
          await o.port.closeDispute(o.registrar, batchId);
          log(`batch ${batchId}: dispute closed, overdue members slashed`);
        } catch (e) {
          const name = o.port.revertName(e);
          if (name !== 'NothingToClose' && name !== 'GamesRunning' && name !== 'WrongBatchStatus') throw e;
        }
      }
      // Nothing to do before the open deadline, nor while a game runs: a look every 2 s (a test
      // that moves anvil's clock is seen within that), not every PIPELINE_POLL_MS.
      return later(job, token, 2000);
    }
    if (b.status !== BatchStatus.Executing) return { status: b.status };
    // Before the reveal deadline there is nothing to close: a look every 2 s, or at the deadline
    // when it is nearer. Every executing batch's close job looking every PIPELINE_POLL_MS (20 ms
    // in the bench) was a large share of the service's and anvil's CPU at a steady rate.
    const left = b.revealDeadline - now;
    if (left >= 0) return later(job, token, left > 2 ? 2000 : Math.min(2000, Math.max(o.pollMs, 1)));
    try {
      await o.port.closeReveals(o.registrar, batchId);
      log(`batch ${batchId}: reveals closed, silent members slashed`);
    } catch (e) {
      const name = o.port.revertName(e);
      if (name === 'TooEarly') return later(job, token);
      if (name !== 'WrongBatchStatus') throw e;
    }
    return later(job, token); // a failed batch is redrawn on the next look
  }

  /** The batch's agreed claims: the service's own when they make the agreed root, else a member's published ones. */
  async function agreedClaims(batchId: bigint, root: string) {
    const rows = o.store.byBatch(Number(batchId));
    const own = rows.map(ownClaim);
    if (rows.length && claimsRoot(own).toLowerCase() === root.toLowerCase()) return { claims: own, tables: rows.map((r) => r.awardTable) };
    const sealed = o.store.eventsOfBatch(Number(batchId)).filter((e) => e.name === 'BatchSealed');
    for (const s of sealed.reverse()) {
      const raw = await o.connection.hgetall(`${o.prefix}:claims:${batchId}-${s.blockNumber}`);
      for (const json of Object.values(raw)) {
        const claims = (JSON.parse(json) as ClaimJson[]).map(claimFromJson);
        if (claimsRoot(claims).toLowerCase() === root.toLowerCase()) {
          const tables = claims.map((c) => o.store.byChainId(c.caseId)?.awardTable ?? '0x');
          return { claims, tables };
        }
      }
    }
    throw new Error(`batch ${batchId}: no known claims make the agreed root ${root}`);
  }

  /**
   * ERC-792 disputes of the batch: show each one's agreed claim on the front, so its
   * currentRuling is the proposed ruling during the appeal window (once per proposed root, the
   * keys in `shown`: batchId:claimsRoot; ArbitratorFront.showRuling).
   */
  const shown = new Set<string>();
  async function showRulings(batchId: bigint, claims: Claim[]) {
    for (const row of o.store.byBatch(Number(batchId))) {
      // An ERC-792 case has no award table (the arbitrable holds the money): only those are read.
      if (row.awardTable !== '0x') continue;
      const record = o.store.caseRow(row.caseId)?.record;
      const dispute = record ? (JSON.parse(record) as CaseRecordT).onchainDispute : undefined;
      if (!dispute) continue;
      const index = claims.findIndex((c) => c.caseId.toLowerCase() === row.chainCaseId.toLowerCase());
      if (index < 0) continue;
      try {
        await o.port.showRuling(o.registrar, BigInt(dispute.disputeId), claims, index);
      } catch (e) {
        // Appealed or settled meanwhile: nothing to show for this batch.
        const name = o.port.revertName(e);
        if (name !== 'WrongCaseStatus' && name !== 'WrongBatchStatus') throw e;
      }
    }
  }

  /** A batch's agreed claims with their final-state proofs, from what its members published. */
  async function publishedAgreed(batchId: bigint, root: string): Promise<ClaimJson[] | undefined> {
    const sealed = o.store.eventsOfBatch(Number(batchId)).filter((e) => e.name === 'BatchSealed');
    for (const s of sealed.reverse()) {
      const raw = await o.connection.hgetall(`${o.prefix}:claims:${batchId}-${s.blockNumber}`);
      for (const json of Object.values(raw)) {
        const claims = JSON.parse(json) as ClaimJson[];
        if (claimsRoot(claims.map(claimFromJson)).toLowerCase() === root.toLowerCase()) return claims;
      }
    }
    return undefined;
  }

  /**
   * Compares every level-1 appeal that keeps this batch from finalizing (issue 8 #6): the batch a
   * case was appealed from, or the one re-executing it. Equal results close it; different ones
   * open a game between the two committees (the nodes play it); once the first root has fallen,
   * the bond goes back to the appellant. Needs the re-execution proposed and no game running.
   */
  async function compareAppeals(batchId: bigint): Promise<void> {
    const ids = new Set(o.store.eventsOfBatch(Number(batchId)).filter((e) => e.name === 'CaseOpened' && e.chainCaseId).map((e) => e.chainCaseId!));
    for (const id of ids) {
      const ap = await o.port.appeal(id);
      if (!ap.pending) continue;
      const nb = (await o.port.getCase(id)).batchId;
      if (ap.fromBatch !== batchId && nb !== batchId) continue;
      const [b1, b2] = await Promise.all([o.port.getBatch(ap.fromBatch), o.port.getBatch(nb)]);
      if (b2.status !== BatchStatus.Proposed || b1.games > 0) continue;
      const second = await publishedAgreed(nb, b2.claimsRoot);
      if (!second) continue;
      const secondSide = { member: '', claim: claimFromJson(second[0]), claims: second.map(claimFromJson), finalProof: second[0].finalProof };
      // When the first root no longer stands the contract reads neither claim: any well-formed evidence does.
      const stands = b1.status === BatchStatus.Proposed && b1.claimsRoot.toLowerCase() === ap.root.toLowerCase();
      const first = stands ? await publishedAgreed(ap.fromBatch, ap.root) : second;
      if (!first) continue;
      const index = stands ? ap.fromIndex : 0;
      const firstSide = { member: '', claim: claimFromJson(first[index]), claims: first.map(claimFromJson), finalProof: first[index].finalProof, index };
      try {
        const { gameId } = await o.port.compareAppeal(o.registrar, id, firstSide, secondSide);
        log(`case ${id}: appeal compared${gameId > 0n ? `, results differ: game ${gameId}` : ''}`);
      } catch (e) {
        log(`case ${id}: compareAppeal not taken: ${o.port.revertName(e) ?? (e as Error).message}`);
      }
    }
  }

  /**
   * An unavailability claim on a case (issue 8 #7): ours, the service publishes its input (the
   * opener answers); another opener's, it is refused once the deadline passes unanswered.
   */
  async function input(job: Job, token: string | undefined, chainCaseId: string) {
    if ((await o.port.getCase(chainCaseId)).status !== CaseStatus.Open) return { input: 'case not open' };
    const deadline = await o.port.inputDeadline(chainCaseId);
    if (deadline === 'published' || deadline === 0) return { input: deadline };
    const p = o.store.byChainId(chainCaseId);
    const m = p ? o.models.byRef(p.modelRef) : undefined;
    if (p) {
      if (!m) throw new UnrecoverableError(`case ${chainCaseId}: its model ${p.modelRef} is not served here, so its input cannot be published`);
      const features = m.definition.featurizer.featurize(JSON.parse(o.store.caseRow(p.caseId)!.record) as CaseRecordT);
      const bytes = bytesToHex(encodeTensor({ rows: 1, cols: features.length, data: features }));
      await o.port.publishInput(o.registrar, chainCaseId, bytes);
      log(`case ${chainCaseId}: input published on chain (a member claimed it unavailable)`);
      return { input: 'published' };
    }
    // Another opener's case: refused once its deadline passes unanswered. The deadline is the
    // dispute window away (an hour by default): looked at as the refuse and unbound jobs do, not
    // every PIPELINE_POLL_MS (14,400 looks of three reads for one claim). A jump of the chain's
    // clock wakes it at once (watchClock).
    const left = deadline - (await chainNow());
    if (left >= 0) return later(job, token, untilDue(left));
    try {
      await o.port.refuseUnavailable(o.registrar, chainCaseId);
    } catch (e) {
      // A node may have refused it first.
      if ((await o.port.getCase(chainCaseId)).status === CaseStatus.Open) throw e;
    }
    return { input: 'refused' };
  }

  /**
   * Waiting for a chain deadline `left` seconds away: ten minutes between looks while it is more
   * than a day away, a minute while more than an hour, else 2 s (a test moving anvil's clock is
   * seen at once). A dispute nobody binds waits out a 30-day input window in ~5,000 reads, not 1.3 M.
   */
  const untilDue = (left: number) => (left > 86_400 ? 600_000 : left > 3600 ? 60_000 : Math.min(2000, Math.max(o.pollMs, 1)));

  /**
   * A level-2 appeal no arbitrator ruled on by its referral's deadline: the keeper ends it refused
   * (Arbitration.refuseCase: bond back to the appellant, deposit to the respondent, ruling 0 for an
   * ERC-792 dispute). Reads the case first, so a second run, a ruling meanwhile or a refusal someone
   * else sent leaves nothing to do.
   */
  async function refuseUnruled(job: Job, token: string | undefined, chainCaseId: string) {
    if ((await o.port.getCase(chainCaseId)).status !== CaseStatus.AwaitingArbitrator) return { refused: 'not awaiting an arbitrator' };
    const { deadline } = await o.port.referral(chainCaseId);
    const left = deadline - (await chainNow());
    if (left >= 0) return later(job, token, untilDue(left));
    try {
      const r = await o.port.refuseCase(o.registrar, chainCaseId);
      log(`case ${chainCaseId}: no arbitrator ruled by ${deadline}: refused`);
      return { refused: r.hash };
    } catch (e) {
      // Ruled or refused by someone else meanwhile.
      if ((await o.port.getCase(chainCaseId)).status !== CaseStatus.AwaitingArbitrator) return { refused: 'already' };
      if (o.port.revertName(e) === 'TooEarly') return later(job, token);
      throw e;
    }
  }

  /**
   * An ERC-792 dispute whose input nobody bound within the front's input window: the keeper refuses
   * it (ArbitratorFront.refuseUnbound: ruling 0, the fee back to the arbitrable). A dispute bound
   * (or ruled) meanwhile is left alone.
   */
  async function refuseUnbound(job: Job, token: string | undefined, disputeId: bigint) {
    const d = await o.port.unboundDeadline(disputeId);
    if (d.state !== DisputeState.AwaitingInput) return { unbound: 'bound or ruled' };
    const left = d.deadline - (await chainNow());
    if (left >= 0) return later(job, token, untilDue(left));
    try {
      const r = await o.port.refuseUnbound(o.registrar, disputeId);
      log(`dispute ${disputeId}: no input bound by ${d.deadline}: refused (ruling 0)`);
      return { unbound: r.hash };
    } catch (e) {
      if ((await o.port.unboundDeadline(disputeId)).state !== DisputeState.AwaitingInput) return { unbound: 'already' };
      if (o.port.revertName(e) === 'TooEarly') return later(job, token);
      throw e;
    }
  }

  /**
   * The indexer proposes a batch's cases when the service's own run makes the agreed root. When it
   * does not (the batch also holds another opener's cases, or the committee's result differs from
   * the service's run), read the members' published claims that make the root and propose each of
   * our cases on the committee's claim, noting whether the service's own run agrees: the parties
   * see the verdict that will be paid and may appeal it within the window (issue 8 #6). A case
   * whose dispute game ended (bisecting) is proposed again so, with the root the game left.
   */
  /** Whether a dispute game over the case has started and not been resolved, as the indexer has folded them. */
  function gameOpen(chainCaseId: string): boolean {
    const games = new Set<number>();
    for (const e of o.store.eventsOfCase(chainCaseId)) if (e.name === 'Challenged' && e.gameId !== null) games.add(e.gameId);
    return [...games].some((g) => !o.store.eventsOfGame(g).some((e) => e.name === 'Resolved'));
  }

  async function proposeFromCommittee(batchId: bigint, b: { claimsRoot: string; windowEnd: number }) {
    const waiting = o.store.byBatch(Number(batchId)).filter((r) => {
      const status = o.store.caseStatus(r.caseId) ?? '';
      // A case whose game still runs waits for it (its batch may be proposed while the game is
      // over another: an appeal's re-execution, the first committee challenged meanwhile).
      return ['executing', 're-executing'].includes(status) || (status === 'bisecting' && !gameOpen(r.chainCaseId));
    });
    if (!waiting.length) return;
    let agreed: Awaited<ReturnType<typeof agreedClaims>>;
    try {
      agreed = await agreedClaims(batchId, b.claimsRoot);
    } catch {
      return; // not published yet: the next look
    }
    let proposed = 0;
    for (const r of waiting) {
      const claim = agreed.claims[r.batchIndex!];
      if (!claim || claim.caseId.toLowerCase() !== r.chainCaseId.toLowerCase() || claim.output === REFUSED) continue;
      const agrees = claimLeaf(claim) === claimLeaf(ownClaim(r));
      const verdict = verdictFor(o.models, o.store, r, Number(claim.output), claim.traceRoot);
      o.store.setVerdict(r.caseId, verdict);
      const data = { verdict, claimsRoot: b.claimsRoot, windowEnd: b.windowEnd, agreesWithService: agrees };
      o.transitions.proposeVerdict(r.caseId, { actor: 'chain', data, webhookType: 'verdict.proposed' });
      proposed++;
      if (!agrees) log(`case ${r.caseId}: the committee's claim differs from the service's own run (output ${claim.output}, service ${r.output})`);
    }
    if (proposed) log(`batch ${batchId}: ${proposed} cases proposed`);
  }

  async function settle(job: Job, token: string | undefined, batchId: bigint) {
    // Proposed (the fold enqueued this job): no longer between its draw and its proposal.
    inFlightBatches.delete(batchId.toString());
    // The three reads at once (one eth_call: server/chain/read-many.ts).
    const [b, pendingAppeals, now] = await Promise.all([o.port.getBatch(batchId), o.port.pendingAppeals(batchId), chainNow()]);
    if (b.status !== BatchStatus.Proposed && b.status !== BatchStatus.Final) return later(job, token);
    if (b.status === BatchStatus.Proposed) {
      await proposeFromCommittee(batchId, b);
      if (pendingAppeals > 0) {
        // A level-1 appeal keeps this batch (and its re-execution) from finalizing until compared.
        await compareAppeals(batchId);
        return later(job, token, Math.min(2000, Math.max(o.pollMs, 1)));
      }
      // Waiting out the challenge window: every 10 s while its end is more than a minute away,
      // every 2 s in its last minute, every PIPELINE_POLL_MS in its last seconds. (Every proposed
      // batch polling at 20 ms for a whole hour's window was most of the pipeline's CPU once a
      // hundred batches waited; at 2 s, a third of the service's chain reads at a steady 100
      // cases a second, and growing with the window.) A jump of the chain's clock (a test moving
      // anvil's time) wakes the waiting jobs at once: watchClock, below.
      const left = b.windowEnd - now;
      if (left >= 0) {
        // ERC-792 cases show their proposed ruling during the window, once per proposed root.
        const key = `${batchId}:${b.claimsRoot}`;
        if (!shown.has(key)) {
          const { claims } = await agreedClaims(batchId, b.claimsRoot);
          await showRulings(batchId, claims);
          shown.add(key);
          if (shown.size > 10_000) shown.clear();
        }
        return later(job, token, left > SETTLE_FAR_S ? SETTLE_FAR_MS : left > 2 ? 2000 : Math.min(2000, Math.max(o.pollMs, 1)));
      }
    }
    const { claims, tables } = await agreedClaims(batchId, b.claimsRoot);
    await showRulings(batchId, claims);
    const open = await Promise.all(claims.map((c) => o.port.getCase(c.caseId)));
    if (!open.some((c) => c.status === CaseStatus.Open && c.batchId === batchId)) return { settled: 'already' };
    try {
      const r = await o.port.settle(o.registrar, batchId, claims, tables);
      log(`batch ${batchId}: settled ${claims.length} cases in ${r.hash}`);
      return { settled: r.hash };
    } catch (e) {
      if (o.port.revertName(e) === 'TooEarly') return later(job, token);
      throw e;
    }
  }

  const worker = new Worker(
    PIPELINE_QUEUE,
    async (job: Job, token?: string) => {
      const d = job.data as { caseId?: string; batchId?: string };
      if (job.name === 'open') {
        const ids = (job.data as { caseIds?: string[] }).caseIds ?? [d.caseId!];
        if (ids.length === 1) return open(ids[0]);
        // Many cases a job (one BullMQ job per case cost more Redis and CPU than preparing the
        // case). Each case is prepared on its own; one that fails goes on in a job of its own
        // (its usual id, so it is never queued twice) with its retries, and the others are done.
        const out: Record<string, unknown> = {};
        for (const caseId of ids) {
          try {
            out[caseId] = await open(caseId);
          } catch (e) {
            if (e instanceof UnrecoverableError) {
              log(`case ${caseId} not prepared: ${e.message}`);
              out[caseId] = { failed: e.message };
            } else {
              log(`case ${caseId} not prepared (${(e as Error).message}): retried in a job of its own`);
              await queue.add('open', { caseId }, { ...JOB_DEFAULTS, jobId: jobIds.open(caseId) });
              out[caseId] = { retried: (e as Error).message };
            }
          }
        }
        return out;
      }
      if (job.name === 'seal') {
        // Group commit for batches: while BATCHES_IN_FLIGHT of ours are between their draw and
        // their proposal, a filling batch keeps filling (up to SEAL_HOLD_MS): at a steady rate the
        // pipeline otherwise drew a committee for every two or three cases, and the per-batch
        // transactions (seal, draw, three commits, three reveals) became the ceiling.
        forgetStale();
        if (inFlightBatches.size >= BATCHES_IN_FLIGHT && Date.now() - job.timestamp < SEAL_HOLD_MS && !inFlightBatches.has(d.batchId!)) {
          return later(job, token, Math.max(5, Math.min(o.pollMs, 20)));
        }
        // An openCases on its way may seal this batch (openCasesAndSeal, or filled to its size):
        // a seal sent meanwhile, estimated before it landed, reverted in the same block.
        if (openerTxs.size) await Promise.allSettled([...openerTxs]);
        sealQueued.delete(d.batchId!);
        const r = await o.port.seal(o.registrar, BigInt(d.batchId!));
        if (r) o.onChainChange?.();
        if (r) o.onDrawing?.(BigInt(d.batchId!), r.blockNumber);
        // Sealed here: the batch is Sealed, no need to read it again before drawing; its seed
        // block is this transaction's (Arbitration.seal). The fold enqueues no draw job for it
        // (onDrawing): a draw not taken is this job's to enqueue.
        const b = r ? undefined : await o.port.getBatch(BigInt(d.batchId!));
        if (r || b!.status === BatchStatus.Sealed) {
          // Sealed here (the seed is the sealing block's hash, mined): the keeper draws here and
          // now, in the next block, one job hop less on every batch's path. The draw job stays
          // the way when this fails.
          if (r && (await drawSealed(BigInt(d.batchId!)))) return { sealed: r.hash, drawn: true };
          const seedBlock = r ? r.blockNumber : b!.seedBlock;
          await queue.add('draw', { batchId: d.batchId! }, { jobId: jobIds.draw(d.batchId!, seedBlock) });
        }
        return { sealed: r?.hash ?? 'not filling' };
      }
      if (job.name === 'draw') return draw(job, token, BigInt(d.batchId!));
      if (job.name === 'close') return close(job, token, BigInt(d.batchId!));
      if (job.name === 'settle') return settle(job, token, BigInt(d.batchId!));
      if (job.name === 'input') return input(job, token, (job.data as { chainCaseId: string }).chainCaseId);
      if (job.name === 'refuse') return refuseUnruled(job, token, (job.data as { chainCaseId: string }).chainCaseId);
      if (job.name === 'unbound') return refuseUnbound(job, token, BigInt((job.data as { disputeId: string }).disputeId));
      if (job.name === 'appeal') {
        const a = job.data as { caseId: string; level: number };
        const p = o.store.byCase(a.caseId);
        if (!p) throw new UnrecoverableError(`case ${a.caseId} is not on chain`);
        const level = Number((await o.port.contracts.arbitration.cases(p.chainCaseId)).appealLevel);
        if (level >= a.level) return { appealed: 'already' };
        const r = await o.port.appealCase(o.registrar, p.chainCaseId);
        return { appealed: r.hash };
      }
      if (job.name === 'rule') {
        const a = job.data as { caseId: string; output: number; reasonHash: string };
        const p = o.store.byCase(a.caseId);
        if (!p || !o.arbitrator) throw new UnrecoverableError(`case ${a.caseId}: no arbitrator account on this chain`);
        if ((await o.port.getCase(p.chainCaseId)).status !== CaseStatus.AwaitingArbitrator) return { ruled: 'already' };
        const r = await o.port.arbitratorRule(o.arbitrator, p.chainCaseId, a.output, a.reasonHash, p.awardTable);
        return { ruled: r.hash };
      }
      if (job.name === 'ruling') {
        const r = await o.port.retryRuling(o.registrar, BigInt((job.data as { disputeId: string }).disputeId));
        return { delivered: r?.hash ?? 'not pending' };
      }
      if (job.name === 'deposit') {
        // A merchant's escrow deposit on the embedded chain, sent by the dev funder.
        // At most once: the mark is set before sending (and cleared when the send fails), so a
        // retry after a crash mid-send never deposits twice; the merchant may simply ask again.
        const dep = job.data as { depositId: string; account: string; amount: string };
        const mark = `${o.prefix}:escrow-deposit:${dep.depositId}`;
        if ((await o.connection.set(mark, '1', 'EX', 7 * 24 * 3600, 'NX')) !== 'OK') return { deposited: 'already' };
        try {
          const r = await o.port.depositFor(o.escrow, dep.account, BigInt(dep.amount));
          return { deposited: r.hash };
        } catch (e) {
          await o.connection.del(mark);
          throw e;
        }
      }
      if (job.name === 'claim') {
        const c = job.data as { caseId: string; payee: string };
        const p = o.store.byCase(c.caseId);
        if (!p) throw new UnrecoverableError(`case ${c.caseId} is not on chain`);
        // Through the governance timelock: scheduled now, paid once its delay has passed.
        const r = await o.port.claimAward(o.registrar, p.chainCaseId, c.payee);
        if (r.state === 'pending') return later(job, token, r.waitMs ?? 1000);
        return { claimed: r.receipt?.hash ?? 'already' };
      }
      throw new UnrecoverableError(`unknown job ${job.name}`);
    },
    { connection: o.connection, prefix: o.prefix, concurrency: 8, lockDuration: 30_000, stalledInterval: 15_000, maxStalledCount: 10, settings: { backoffStrategy: retryDelay } },
  );
  worker.on('failed', (job, err) => log(`pipeline job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
  worker.on('error', (err) => log(`pipeline worker: ${err.message}`));

  // At start: every batch sealed and not drawn since gets its draw job. The fold enqueues none
  // for a batch the keeper draws itself (onDrawing), so a crash between its seal and its draw
  // would otherwise leave it sealed for good; a batch drawn meanwhile makes the job a no-op.
  const recovered = (async () => {
    const waiting = o.store.sealedNotDrawn();
    await Promise.all(waiting.map(({ batchId, seedBlock }) => enqueueDraw(BigInt(batchId), seedBlock)));
    if (waiting.length) log(`${waiting.length} sealed batches not yet drawn: their draws enqueued`);
  })();
  recovered.catch((e: Error) => log(`the draws of sealed batches at start: ${e.message}`));

  // The dispatcher: every filed case the pipeline has not taken gets its `open` job (the job id
  // makes a second enqueue a no-op while the first is kept).
  let timer: NodeJS.Timeout | undefined;
  /** Filed cases per open job. */
  const OPEN_CHUNK = 20;
  const enqueued = new Map<string, number>(); // caseId → when it may be enqueued again (ms)
  let scanCursor = '';
  let lastFullScan = 0;
  const dispatch = async () => {
    if (stopped) return;
    let full = false;
    try {
      // A case against a merchant waits in `filed` until its response window closes. A case
      // enqueued lately is not enqueued again at every tick (the job id would drop it, but 500
      // duplicate adds every PIPELINE_POLL_MS kept Redis and this event loop busy).
      // Only the cases filed since the last look, and all of them once a second (a merchant's
      // case whose window closed, a lost job): rescanning thousands of filed cases every
      // PIPELINE_POLL_MS cost more CPU than opening them.
      const now = Date.now();
      full = now - lastFullScan >= 1000;
      if (full) lastFullScan = now;
      const found = o.store.filedNotOpened(500, full ? undefined : scanCursor);
      if (found.length && found[found.length - 1] > scanCursor) scanCursor = found[found.length - 1];
      const ready = found.filter((caseId) => (enqueued.get(caseId) ?? 0) < now && (!o.mayProceed || o.mayProceed(caseId)));
      if (enqueued.size > 5000) for (const [k, until] of enqueued) if (until < now) enqueued.delete(k);
      for (const caseId of ready) enqueued.set(caseId, now + 60_000);
      const chunks: string[][] = [];
      for (let i = 0; i < ready.length; i += OPEN_CHUNK) chunks.push(ready.slice(i, i + OPEN_CHUNK));
      if (chunks.length) {
        await queue.addBulk(
          chunks.map((caseIds) =>
            caseIds.length === 1
              ? { name: 'open', data: { caseId: caseIds[0] }, opts: { ...JOB_DEFAULTS, jobId: jobIds.open(caseIds[0]) } }
              : { name: 'open', data: { caseIds }, opts: { ...JOB_DEFAULTS, jobId: jobIds.openMany(caseIds) } },
          ),
        );
      }
    } catch (e) {
      log(`dispatcher: ${(e as Error).message}`);
    }
    // Each prepared case kicks the opener; a look a second is for what no kick covers (a case
    // whose opening failed and waits out its backoff, rows prepared before a restart).
    if (full) void openSome().catch((e: Error) => log(`opener: ${e.message}`));
    if (!stopped) timer = setTimeout(dispatch, o.pollMs);
  };
  void dispatch();

  return {
    queue,
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (clockTimer) clearTimeout(clockTimer);
      if (openerTimer) clearTimeout(openerTimer);
      await worker.close();
      await queue.close();
    },
  };
}

export type Registrar = ReturnType<typeof startRegistrar>;
