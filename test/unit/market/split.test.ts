// The fee split of a final batch, property-tested (fast-check, already a dev dependency) over
// random pools, royalty shares and committee sizes: nothing is lost or created, each party gets
// what its share says (to the wei, rounding down), and the treasury keeps only the protocol's
// share and less than one wei per member of dust.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROTOCOL_BPS, splitFee } from '../../../server/market/split.js';

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
});
