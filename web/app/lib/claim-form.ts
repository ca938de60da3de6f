// The claim form's fields, shared by the page and its action. Field names follow the record's
// JSON pointers where a field is one record value (`claimant.name` ↔ /claimant/name), so the
// API's problem+json pointers find their field; the few composite fields are mapped below.

export type Kind = 'flight' | 'chargeback';
export type Values = Record<string, string>;
export type FieldErrors = Record<string, string>;

export const FLIGHT_RULES = ['EU261', 'UK261', 'US_DOT_REFUND'] as const;
export const NETWORKS = ['VISA', 'MASTERCARD'] as const;
export const DISRUPTIONS = ['delay', 'cancellation', 'denied_boarding'] as const;
export const MAX_LEGS = 8;

/** Chargeback reasons as a cardholder says them, and the network code each means (LAW.md §4, §5). */
export const REASONS = {
  fraud: { VISA: '10.4', MASTERCARD: '4837' },
  duplicate: { VISA: '12.6.1', MASTERCARD: '4834' },
  not_received: { VISA: '13.1', MASTERCARD: '4853' },
  subscription_cancelled: { VISA: '13.2', MASTERCARD: '4853' },
  not_as_described: { VISA: '13.3', MASTERCARD: '4853' },
  refund_missing: { VISA: '13.6', MASTERCARD: '4853' },
  order_cancelled: { VISA: '13.7', MASTERCARD: '4853' },
} as const;
export type ReasonKey = keyof typeof REASONS;
export const REASON_KEYS = Object.keys(REASONS) as ReasonKey[];

export const DELIVERY = ['none', 'signed', 'tracked', 'digital_access'] as const;
export const CHANNELS = ['ecommerce', 'card_present', 'recurring'] as const;

/** Number of itinerary rows in the submitted values (at least one). */
export function legCount(values: Values): number {
  let n = 1;
  for (const key of Object.keys(values)) {
    const m = /^leg\.(\d+)\./.exec(key);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return Math.min(n, MAX_LEGS);
}

/** Pointers whose field is not named after them. */
function renamed(pointer: string, kind: Kind): string | undefined {
  let m = /^\/flight\/itinerary\/(\d+)\/(from|to)$/.exec(pointer);
  if (m) return `leg.${m[1]}.${m[2]}`;
  m = /^\/flight\/itinerary\/(\d+)$/.exec(pointer);
  if (m) return `leg.${m[1]}.from`;
  m = /^\/flight\/flightNumbers\/(\d+)$/.exec(pointer);
  if (m) return `leg.${m[1]}.flightNumber`;
  if (pointer === '/flight/flightNumbers' || pointer === '/flight/itinerary') return 'leg.0.flightNumber';
  if (pointer === '/jurisdiction') return kind === 'flight' ? 'jurisdiction' : 'network';
  if (pointer === '/chargeback/reasonCode') return 'reason';
  if (pointer === '/flight/fare' || pointer === '/flight/fare/amount') return 'flight.fare.amount';
  if (pointer === '/chargeback/amount' || pointer === '/chargeback/amount/amount') return 'chargeback.amount.amount';
  if (pointer === '/chargeback/delivery') return 'chargeback.delivery.proof';
  if (pointer === '/respondent') return 'respondent.name';
  return undefined;
}

/** The form field an error pointer belongs to: itself, a renamed field, or its nearest parent field. */
export function fieldForPointer(pointer: string, kind: Kind, fields: ReadonlySet<string>): string | undefined {
  for (let p = pointer; p.length > 0; p = p.slice(0, p.lastIndexOf('/'))) {
    const name = renamed(p, kind) ?? p.slice(1).replaceAll('/', '.');
    if (fields.has(name)) return name;
  }
  return undefined;
}

/** Every field the form shows for a kind, for matching error pointers. */
export function fieldNames(kind: Kind, legs: number): Set<string> {
  const common = ['claimant.name', 'claimant.email', 'claimant.wallet', 'respondent.name', 'narrative'];
  if (kind === 'chargeback') {
    return new Set([
      ...common,
      'network',
      'reason',
      'chargeback.amount.amount',
      'chargeback.amount.currency',
      'chargeback.transactionDate',
      'chargeback.disputeDate',
      'chargeback.expectedDeliveryDate',
      'chargeback.channel',
      'chargeback.threeDSecure',
      'chargeback.delivery.proof',
      'chargeback.delivery.date',
      'chargeback.refundIssued',
      'chargeback.cancellation.date',
      'chargeback.cancellation.policyDisclosed',
      'chargeback.cancellation.policyApplied',
      'chargeback.duplicate.otherTransactionDate',
      'chargeback.return.attempted',
      'chargeback.merchantResponse',
    ]);
  }
  const legFields = Array.from({ length: legs }, (_, i) => [`leg.${i}.from`, `leg.${i}.to`, `leg.${i}.flightNumber`]).flat();
  return new Set([
    ...common,
    'jurisdiction',
    'flight.operatingCarrier',
    ...legFields,
    'flight.disruption',
    'flight.scheduledDeparture',
    'flight.scheduledArrival',
    'flight.actualArrival',
    'flight.cancellationNoticeDays',
    'flight.deniedBoardingVoluntary',
    'flight.reroute.departure',
    'flight.reroute.arrival',
    'flight.carrierStatedCause',
    'flight.fare.amount',
    'flight.fare.currency',
  ]);
}

/**
 * What kind of value a field holds, for error wording in languages other than the API's: the
 * API's message is English and precise; a catalog may word each kind of mistake itself
 * (`fieldErrors.<kind>`), falling back to the API's message.
 */
export function errorKind(field: string): string {
  if (/^leg\.\d+\.(from|to)$/.test(field)) return 'airport';
  if (/flightNumber$/.test(field)) return 'flightNumber';
  if (field === 'flight.operatingCarrier') return 'airline';
  if (/^flight\.(scheduled|actual|reroute)/.test(field)) return 'time';
  if (/(Date|\.date)$/.test(field)) return 'date';
  if (/amount$/.test(field)) return 'amount';
  if (/currency$/.test(field)) return 'currency';
  if (field === 'claimant.email') return 'email';
  if (field === 'claimant.wallet') return 'wallet';
  if (field === 'flight.cancellationNoticeDays') return 'days';
  if (['jurisdiction', 'network', 'reason', 'flight.disruption', 'chargeback.delivery.proof', 'chargeback.channel'].includes(field)) return 'choice';
  return 'generic';
}
