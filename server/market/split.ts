// How a batch's fee pool is split when the batch is final (Arbitration.finalize, to the wei):
// the creator's royalty (royaltyBps of the pool), the protocol's share (PROTOCOL_BPS of the pool,
// never more than what the royalty leaves), and equal shares for the committee members whose root
// stood; the division's dust goes to the treasury with the protocol's share. Quotes and the case
// trail use this; test/unit/market/split.test.ts property-tests it, and the arbitration contract
// test checks the chain credits the same amounts.
//
// A node's declared fee (NodeStaking.serve) decides whether it may sit: Arbitration draws only
// nodes whose fee is at most seatFeeCap, so each member whose root stood earns at least its fee
// for every case of the batch (the split itself is unchanged: nothing is lost or created).

/** Arbitration.PROTOCOL_BPS. */
export const PROTOCOL_BPS = 500n;
const BPS = 10_000n;

export interface FeeSplit {
  pool: bigint;
  /** to the model's creator */
  royalty: bigint;
  /** to each member whose root stood */
  perNode: bigint;
  /** perNode × members */
  nodes: bigint;
  /** to the treasury: the protocol's share plus the division's dust */
  protocol: bigint;
}

export function splitFee(pool: bigint, royaltyBps: number | bigint, members: number, protocolBps: bigint = PROTOCOL_BPS): FeeSplit {
  const bps = BigInt(royaltyBps);
  if (pool < 0n) throw new RangeError('pool must be ≥ 0');
  if (bps < 0n || bps > BPS) throw new RangeError('royaltyBps must be 0…10000');
  if (!Number.isInteger(members) || members < 1) throw new RangeError('members must be an integer ≥ 1');
  const royalty = (pool * bps) / BPS;
  let protocol = (pool * protocolBps) / BPS;
  if (protocol > pool - royalty) protocol = pool - royalty;
  const perNode = (pool - royalty - protocol) / BigInt(members);
  const nodes = perNode * BigInt(members);
  return { pool, royalty, perNode, nodes, protocol: pool - royalty - nodes };
}

/**
 * Arbitration.seatFeeCap: the most a node may declare to be drawn into a committee of `size` for a
 * model of `price` and `royaltyBps`: one case's nodes' part over `size` seats, less 2 wei (a batch
 * rounds its royalty and protocol share down once, not per case, so its nodes' part may be up to
 * 2 wei per case short of the cases' parts added up).
 */
export function seatFeeCap(price: bigint, royaltyBps: number | bigint, size: number, protocolBps: bigint = PROTOCOL_BPS): bigint {
  const one = splitFee(price, royaltyBps, 1, protocolBps);
  return one.nodes > 2n ? (one.nodes - 2n) / BigInt(size) : 0n;
}

/** JSON form (decimal wei strings) for quotes and trails. */
export const splitJson = (s: FeeSplit) => ({
  pool: s.pool.toString(),
  royalty: s.royalty.toString(),
  perNode: s.perNode.toString(),
  nodes: s.nodes.toString(),
  protocol: s.protocol.toString(),
});
