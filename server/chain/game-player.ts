// A party's side of the dispute game (PROTOCOL.md §3), for node workers: given its own trace,
// take whatever action the game expects of it now. Call it on every GameCreated / Moved /
// LeafFound event of a game the node plays; it is idempotent (it does nothing when it is not the
// node's turn), so a retry after a crash is safe.
import type { Contract, ContractTransactionReceipt } from 'ethers';
import { bytesToHex } from '../inference/hex.js';
import { stepProof } from '../inference/model-root.js';
import { Opcode, stepAttrs, stepConstant, type Step } from '../inference/ops.js';
import type { Tensor } from '../inference/tensor.js';
import { encodeTensor } from '../inference/tensor-encoding.js';
import { merkleProof } from '../inference/merkle.js';
import { moveNodes, type Position } from './dissection.js';
import { GamePhase } from './contracts.js';

/** What a party knows of its own execution of the case. */
export interface OwnTrace {
  /** t_0..t_n */
  trace: Tensor[];
  /** S_0..S_n, or the leaves of the party's trace tree (padding included) */
  hashes: Uint8Array[];
  /** treeLevels(hashes) */
  levels: Uint8Array[][];
}

export type TurnResult =
  | { action: 'moved' | 'proved'; receipt: ContractTransactionReceipt }
  | { action: 'waiting' | 'over' };

/**
 * Takes `me`'s action in game `gameId` on `game` (a DisputeGame bound to `me`'s signer): post
 * its level of nodes when it is its dissection turn, or prove the step when the dissection has
 * ended (anyone may; `me` does it with its own agreed t_lo). `steps` are the model's steps.
 */
export async function takeTurn(game: Contract, gameId: bigint, me: string, own: OwnTrace, steps: readonly Step[], gasMargin = 1.3): Promise<TurnResult> {
  const g = await game.games(gameId);
  const phase = Number(g.phase);
  const send = async (fn: string, args: unknown[]) => {
    const f = game.getFunction(fn);
    // eth_estimateGas can return the post-refund figure: leave a margin.
    const estimate: bigint = await f.estimateGas(...args);
    const tx = await f(...args, { gasLimit: (estimate * BigInt(Math.round(gasMargin * 100))) / 100n + 30_000n });
    return (await tx.wait()) as ContractTransactionReceipt;
  };
  if (phase === GamePhase.Dissection) {
    const defender = String(g.defender).toLowerCase();
    const challenger = String(g.challenger).toLowerCase();
    const mover = Number(g.turn) === 0 ? defender : challenger;
    if (mover !== me.toLowerCase()) return { action: 'waiting' };
    const pos: Position = { height: Number(g.height), index: Number(g.index), levelsPerMove: Number(g.levelsPerMove) };
    const nodes = moveNodes(own.levels, pos).map(bytesToHex);
    if (Number(g.turn) === 0) return { action: 'moved', receipt: await send('move', [gameId, nodes, []]) };
    // The challenger repeats the defender's nodes of this round: its latest Moved event.
    const events = await game.queryFilter(game.filters.Moved(gameId, g.defender));
    const last = events[events.length - 1] as unknown as { args: { nodes: string[] } };
    return { action: 'moved', receipt: await send('move', [gameId, nodes, [...last.args.nodes]]) };
  }
  if (phase === GamePhase.Step) {
    const hi = Number(g.index);
    const s = steps[hi - 1];
    return {
      action: 'proved',
      receipt: await send('proveStep', [
        gameId,
        encodeTensor(own.trace[hi - 1]),
        hi - 1 === 0 ? [] : merkleProof(own.hashes, hi - 1).map(bytesToHex),
        Opcode[s.op],
        stepAttrs(s),
        encodeTensor(stepConstant(s)),
        stepProof(steps, hi).map(bytesToHex),
      ]),
    };
  }
  return { action: 'over' };
}
