// The fee split of a final batch, property-tested (fast-check, already a dev dependency) over
// random pools, royalty shares and committee sizes: nothing is lost or created, each party gets
// what its share says (to the wei, rounding down), and the treasury keeps only the protocol's
// share and less than one wei per member of dust. A node's declared fee decides whether it may sit
// (seatFeeCap, Arbitration's draw filter): every member of a committee whose root stood then earns
// at least its declared fee for each case of the batch, whatever the batch size and however many
// members stood.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROTOCOL_BPS, seatFeeCap, splitFee } from '../../../server/market/split.js';

const pool = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }); // ModelRegistry.price is a uint128; a batch sums up to 2^16 fees
const bps = fc.integer({ min: 0, max: 10_000 });
const members = fc.integer({ min: 1, max: 64 }); // NodeStaking.MAX_SERVERS

describe('market › fee split', () => {
  it('adds up exactly: royalty + members × share + protocol = pool, every part ≥ 0 (random pools, royalties, committee sizes)', () => {
    fc.assert(
      fc.property(pool, bps, members, (p, r, m) => {
        const s = splitFee(p, r, m);
        expect(s.royalty + s.nodes + s.protocol).toBe(p);
        expect(s.nodes).toBe(s.perNode * BigInt(m));
        for (const v of [s.royalty, s.perNode, s.protocol]) expect(v >= 0n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('each share is what its rate says: royalty = ⌊pool·bps/10⁴⌋, treasury = protocol share + dust < members wei', () => {
    fc.assert(
      fc.property(pool, bps, members, (p, r, m) => {
        const s = splitFee(p, r, m);
        expect(s.royalty).toBe((p * BigInt(r)) / 10_000n);
        const protocolShare = [(p * PROTOCOL_BPS) / 10_000n, p - s.royalty].reduce((a, b) => (a < b ? a : b));
        const dust = s.protocol - protocolShare;
        expect(dust >= 0n && dust < BigInt(m)).toBe(true);
        expect(s.perNode).toBe((p - s.royalty - protocolShare) / BigInt(m));
      }),
      { numRuns: 2000 },
    );
  });

  it('a royalty that takes everything leaves nothing for nodes or the protocol; refuses nonsense', () => {
    expect(splitFee(1000n, 10_000, 3)).toEqual({ pool: 1000n, royalty: 1000n, perNode: 0n, nodes: 0n, protocol: 0n });
    expect(splitFee(10n ** 15n * 12n, 1000, 3)).toEqual({ pool: 12n * 10n ** 15n, royalty: 12n * 10n ** 14n, perNode: 3400n * 10n ** 12n, nodes: 10200n * 10n ** 12n, protocol: 600n * 10n ** 12n });
    expect(() => splitFee(1n, 10_001, 1)).toThrow(/royaltyBps/);
    expect(() => splitFee(1n, 0, 0)).toThrow(/members/);
    expect(() => splitFee(-1n, 0, 1)).toThrow(/pool/);
  });

  it('seat fee cap › a member whose declared fee is within seatFeeCap earns at least that fee for every case of its batch (random prices, royalties, committee sizes, batch sizes, members that stood), and the split still adds up', () => {
    const price = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    const cases = fc.integer({ min: 1, max: 256 }); // Arbitration's maxBatch
    fc.assert(
      fc.property(price, bps, members, cases, fc.double({ min: 0, max: 1, noNaN: true }), (p, r, size, count, f) => {
        const cap = seatFeeCap(p, r, size);
        expect(cap >= 0n).toBe(true);
        // The caps of all seats never exceed one case's nodes' part.
        expect(cap * BigInt(size)).toBeLessThanOrEqual(splitFee(p, r, 1).nodes);
        const stood = Math.max(1, Math.ceil(f * size)); // 1…size members whose root stood
        const s = splitFee(p * BigInt(count), r, stood);
        expect(s.perNode).toBeGreaterThanOrEqual(cap * BigInt(count));
        expect(s.royalty + s.nodes + s.protocol).toBe(p * BigInt(count));
      }),
      { numRuns: 3000 },
    );
  });

  it('seat fee cap › the rounding margin is needed: without its 2 wei a member of a batch could earn less than its fee', () => {
    // One case of 1 wei at 50 % royalty: the nodes' part is 1 wei (royalty and protocol round to 0);
    // two such cases pool 2 wei and pay 1 wei royalty: the nodes' part is 1 wei, not 2.
    expect(splitFee(1n, 5000, 1).nodes).toBe(1n);
    expect(splitFee(2n, 5000, 1).nodes).toBe(1n);
    expect(seatFeeCap(1n, 5000, 1)).toBe(0n);
    // The shipped price and royalty, a committee of 3: (10^15 · 0.85 − 2) / 3.
    expect(seatFeeCap(10n ** 15n, 1000, 3)).toBe((85n * 10n ** 13n - 2n) / 3n);
  });
});
