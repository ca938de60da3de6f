// One node operator (DESIGN.md "Components"; PROTOCOL.md §2–§3): takes the jobs of its own
// queue, runs every case of its committee seat with ONNX Runtime from the facts it was given
// (after checking they featurize to the S_0 on chain), keeps its traces in its own store,
// commits, reveals, publishes its claims (hashes only), challenges a member whose claims differ
// from its own, and plays its games to the end. The same code runs in-process under `npm start`
// and as `arbiter node`. It never touches the service's database.
import { Queue, Worker, DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { NonceManager } from 'ethers';
import { batchCommitment, batchSalt, claimsRoot, claimLeaf } from '../chain/batch-claims.js';
import { treeLevels } from '../chain/dissection.js';
import type { OwnTrace } from '../chain/game-player.js';
import type { Claim } from '../inference/claim-commitment.js';
import { checkInputRange, executeModel, InputRangeError } from '../inference/execution.js';
import { decodeTensor, encodeTensor } from '../inference/tensor-encoding.js';
import { encodeInputRanges, refusedClaim } from '../chain/input-ranges.js';
import { runReference } from '../inference/reference.js';
import type { Tensor } from '../inference/tensor.js';
import { stateHashes, stateProof } from '../inference/trace-root.js';
import { bytesToHex, hexToBytes } from '../inference/hex.js';
import { factsAsRecord } from '../pipeline/facts.js';
import { createBatchWatch } from './batch-watch.js';
import { BatchStatus, CaseStatus, MemberState, GamePhase, type ChainPort } from '../pipeline/chain-port.js';
import { JOB_DEFAULTS, jobIds, nodeQueueName, retryDelay, type ExecJobData, type GameJobData } from '../pipeline/jobs.js';
import type { ModelCatalogue, PipelineModel } from '../pipeline/models.js';
import { claimFromJson, claimToJson, createTraceStore, type ClaimJson, type StoredRound } from './trace-store.js';

export interface NodeWorkerOptions {
  /** The operator's signer (its key never leaves this process). */
  signer: NonceManager;
  /** 32-byte hex private key, only to derive the commitment salts (secret until the reveal). */
  saltSecret: string;
  port: ChainPort;
  connection: Redis;
  prefix: string;
  models: ModelCatalogue;
  storeDir: string;
  pollMs: number;
  /** Test switch: corrupt state t_K (last value + 1) and compute faithfully from there. */
  faultStep?: number;
  /** Test switch: apply faultStep only while this returns true (a committee that lies, then runs honestly). */
  faultWhile?: () => boolean;
  /** Test switch: commit and reveal, then never act again (no challenge, no game move). */
  silent?: boolean;
  /**
   * Test switch: a liar avoiding games: reveal but never publish the claims nor challenge or
   * accuse anyone; it only opens its root and answers when the procedure forces it to.
   */
  hideClaims?: boolean;
  concurrency?: number;
  /** A WebSocket endpoint of the chain: new heads are pushed to the batch watch (else it polls). */
  headsUrl?: string;
  log?: (msg: string) => void;
}

/** Where a round's published claims live in Redis (one hash per batch round; field = member). */
export const claimsKey = (prefix: string, batchId: string, round: number) => `${prefix}:claims:${batchId}-${round}`;

/** t_k's last value off by one, every later step computed faithfully from it. */
export function faultyTrace(model: PipelineModel, honest: Tensor[], k: number): Tensor[] {
  if (k < 0 || k >= honest.length) return honest;
  const bad = { ...honest[k], data: honest[k].data.slice() };
  bad.data[bad.data.length - 1] += 1n;
  const rest = runReference({ inputWidth: bad.cols, steps: model.ir.steps.slice(k) }, bad);
  return [...honest.slice(0, k), ...rest];
}

export async function startNodeWorker(o: NodeWorkerOptions) {
  const me = (await o.signer.getAddress()).toLowerCase();
  const log = o.log ?? (() => {});
  const store = createTraceStore(o.storeDir);
  const queueName = nodeQueueName(me);
  const queue = new Queue(queueName, { connection: o.connection, prefix: o.prefix, defaultJobOptions: JOB_DEFAULTS });
  // A few traces kept for the games in play (recomputed from the stored input when missing):
  // caching every case's trace (states, hashes, tree levels) grew without bound, ~tens of KB per
  // case per node, the most of the server's memory with thousands of cases (docs/pipeline-bench.md).
  const traces = new Map<string, OwnTrace>();
  const TRACE_CACHE = 64;
  const remember = (key: string, t: OwnTrace) => {
    traces.delete(key);
    traces.set(key, t);
    if (traces.size > TRACE_CACHE) traces.delete(traces.keys().next().value!);
  };
  const watch = createBatchWatch(o.port.provider, o.port.deployment.addresses.arbitration, Math.max(1, Math.min(o.pollMs, 20)), 1000, log, o.headsUrl);
  /** How long an exec job waits in this process for the other members' commits before its timer takes over. */
  const IN_PROCESS_WAIT_MS = 3000;

  const saltOf = (batchId: string, round: number) => batchSalt(o.saltSecret, BigInt(batchId), round);

  function modelOf(ref: string): PipelineModel {
    const m = o.models.byRef(ref);
    if (!m) throw new UnrecoverableError(`this node does not serve ${ref}`);
    return m;
  }

  /** The node's trace of one case: ONNX Runtime, then the test fault if one is set. */
  async function traceOf(model: PipelineModel, input: Tensor): Promise<{ trace: Tensor[]; hashes: Uint8Array[]; levels: Uint8Array[][]; claimFields: Omit<Claim, 'caseId' | 'modelId'> }> {
    const ex = await executeModel(model.runner, input, model.definition.featurizer.features);
    const lie = o.faultStep !== undefined && (o.faultWhile?.() ?? true);
    const trace = lie ? faultyTrace(model, ex.trace, o.faultStep!) : ex.trace;
    const hashes = stateHashes(trace);
    const levels = treeLevels(hashes);
    const last = trace[trace.length - 1];
    return { trace, hashes, levels, claimFields: { s0: bytesToHex(hashes[0]), output: last.data[0], steps: BigInt(trace.length - 1), traceRoot: bytesToHex(levels[levels.length - 1][0]) } };
  }

  async function ownTrace(round: StoredRound, chainCaseId: string): Promise<OwnTrace> {
    const key = `${round.batchId}-${round.round}-${chainCaseId}`;
    let t = traces.get(key);
    if (!t) {
      const c = round.cases.find((x) => x.chainCaseId === chainCaseId);
      if (!c) throw new UnrecoverableError(`case ${chainCaseId} is not in batch ${round.batchId}`);
      const input = { rows: 1, cols: c.input.length, data: BigInt64Array.from(c.input.map(BigInt)) };
      const { trace, hashes, levels } = await traceOf(modelOf(round.modelRef), input);
      t = { trace, hashes, levels };
    }
    remember(key, t);
    return t;
  }

  /** The longest a watching job sleeps without looking, events or not (and never more than a third of a game's clock). */
  const WATCH_LONGEST_MS = 10 * 60_000;
  let clockSeconds: Promise<number> | undefined;
  /** The dispute game's clock (seconds a side has to move), read once. */
  function gameClockSeconds(): Promise<number> {
    clockSeconds ??= (o.port.contracts.game.clockSeconds() as Promise<bigint>).then(Number, (e: Error) => {
      clockSeconds = undefined;
      throw e;
    });
    return clockSeconds;
  }
  /** Watching jobs' follows of their batch's events, by job id. */
  const following = new Map<string, () => void>();
  /**
   * Follows the batch's events for `job` (an exec job in its watch step): the next one promotes
   * the job once it is delayed. `delayed()` says it now is (an event seen meanwhile promotes it then).
   */
  function followBatch(job: Job, batchId: bigint): { delayed(): void } {
    const id = job.id!;
    following.get(id)?.();
    let fired = false;
    let isDelayed = false;
    const promote = () => void promoteJob(job);
    following.set(
      id,
      watch.follow(batchId, () => {
        following.delete(id);
        if (isDelayed) promote();
        else fired = true;
      }),
    );
    return {
      delayed() {
        isDelayed = true;
        if (fired) promote();
      },
    };
  }
  /** Wakes a delayed job; one already running or done needs no wake-up. Any other failure (Redis failing over) is tried again. */
  async function promoteJob(job: Job, tries = 5): Promise<void> {
    try {
      await job.promote();
    } catch {
      if (tries > 1 && (await job.getState().catch(() => 'delayed')) === 'delayed') setTimeout(() => void promoteJob(job, tries - 1), 1000);
    }
  }
  /** Ends `job`'s follow of its batch, if any. */
  function unfollow(job: Job): void {
    following.get(job.id!)?.();
    following.delete(job.id!);
  }

  async function later(job: Job, token: string | undefined, data: object, ms = o.pollMs): Promise<never> {
    await job.updateData(data);
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  }

  /**
   * An exec job waiting in the same step looks again after PIPELINE_POLL_MS, then 1.5× longer
   * each time, at most a second: every seat of every batch in flight re-reading the chain every
   * 20 ms (waiting for the other commits, watching until the verdict) was a large share of the
   * server's CPU with a backlog. Game jobs keep PIPELINE_POLL_MS (their moves have clocks).
   */
  function laterExec(job: Job<ExecJobData>, token: string | undefined, data: ExecJobData, maxMs = 1000): Promise<never> {
    const prev = job.data as ExecJobData & { waits?: number };
    const waits = prev.step === data.step ? (prev.waits ?? 0) + 1 : 0;
    return later(job, token, { ...data, waits }, Math.min(maxMs, Math.round(o.pollMs * 1.5 ** Math.min(waits, 12))));
  }

  /**
   * The input of one case, as this node can know it: the facts it was given when they featurize
   * to the S_0 on chain, else the input published on chain (publishInput). 'refused': the case is
   * refused on chain. 'invalid': the input is known and is no valid input of the model (this node
   * proves it on chain: refuseInput). 'missing': nobody gave it (this node claims it unavailable).
   */
  async function inputOf(model: PipelineModel, c: ExecJobData['cases'][number], chain: { status: number; s0: string }): Promise<{ kind: 'ok'; input: Tensor } | { kind: 'refused' } | { kind: 'invalid'; bytes: string } | { kind: 'missing' }> {
    if (chain.status === CaseStatus.Refused) return { kind: 'refused' };
    const s0 = chain.s0.toLowerCase();
    let input: Tensor | undefined;
    if (c.facts) {
      const features = model.definition.featurizer.featurize(factsAsRecord(c.facts));
      const t = { rows: 1, cols: features.length, data: features };
      // The facts must be the case's: they featurize to the S_0 registered on chain.
      if (bytesToHex(stateHashes([t])[0]).toLowerCase() === s0) input = t;
      else log(`case ${c.chainCaseId}: the facts featurize to another S_0 than the chain's ${s0}`);
    }
    if (!input) {
      const published = await o.port.publishedInput(c.chainCaseId);
      if (!published) return { kind: 'missing' };
      try {
        input = decodeTensor(hexToBytes(published));
      } catch {
        return { kind: 'invalid', bytes: published }; // not a canonical encoding
      }
    }
    try {
      // The runner's own check (the same inputs the chain refuses: Arbitration.inputValid).
      checkInputRange(input, model.definition.featurizer.features);
    } catch (e) {
      if (e instanceof InputRangeError) return { kind: 'invalid', bytes: bytesToHex(encodeTensor(input)) };
      throw e;
    }
    return { kind: 'ok', input };
  }

  /**
   * A case whose input this node does not have: claim it unavailable (a drawn member, once), or,
   * past the deadline with nobody publishing it, refuse it. Returns true when the case is refused now.
   */
  async function unavailable(batchId: bigint, chainCaseId: string): Promise<boolean> {
    const deadline = await o.port.inputDeadline(chainCaseId);
    try {
      if (deadline === 0) {
        if ((await o.port.memberState(batchId, me)).state === MemberState.Drawn) {
          await o.port.claimUnavailable(o.signer, chainCaseId);
          log(`case ${chainCaseId}: claimed its input unavailable`);
        }
      } else if (deadline !== 'published' && (await o.port.now()) > deadline) {
        await o.port.refuseUnavailable(o.signer, chainCaseId);
        log(`case ${chainCaseId}: refused, its input was never published`);
        return true;
      }
    } catch (e) {
      log(`case ${chainCaseId}: ${o.port.revertName(e) ?? (e as Error).message}`);
    }
    return false;
  }

  /**
   * run: every case of the batch, in index order; the claims root; saved before committing.
   * Undefined while some case's input is still missing (claimed unavailable, not yet published
   * nor refused): the job looks again later.
   */
  async function run(d: ExecJobData): Promise<StoredRound | undefined> {
    const existing = store.load(d.batchId, d.round);
    if (existing) return existing;
    const model = modelOf(d.modelRef);
    const cases = [...d.cases].sort((a, b) => a.index - b.index);
    const onChain = await Promise.all(cases.map((c) => o.port.getCase(c.chainCaseId)));
    const claims: Claim[] = [];
    const proofs: string[][] = [];
    const stored: StoredRound = { batchId: d.batchId, round: d.round, modelRef: d.modelRef, cases: [], claims: [], root: '' };
    let waiting = false;
    for (const [i, c] of cases.entries()) {
      let got = await inputOf(model, c, onChain[i]);
      if (got.kind === 'missing' && (await unavailable(BigInt(d.batchId), c.chainCaseId))) got = { kind: 'refused' };
      if (got.kind === 'missing') {
        waiting = true;
        continue;
      }
      if (got.kind === 'invalid') {
        // Prove it: the bytes hash to S_0 and are no valid input of the model (issue 8 #7).
        try {
          await o.port.refuseInput(o.signer, c.chainCaseId, got.bytes, encodeInputRanges(model.definition.featurizer.features));
          log(`case ${c.chainCaseId}: refused, its input is invalid`);
        } catch (e) {
          // Another node's proof may have landed first.
          if ((await o.port.getCase(c.chainCaseId)).status !== CaseStatus.Refused) {
            throw new Error(`case ${c.chainCaseId}: refuseInput failed: ${o.port.revertName(e) ?? (e as Error).message}`);
          }
        }
        got = { kind: 'refused' };
      }
      if (got.kind === 'refused') {
        // The one valid claim of a refused case.
        claims.push(refusedClaim(c.chainCaseId, model.modelId, onChain[i].s0));
        proofs.push([]);
        stored.cases.push({ chainCaseId: c.chainCaseId, index: c.index, input: [] });
        continue;
      }
      const input = got.input;
      const { trace, hashes, levels, claimFields } = await traceOf(model, input);
      remember(`${d.batchId}-${d.round}-${c.chainCaseId}`, { trace, hashes, levels });
      claims.push({ caseId: c.chainCaseId, modelId: model.modelId, ...claimFields });
      proofs.push(stateProof(hashes, trace.length - 1).map(bytesToHex));
      stored.cases.push({ chainCaseId: c.chainCaseId, index: c.index, input: Array.from(input.data, String) });
    }
    if (waiting) return undefined;
    stored.claims = claims.map((c, i) => claimToJson(c, proofs[i]));
    stored.root = claimsRoot(claims);
    store.save(stored);
    return stored;
  }

  /** The claims every member published, kept only when they open its revealed root. */
  async function publishedClaims(d: { batchId: string; round: number }): Promise<Map<string, ClaimJson[]>> {
    const raw = await o.connection.hgetall(claimsKey(o.prefix, d.batchId, d.round));
    const out = new Map<string, ClaimJson[]>();
    for (const [member, json] of Object.entries(raw)) {
      const published = JSON.parse(json) as ClaimJson[];
      const m = await o.port.memberState(BigInt(d.batchId), member);
      if (m.value.toLowerCase() === claimsRoot(published.map(claimFromJson)).toLowerCase()) out.set(member.toLowerCase(), published);
    }
    return out;
  }

  async function ensureGameJobs(d: ExecJobData): Promise<void> {
    for (const ch of await o.port.challengesOf(BigInt(d.batchId))) {
      if (ch.defender !== me && ch.challenger !== me) continue;
      // A game across two batches (an appeal's, issue 8 #6): we play it from the batch our side
      // belongs to, with the trace we claimed there (a node may sit on both committees).
      const sides = await o.port.gameSides(ch.gameId);
      if (sides.defenderBatch !== 0n) {
        const ours = ch.defender === me ? sides.defenderBatch : sides.challengerBatch;
        if (ours.toString() !== d.batchId) continue;
      }
      const data: GameJobData = { gameId: ch.gameId.toString(), batchId: d.batchId, round: d.round, chainCaseId: ch.chainCaseId };
      await queue.add('game', data, { jobId: jobIds.game(ch.gameId, me) });
    }
  }

  /** Challenges each revealed member whose published claims differ from ours at some case. */
  async function challengeDissent(d: ExecJobData, round: StoredRound): Promise<void> {
    const mine = round.claims.map(claimFromJson);
    const own = await o.port.memberState(BigInt(d.batchId), me);
    if (own.state !== MemberState.Revealed) return;
    for (const [member, published] of await publishedClaims(d)) {
      if (member === me) continue;
      if ((await o.port.memberState(BigInt(d.batchId), member)).state !== MemberState.Revealed) continue;
      const theirs = published.map(claimFromJson);
      const i = mine.findIndex((c, k) => claimLeaf(c) !== claimLeaf(theirs[k]));
      if (i < 0) continue;
      try {
        // The other member defends its claim; we challenge with ours.
        const { gameId } = await o.port.challenge(
          o.signer,
          BigInt(d.batchId),
          i,
          { member, claim: theirs[i], claims: theirs, finalProof: published[i].finalProof },
          { member: me, claim: mine[i], claims: mine, finalProof: round.claims[i].finalProof },
        );
        log(`challenged ${member} on batch ${d.batchId} case ${i}: ${gameId === 0n ? 'its claim was invalid on its face' : `game ${gameId}`}`);
      } catch (e) {
        log(`challenge of ${member} on batch ${d.batchId} not taken: ${o.port.revertName(e) ?? (e as Error).message}`);
      }
    }
  }

  /** Disputed batch: every revealed member must open its root by the open deadline, or be slashed. */
  async function openOwnRoot(d: ExecJobData, round: StoredRound): Promise<void> {
    const own = await o.port.memberState(BigInt(d.batchId), me);
    if (own.opened || (own.state !== MemberState.Revealed && own.state !== MemberState.InGame)) return;
    const leaves = round.claims.map((c) => claimLeaf(claimFromJson(c)));
    try {
      await o.port.openRoot(o.signer, BigInt(d.batchId), me, leaves);
      log(`opened its root on disputed batch ${d.batchId}`);
    } catch (e) {
      log(`openRoot on batch ${d.batchId} not taken: ${o.port.revertName(e) ?? (e as Error).message}`);
    }
  }

  /** Our evidence for case `i`: our claim, all our claims (for the proof) and the final-state proof. */
  const ownSide = (round: StoredRound, i: number) => {
    const mine = round.claims.map(claimFromJson);
    return { member: me, claim: mine[i], claims: mine, finalProof: round.claims[i].finalProof };
  };

  /**
   * Accuses each revealed member that opened a root differing from ours but whose claims we could
   * not challenge (it published none): it must answer with the claim behind its leaf, or be evicted.
   */
  async function accuseOpened(d: ExecJobData, round: StoredRound): Promise<void> {
    const batchId = BigInt(d.batchId);
    if ((await o.port.memberState(batchId, me)).state !== MemberState.Revealed) return;
    const mine = round.claims.map((c) => claimLeaf(claimFromJson(c)));
    const opened = await o.port.openedRoots(batchId);
    // Read after the opened roots: a member publishes before it opens, so one that published is
    // seen here and is challenged rather than accused.
    const challengeable = await publishedClaims(d);
    for (const [member, leaves] of opened) {
      if (member === me || challengeable.has(member) || leaves.length !== mine.length) continue;
      if ((await o.port.memberState(batchId, member)).state !== MemberState.Revealed) continue;
      if (await o.port.accusation(batchId, member)) continue;
      const i = mine.findIndex((leaf, k) => leaf.toLowerCase() !== leaves[k].toLowerCase());
      if (i < 0) continue;
      try {
        await o.port.accuse(o.signer, batchId, i, ownSide(round, i), member, leaves);
        log(`accused ${member} on batch ${d.batchId} case ${i}`);
      } catch (e) {
        log(`accusation of ${member} on batch ${d.batchId} not taken: ${o.port.revertName(e) ?? (e as Error).message}`);
      }
    }
  }

  /** An accusation naming us: answer with the claim behind our leaf (a game follows). */
  async function answerAccusation(d: ExecJobData, round: StoredRound): Promise<void> {
    const batchId = BigInt(d.batchId);
    const acc = await o.port.accusation(batchId, me);
    if (!acc) return;
    try {
      await o.port.answer(o.signer, batchId, acc.index, ownSide(round, acc.index));
      log(`answered ${acc.accuser}'s accusation on batch ${d.batchId} case ${acc.index}`);
    } catch (e) {
      log(`answer on batch ${d.batchId} not taken: ${o.port.revertName(e) ?? (e as Error).message}`);
    }
  }

  /** The claims a batch's members published for its current round that make `root`, with their final proofs. */
  async function agreedPublished(batchId: bigint, root: string): Promise<ClaimJson[] | undefined> {
    const round = await o.port.roundOf(batchId);
    if (round === undefined) return undefined;
    const raw = await o.connection.hgetall(claimsKey(o.prefix, batchId.toString(), round));
    for (const json of Object.values(raw)) {
      const published = JSON.parse(json) as ClaimJson[];
      if (claimsRoot(published.map(claimFromJson)).toLowerCase() === root.toLowerCase()) return published;
    }
    return undefined;
  }

  /**
   * We re-executed an appealed case (our batch is its level-1 batch): when our claim differs from
   * the first committee's proposed root there, challenge that root (challengeRoot; we are a staked
   * node outside that committee). The game decides; the loser is evicted and slashed. Returns
   * whether the appeal is still to be compared (the job keeps looking, on a short timer).
   */
  async function challengeFirstRoot(d: ExecJobData, round: StoredRound): Promise<boolean> {
    if (round.claims.length !== 1) return false;
    const mine = round.claims[0];
    const ap = await o.port.appeal(mine.caseId);
    if (!ap.pending) return false;
    const first = await o.port.getBatch(ap.fromBatch);
    if (first.status !== BatchStatus.Proposed || first.claimsRoot.toLowerCase() !== ap.root.toLowerCase()) return true;
    if ((await o.port.memberState(ap.fromBatch, me)).state !== MemberState.None) return true;
    const agreed = await agreedPublished(ap.fromBatch, ap.root);
    if (!agreed) return true;
    if (claimLeaf(claimFromJson(agreed[ap.fromIndex])) === claimLeaf(claimFromJson(mine))) return true;
    let defender: string | undefined;
    for (const member of await o.port.committee(ap.fromBatch)) {
      if ((await o.port.memberState(ap.fromBatch, member)).state === MemberState.Revealed) defender = member;
    }
    if (!defender) return true;
    const agreedClaims = agreed.map(claimFromJson);
    try {
      const gameId = await o.port.challengeRoot(
        o.signer,
        ap.fromBatch,
        ap.fromIndex,
        defender,
        { member: defender, claim: agreedClaims[ap.fromIndex], claims: agreedClaims, finalProof: agreed[ap.fromIndex].finalProof },
        { member: me, claim: claimFromJson(mine), claims: [claimFromJson(mine)], finalProof: mine.finalProof },
      );
      log(`challenged batch ${ap.fromBatch}'s root (case ${mine.caseId}) against ${defender}: game ${gameId}`);
      if (gameId > 0n) {
        // Our side of the game: our own trace of this round.
        const data: GameJobData = { gameId: gameId.toString(), batchId: d.batchId, round: d.round, chainCaseId: mine.caseId };
        await queue.add('game', data, { jobId: jobIds.game(gameId, me) });
      }
    } catch (e) {
      log(`challengeRoot of batch ${ap.fromBatch} not taken: ${o.port.revertName(e) ?? (e as Error).message}`);
    }
    return true;
  }

  /**
   * Whether the batch was sealed again after this job's round was drawn: a round is the block of
   * its draw, and a redraw commits the next draw to a later block (Arbitration.redraw).
   */
  const redrawnSince = (b: { seedBlock: number }, d: ExecJobData) => b.seedBlock > d.round;

  async function processExec(job: Job<ExecJobData>, token?: string) {
    const d = job.data;
    const batchId = BigInt(d.batchId);
    let step = d.step ?? 'run';
    // The commit step's reads go out with the run's own (the cases' S_0 on chain): one round trip
    // to the chain, not two, before committing (ethers batches the same tick's requests).
    const commitReads = step === 'run' || step === 'commit' ? Promise.all([o.port.memberState(batchId, me), o.port.getBatch(batchId), o.port.now()]) : undefined;
    commitReads?.catch(() => {}); // awaited below, or not needed (an input still missing)
    const round = await run(d);
    if (!round) {
      // An input is missing: wait for it to be published, or for the case to be refused.
      const b = await o.port.getBatch(batchId);
      if (b.status !== BatchStatus.Executing) return { skipped: `batch status ${b.status}` };
      if (redrawnSince(b, d)) return { skipped: 'redrawn: a new round' };
      return later(job, token, d);
    }
    if (step === 'run') step = 'commit';
    if (step === 'commit') {
      // One round trip for the three reads (ethers sends the same tick's requests as one batch).
      const [m, b, chainTime] = await (commitReads ?? Promise.all([o.port.memberState(batchId, me), o.port.getBatch(batchId), o.port.now()]));
      if (m.state === MemberState.Drawn) {
        if (b.status !== BatchStatus.Executing) return { skipped: `batch status ${b.status}` };
        // Drawn again in a later round (this job waited for an input across a redraw, or a range
        // read again re-enqueued it): that round's own job commits, with that round's salt.
        if (redrawnSince(b, d)) return { skipped: 'redrawn: a new round' };
        if (Math.max(chainTime, Math.floor(Date.now() / 1000)) > b.commitDeadline) return { skipped: 'commit deadline passed' };
        const r = await o.port.commit(o.signer, batchId, batchCommitment(batchId, round.root, saltOf(d.batchId, d.round), me));
        log(`committed batch ${d.batchId} (${round.cases.length} cases) in ${r.hash}`);
      } else if (m.state === MemberState.None) {
        return { skipped: 'not a member' };
      }
      // Not written back to the job (a Redis round trip per step per batch): a job run again
      // finds its step from the chain (a member committed skips the commit; revealed, the reveal).
      step = 'reveal';
    }
    if (step === 'reveal') {
      // The other members' commits usually land within moments of ours: wait for them here,
      // woken by the batch's events, and only then on the job's growing timer.
      for (const began = Date.now(); ; ) {
        const [m, b, chainTime] = await Promise.all([o.port.memberState(batchId, me), o.port.getBatch(batchId), o.port.now()]);
        if (m.state !== MemberState.Committed) break;
        if (b.status !== BatchStatus.Executing) return { skipped: `batch status ${b.status}` };
        if (redrawnSince(b, d)) return { skipped: 'redrawn: a new round' };
        const now = Math.max(chainTime, Math.floor(Date.now() / 1000));
        if (b.committed < b.size && now <= b.commitDeadline) {
          if (Date.now() - began < IN_PROCESS_WAIT_MS) {
            await watch.wait(batchId, 250);
            continue;
          }
          return laterExec(job, token, { ...d, step });
        }
        if (now > b.revealDeadline) return { skipped: 'reveal deadline passed' };
        const r = await o.port.reveal(o.signer, batchId, round.root, saltOf(d.batchId, d.round));
        log(`revealed batch ${d.batchId} in ${r.hash}`);
        break;
      }
      // Publish the claims (hashes only) so that a dissenting member can be challenged, and so
      // that anyone can settle; they open the revealed root, so nobody can forge them.
      if (!o.hideClaims) await o.connection.hset(claimsKey(o.prefix, d.batchId, d.round), me, JSON.stringify(round.claims));
      step = 'watch';
    }
    if (o.silent) return { silent: true };
    let [b, m] = await Promise.all([o.port.getBatch(batchId), o.port.memberState(batchId, me)]);
    // Revealed, the others' reveals still to come: the last of them proposes the batch, usually
    // within a block or two. Waited for here, woken by the batch's events, as the commits are:
    // sent back to the queue, the job cost a delayed job's round trips and a full look again (its
    // round's file, the chain reads) for nearly every batch, at every member but the last.
    for (const began = Date.now(); b.status === BatchStatus.Executing && m.state === MemberState.Revealed && !redrawnSince(b, d) && Date.now() - began < IN_PROCESS_WAIT_MS; ) {
      await watch.wait(batchId, 250);
      [b, m] = await Promise.all([o.port.getBatch(batchId), o.port.memberState(batchId, me)]);
    }
    if (b.status === BatchStatus.Final || b.status === BatchStatus.Failed) return { status: b.status };
    if (m.state === MemberState.Evicted) return { evicted: true };
    // Redrawn (its committee missed its commits or reveals): we revealed in this round, so a
    // state before Revealed is a new round's, which has jobs of its own. This round's job has
    // nothing left to do; it looked again every second for ever before.
    const newRound = m.state === MemberState.None || m.state === MemberState.Drawn || m.state === MemberState.Committed;
    if ((b.status === BatchStatus.Sealed || b.status === BatchStatus.Executing) && newRound) return { skipped: 'redrawn: a new round' };
    if (b.status === BatchStatus.Proposed) {
      // A proposed root may still be challenged, and a level-1 appeal compared with it (issue 8
      // #6): keep watching until the batch is final (a challenge disputes it again: games naming
      // us are picked up then), and hold an appeal's first committee to account when our result
      // differs from its root's. An appeal to compare: a look every 2 s. Otherwise the job waits
      // out the window as a delayed job, woken at once by the batch's next event (a challenge of
      // its root disputes it, its finalization): every proposed batch looking every 2 s until
      // final was two chain reads and a file read per batch per node, growing with the window
      // (hours or days in production). It never sleeps more than a third of a game's clock, so
      // a wake-up lost all the same (a node restarted meanwhile) still leaves time to answer.
      if (!o.hideClaims && (await challengeFirstRoot(d, round))) return later(job, token, { ...d, step }, Math.max(o.pollMs, 2000));
      const woken = followBatch(job, batchId);
      // Followed now; read again, so that an event between the read above and the follow is not lost.
      const [again, chainTime, clock] = await Promise.all([o.port.getBatch(batchId), o.port.now(), gameClockSeconds()]);
      if (again.status !== BatchStatus.Proposed) {
        unfollow(job);
        return laterExec(job, token, { ...d, step });
      }
      const left = again.windowEnd - Math.max(chainTime, Math.floor(Date.now() / 1000));
      const ms = Math.min(WATCH_LONGEST_MS, (clock * 1000) / 3, Math.max(2000, o.pollMs, left * 1000 + 1000));
      try {
        await job.updateData({ ...d, step });
        await job.moveToDelayed(Date.now() + Math.max(2000, ms), token);
      } catch (e) {
        unfollow(job);
        throw e;
      }
      woken.delayed();
      throw new DelayedError();
    }
    // Games exist only in a disputed batch (a challenge, an accusation, a root challenge or an
    // appeal disputes the batches it names): one is looked for only then, not after every reveal
    // (a search of the chain's logs since the deployment).
    if (b.status === BatchStatus.Disputed) {
      await ensureGameJobs(d);
      // The dispute procedure (contracts/README.md): open our root, answer an accusation naming
      // us, challenge a member whose published claims differ from ours, accuse one that opened a
      // differing root without publishing its claims.
      await openOwnRoot(d, round);
      await answerAccusation(d, round);
      if (!o.hideClaims) {
        await challengeDissent(d, round);
        await accuseOpened(d, round);
      }
      // The games just opened (ours, or one answering us).
      await ensureGameJobs(d);
    }
    return laterExec(job, token, { ...d, step });
  }

  async function processGame(job: Job<GameJobData>, token?: string) {
    const d = job.data;
    const gameId = BigInt(d.gameId);
    const g = await o.port.game(gameId);
    if (g.phase === GamePhase.Resolved) return { outcome: g.outcome };
    const round = store.load(d.batchId, d.round);
    if (!round) throw new UnrecoverableError(`no stored round for batch ${d.batchId}`);
    const own = await ownTrace(round, d.chainCaseId);
    const model = modelOf(round.modelRef);
    try {
      const r = await o.port.takeTurn(o.signer, gameId, me, own, model.ir.steps);
      if (r.action === 'over') return { over: true };
      if (r.action === 'waiting') {
        const clock = await o.port.clockLeft(gameId);
        if (clock.mover !== me && clock.left === 0) {
          await o.port.claimTimeout(o.signer, gameId);
          log(`game ${gameId}: ${clock.mover} ran out of time`);
        }
      } else log(`game ${gameId}: ${r.action}`);
    } catch (e) {
      // Another party (or a duplicate of this job) acted first: look again.
      log(`game ${gameId}: ${o.port.revertName(e) ?? (e as Error).message}`);
    }
    return later(job, token, d);
  }

  const worker = new Worker(
    queueName,
    async (job: Job, token?: string) => {
      if (job.name === 'exec') return processExec(job as Job<ExecJobData>, token);
      if (job.name === 'game') return o.silent ? { silent: true } : processGame(job as Job<GameJobData>, token);
      throw new UnrecoverableError(`unknown job ${job.name}`);
    },
    { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency ?? 16, lockDuration: 30_000, stalledInterval: 15_000, maxStalledCount: 10, settings: { backoffStrategy: retryDelay } },
  );
  // A job's follow ends with it (done, failed for good, or retried elsewhere).
  worker.on('completed', (job) => unfollow(job));
  worker.on('failed', (job, err) => {
    log(`job ${job?.id} failed: ${err.message}`);
    if (job) unfollow(job);
  });
  // Watching jobs left delayed by an earlier run of this node look at the chain once now: an
  // event of their batch while the node was down (a challenge it must answer within the game's
  // clock) woke nobody. Each reads its batch and follows it again itself.
  void (async () => {
    const watching: Job[] = [];
    for (let from = 0; ; from += 500) {
      const page = await queue.getDelayed(from, from + 499);
      for (const j of page) if (j.name === 'exec' && (j.data as ExecJobData).step === 'watch') watching.push(j);
      if (page.length < 500) break;
    }
    for (const j of watching) await promoteJob(j, 1);
  })().catch((e: Error) => log(`waking the watching jobs: ${e.message}`));
  worker.on('error', (err) => log(`worker error: ${err.message}`));
  return {
    address: me,
    queueName,
    async close() {
      // The watch last: a job still waiting in it finishes its wait rather than spinning.
      await worker.close();
      watch.stop();
      await queue.close();
    },
  };
}

export type NodeWorker = Awaited<ReturnType<typeof startNodeWorker>>;
