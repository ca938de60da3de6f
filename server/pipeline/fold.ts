// Folds contract events into the service (DESIGN.md "The flow of one case"): ONE transaction
// records each event, updates the pipeline row and moves the case through the cases service's
// transitions with its timeline event and webhook row; the jobs an event calls for have
// deterministic ids, so enqueuing them again adds nothing. Folding an event twice changes
// nothing: the event's row is the guard.
import type { JobsOptions, Queue } from 'bullmq';
import { ZeroHash, decodeBytes32String, toBeHex } from 'ethers';
import { caseIdOf } from '../chain/contracts.js';
import type { ChainEvent, EventDecoder, RawLog } from '../chain/events.js';
import { claimsRoot } from '../chain/batch-claims.js';
import type { Db } from '../db/connection.js';
import type { PipelineCaseRow } from '../db/schema.js';
import type { CaseRecordT } from '../cases/schemas.js';
import type { CaseTransitions } from '../cases/transitions.js';
import type { CaseAction, CaseStatus } from '../cases/state-machine.js';
import { canTransition } from '../cases/state-machine.js';
import { assembleVerdict } from '../verdicts/assemble.js';
import type { Claim } from '../inference/claim-commitment.js';
import { caseFacts } from './facts.js';
import { caseAwardTable } from './award-table.js';
import { eventKey, type PipelineStore } from './store.js';
import { JOB_DEFAULTS, jobIds, nodeQueueName, PIPELINE_QUEUE, type ExecJobData } from './jobs.js';
import type { ModelCatalogue } from './models.js';

export interface FoldDeps {
  db: Db;
  store: PipelineStore;
  transitions: CaseTransitions;
  models: ModelCatalogue;
  queue(name: string): Queue;
  /** The ArbitratorFront address: ERC-792 dispute ids map to case ids through it (caseIdOf(front, disputeId)). */
  front?: string;
  /** Decodes a draw's receipt logs (`drawn`); without it `drawn` does nothing. */
  decoder?: EventDecoder;
  log?: (msg: string) => void;
}

const hex = (v: unknown) => String(v).toLowerCase();
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** The claim the service's own execution makes for a case (checked against the agreed root). */
export const ownClaim = (r: PipelineCaseRow): Claim => ({
  caseId: r.chainCaseId,
  modelId: r.modelId,
  s0: r.s0,
  output: BigInt(r.output),
  steps: BigInt(r.steps),
  traceRoot: r.traceRoot,
});

/** The verdict of one of the service's cases for `output` (undefined for a class its card does not know). */
export function verdictFor(models: ModelCatalogue, store: PipelineStore, r: PipelineCaseRow, output: number, traceRoot: string) {
  const m = models.byRef(r.modelRef);
  const row = store.caseRow(r.caseId);
  if (!m || !row) return undefined;
  // A class the card does not know (only a ruling could name one) leaves no verdict rather
  // than stopping the indexer.
  if (!m.card.classes.some((c) => c.index === output)) return undefined;
  const verdict = assembleVerdict({ card: m.card, classIndex: output, record: JSON.parse(row.record) as CaseRecordT, inputHash: r.s0, traceRoot, steps: r.steps });
  const escrow = escrowOf(store, r);
  if (!escrow) return verdict;
  const statement =
    verdict.outcome !== 'claimant'
      ? 'Nothing is owed: the respondent prevailed.'
      : escrow.escrowed
        ? "The award is escrowed: it was reserved from the respondent's escrow account when the case opened and is paid from it when the verdict is final."
        : "The award is owed but not escrowed: the respondent's escrow account did not cover it when the case opened, so Arbiter holds nothing to pay it with; the respondent owes it to the claimant directly.";
  return { ...verdict, escrow: { status: escrow.escrowed ? ('escrowed' as const) : ('owed_not_escrowed' as const), deposit: escrow.amount, statement } };
}

/** How the case's deposit was taken at opening (DepositReserved), if from a respondent's escrow account. */
function escrowOf(store: PipelineStore, r: PipelineCaseRow): { escrowed: boolean; amount: string; respondent: string } | undefined {
  const e = store.eventsOfCase(r.chainCaseId).find((x) => x.source === 'arbitration' && x.name === 'DepositReserved');
  if (!e) return undefined;
  const a = JSON.parse(e.args) as { escrowed: boolean; amount: string; respondent: string };
  return { escrowed: Boolean(a.escrowed), amount: String(a.amount), respondent: hex(a.respondent) };
}

export function createFolder(deps: FoldDeps) {
  const { db, store, transitions, models } = deps;

  /** Moves the case when the move is legal from where it is; otherwise it has moved on. */
  function move(caseId: string, action: CaseAction, data: Record<string, unknown>, webhookType?: string): void {
    const status = store.caseStatus(caseId);
    if (!status || !canTransition(status, action)) return;
    transitions.applyInTransaction(action, caseId, { actor: 'chain', data, webhookType });
  }

  const verdictOf = (r: PipelineCaseRow, output: number, traceRoot: string) => verdictFor(models, store, r, output, traceRoot);

  /**
   * The jobs `e` calls for, as of the database when it is folded (a batch's CaseOpened rows are
   * read for its BatchSealed). Reads only: the caller enqueues them.
   */
  function jobsOf(e: ChainEvent, quiet = false): PendingJob[] {
    const jobs: PendingJob[] = [];
    const add = (queue: string, name: string, data: object, opts: JobsOptions) => jobs.push({ queue, name, data, opts });
    const a = e.args;
    if (e.source === 'arbitration' && e.name === 'BatchSealed') {
      const batchId = BigInt(a.batchId as bigint);
      const count = Number(a.count as bigint);
      // Every case of the batch, from its CaseOpened events (folded before this event, whoever
      // opened them): our own cases go with their facts, another opener's without (the node then
      // looks for its input on chain and claims it unavailable meanwhile: issue 8 #7). A case a
      // level-1 appeal moved elsewhere keeps its index here (the committee still claims it).
      const byIndex = new Map<number, string>();
      for (const ev of store.eventsOfBatch(Number(batchId))) {
        if (ev.name === 'CaseOpened' && ev.chainCaseId) byIndex.set(Number((JSON.parse(ev.args) as { index: string }).index), ev.chainCaseId);
      }
      const m = models.byId(String(a.modelId));
      if (byIndex.size !== count || !m) {
        if (!quiet) deps.log?.(`batch ${batchId}: ${byIndex.size} of ${count} cases known here${m ? '' : ', model not served'}: no execution jobs`);
        return jobs;
      }
      const data: ExecJobData = {
        batchId: batchId.toString(),
        round: e.blockNumber,
        modelRef: m.ref,
        cases: [...byIndex].sort(([x], [y]) => x - y).map(([index, chainCaseId]) => {
          const r = store.byChainId(chainCaseId);
          const row = r ? store.caseRow(r.caseId) : undefined;
          return { chainCaseId, index, facts: row ? caseFacts(JSON.parse(row.record) as CaseRecordT) : null };
        }),
      };
      for (const member of a.committee as string[]) {
        add(nodeQueueName(member), 'exec', data, { ...JOB_DEFAULTS, jobId: jobIds.exec(batchId, e.blockNumber, member) });
      }
      // Its first look when there may be something to close: a committee just drawn has its
      // commit and reveal windows ahead, and the job looked at once only to find that and wait
      // its 2 s (a job's round trips and a chain read more on every batch's path).
      add(PIPELINE_QUEUE, 'close', { batchId: batchId.toString(), round: e.blockNumber }, { ...JOB_DEFAULTS, jobId: jobIds.close(batchId, e.blockNumber), delay: CLOSE_FIRST_LOOK_MS });
    }
    if (e.source === 'arbitration' && e.name === 'VerdictProposed') {
      const batchId = BigInt(a.batchId as bigint);
      add(PIPELINE_QUEUE, 'settle', { batchId: batchId.toString() }, { ...JOB_DEFAULTS, jobId: jobIds.settle(batchId) });
    }
    if (e.source === 'arbitration' && e.name === 'SeedCommitted') {
      // Sealed (by the registrar, by size, a redraw or a level-1 appeal): the keeper draws the
      // committee once the seed block is mined.
      const batchId = BigInt(a.batchId as bigint);
      const seedBlock = Number(a.seedBlock as bigint);
      // A little later: a batch the registrar sealed is drawn by its seal job at once (this one
      // then finds nothing to do); sealed otherwise (by size, a redraw, an appeal), this draws it.
      // Not at all when the keeper sealed it in this process and draws it itself (`drawing`; it
      // enqueues this job if its draw fails): the job read the batch twice to find it drawn, for
      // nearly every batch.
      if (drawingHere.get(batchId.toString()) === seedBlock) {
        drawingHere.delete(batchId.toString());
        return jobs;
      }
      add(PIPELINE_QUEUE, 'draw', { batchId: batchId.toString() }, { ...JOB_DEFAULTS, jobId: jobIds.draw(batchId, seedBlock), delay: 250 });
    }
    if (e.source === 'arbitration' && e.name === 'BatchDisputed') {
      // The registrar closes the dispute (slashing whoever neither opened nor answered) when it is due.
      const batchId = BigInt(a.batchId as bigint);
      add(PIPELINE_QUEUE, 'close', { batchId: batchId.toString(), round: e.blockNumber }, { ...JOB_DEFAULTS, jobId: jobIds.close(batchId, e.blockNumber) });
    }
    if (e.source === 'front' && e.name === 'RulingDelivered' && !a.ok) {
      // The arbitrable refused its ruling: a job delivers it again (retryRuling) until it takes it.
      const disputeId = BigInt(a.disputeId as bigint);
      add(PIPELINE_QUEUE, 'ruling', { disputeId: disputeId.toString() }, { ...JOB_DEFAULTS, jobId: jobIds.ruling(disputeId) });
    }
    if (e.source === 'arbitration' && e.name === 'InputClaimed') {
      // A member says it lacks a case's input: the service publishes it when the case is its own,
      // else refuses the case once the deadline passes unanswered (issue 8 #7).
      const chainCaseId = hex(a.caseId);
      add(PIPELINE_QUEUE, 'input', { chainCaseId }, { ...JOB_DEFAULTS, jobId: jobIds.input(chainCaseId) });
    }
    if (e.source === 'arbitration' && e.name === 'Appealed' && Number(a.level as bigint) === 2) {
      // Level 2 waits for an arbitrator until the referral's deadline; past it, the keeper ends the
      // case refused (whoever opened it: anyone may, and the parties' money waits on it).
      const chainCaseId = hex(a.caseId);
      add(PIPELINE_QUEUE, 'refuse', { chainCaseId }, { ...JOB_DEFAULTS, jobId: jobIds.refuse(chainCaseId) });
    }
    if (e.source === 'front' && e.name === 'DisputeCreation') {
      // An ERC-792 dispute: refused (ruling 0) if nobody binds its input within the input window.
      const disputeId = BigInt(a._disputeID as bigint);
      add(PIPELINE_QUEUE, 'unbound', { disputeId: disputeId.toString() }, { ...JOB_DEFAULTS, jobId: jobIds.unbound(disputeId) });
    }
    if (e.source === 'arbitration' && e.name === 'BatchFailed') {
      const batchId = BigInt(a.batchId as bigint);
      add(PIPELINE_QUEUE, 'close', { batchId: batchId.toString(), round: e.blockNumber }, { ...JOB_DEFAULTS, jobId: jobIds.close(batchId, e.blockNumber) });
    }
    return jobs;
  }

  function apply(e: ChainEvent): void {
    const a = e.args;
    const tx = e.transactionHash;
    if (e.source === 'arbitration' && e.name === 'DepositReserved') {
      // Opening took the case's largest award from the respondent's escrow account, or could not.
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      // The usual case (reserved) needs no timeline line: the verdict's `escrow` and the trail say it.
      const data = { respondent: hex(a.respondent), deposit: String(a.amount), escrowed: Boolean(a.escrowed), tx };
      if (!a.escrowed) {
        store.note(
          r.caseId,
          'award_not_escrowed',
          { ...data, statement: "Owed but not escrowed: the respondent's escrow account does not cover this case's largest award. The case is decided all the same; an award would be owed by the respondent, not paid by Arbiter." },
          'case.not_escrowed',
        );
      }
      return;
    }
    if (e.source === 'arbitration' && e.name === 'CaseOpened') {
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      store.setOpened(r.chainCaseId, Number(a.batchId as bigint), Number(a.index as bigint), tx);
      // The committed award table must be the one the card and the record give (anyone can
      // recompute it); a mismatch is flagged on the case for a person to look at.
      const m = models.byRef(r.modelRef);
      const row = store.caseRow(r.caseId);
      if (m && row) {
        const record = JSON.parse(row.record) as CaseRecordT;
        // An ERC-792 dispute has no award table (the arbitrable holds the money).
        const expected = record.onchainDispute ? ZeroHash : caseAwardTable(m.card, record).commitment.toLowerCase();
        const committed = hex(a.awards);
        if (expected !== committed) store.note(r.caseId, 'award_table_mismatch', { expected, committed, tx }, 'case.award_table_mismatch');
      }
      move(r.caseId, 'startExecution', { chainCaseId: r.chainCaseId, batchId: Number(a.batchId as bigint), s0: r.s0, model: r.modelRef, openTx: tx }, 'case.executing');
      return;
    }
    if (e.source === 'arbitration' && e.name === 'Challenged') {
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      const data = { gameId: String(a.gameId), defender: hex(a.defender), challenger: hex(a.challenger), tx };
      move(r.caseId, 'challenge', data);
      move(r.caseId, 'startBisection', data, 'game.opened');
      return;
    }
    if (e.source === 'game' && e.name === 'Resolved') {
      const opened = store.eventsOfGame(Number(a.gameId as bigint)).find((x) => x.name === 'Challenged' || x.name === 'GameCreated');
      const r = opened?.chainCaseId ? store.byChainId(opened.chainCaseId) : undefined;
      if (!r) return;
      const outcome = ['none', 'defender_wins', 'challenger_wins', 'both_lose'][Number(a.outcome as bigint)] ?? String(a.outcome);
      store.note(r.caseId, 'game_resolved', { gameId: String(a.gameId), outcome, tx }, 'game.resolved');
      return;
    }
    if (e.source === 'arbitration' && e.name === 'VerdictProposed') {
      const rows = store.byBatch(Number(a.batchId as bigint));
      const root = hex(a.claimsRoot);
      const ours = rows.length > 0 && hex(claimsRoot(rows.map(ownClaim))) === root;
      for (const r of rows) {
        // The service's own run agrees with the committee's root: its outputs are the verdicts.
        // (Otherwise the settle job reads the committee's published claims and records them.)
        if (!ours) continue;
        const verdict = verdictOf(r, r.output, r.traceRoot);
        store.setVerdict(r.caseId, verdict);
        move(r.caseId, 'proposeVerdict', { verdict, claimsRoot: root, windowEnd: Number(a.windowEnd as bigint), tx }, 'verdict.proposed');
      }
      return;
    }
    if (e.source === 'arbitration' && e.name === 'Appealed') {
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      const level = Number(a.level as bigint);
      const data = { level, appellant: hex(a.appellant), newBatchId: Number(a.newBatchId as bigint), tx };
      move(r.caseId, 'appeal', data, 'case.appealed');
      // Level 1: a fresh, larger committee re-executes in a batch of its own (its CaseOpened and
      // SeedCommitted came in this transaction; the keeper's draw brings BatchSealed). Level 2
      // waits for an arbitrator.
      if (level === 1) move(r.caseId, 'startReexecution', data);
      return;
    }
    if (e.source === 'arbitration' && e.name === 'ArbitratorRuled') {
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      const output = Number(a.output as bigint);
      const verdict = verdictOf(r, output, r.traceRoot);
      if (verdict) store.setVerdict(r.caseId, verdict);
      move(r.caseId, 'finalize', { verdict, ruling: { output, arbitrator: hex(a.arbitrator), reasonHash: String(a.reasonHash) }, tx }, 'verdict.final');
      return;
    }
    if (e.source === 'arbitration' && e.name === 'BatchFinalized') {
      for (const r of store.byBatch(Number(a.batchId as bigint))) {
        const verdict = r.verdict ? JSON.parse(r.verdict) : undefined;
        move(r.caseId, 'finalize', { verdict, tx }, 'verdict.final');
      }
      return;
    }
    if (e.source === 'arbitration' && e.name === 'Resolved') {
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      store.setPayout(r.caseId, tx);
      const data = { output: Number(a.output as bigint), claimantWon: Boolean(a.claimantWon), award: String(a.award), refund: String(a.refund), tx };
      // Owed but not escrowed: decided for the claimant, but nothing was held, so nothing is paid.
      const escrow = escrowOf(store, r);
      if (escrow && !escrow.escrowed && BigInt(a.award as bigint) > 0n) {
        store.note(
          r.caseId,
          'award_owed',
          { ...data, respondent: escrow.respondent, escrowed: false, statement: 'The award is owed by the respondent but was not escrowed: Arbiter paid nothing; the respondent owes it to the claimant directly.' },
          'payout.owed',
        );
        return;
      }
      // A claimant without a wallet: the award waits in escrow until they name a payout address.
      if (r.claimant === ZERO_ADDRESS && BigInt(a.award as bigint) > 0n) {
        store.note(r.caseId, 'award_claimable', { ...data, claimable: true }, 'payout.claimable');
        return;
      }
      move(r.caseId, 'markPaid', { ...data, payee: r.claimant === ZERO_ADDRESS ? null : r.claimant }, 'payout.sent');
      return;
    }
    if (e.source === 'front' && e.name === 'RulingDelivered' && deps.front) {
      const chainCaseId = caseIdOf(deps.front, toBeHex(BigInt(a.disputeId as bigint), 32)).toLowerCase();
      const r = store.byChainId(chainCaseId);
      if (!r) return;
      const data = { disputeId: String(a.disputeId), arbitrable: hex(a.arbitrable), ruling: Number(a.ruling as bigint), delivered: Boolean(a.ok), tx };
      store.note(r.caseId, Boolean(a.ok) ? 'ruling_delivered' : 'ruling_refused', data, Boolean(a.ok) ? 'case.ruling_delivered' : 'case.ruling_refused');
      return;
    }
    if (e.source === 'arbitration' && e.name === 'CaseRefused') {
      // No arbitrator ruled in time after a level-2 appeal: the case ended on chain with no award
      // (bond back to the appellant, deposit to the respondent).
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      const data = { appellant: hex(a.appellant), bondRefund: String(a.bondRefund), depositRefund: String(a.depositRefund), tx };
      const status = store.caseStatus(r.caseId);
      if (status && canTransition(status, 'refuseUnruled')) transitions.applyInTransaction('refuseUnruled', r.caseId, { actor: 'chain', data });
      else store.note(r.caseId, 'case_refused', data, 'case.refused');
      return;
    }
    if (e.source === 'front' && e.name === 'DisputeRefused' && deps.front) {
      // An ERC-792 dispute refused (ruling 0) because no input was bound within the front's input
      // window: a case filed for it that is still waiting to be bound is rejected, naming the dispute.
      const disputeId = String(a.disputeId);
      const chainCaseId = caseIdOf(deps.front, toBeHex(BigInt(a.disputeId as bigint), 32)).toLowerCase();
      const ids = new Set(store.filedNamingDispute(disputeId));
      const r = store.byChainId(chainCaseId);
      if (r) ids.add(r.caseId);
      for (const caseId of ids) {
        const data = { field: '/onchainDispute/disputeId', message: `dispute ${disputeId} was refused on chain: its input was not bound within the input window`, disputeId, feeRefund: String(a.feeRefund), tx };
        move(caseId, 'reject', data, 'case.rejected');
      }
      return;
    }
    if (e.source === 'arbitration' && e.name === 'InputRefused') {
      // The chain refused the case (issue 8 #7): its input was shown invalid, or never published
      // after a member claimed it unavailable. No verdict; the deposit went back to the respondent.
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      const reason = decodeBytes32String(String(a.reason));
      move(r.caseId, 'refuse', { reason, depositRefund: String(a.depositRefund), bondRefund: String(a.bondRefund), tx });
      return;
    }
    if (e.source === 'arbitration' && e.name === 'AppealClosed') {
      // A level-1 appeal compared with the first committee's result (issue 8 #6).
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      store.note(r.caseId, 'appeal_compared', { changed: Boolean(a.changed), bondRefund: String(a.bondRefund), tx }, 'case.appeal_compared');
      return;
    }
    if (e.source === 'arbitration' && e.name === 'Accused') {
      // A member accused in a disputed batch: recorded on each of our cases of the batch it names.
      const rows = store.byBatch(Number(a.batchId as bigint));
      const r = rows.find((x) => x.batchIndex === Number(a.index as bigint));
      if (r) store.note(r.caseId, 'member_accused', { accused: hex(a.accused), accuser: hex(a.accuser), deadline: Number(a.deadline as bigint), tx }, 'case.member_accused');
      return;
    }
    if (e.source === 'arbitration' && e.name === 'AwardClaimed') {
      const r = store.byChainId(hex(a.caseId));
      if (!r) return;
      move(r.caseId, 'markPaid', { payee: hex(a.payee), award: String(a.amount), claimed: true, tx }, 'payout.sent');
    }
  }

  /** Enqueues `jobs` (one addBulk per queue, all at once: one round trip, not one per job). */
  async function enqueue(jobs: PendingJob[]): Promise<void> {
    if (!jobs.length) return;
    const byQueue = new Map<string, PendingJob[]>();
    for (const j of jobs) {
      const list = byQueue.get(j.queue);
      if (list) list.push(j);
      else byQueue.set(j.queue, [j]);
    }
    await Promise.all([...byQueue].map(([q, list]) => deps.queue(q).addBulk(list.map((j) => ({ name: j.name, data: j.data, opts: j.opts })))));
  }

  /** Folds one event; a second fold of the same event does nothing. */
  async function fold(e: ChainEvent): Promise<void> {
    if (store.hasEvent(eventKey(e))) return;
    await enqueue(jobsOf(e));
    applyAll([e]);
  }

  /**
   * Applies `es` in ONE transaction, skipping events already folded. With `jobs`, collects each
   * event's jobs where it stands in the order, the folded ones' too (a range read again).
   */
  function applyAll(es: readonly ChainEvent[], jobs?: PendingJob[]): void {
    db.transaction(
      () => {
        for (const e of es) {
          if (jobs && !enqueuedEarly.delete(eventKey(e))) jobs.push(...jobsOf(e));
          if (store.hasEvent(eventKey(e))) continue;
          store.insertEvent(e);
          apply(e);
        }
      },
      { behavior: 'immediate' },
    );
  }

  /**
   * Folds a range of events in chain order (the indexer's; it moves its cursor past the range only
   * once this resolves). Up to FOLD_CHUNK events are applied in ONE database transaction, each
   * event's jobs computed where it stands in the order (a BatchSealed reads the CaseOpened rows
   * before it); the chunk's jobs are enqueued after it commits, all at once. Each event's jobs
   * were enqueued before its transaction once, one Redis round trip after another: under load a
   * pass of the indexer took 40 ms at the median and 380 ms at p90, and every event waited for it
   * (docs/pipeline-bench.md). A crash between the commit and the enqueue loses nothing: the
   * cursor has not moved, the range is read again, and an event already folded has its jobs
   * computed and enqueued again (deterministic ids: a job still kept is not added twice).
   */
  async function foldMany(es: readonly ChainEvent[]): Promise<void> {
    for (let i = 0; i < es.length; i += FOLD_CHUNK) {
      const jobs: PendingJob[] = [];
      applyAll(es.slice(i, i + FOLD_CHUNK), jobs);
      await enqueue(jobs);
      // A long catch-up yields between chunks: the API and the workers run meanwhile.
      if (i + FOLD_CHUNK < es.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * The members' jobs of a committee just drawn, enqueued from the draw's own receipt before the
   * indexer has folded it (its BatchSealed): one indexer pass less between a draw and the nodes'
   * work. Only when the batch's CaseOpened rows are all folded; otherwise, and in any case, the
   * indexer's fold enqueues the same jobs (deterministic ids: not added twice). Only for a chain
   * whose events are folded without confirmations (a reorg could drop the draw).
   */
  async function drawn(logs: readonly RawLog[]): Promise<void> {
    const jobs: PendingJob[] = [];
    const keys: string[] = [];
    if (!deps.decoder) return;
    for (const l of logs) {
      const e = deps.decoder.decode(l);
      if (!e || e.source !== 'arbitration' || e.name !== 'BatchSealed') continue;
      const js = jobsOf(e, true);
      if (!js.length) continue;
      jobs.push(...js);
      keys.push(eventKey(e));
    }
    await enqueue(jobs);
    // The fold need not send them again (it would, harmlessly: the same ids; but each carries
    // every case's facts for every member, a Redis write as large as the batch).
    for (const k of keys) enqueuedEarly.add(k);
    if (enqueuedEarly.size > 10_000) enqueuedEarly.clear();
  }
  /** Batches the keeper sealed here and draws itself: batch id → its seed block (no draw job for that SeedCommitted). */
  const drawingHere = new Map<string, number>();
  /** The keeper sealed `batchId` in `seedBlock` and draws it itself (a failed draw enqueues the draw job there). */
  function drawing(batchId: bigint, seedBlock: number): void {
    if (drawingHere.size > 10_000) drawingHere.clear();
    drawingHere.set(batchId.toString(), seedBlock);
  }
  /** BatchSealed events whose jobs `drawn` enqueued (by eventKey); the fold skips them once. */
  const enqueuedEarly = new Set<string>();

  return Object.assign(fold, { many: foldMany, drawn, drawing });
}

/** A drawn batch's close job first looks this long after the draw (then every 2 s while it executes). */
const CLOSE_FIRST_LOOK_MS = 2000;

/** Events folded per database transaction by foldMany. */
const FOLD_CHUNK = 500;

/** A job an event calls for, enqueued by the fold. */
interface PendingJob {
  queue: string;
  name: string;
  data: object;
  opts: JobsOptions;
}

export type Folder = ReturnType<typeof createFolder>;
export type { CaseStatus };
