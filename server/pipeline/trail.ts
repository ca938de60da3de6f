// A case's verdict trail (issue "The pipeline", item 9): everything needed to re-check a verdict
// without trusting Arbiter. The record and its hash (anyone recomputes S_0 with `arbiter`), the
// model card and root (the registry on chain holds them), the chain case and its batch, each
// committee member's commitment and reveal with their transactions, any game's moves and its one
// step, the ruling and the payout transaction. Everything on chain is named by its transaction,
// so any EVM node confirms it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/connection.js';
import { chainEvents, type ChainEventRow } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import { assertCanRead } from '../cases/access.js';
import type { Principal } from '../auth/principal.js';
import { Problem } from '../errors.js';
import { claimProof, claimsRoot } from '../chain/batch-claims.js';
import { readDeployment } from '../chain/deploy.js';
import { modelDirs } from '../models/registry.js';
import type { ModelCard } from '../models/card.js';
import { modelRef } from '../models/card.js';
import { ownClaim } from './fold.js';
import { createPipelineStore } from './store.js';
import { batchFeeSplit, registeredCard } from '../market/ledger.js';

const args = (e: ChainEventRow) => JSON.parse(e.args) as Record<string, unknown>;
const low = (v: unknown) => String(v).toLowerCase();

/** The shipped cards by model ref. */
export function shippedCards(): Map<string, ModelCard> {
  const out = new Map<string, ModelCard>();
  for (const dir of modelDirs()) {
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ModelCard;
    out.set(modelRef(card), card);
  }
  return out;
}

export function createTrailService(deps: { db: Db; dataDir: string }) {
  const store = createPipelineStore(deps.db);
  let cards: Map<string, ModelCard> | undefined;
  const deploymentFile = join(deps.dataDir, 'chain', 'deployment.json');

  function trail(caseId: string, principal: Principal) {
    const row = store.caseRow(caseId);
    assertCanRead(principal, row ? { id: row.id, merchantId: row.merchantId } : undefined, caseId);
    const p = store.byCase(caseId);
    if (!p) throw new Problem('not_found', `Case ${caseId} has not been opened on chain yet (it is ${row!.status})`);
    cards ??= shippedCards();
    const card = cards.get(p.modelRef) ?? registeredCard(deps.db, p.modelId);
    const deployment = existsSync(deploymentFile) ? readDeployment(deploymentFile) : undefined;
    const caseEvents = store.eventsOfCase(p.chainCaseId);
    const batchEvents = p.batchId === null ? [] : store.eventsOfBatch(p.batchId);
    const opened = caseEvents.find((e) => e.name === 'CaseOpened');
    const sealed = batchEvents.filter((e) => e.name === 'BatchSealed').at(-1);
    const proposed = batchEvents.filter((e) => e.name === 'VerdictProposed').at(-1);
    const finalized = batchEvents.find((e) => e.name === 'BatchFinalized');
    const committee = sealed ? (args(sealed).committee as string[]).map(low) : [];
    const members = committee.map((node) => {
      const commit = batchEvents.filter((e) => e.name === 'Committed' && low(args(e).node) === node).at(-1);
      const reveal = batchEvents.filter((e) => e.name === 'Revealed' && low(args(e).node) === node).at(-1);
      const evicted = batchEvents.filter((e) => e.name === 'Evicted' && low(args(e).node) === node).at(-1);
      return {
        node,
        commitment: commit ? String(args(commit).commitment) : null,
        commitTx: commit?.txHash ?? null,
        claimsRoot: reveal ? String(args(reveal).claimsRoot) : null,
        revealTx: reveal?.txHash ?? null,
        evicted: evicted ? { reason: String(args(evicted).reason), tx: evicted.txHash } : null,
      };
    });
    const batchRows = p.batchId === null ? [] : store.byBatch(p.batchId);
    const agreedRoot = proposed ? String(args(proposed).claimsRoot) : null;
    const claims = batchRows.map(ownClaim);
    const ours = agreedRoot !== null && claims.length > 0 && claimsRoot(claims).toLowerCase() === agreedRoot.toLowerCase();
    const claim = ownClaim(p);
    const games = caseEvents
      .filter((e) => e.name === 'Challenged')
      .map((c) => {
        const gameId = Number(args(c).gameId);
        const ev = store.eventsOfGame(gameId);
        const step = ev.find((e) => e.name === 'StepProven');
        const leaf = ev.find((e) => e.name === 'LeafFound');
        const resolved = ev.find((e) => e.source === 'game' && e.name === 'Resolved');
        return {
          gameId,
          defender: low(args(c).defender),
          challenger: low(args(c).challenger),
          openedTx: c.txHash,
          moves: ev.filter((e) => e.name === 'Moved').map((m) => ({ mover: low(args(m).mover), height: Number(args(m).height), index: Number(args(m).index), nodes: args(m).nodes, tx: m.txHash })),
          leaf: leaf ? { index: Number(args(leaf).index), defenderState: args(leaf).defenderState, challengerState: args(leaf).challengerState, tx: leaf.txHash } : null,
          step: step ? { step: Number(args(step).step), valid: Boolean(args(step).valid), postState: args(step).postState, prover: low(args(step).prover), tx: step.txHash } : null,
          outcome: resolved ? ['none', 'defender_wins', 'challenger_wins', 'both_lose'][Number(args(resolved).outcome)] : null,
          resolvedTx: resolved?.txHash ?? null,
          slashed: deps.db
            .select()
            .from(chainEvents)
            .where(eq(chainEvents.name, 'Slashed'))
            .all()
            .filter((s) => ev.some((g) => g.txHash === s.txHash))
            .map((s) => ({ node: low(args(s).node), amount: String(args(s).amount), tx: s.txHash })),
        };
      });
    const txEvents = (txHash: string) => deps.db.select().from(chainEvents).where(eq(chainEvents.txHash, txHash)).all();
    // Each appeal: its level, who paid which bond (the escrow's Deposited in the same transaction),
    // the re-execution batch (level 1) and how the comparison with the first committee closed.
    const closedAppeal = caseEvents.find((e) => e.name === 'AppealClosed');
    const appeals = caseEvents
      .filter((e) => e.name === 'Appealed')
      .map((e) => {
        const level = Number(args(e).level);
        const appellant = low(args(e).appellant);
        const deposit = txEvents(e.txHash).find((x) => x.source === 'escrow' && x.name === 'Deposited' && low(args(x).from) === appellant);
        const closed = level === 1 ? closedAppeal : undefined;
        return {
          level,
          appellant,
          bond: deposit ? String(args(deposit).amount) : '0',
          reExecutionBatch: level === 1 ? Number(args(e).newBatchId) : null,
          tx: e.txHash,
          /** Level 1: the comparison of the re-execution with the first committee's claim (changed: the first result fell, the bond went back). */
          compared: closed
            ? { fromBatch: Number(args(closed).fromBatch), changed: Boolean(args(closed).changed), bondRefund: String(args(closed).bondRefund), tx: closed.txHash }
            : null,
        };
      });
    const resolved = caseEvents.find((e) => e.source === 'arbitration' && e.name === 'Resolved');
    const reserved = caseEvents.find((e) => e.name === 'DepositReserved');
    const owed = caseEvents.find((e) => e.name === 'AwardOwed');
    const ruled = caseEvents.find((e) => e.name === 'ArbitratorRuled');
    const payments = resolved
      ? txEvents(resolved.txHash)
          .filter((e) => e.source === 'escrow' && e.name === 'Paid')
          .map((e) => ({ payee: low(args(e).payee), amount: String(args(e).amount), sent: Boolean(args(e).sent) }))
      : [];
    return {
      object: 'trail' as const,
      caseId,
      status: row!.status,
      record: JSON.parse(row!.record) as unknown,
      recordHash: row!.recordHash,
      model: {
        ref: p.modelRef,
        modelId: p.modelId,
        modelRoot: card?.modelRoot ?? null,
        sha256: card?.sha256 ?? null,
        featurizer: card?.featurizer ?? null,
        steps: card?.steps ?? p.steps,
        card: card ?? null,
      },
      inputHash: p.s0,
      chain: {
        chainId: deployment?.chainId ?? null,
        contracts: deployment?.addresses ?? null,
        chainCaseId: p.chainCaseId,
        batchId: p.batchId,
        index: p.batchIndex,
        openTx: p.openTx,
        deposit: p.deposit,
        awardTable: p.awardTable,
        awardsCommitment: opened ? String(args(opened).awards) : null,
        claimant: p.claimant,
        respondent: p.respondent,
        /** How the deposit was held: reserved in the respondent's escrow account, or owed but not escrowed (null: paid by the opener). */
        escrow: reserved
          ? { status: args(reserved).escrowed ? 'escrowed' : 'owed_not_escrowed', deposit: String(args(reserved).amount), respondent: low(args(reserved).respondent), tx: reserved.txHash }
          : null,
        sealTx: sealed?.txHash ?? null,
        commitDeadline: sealed ? Number(args(sealed).commitDeadline) : null,
        revealDeadline: sealed ? Number(args(sealed).revealDeadline) : null,
      },
      committee: members,
      agreedRoot,
      proposedTx: proposed?.txHash ?? null,
      windowEnd: proposed ? Number(args(proposed).windowEnd) : null,
      finalizedTx: finalized?.txHash ?? null,
      claim: { ...claim, output: Number(claim.output), steps: Number(claim.steps) },
      /** Proof of the claim against the agreed root (leaf = Arbitration.claimLeaf(claim), index = chain.index). */
      claimProof: ours && p.batchIndex !== null ? claimProof(claims, p.batchIndex) : null,
      games,
      /** The batch's fee pool and its split (royalty, node shares, protocol), expected and as paid. */
      fees: p.batchId === null ? null : (batchFeeSplit(deps.db, p.batchId, p.modelId, deployment?.config.treasury) ?? null),
      verdict: p.verdict ? (JSON.parse(p.verdict) as unknown) : null,
      appeals,
      ruling: ruled ? { output: Number(args(ruled).output), arbitrator: low(args(ruled).arbitrator), reasonHash: args(ruled).reasonHash, tx: ruled.txHash } : null,
      payout: resolved
        ? {
            output: Number(args(resolved).output),
            claimantWon: Boolean(args(resolved).claimantWon),
            award: String(args(resolved).award),
            refund: String(args(resolved).refund),
            /** The award is owed by the respondent but was not escrowed: nothing was paid. */
            owedNotEscrowed: owed !== undefined,
            tx: resolved.txHash,
            payments,
          }
        : null,
    };
  }
  return { trail };
}

export type TrailService = ReturnType<typeof createTrailService>;
