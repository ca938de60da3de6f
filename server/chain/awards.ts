// A case's award table (PROTOCOL.md §4): the award in wei of every output class of its model,
// fixed when the case is opened from the model card's award rules and the case record, so the
// escrow pays award[class] to the claimant and the rest of the deposit back to the respondent.
// On chain (Arbitration.openCase / settle) the table is packed: class i's award is a 12-byte
// big-endian uint96 at offset 12·i; classes past the end award 0, so trailing zeros are dropped
// and a table of zeros is empty (`0x`). The contract stores awardsCommitment(table): keccak256 of
// the bytes, or bytes32(0) for the empty table (an ERC-792 dispute's, or a case nobody can win).
import { ZeroHash, keccak256 } from 'ethers';
import type { AwardRule, ModelCard } from '../models/card.js';

/** Bytes per class in a packed table (Arbitration.AWARD_BYTES). */
export const AWARD_BYTES = 12;
const UINT96_MAX = (1n << 96n) - 1n;

export type RecordPointer = Extract<AwardRule, { rule: 'record' }>['pointer'];

/** What the award rules need besides the card, all in wei. */
export interface AwardInputs {
  /** Wei per major unit of each currency of the card's fixed awards (e.g. { EUR: 4n * 10n ** 14n }). */
  weiPerUnit?: Readonly<Record<string, bigint>>;
  /** The record's amounts the card's `record` rules point at, already in wei. */
  record?: Readonly<Partial<Record<RecordPointer, bigint>>>;
}

export interface AwardTable {
  /** Award in wei per class index (0 for respondent classes). */
  awards: bigint[];
  /** The packed table passed to openCase / settle (`0x` when every award is 0). */
  table: string;
  /** What the contract stores: awardsCommitment(table). */
  commitment: string;
  /** The largest award: the least deposit openCase accepts. */
  max: bigint;
}

/** `amount` (a decimal string in major units, e.g. "250" or "12.50") times `weiPerUnit`, rounded down. */
export function decimalToWei(amount: string, weiPerUnit: bigint): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) throw new Error(`award amount "${amount}" is not a non-negative decimal`);
  const frac = m[2] ?? '';
  const scaled = BigInt(m[1] + frac);
  return (scaled * weiPerUnit) / 10n ** BigInt(frac.length);
}

/** The award in wei of one class under its rule. */
function classAward(rule: AwardRule, inputs: AwardInputs, classIndex: number): bigint {
  if (rule.rule === 'fixed') {
    const rate = inputs.weiPerUnit?.[rule.currency];
    if (rate === undefined) throw new Error(`class ${classIndex}: no wei rate for ${rule.currency}`);
    if (rate < 0n) throw new Error(`class ${classIndex}: negative wei rate for ${rule.currency}`);
    return decimalToWei(rule.amount, rate);
  }
  const v = inputs.record?.[rule.pointer];
  if (v === undefined) throw new Error(`class ${classIndex}: the record has no ${rule.pointer} amount`);
  if (v < 0n) throw new Error(`class ${classIndex}: negative ${rule.pointer} amount`);
  return v;
}

/** Packs per-class awards (trailing zeros dropped). */
export function encodeAwardTable(awards: readonly bigint[]): string {
  let n = awards.length;
  while (n > 0 && awards[n - 1] === 0n) n--;
  let hex = '0x';
  for (let i = 0; i < n; i++) {
    const a = awards[i];
    if (a < 0n || a > UINT96_MAX) throw new Error(`award of class ${i} (${a}) does not fit a uint96`);
    hex += a.toString(16).padStart(AWARD_BYTES * 2, '0');
  }
  return hex;
}

/** Unpacks a table into per-class awards (as many as it holds). */
export function decodeAwardTable(table: string): bigint[] {
  const hex = table.startsWith('0x') ? table.slice(2) : table;
  if (hex.length % (AWARD_BYTES * 2) !== 0) throw new Error(`award table of ${hex.length / 2} bytes is not a multiple of ${AWARD_BYTES}`);
  const out: bigint[] = [];
  for (let i = 0; i < hex.length; i += AWARD_BYTES * 2) out.push(BigInt(`0x${hex.slice(i, i + AWARD_BYTES * 2)}`));
  return out;
}

/** Arbitration.awardsCommitment: keccak256 of the table, bytes32(0) for the empty table. */
export const awardsCommitment = (table: string): string => (table === '0x' ? ZeroHash : keccak256(table));

/** Arbitration.awardOf: class `output`'s award (0 past the table's end). */
export function awardOf(table: string, output: bigint | number): bigint {
  const awards = decodeAwardTable(table);
  const i = Number(output);
  return i < awards.length ? awards[i] : 0n;
}

/**
 * The award table of a case: for each class of `card`, 0 when the respondent prevails (or the
 * class has no award rule), else the rule's amount in wei: a fixed amount times the currency's
 * rate, or the record's amount. Pure and deterministic; throws when an input the rules need is
 * missing.
 */
export function buildAwardTable(card: Pick<ModelCard, 'classes'>, inputs: AwardInputs = {}): AwardTable {
  const size = card.classes.reduce((m, c) => Math.max(m, c.index + 1), 0);
  const awards: bigint[] = new Array<bigint>(size).fill(0n);
  const seen = new Set<number>();
  for (const c of card.classes) {
    if (!Number.isInteger(c.index) || c.index < 0 || seen.has(c.index)) throw new Error(`card class index ${c.index} is invalid or repeated`);
    seen.add(c.index);
    if (c.outcome !== 'claimant' || c.award === null) continue;
    awards[c.index] = classAward(c.award, inputs, c.index);
  }
  const table = encodeAwardTable(awards);
  return { awards, table, commitment: awardsCommitment(table), max: awards.reduce((m, a) => (a > m ? a : m), 0n) };
}

/**
 * ModelRegistry.MAX_CLASSES: a model's output is an ARGMAX over one row of at most 0xffff
 * columns (uint16 tensor dimensions), so its classes are 0 … 65534.
 */
export const MAX_CLASSES = 0xffff;

/**
 * The claimant-class bitmap ModelRegistry.register takes: bit c % 256 of word c / 256 set ⇔
 * class c of `card` means the claimant prevails; trailing zero words dropped. Throws for a class
 * index the registry cannot hold (≥ MAX_CLASSES) rather than dropping it.
 */
export function claimantClassWords(card: Pick<ModelCard, 'classes'>): bigint[] {
  const words: bigint[] = [];
  for (const c of card.classes) {
    if (!Number.isInteger(c.index) || c.index < 0 || c.index >= MAX_CLASSES) throw new Error(`card class index ${c.index} is outside 0..${MAX_CLASSES - 1}`);
    if (c.outcome !== 'claimant') continue;
    const w = c.index >> 8;
    while (words.length <= w) words.push(0n);
    words[w] |= 1n << BigInt(c.index & 255);
  }
  while (words.length > 0 && words[words.length - 1] === 0n) words.pop();
  return words;
}

/** Whether class `output` is marked in a claimant-class bitmap (ModelRegistry.isClaimantClass). */
export function isClaimantClass(words: readonly bigint[], output: bigint | number): boolean {
  const o = BigInt(output);
  const w = Number(o >> 8n);
  return w < words.length && ((words[w] >> (o & 255n)) & 1n) === 1n;
}
