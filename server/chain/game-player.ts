// A party's side of the dispute game (PROTOCOL.md §3), for node workers: given its own trace,
// take whatever action the game expects of it now. Call it on every GameCreated / Moved /
// LeafFound event of a game the node plays; it is idempotent (it does nothing when it is not the
// node's turn), so a retry after a crash is safe.
import type { Contract, EventLog, Provider, TransactionReceipt } from 'ethers';
import { bytesToHex } from '../inference/hex.js';
import { stepProof } from '../inference/model-root.js';
import { Opcode, stepAttrs, stepConstant, type Step } from '../inference/ops.js';
import type { Tensor } from '../inference/tensor.js';
import { encodeTensor } from '../inference/tensor-encoding.js';
import { merkleProof } from '../inference/merkle.js';
import { moveNodes, type Position } from './dissection.js';
import { GamePhase } from './contracts.js';
import { mined } from './mined.js';

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
  | { action: 'moved' | 'proved'; receipt: TransactionReceipt }
  | { action: 'waiting' | 'over' };

export interface TurnOptions {
  /** Gas limit = estimate × gasMargin + 30k (eth_estimateGas can return the post-refund figure). */
  gasMargin?: number;
  /**
   * A block at or before the current round's defender move (e.g. the block of the game's
   * GameCreated event, or of this node's last move), so events are read from there on. Without
   * it, the defender's move is searched backwards from the latest block in doubling windows:
   * never a scan from genesis.
   */
  fromBlock?: number;
  /** First window of the backward search (blocks; default MOVE_SEARCH_WINDOW). */
  searchWindow?: number;
}

/** First window of the backward search for the defender's latest move (blocks). */
export const MOVE_SEARCH_WINDOW = 1024;

/** The nodes of the defender's latest move in game `gameId`, read from `fromBlock` or searched backwards. */
export async function defenderNodes(game: Contract, gameId: bigint, defender: string, fromBlock?: number, searchWindow = MOVE_SEARCH_WINDOW): Promise<string[]> {
  const filter = game.filters.Moved(gameId, defender);
  const provider = game.runner!.provider as Provider;
  const latest = await provider.getBlockNumber();
  const lastOf = (events: unknown[]) => (events.length ? [...(events[events.length - 1] as EventLog).args.nodes] as string[] : undefined);
  if (fromBlock !== undefined) {
    const found = lastOf(await game.queryFilter(filter, fromBlock, latest));
    if (found) return found;
  } else {
    for (let window = searchWindow, to = latest; to >= 0; window *= 2) {
      const from = Math.max(0, to - window + 1);
      const found = lastOf(await game.queryFilter(filter, from, to));
      if (found) return found;
      to = from - 1;
    }
  }
  throw new Error(`game ${gameId}: no move by the defender ${defender} found${fromBlock === undefined ? '' : ` since block ${fromBlock}`}`);
}

/**
 * Takes `me`'s action in game `gameId` on `game` (a DisputeGame bound to `me`'s signer): post
 * its level of nodes when it is its dissection turn, or prove the step when the dissection has
 * ended (anyone may; `me` does it with its own agreed t_lo). `steps` are the model's steps.
 */
export async function takeTurn(game: Contract, gameId: bigint, me: string, own: OwnTrace, steps: readonly Step[], options: TurnOptions = {}): Promise<TurnResult> {
  const gasMargin = options.gasMargin ?? 1.3;
  const g = await game.games(gameId);
  const phase = Number(g.phase);
  const send = async (fn: string, args: unknown[]) => {
    const f = game.getFunction(fn);
    // eth_estimateGas can return the post-refund figure: leave a margin.
    const estimate: bigint = await f.estimateGas(...args);
    const tx = await f(...args, { gasLimit: (estimate * BigInt(Math.round(gasMargin * 100))) / 100n + 30_000n });
    return mined(tx, game.runner!.provider as Provider);
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
    const repeated = await defenderNodes(game, gameId, String(g.defender), options.fromBlock, options.searchWindow);
    return { action: 'moved', receipt: await send('move', [gameId, nodes, repeated]) };
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
