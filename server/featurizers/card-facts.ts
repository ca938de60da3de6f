// The integer facts both card featurizers (Visa, Mastercard) read from a chargeback record. The
// featurizer only counts and compares dates; every threshold and every table row of LAW.md §4/§5
// is in the model graph (arbitration-models/{visa,mastercard}), where the trace commits to it.
// Absent optional parts give 0 for their flags and day counts (a `*_given` flag says which).
import type { CaseRecordT, ChargebackT } from '../cases/schemas.js';
import { FeaturizeError, type FeatureSpec } from '../inference/featurizer.js';
import { badDate, dayNumber, dayNumberOrNaN } from './card-calendar.js';

/** Day counts are clamped here: far beyond every limit (≤ 540 + 120 days), and small enough that
 * the gated thresholds of the card models (x + M·flags, M ≈ this range) stay inside int16, which
 * keeps the encoded states narrow (PROTOCOL.md §2: the width follows the values) and cheap to hash. */
export const DAY_RANGE = 10_000;
/** Prior-transaction counts are clamped here (CE 3.0 needs 2). */
export const COUNT_RANGE = 1_000;

const days = (name: string): FeatureSpec => ({ name, min: BigInt(-DAY_RANGE), max: BigInt(DAY_RANGE) });
const flag = (name: string): FeatureSpec => ({ name, min: 0n, max: 1n });
const count = (name: string): FeatureSpec => ({ name, min: 0n, max: BigInt(COUNT_RANGE) });

/** Reason-code one-hot columns, `rc_<code with _>`, in the given order. */
export const reasonCodeFeatures = (codes: readonly string[]): FeatureSpec[] =>
  codes.map((c) => flag(`rc_${c.replaceAll('.', '_')}`));

/** Common facts, in column order (after the reason-code one-hot). */
export const CARD_FACT_FEATURES: readonly FeatureSpec[] = [
  days('days_since_transaction'), // disputeDate − transactionDate
  flag('expected_delivery_given'),
  days('days_since_expected_delivery'), // disputeDate − expectedDeliveryDate
  flag('delivery_date_given'),
  days('days_since_delivery'), // disputeDate − delivery.date
  flag('cancellation_given'),
  days('days_since_cancellation'), // disputeDate − cancellation.date
  days('cancellation_before_transaction'), // transactionDate − cancellation.date (> 0: before)
  flag('policy_disclosed'),
  flag('policy_applied'),
  flag('channel_card_present'),
  flag('channel_recurring'),
  flag('three_ds_none'),
  flag('refund_issued'),
  flag('duplicate_same_amount'),
  flag('duplicate_same_order'),
  flag('return_attempted'),
  flag('return_received'),
  flag('delivery_proof_none'),
  // Always 1: the rule layers take their bias from it instead of an extra ADD step (rule-layers.ts).
  { name: 'constant_one', min: 1n, max: 1n },
];

/**
 * CE 3.0 core-element pairs (LAW.md §4): a set of ≥ 2 core elements with ip or deviceId is matched
 * by a transaction exactly when one of these pairs is, so "≥ 2 transactions matching one set" is
 * "some pair's count ≥ 2". The featurizer counts per pair the prior undisputed transactions
 * 120–365 days (inclusive) before transactionDate; the model applies "≥ 2".
 */
const CE3_PAIRS = [
  ['ipMatch', 'deviceIdMatch'],
  ['ipMatch', 'shippingAddressMatch'],
  ['ipMatch', 'accountMatch'],
  ['deviceIdMatch', 'shippingAddressMatch'],
  ['deviceIdMatch', 'accountMatch'],
] as const;
export const CE3_WINDOW = { from: 120, to: 365 } as const;
export const CE3_FEATURES: readonly FeatureSpec[] = CE3_PAIRS.map(([a, b]) =>
  count(`ce3_${a.replace('Match', '')}_${b.replace('Match', '')}`),
);

const dayCount = (n: number): bigint => BigInt(n < -DAY_RANGE ? -DAY_RANGE : n > DAY_RANGE ? DAY_RANGE : n);
const bit = (x: boolean | undefined | null): bigint => (x ? 1n : 0n);

export function chargebackOf(record: CaseRecordT): ChargebackT {
  if (record.kind !== 'chargeback') throw new FeaturizeError('/kind', 'a card model decides chargeback cases only');
  return record.chargeback;
}

/** Writes the reason-code one-hot at `out[0..codes.length)`; an unknown code names its field. */
export function writeReasonCode(cb: ChargebackT, codes: readonly string[], out: BigInt64Array): void {
  const i = codes.indexOf(cb.reasonCode);
  if (i < 0) {
    throw new FeaturizeError('/chargeback/reasonCode', `reason code ${cb.reasonCode} is not one of ${codes.join(', ')}`);
  }
  out[i] = 1n;
}

/** Writes CARD_FACT_FEATURES at `out[at..]`. */
export function writeCardFacts(cb: ChargebackT, out: BigInt64Array, at: number): void {
  const txn = dayNumber(cb.transactionDate, '/chargeback/transactionDate');
  const dispute = dayNumber(cb.disputeDate, '/chargeback/disputeDate');
  const edd = cb.expectedDeliveryDate ? dayNumber(cb.expectedDeliveryDate, '/chargeback/expectedDeliveryDate') : null;
  const deliveryDate = cb.delivery?.date ? dayNumber(cb.delivery.date, '/chargeback/delivery/date') : null;
  const cancel = cb.cancellation ? dayNumber(cb.cancellation.date, '/chargeback/cancellation/date') : null;
  const ret = cb.return;
  let i = at;
  // In the order of CARD_FACT_FEATURES.
  out[i++] = dayCount(dispute - txn);
  out[i++] = bit(edd !== null);
  out[i++] = edd === null ? 0n : dayCount(dispute - edd);
  out[i++] = bit(deliveryDate !== null);
  out[i++] = deliveryDate === null ? 0n : dayCount(dispute - deliveryDate);
  out[i++] = bit(cancel !== null);
  out[i++] = cancel === null ? 0n : dayCount(dispute - cancel);
  out[i++] = cancel === null ? 0n : dayCount(txn - cancel);
  out[i++] = bit(cb.cancellation?.policyDisclosed);
  out[i++] = bit(cb.cancellation?.policyApplied);
  out[i++] = bit(cb.channel === 'card_present');
  out[i++] = bit(cb.channel === 'recurring');
  out[i++] = bit(cb.threeDSecure === 'none');
  out[i++] = bit(cb.refundIssued);
  out[i++] = bit(cb.duplicate?.sameAmount);
  out[i++] = bit(cb.duplicate?.sameOrderId);
  out[i++] = bit(ret?.attempted);
  out[i++] = bit(ret?.receivedByMerchant);
  out[i++] = bit((cb.delivery?.proof ?? 'none') === 'none');
  out[i++] = 1n;
  if (i - at !== CARD_FACT_FEATURES.length) throw new Error('card facts out of step with CARD_FACT_FEATURES');
}

/** Writes CE3_FEATURES at `out[at..]`. */
export function writeCe3Counts(cb: ChargebackT, out: BigInt64Array, at: number): void {
  const txn = dayNumber(cb.transactionDate, '/chargeback/transactionDate');
  const counts = new Int32Array(CE3_PAIRS.length);
  const prior = cb.priorUndisputedTransactions ?? [];
  for (let i = 0; i < prior.length; i++) {
    const p = prior[i];
    const day = dayNumberOrNaN(p.date);
    if (Number.isNaN(day)) throw badDate(p.date, `/chargeback/priorUndisputedTransactions/${i}/date`);
    const before = txn - day;
    if (before < CE3_WINDOW.from || before > CE3_WINDOW.to) continue;
    for (let j = 0; j < CE3_PAIRS.length; j++) if (p[CE3_PAIRS[j][0]] && p[CE3_PAIRS[j][1]]) counts[j]++;
  }
  for (let j = 0; j < CE3_PAIRS.length; j++) out[at + j] = BigInt(Math.min(counts[j], COUNT_RANGE));
}
