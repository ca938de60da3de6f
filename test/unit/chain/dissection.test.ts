// The off-chain dissection mirrors DisputeGame: descending two trees by whole levels finds the
// first differing leaf in ceil(depth / levelsPerMove) rounds, for any fault position.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak256 } from '../../../server/inference/keccak.js';
import { merkleDepth, merkleRoot } from '../../../server/inference/merkle.js';
import { levelsPerMoveFor, moveNodes, nextPosition, roundsFor, treeLevels } from '../../../server/chain/dissection.js';

const leaf = (i: number, salt = 0) => keccak256(Uint8Array.of(i & 255, i >> 8, salt));

describe('dissection › levelsPerMoveFor', () => {
  it('uses one round up to depth 6, then spreads levels evenly over the fewest rounds', () => {
    expect([0, 1, 5, 6, 7, 12, 13, 18].map(levelsPerMoveFor)).toEqual([0, 1, 5, 6, 4, 6, 5, 6]);
    expect(roundsFor(15)).toBe(1); // 16 states, depth 4
    expect(roundsFor(1000)).toBe(2); // depth 10
    expect(roundsFor(200_000)).toBe(3); // depth 18
  });
});

describe('dissection › treeLevels', () => {
  it('ends in the Merkle root of server/inference/merkle.ts', () => {
    for (const n of [1, 2, 3, 5, 16, 17]) {
      const leaves = Array.from({ length: n }, (_, i) => leaf(i));
      const levels = treeLevels(leaves);
      expect(levels.length).toBe(merkleDepth(n) + 1);
      expect(levels[levels.length - 1][0]).toEqual(merkleRoot(leaves));
    }
  });
});

describe('dissection › descent', () => {
  it('finds the first differing leaf for any trace length and fault set', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (count, faults) => {
        const a = Array.from({ length: count }, (_, i) => leaf(i));
        const bad = faults.map((f) => f % count);
        const b = a.map((l, i) => (bad.includes(i) ? leaf(i, 1) : l));
        const la = treeLevels(a);
        const lb = treeLevels(b);
        const depth = merkleDepth(count);
        let pos = { height: depth, index: 0, levelsPerMove: levelsPerMoveFor(depth) };
        let rounds = 0;
        while (pos.height > 0) {
          pos = nextPosition(pos, moveNodes(la, pos), moveNodes(lb, pos));
          rounds++;
        }
        expect(pos.index).toBe(Math.min(...bad));
        expect(rounds).toBe(Math.ceil(depth / levelsPerMoveFor(depth)));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
