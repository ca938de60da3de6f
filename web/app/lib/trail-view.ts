// The verdict trail as the pages show it: the trail service's answer (server/pipeline/trail.ts,
// the same as GET /v1/cases/:id/trail) cut down to what a person reads, and the dispute game's
// dissection as intervals over the trace (PROTOCOL.md §3). Pure: no I/O.
import type { TrailService } from '../../../server/pipeline/trail.js';

type Trail = ReturnType<TrailService['trail']>;

/**
 * One dissection round: the node both parties split (the defender posts the level below it, the
 * challenger answers with its own), i.e. the states [lo, hi] over t_0 … t_n-1 still in dispute
 * when the round starts. The next round's node (or the leaf) is the part where they first differ.
 */
export interface GameRound {
  lo: number;
  hi: number;
  movers: string[];
  txs: string[];
}

export interface GameView {
  gameId: number;
  defender: string;
  challenger: string;
  openedTx: string;
  /** Number of states t_0 … t_steps. */
  states: number;
  rounds: GameRound[];
  /** The first differing state (LeafFound), whose step the referee re-executes. */
  leaf: number | null;
  step: { step: number; valid: boolean; prover: string; tx: string } | null;
  outcome: string | null;
  winner: string | null;
  slashed: { node: string; amount: string; tx: string }[];
}

export interface TrailView {
  recordHash: string;
  inputHash: string;
  model: { ref: string; modelId: string; modelRoot: string | null; sha256: string | null; steps: number; version: string | null; jurisdiction: string | null };
  chain: { chainId: string | null; chainCaseId: string; batchId: number | null; openTx: string | null; sealTx: string | null; claimant: string; respondent: string };
  committee: { node: string; commitment: string | null; commitTx: string | null; claimsRoot: string | null; revealTx: string | null; evicted: string | null }[];
  agreedRoot: string | null;
  proposedTx: string | null;
  finalizedTx: string | null;
  claim: { output: number; steps: number; traceRoot: string };
  games: GameView[];
  /** Each appeal in order: its bond, the re-execution (level 1) and how its comparison closed. */
  appeals: {
    level: number;
    appellant: string;
    bond: string;
    reExecutionBatch: number | null;
    tx: string;
    compared: { fromBatch: number; changed: boolean; bondRefund: string; tx: string } | null;
  }[];
  ruling: { output: number; arbitrator: string; reasonHash: string; tx: string } | null;
  /** The settlement; `payments` are the escrow's to this case's parties in its transaction (not the batch's fee shares). */
  payout: { output: number; award: string; refund: string; claimantWon: boolean; owedNotEscrowed: boolean; tx: string; payments: { payee: string; party: 'claimant' | 'respondent'; amount: string; sent: boolean }[] } | null;
}

/**
 * A Moved event names the node it splits: `height` above the leaves, `index` in its level; the
 * node covers leaves [index·2^height, (index+1)·2^height), cut to the trace's length.
 */
export function roundInterval(height: number, index: number, states: number): { lo: number; hi: number } {
  const width = 2 ** height;
  return { lo: Math.min(index * width, states - 1), hi: Math.min((index + 1) * width, states) - 1 };
}

/** Moves grouped by the node they split (both parties' moves of a round emit the same node). */
export function roundsOf(moves: { mover: string; height: number; index: number; tx: string }[], states: number): GameRound[] {
  const rounds: (GameRound & { key: string })[] = [];
  for (const m of moves) {
    const key = `${m.height}:${m.index}`;
    let r = rounds.at(-1);
    if (!r || r.key !== key) rounds.push((r = { key, ...roundInterval(m.height, m.index, states), movers: [], txs: [] }));
    r.movers.push(m.mover);
    r.txs.push(m.tx);
  }
  return rounds.map(({ key: _key, ...r }) => r);
}

export function toTrailView(t: Trail): TrailView {
  const states = Number(t.model.steps) + 1;
  const card = t.model.card as { version?: string; jurisdiction?: string } | null;
  return {
    recordHash: t.recordHash,
    inputHash: t.inputHash,
    model: {
      ref: t.model.ref,
      modelId: t.model.modelId,
      modelRoot: t.model.modelRoot,
      sha256: t.model.sha256,
      steps: Number(t.model.steps),
      version: card?.version ?? null,
      jurisdiction: card?.jurisdiction ?? null,
    },
    chain: { chainId: t.chain.chainId, chainCaseId: t.chain.chainCaseId, batchId: t.chain.batchId, openTx: t.chain.openTx, sealTx: t.chain.sealTx, claimant: t.chain.claimant.toLowerCase(), respondent: t.chain.respondent.toLowerCase() },
    committee: t.committee.map((m) => ({ ...m, evicted: m.evicted?.reason ?? null })),
    agreedRoot: t.agreedRoot,
    proposedTx: t.proposedTx,
    finalizedTx: t.finalizedTx,
    claim: { output: t.claim.output, steps: t.claim.steps, traceRoot: String(t.claim.traceRoot) },
    games: t.games.map((g) => ({
      gameId: g.gameId,
      defender: g.defender,
      challenger: g.challenger,
      openedTx: g.openedTx,
      states,
      rounds: roundsOf(g.moves, states),
      leaf: g.leaf?.index ?? null,
      step: g.step ? { step: g.step.step, valid: g.step.valid, prover: g.step.prover, tx: g.step.tx } : null,
      outcome: g.outcome,
      winner: g.outcome === 'defender_wins' ? g.defender : g.outcome === 'challenger_wins' ? g.challenger : null,
      slashed: g.slashed,
    })),
    ruling: t.ruling ? { output: t.ruling.output, arbitrator: t.ruling.arbitrator, reasonHash: String(t.ruling.reasonHash), tx: t.ruling.tx } : null,
    appeals: t.appeals.map((a) => ({ ...a })),
    payout: t.payout
      ? { output: t.payout.output, award: t.payout.award, refund: t.payout.refund, claimantWon: t.payout.claimantWon, owedNotEscrowed: t.payout.owedNotEscrowed, tx: t.payout.tx, payments: partyPayments(t) }
      : null,
  };
}

/** The escrow payments of the settling transaction that went to the case's claimant or respondent. */
function partyPayments(t: Trail): NonNullable<TrailView['payout']>['payments'] {
  const claimant = t.chain.claimant.toLowerCase();
  const respondent = t.chain.respondent.toLowerCase();
  return (t.payout?.payments ?? []).flatMap((p) => {
    const party = p.payee === claimant ? ('claimant' as const) : p.payee === respondent ? ('respondent' as const) : undefined;
    return party ? [{ ...p, party }] : [];
  });
}

/** The trail service's answer, or undefined when the case is not on chain yet (it answers 404 then). */
export function readTrail(read: () => Trail): Trail | undefined {
  try {
    return read();
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}
