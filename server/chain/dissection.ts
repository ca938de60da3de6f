// The off-chain half of the dissection (PROTOCOL.md §3.1), mirroring DisputeGame.sol: both trace
// trees are descended together, `levelsPerMove` levels a round; a move posts the mover's whole
// level of nodes under the current node. Pure: trace hashes in, the next move's nodes out.
import { keccak256 } from '../inference/keccak.js';
import { merkleDepth, ZERO_HASH } from '../inference/merkle.js';

/** DisputeGame.MAX_LEVELS_PER_MOVE: at most 64 hashes (2 KiB of calldata) a move. */
export const MAX_LEVELS_PER_MOVE = 6;

/** DisputeGame.levelsPerMoveFor: the fewest rounds, levels spread evenly over them. */
export function levelsPerMoveFor(depth: number): number {
  if (depth === 0) return 0;
  const rounds = Math.ceil(depth / MAX_LEVELS_PER_MOVE);
  return Math.ceil(depth / rounds);
}

/** Dissection rounds a game over `steps` steps takes (trace of steps + 1 states). */
export function roundsFor(steps: number): number {
  const depth = merkleDepth(steps + 1);
  return depth === 0 ? 0 : Math.ceil(depth / levelsPerMoveFor(depth));
}

/** Every level of the padded tree over `leaves`: levels[h] is the level h above the leaves. */
export function treeLevels(leaves: readonly Uint8Array[]): Uint8Array[][] {
  const depth = merkleDepth(leaves.length);
  const first = leaves.slice();
  while (first.length < 1 << depth) first.push(ZERO_HASH);
  const levels = [first];
  for (let h = 1; h <= depth; h++) {
    const below = levels[h - 1];
    const level: Uint8Array[] = [];
    for (let i = 0; i < below.length; i += 2) level.push(keccak256(below[i], below[i + 1]));
    levels.push(level);
  }
  return levels;
}

/** The game's position: the current node is at `height` above the leaves, `index` in its level. */
export interface Position {
  height: number;
  index: number;
  levelsPerMove: number;
}

/** The nodes a party posts from `position`: its level `min(levelsPerMove, height)` levels down. */
export function moveNodes(levels: readonly Uint8Array[][], position: Position): Uint8Array[] {
  const down = Math.min(position.levelsPerMove, position.height);
  const width = 1 << down;
  const level = levels[position.height - down];
  return level.slice(position.index * width, (position.index + 1) * width);
}

/** The position after a round in which the two parties posted `defender` and `challenger`. */
export function nextPosition(position: Position, defender: readonly Uint8Array[], challenger: readonly Uint8Array[]): Position {
  const down = Math.min(position.levelsPerMove, position.height);
  let i = 0;
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, j) => x === b[j]);
  while (i < defender.length && same(defender[i], challenger[i])) i++;
  if (i === defender.length) throw new Error('the posted levels do not differ');
  return { height: position.height - down, index: position.index * (1 << down) + i, levelsPerMove: position.levelsPerMove };
}
