// A case's award table (PROTOCOL.md §4, contracts/README.md "Deviations and limits"): a pure
// function of the card and the record, so anyone recomputes it; the service opens the case with
// it and the indexer checks every opened case's committed table against its own computation.
import { buildAwardTable, decimalToWei, type AwardTable, type RecordPointer } from '../chain/awards.js';
import type { CaseRecordT } from '../cases/schemas.js';
import type { ModelCard } from '../models/card.js';

/**
 * Wei per major unit of any currency on the embedded chain (10^12: 250 EUR escrow 0.00025 ETH).
 * A production deployment sets its own rates; the table is recomputable from the record.
 */
export const DEV_WEI_PER_UNIT = 10n ** 12n;

/** The record's amounts the cards' `record` award rules point at, in wei. */
export function recordAmounts(record: CaseRecordT, rate = DEV_WEI_PER_UNIT): Partial<Record<RecordPointer, bigint>> {
  const out: Partial<Record<RecordPointer, bigint>> = {};
  if (record.kind === 'flight' && record.flight.fare) out['/flight/fare'] = decimalToWei(String(record.flight.fare.amount), rate);
  if (record.kind === 'chargeback') out['/chargeback/amount'] = decimalToWei(String(record.chargeback.amount.amount), rate);
  return out;
}

/** The award table of a case from its model card and record, at `rate` wei per unit. */
export function caseAwardTable(card: Pick<ModelCard, 'classes'>, record: CaseRecordT, rate = DEV_WEI_PER_UNIT): AwardTable {
  return buildAwardTable(card, { weiPerUnit: new Proxy({}, { get: () => rate }) as Record<string, bigint>, record: recordAmounts(record, rate) });
}
