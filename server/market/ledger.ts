// The execution market as the chain recorded it (issue 12 #3, #4), read from the events the
// indexer folded (chain_events) and the contracts' live state: a model's cases and royalties, a
// node operator's stake, models, seats, earnings and slashes, a case's fee split, and a quote.
import { and, eq, inArray } from 'drizzle-orm';
import { AbiCoder, keccak256 } from 'ethers';
import type { Db } from '../db/connection.js';
import { cases, chainEvents, marketModels, pipelineCases, type ChainEventRow } from '../db/schema.js';
import type { ModelCard } from '../models/card.js';
import { Problem } from '../errors.js';
import type { ChainPort } from '../pipeline/chain-port.js';
import type { ModelCatalogue, PipelineModel } from '../pipeline/models.js';
import { seatFeeCap, splitFee, splitJson } from './split.js';

const args = (e: ChainEventRow) => JSON.parse(e.args) as Record<string, unknown>;
const low = (v: unknown) => String(v).toLowerCase();
const coder = AbiCoder.defaultAbiCoder();

/** ArbitrationState._batchPot: the escrow pot holding a batch's fees. */
export const batchPot = (batchId: number | bigint): string => keccak256(coder.encode(['string', 'uint64'], ['batch', batchId])).toLowerCase();

/** The escrow payments out of a batch's fee pot (royalty, node shares, the treasury's), in order. */
export function feePayments(db: Db, batchId: number): { payee: string; amount: bigint; tx: string }[] {
  const pot = batchPot(batchId);
  return db
    .select()
    .from(chainEvents)
    .where(and(eq(chainEvents.source, 'escrow'), eq(chainEvents.name, 'Paid')))
    .all()
    .filter((e) => low(args(e).pot) === pot)
    .map((e) => ({ payee: low(args(e).payee), amount: BigInt(String(args(e).amount)), tx: e.txHash }));
}

export interface FeeSplitView {
  batchId: number;
  cases: number;
  /** wei per case (ModelRegistry price) */
  caseFee: string;
  royaltyBps: number;
  /** members whose root stood */
  members: number;
  /** what Arbitration.finalize pays (server/market/split.ts) */
  expected: ReturnType<typeof splitJson>;
  /** what the chain paid, once final */
  paid: { role: 'royalty' | 'node' | 'protocol'; payee: string; amount: string; tx: string }[];
}

/** The split of the fee pool of `batchId`, from the indexed events alone (a case's trail shows its batch's). */
export function batchFeeSplit(db: Db, batchId: number, modelId: string, treasury: string | undefined): FeeSplitView | undefined {
  const registered = db
    .select()
    .from(chainEvents)
    .where(and(eq(chainEvents.source, 'registry'), eq(chainEvents.name, 'ModelRegistered')))
    .all()
    .find((e) => low(args(e).modelId) === modelId.toLowerCase());
  if (!registered) return undefined;
  const r = args(registered);
  const price = BigInt(String(r.price));
  const royaltyBps = Number(r.royaltyBps);
  const creator = low(r.creator);
  const events = db.select().from(chainEvents).where(eq(chainEvents.batchId, batchId)).all();
  const count = events.filter((e) => e.name === 'CaseOpened').length;
  const sealed = events.filter((e) => e.name === 'BatchSealed').at(-1);
  const committee = sealed ? (args(sealed).committee as string[]).map(low) : [];
  const revealed = new Set(events.filter((e) => e.name === 'Revealed').map((e) => low(args(e).node)));
  const members = Math.max(1, committee.filter((n) => revealed.has(n)).length);
  return {
    batchId,
    cases: count,
    caseFee: price.toString(),
    royaltyBps,
    members,
    expected: splitJson(splitFee(price * BigInt(count), royaltyBps, members)),
    paid: feePayments(db, batchId).map((p) => ({
      role: p.payee === creator ? 'royalty' : p.payee === treasury?.toLowerCase() ? 'protocol' : 'node',
      payee: p.payee,
      amount: p.amount.toString(),
      tx: p.tx,
    })),
  };
}

/** A model's use: cases opened and decided with it, batches, and the royalties paid to its creator. */
export async function modelUsage(db: Db, port: ChainPort, model: PipelineModel) {
  const modelId = model.modelId.toLowerCase();
  const rows = db
    .select({ status: cases.status, batchId: pipelineCases.batchId, verdict: pipelineCases.verdict })
    .from(pipelineCases)
    .innerJoin(cases, eq(cases.id, pipelineCases.caseId))
    .where(inArray(pipelineCases.modelId, [modelId, model.modelId]))
    .all();
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const batches = [...new Set(rows.map((r) => r.batchId).filter((b): b is number => b !== null))].sort((a, b) => a - b);
  const entry = await port.registryEntry(modelId);
  let royalties = 0n;
  for (const b of batches) for (const p of feePayments(db, b)) if (entry && p.payee === entry.creator) royalties += p.amount;
  return {
    object: 'model_usage' as const,
    model: model.ref,
    id: modelId,
    creator: entry?.creator ?? null,
    price: entry?.price.toString() ?? null,
    royaltyBps: entry?.royaltyBps ?? null,
    cases: rows.length,
    decided: rows.filter((r) => r.verdict !== null).length,
    byStatus,
    batches: batches.length,
    royaltiesPaid: royalties.toString(),
  };
}

/** A node operator: stake, the models it serves and its fee, seats held, earnings and slashes. */
export async function nodeView(db: Db, port: ChainPort, models: ModelCatalogue, address: string) {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw Problem.validation([{ pointer: '/address', message: 'a 0x-prefixed 20-byte hex address' }]);
  const a = address.toLowerCase();
  const n = await port.contracts.staking.nodes(a);
  const serving: { model: string; id: string }[] = [];
  for (const m of models.all) if ((await port.servers(m.modelId)).includes(a)) serving.push({ model: m.ref, id: m.modelId.toLowerCase() });
  const sealed = db.select().from(chainEvents).where(eq(chainEvents.name, 'BatchSealed')).all();
  const seats = sealed.filter((e) => (args(e).committee as string[]).map(low).includes(a)).map((e) => e.batchId!);
  const batches = [...new Set(seats)];
  const finals = new Set(
    db
      .select()
      .from(chainEvents)
      .where(eq(chainEvents.name, 'BatchFinalized'))
      .all()
      .map((e) => e.batchId),
  );
  let earned = 0n;
  for (const b of batches) for (const p of feePayments(db, b)) if (p.payee === a) earned += p.amount;
  const slashes = db
    .select()
    .from(chainEvents)
    .where(and(eq(chainEvents.source, 'staking'), eq(chainEvents.name, 'Slashed')))
    .all()
    .filter((e) => low(args(e).node) === a)
    .map((e) => ({ amount: String(args(e).amount), beneficiary: low(args(e).beneficiary), tx: e.txHash, block: e.blockNumber }));
  return {
    object: 'node' as const,
    address: a,
    stake: BigInt(n.stake).toString(),
    locked: BigInt(n.locked).toString(),
    unstaking: BigInt(n.unstaking).toString(),
    fee: BigInt(n.fee).toString(),
    models: serving,
    jobs: { seats: seats.length, batches: batches.length, final: batches.filter((b) => finals.has(b)).length },
    earnings: { fees: earned.toString(), withdrawable: BigInt(await port.contracts.escrow.credit(a)).toString(), stakingCredit: BigInt(await port.contracts.staking.credit(a)).toString() },
    slashes: { count: slashes.length, total: slashes.reduce((s, x) => s + BigInt(x.amount), 0n).toString(), list: slashes },
  };
}

/** What a filer pays before filing: the model's case fee and how it will be split, plus the deposit rule. */
export async function quote(port: ChainPort, model: PipelineModel, committeeSize: number) {
  const entry = await port.registryEntry(model.modelId);
  if (!entry) throw new Problem('unavailable', `${model.ref} is not registered on this chain yet`);
  if (entry.deprecated) throw new Problem('unavailable', `${model.ref} is deprecated`);
  const split = splitFee(entry.price, entry.royaltyBps, committeeSize);
  // Arbitration draws only nodes whose declared fee is within one seat's part (seatFeeCap).
  const cap = seatFeeCap(entry.price, entry.royaltyBps, committeeSize);
  const servers = await Promise.all(
    (await port.servers(model.modelId)).map(async (node) => {
      const n = await port.contracts.staking.nodes(node);
      const fee = BigInt(n.fee);
      return { node, fee: fee.toString(), eligible: fee <= cap };
    }),
  );
  const eligible = servers.filter((s) => s.eligible).length;
  return {
    object: 'quote' as const,
    jurisdiction: model.card.jurisdiction,
    model: model.ref,
    modelId: model.modelId.toLowerCase(),
    currency: 'wei',
    caseFee: entry.price.toString(),
    committeeSize,
    /** One case's fee as finalize splits it; a batch splits the pooled fees of its cases the same way. */
    split: splitJson(split),
    /** The most a node may declare and still be drawn (Arbitration.seatFeeCap): every member then earns at least its fee per case. */
    seatFeeCap: cap.toString(),
    /** The nodes serving the model, the fee each declared (NodeStaking.serve) and whether it is within seatFeeCap; a committee is drawn among the eligible ones. */
    servers,
    /** Whether enough serving nodes ask at most seatFeeCap to fill a committee (stake permitting); with none, the case waits for one. */
    fullCommittee: eligible >= committeeSize,
    deposit: 'plus the deposit of the largest award the card allows for the case (returned to the respondent unless awarded)',
    total: entry.price.toString(),
  };
}

/** The card of a model registered through the market, or undefined. */
export function registeredCard(db: Db, modelId: string): ModelCard | undefined {
  const row = db.select({ card: marketModels.card }).from(marketModels).where(eq(marketModels.modelId, modelId.toLowerCase())).get();
  return row ? (JSON.parse(row.card) as ModelCard) : undefined;
}
