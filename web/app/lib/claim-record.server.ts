// Form values → the CASES.md record the API takes. Times are converted from the airport's local
// time (zone from the airport, see server/reference-data/airport-search.ts); chargeback reasons
// from plain descriptions to the network's code. Validation is not done here: the record goes to
// the same validator as POST /v1/cases, whose pointers name the fields (claim-form.ts).
import type { WebContext } from '../context.js';
import { localToIso } from './zoned-time.js';
import { legCount, REASONS, type Kind, type ReasonKey, type Values } from './claim-form.js';

export interface BuiltRecord {
  record: Record<string, unknown>;
  /** The zone each time field was read in (shown beside the field). */
  zones: Record<string, string>;
  /** Pointers whose errors would only repeat another (a time whose airport is unknown). */
  muted: string[];
}

const str = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};
const upper = (v: string | undefined): string | undefined => str(v)?.toUpperCase();
/** `FRA — Frankfurt Airport` (the autocomplete's text) or `fra` → `FRA`. */
const code = (v: string | undefined, len: 2 | 3): string | undefined => {
  const s = upper(v);
  if (!s) return undefined;
  const m = (len === 3 ? /^([A-Z]{3})\b/ : /^([A-Z0-9]{2})\b/).exec(s);
  return m ? m[1] : s;
};
const number = (v: string | undefined): number | string | undefined => {
  const s = str(v);
  if (s === undefined) return undefined;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : s;
};
const yes = (v: string | undefined): boolean => v === 'yes' || v === 'on' || v === 'true';

function claimant(values: Values) {
  return {
    name: str(values['claimant.name']) ?? '',
    email: str(values['claimant.email']) ?? '',
    ...(str(values['claimant.wallet']) ? { wallet: str(values['claimant.wallet']) } : {}),
  };
}

export function buildRecord(kind: Kind, values: Values, ctx: Pick<WebContext, 'airports' | 'airlines'>): BuiltRecord {
  const narrative = str(values.narrative);
  const base = { claimant: claimant(values), ...(narrative ? { narrative } : {}) };
  if (kind === 'chargeback') return { record: chargebackRecord(values, base), zones: {}, muted: [] };

  const zones: Record<string, string> = {};
  const muted: string[] = [];
  const legs = Array.from({ length: legCount(values) }, (_, i) => ({
    from: code(values[`leg.${i}.from`], 3) ?? '',
    to: code(values[`leg.${i}.to`], 3) ?? '',
    flightNumber: upper(values[`leg.${i}.flightNumber`])?.replace(/\s+/g, ''),
  }));
  const first = ctx.airports.lookup(legs[0].from);
  const last = ctx.airports.lookup(legs[legs.length - 1].to);
  const time = (field: string, airport: typeof first): string | undefined => {
    const local = str(values[field]);
    if (!local) return undefined;
    if (!airport) {
      muted.push(`/${field.replaceAll('.', '/')}`);
      return `${local}:00Z`;
    }
    zones[field] = airport.zone;
    return localToIso(local, airport.zone) ?? local;
  };
  const disruption = str(values['flight.disruption']);
  const carrierCode = code(values['flight.operatingCarrier'], 2);
  const didNotTravel = yes(values['flight.didNotTravel']);
  const flight: Record<string, unknown> = {
    operatingCarrier: carrierCode ?? '',
    flightNumbers: legs.map((l) => l.flightNumber).filter((f): f is string => Boolean(f)),
    itinerary: legs.map(({ from, to }) => ({ from, to })),
    disruption: disruption ?? '',
    scheduledDeparture: time('flight.scheduledDeparture', first),
    scheduledArrival: time('flight.scheduledArrival', last),
    actualArrival: didNotTravel ? null : time('flight.actualArrival', last),
  };
  if (disruption === 'cancellation') flight.cancellationNoticeDays = number(values['flight.cancellationNoticeDays']);
  if (disruption === 'denied_boarding') flight.deniedBoardingVoluntary = values['flight.deniedBoardingVoluntary'] === 'yes';
  if (yes(values['flight.rerouteOffered'])) {
    flight.reroute = { departure: time('flight.reroute.departure', first), arrival: time('flight.reroute.arrival', last) };
  }
  const cause = str(values['flight.carrierStatedCause']);
  if (cause) flight.carrierStatedCause = cause;
  const jurisdiction = str(values.jurisdiction) ?? '';
  if (jurisdiction === 'US_DOT_REFUND' || str(values['flight.fare.amount'])) {
    flight.fare = { amount: number(values['flight.fare.amount']), currency: upper(values['flight.fare.currency']) ?? '' };
  }
  for (const k of Object.keys(flight)) if (flight[k] === undefined) delete flight[k];
  const airline = carrierCode ? ctx.airlines.lookup(carrierCode) : undefined;
  const respondentName = str(values['respondent.name']) ?? airline?.name;
  return {
    record: { kind: 'flight', jurisdiction, ...base, respondent: respondentName ? { name: respondentName } : {}, flight },
    zones,
    muted,
  };
}

function chargebackRecord(values: Values, base: Record<string, unknown>): Record<string, unknown> {
  const network = str(values.network) ?? '';
  const reason = str(values.reason) as ReasonKey | undefined;
  const reasonCode = reason && reason in REASONS && (network === 'VISA' || network === 'MASTERCARD') ? REASONS[reason][network] : '';
  const proof = str(values['chargeback.delivery.proof']) ?? '';
  const cb: Record<string, unknown> = {
    reasonCode,
    amount: { amount: number(values['chargeback.amount.amount']), currency: upper(values['chargeback.amount.currency']) ?? '' },
    transactionDate: str(values['chargeback.transactionDate']),
    disputeDate: str(values['chargeback.disputeDate']),
    expectedDeliveryDate: str(values['chargeback.expectedDeliveryDate']),
    // What a cardholder can say: whether they confirmed the payment (3-D Secure). AVS and CVV
    // results are the merchant's to know and decide nothing (LAW.md §4).
    threeDSecure: values['chargeback.threeDSecure'] === 'yes' ? 'authenticated' : 'none',
    avs: 'unavailable',
    cvv: 'not_provided',
    delivery: { proof, ...(str(values['chargeback.delivery.date']) ? { date: str(values['chargeback.delivery.date']) } : {}) },
    priorUndisputedTransactions: [],
    channel: reason === 'subscription_cancelled' ? 'recurring' : (str(values['chargeback.channel']) ?? ''),
    refundIssued: values['chargeback.refundIssued'] === 'yes',
  };
  if (str(values['chargeback.cancellation.date'])) {
    cb.cancellation = {
      date: str(values['chargeback.cancellation.date']),
      policyDisclosed: values['chargeback.cancellation.policyDisclosed'] === 'yes',
      policyApplied: values['chargeback.cancellation.policyApplied'] === 'yes',
    };
  }
  if (reason === 'duplicate') {
    cb.duplicate = {
      otherTransactionDate: str(values['chargeback.duplicate.otherTransactionDate']),
      sameAmount: values['chargeback.duplicate.sameAmount'] === 'yes',
      sameOrderId: values['chargeback.duplicate.sameOrderId'] === 'yes',
    };
  }
  if (values['chargeback.return.attempted'] === 'yes' || values['chargeback.return.receivedByMerchant'] === 'yes') {
    cb.return = { attempted: values['chargeback.return.attempted'] === 'yes', receivedByMerchant: values['chargeback.return.receivedByMerchant'] === 'yes' };
  }
  const said = str(values['chargeback.merchantResponse']);
  if (said) cb.merchantResponse = said;
  for (const k of Object.keys(cb)) if (cb[k] === undefined) delete cb[k];
  const merchant = str(values['respondent.name']);
  return { kind: 'chargeback', jurisdiction: network, ...base, respondent: merchant ? { name: merchant } : {}, chargeback: cb };
}
