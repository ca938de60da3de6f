// Drives the deployed system the way node workers and the server do: register a model, stake
// nodes, open cases, commit and reveal batch roots, challenge, and play a dispute game to the
// end from each party's own trace. Shared by the contract tests and the gas bench.
import { ZeroHash, id as utf8Id, parseEther, type Contract, type JsonRpcProvider, type NonceManager, type TransactionReceipt } from 'ethers';
import { batchCommitment, claimProof, claimsRoot } from '../../../server/chain/batch-claims.js';
import { treeLevels } from '../../../server/chain/dissection.js';
import { encodeAwardTable } from '../../../server/chain/awards.js';
import { takeTurn } from '../../../server/chain/game-player.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import type { Step } from '../../../server/inference/ops.js';
import type { Tensor } from '../../../server/inference/tensor.js';
import { stateHashes, stateProof } from '../../../server/inference/trace-root.js';
import type { ArbiterContracts } from '../../../server/chain/contracts.js';
import { BatchStatus, GamePhase } from '../../../server/chain/contracts.js';
import { testModel } from './test-model.js';
import { mined } from '../../../server/chain/mined.js';

export const MODEL_REF = 'arbiter-test@1.0.0';
export const MODEL_ID = utf8Id(MODEL_REF);
export const CASE_FEE = parseEther('0.003');
/** Classes 1, 3, 5, 7 mean the claimant prevails. */
export const CLAIMANT_CLASSES = 0b10101010n;
/** The test model's award per class (wei): a different amount per claimant class, 0 otherwise. */
export const TEST_AWARDS: bigint[] = [0n, parseEther('0.004'), 0n, parseEther('0.006'), 0n, parseEther('0.008'), 0n, parseEther('0.01')];
/** TEST_AWARDS packed as openCase / settle take it, and the largest award (the least deposit). */
export const TEST_AWARD_TABLE = encodeAwardTable(TEST_AWARDS);
export const TEST_AWARD_MAX = parseEther('0.01');

const txGas = (r: TransactionReceipt) => r.gasUsed;

export async function sendTx(c: Contract, signer: NonceManager, fn: string, args: unknown[], value?: bigint): Promise<TransactionReceipt> {
  const bound = c.connect(signer) as Contract;
  try {
    const f = bound.getFunction(fn);
    const overrides: Record<string, bigint> = value === undefined ? {} : { value };
    // eth_estimateGas may return the post-refund gas, which is too little when a transaction
    // clears storage (refunds are paid only at the end): leave a margin.
    const estimate = await f.estimateGas(...args, overrides);
    const tx = await f(...args, { ...overrides, gasLimit: (estimate * 13n) / 10n + 30_000n });
    // Polled, not tx.wait(): on a service-mined chain a block mined before ethers' poller first
    // looks is never announced to it (server/chain/mined.ts).
    return await mined(tx, signer.provider!);
  } catch (e) {
    signer.reset(); // a rejected transaction must not leave a nonce gap
    throw e;
  }
}

let governSalt = 0;
/**
 * Runs `fn(args)` on `target` through the governance timelock (issue 8 #11), as the registrar
 * (the timelock's proposer) does: schedules it, moves anvil's clock past the delay, executes it.
 */
export async function governed(c: ArbiterContracts, proposer: NonceManager, target: Contract, fn: string, args: unknown[]): Promise<TransactionReceipt> {
  const to = await target.getAddress();
  const data = target.interface.encodeFunctionData(fn, args);
  const salt = utf8Id(`governed-${++governSalt}`);
  await sendTx(c.timelock, proposer, 'schedule', [to, data, salt]);
  const delay = Number(await c.timelock.delay());
  if (delay > 0) {
    const provider = proposer.provider as JsonRpcProvider;
    await provider.send('evm_increaseTime', [delay]);
    await provider.send('evm_mine', []);
  }
  return sendTx(c.timelock, proposer, 'execute', [to, data, salt]);
}

/**
 * Seals a filling batch (the registrar may at any time; a full, redrawn or appealed batch is
 * sealed already) and draws the committee in the next block, as a keeper does; returns the
 * draw's receipt.
 */
export async function sealBatch(c: ArbiterContracts, signer: NonceManager, batchId: bigint): Promise<TransactionReceipt> {
  if (Number((await c.arbitration.batches(batchId)).status) === BatchStatus.Filling) await sendTx(c.arbitration, signer, 'seal', [batchId]);
  const seedBlock = Number((await c.arbitration.batches(batchId)).seedBlock);
  // The draw is mined after the head: the seed block must be mined (it is, once the seal is).
  while ((await signer.provider!.getBlockNumber()) < seedBlock) await (signer.provider as JsonRpcProvider).send('evm_mine', []);
  return sendTx(c.arbitration, signer, 'draw', [batchId]);
}

/** Registers the test model (by `creator`) and stakes `stake` for each node, serving it. */
export async function setupModel(c: ArbiterContracts, creator: NonceManager, nodes: NonceManager[], stake = parseEther('100')) {
  const m = testModel();
  await sendTx(c.registry, creator, 'register', [
    'arbiter-test', '1.0.0', m.modelRoot, `0x${m.sha256}`, utf8Id('test-features@1.0.0'), m.steps, CASE_FEE, 1000, [CLAIMANT_CLASSES],
  ]);
  for (const n of nodes) {
    await sendTx(c.staking, n, 'stake', [], stake);
    // Within Arbitration.seatFeeCap for committees up to 25 seats (CASE_FEE's nodes' part is 0.00255 ETH).
    await sendTx(c.staking, n, 'serve', [[MODEL_ID], parseEther('0.0001')]);
  }
}

/** One party's view of a case: its trace, state hashes, tree and claim. */
export interface PartyTrace {
  trace: Tensor[];
  hashes: Uint8Array[];
  levels: Uint8Array[][];
  claim: Claim;
}

export function partyTrace(caseId: string, s0: string, trace: Tensor[], modelId = MODEL_ID): PartyTrace {
  const hashes = stateHashes(trace);
  const levels = treeLevels(hashes);
  const last = trace[trace.length - 1];
  return {
    trace,
    hashes,
    levels,
    claim: {
      caseId,
      modelId,
      s0,
      output: last.data[0],
      steps: BigInt(trace.length - 1),
      traceRoot: bytesToHex(levels[levels.length - 1][0]),
    },
  };
}

export const claimTuple = (c: Claim) => [c.caseId, c.modelId, c.s0, c.output, BigInt(c.steps), c.traceRoot];

/** Evidence for `challenge`: the claim, its proof in the batch, and S_n's proof in its trace. */
export function evidence(p: PartyTrace, batchClaims: Claim[], index: number) {
  const n = p.trace.length - 1;
  return [claimTuple(p.claim), claimProof(batchClaims, index), stateProof(p.hashes, n).map(bytesToHex)];
}

/** Commits then reveals each member's root over its claims; returns the summed gas. */
export async function commitReveal(c: ArbiterContracts, batchId: bigint, votes: { node: NonceManager; claims: Claim[] }[]) {
  let gas = 0n;
  const opened: { node: NonceManager; root: string; salt: string }[] = [];
  for (const [i, v] of votes.entries()) {
    const address = await v.node.getAddress();
    const root = claimsRoot(v.claims);
    const salt = utf8Id(`salt-${batchId}-${i}-${address}`);
    gas += txGas(await sendTx(c.arbitration, v.node, 'commit', [batchId, batchCommitment(batchId, root, salt, address)]));
    opened.push({ node: v.node, root, salt });
  }
  for (const o of opened) gas += txGas(await sendTx(c.arbitration, o.node, 'reveal', [batchId, o.root, o.salt]));
  return gas;
}

export interface GameRun {
  outcome: number;
  rounds: number;
  gas: { challenge: bigint; moves: bigint[]; step: bigint; total: bigint };
  leafIndex: number;
}

/**
 * Plays game `gameId` to its end: each party posts from its own tree; the honest party proves
 * the step with the agreed t_lo. `silent` stops that party from moving (its clock runs out).
 */
export async function playGame(
  c: ArbiterContracts,
  gameId: bigint,
  defender: { node: NonceManager; party: PartyTrace },
  challenger: { node: NonceManager; party: PartyTrace },
  prover: { node: NonceManager; party: PartyTrace },
  challengeGas: bigint,
  steps: Step[] = testModel().ir.steps,
): Promise<GameRun> {
  // Each party acts through server/chain/game-player.ts, as a node worker does.
  const parties = [defender, challenger];
  const moves: bigint[] = [];
  let rounds = 0;
  let step = 0n;
  let leafIndex = -1;
  for (;;) {
    const g = await c.game.games(gameId);
    const phase = Number(g.phase);
    if (phase === GamePhase.Dissection) {
      const p = parties[Number(g.turn)];
      const r = await takeTurn(c.game.connect(p.node) as Contract, gameId, await p.node.getAddress(), p.party, steps);
      if (r.action !== 'moved') throw new Error(`expected a move, got ${r.action}`);
      moves.push(r.receipt.gasUsed);
      if (Number(g.turn) === 1) rounds++;
    } else if (phase === GamePhase.Step) {
      leafIndex = Number(g.index);
      const r = await takeTurn(c.game.connect(prover.node) as Contract, gameId, await prover.node.getAddress(), prover.party, steps);
      if (r.action !== 'proved') throw new Error(`expected a step proof, got ${r.action}`);
      step = r.receipt.gasUsed;
    } else {
      if (leafIndex < 0) leafIndex = Number(g.index);
      const total = challengeGas + moves.reduce((a, b) => a + b, 0n) + step;
      return { outcome: Number(g.outcome), rounds, gas: { challenge: challengeGas, moves, step, total }, leafIndex };
    }
  }
}

export { ZeroHash };
