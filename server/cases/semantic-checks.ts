// What the schema alone cannot say about a case record: codes resolved from the data packages,
// times and dates that exist and come in order, legs that connect, fields that apply to one
// disruption or jurisdiction only. CASES.md: "an unknown code is a clear error, not a guess".
//
// Runs on records that may also have structural errors (so a form shows every problem at once):
// each check reads its fields defensively and stays silent on a value of the wrong shape, which
// the structural check reports instead. Every error names a field present in the record, or a
// missing field of an object that is present.
import { findAirline } from '../reference-data/airlines.js';
import { findAirport } from '../reference-data/airports.js';
import { minorUnits } from '../reference-data/currencies.js';
import { pointer } from './pointer.js';
import { MASTERCARD_REASON_CODES, VISA_REASON_CODES } from './schemas.js';
import { parseCalendarDate, parseInstant } from './time.js';

export interface FieldError {
  /** RFC 6901 pointer into the record. */
  pointer: string;
  /** Plain English for a claimant-facing form. */
  message: string;
}

type Json = Record<string, unknown>;
type Path = (string | number)[];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Json, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const field = (o: Json, key: string): unknown => (has(o, key) ? o[key] : undefined);
// In-process callers (the portal's form) may hold `undefined` for a field left empty; JSON
// cannot, and TypeBox treats it as absent, so these checks do too.
const present = (o: Json, key: string): boolean => field(o, key) !== undefined;
const objectAt = (o: Json, key: string): Json | undefined => {
  const v = field(o, key);
  return isObject(v) ? v : undefined;
};
const arrayAt = (o: Json, key: string): unknown[] => {
  const v = field(o, key);
  return Array.isArray(v) ? v : [];
};
const stringAt = (o: Json, key: string, shape?: RegExp): string | undefined => {
  const v = field(o, key);
  return typeof v === 'string' && (shape === undefined || shape.test(v)) ? v : undefined;
};

// The schema's shapes (schemas.ts), repeated so a check only judges a value the schema accepts.
const AIRPORT = /^[A-Z]{3}$/;
const AIRLINE = /^(?:[A-Z][A-Z0-9]|[0-9][A-Z])$/;
const FLIGHT_NUMBER = /^((?:[A-Z][A-Z0-9]|[0-9][A-Z]))[0-9]{1,4}[A-Z]?$/;
const CURRENCY = /^[A-Z]{3}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const ZERO_ADDRESS = /^0x0{40}$/;

class Collector {
  readonly errors: FieldError[] = [];
  add(path: Path, message: string): void {
    this.errors.push({ pointer: pointer(...path), message });
  }
}

// Dates a dispute can be about. Outside this range a date is a typo (0000, 9999), and no law
// or model here has anything to say about it.
const FIRST_YEAR = 1970;
const LAST_YEAR = 2099;
const yearOf = (v: string): number => Number(v.slice(0, 4));
const yearProblem = (v: string): string | undefined =>
  yearOf(v) < FIRST_YEAR || yearOf(v) > LAST_YEAR ? `${v} is not a plausible date: the year must be ${FIRST_YEAR} to ${LAST_YEAR}.` : undefined;

/**
 * Real UTC offsets run from −12:00 to +14:00, in whole quarter hours (+05:45 Nepal, +12:45
 * Chatham); parseInstant admits ISO 8601's ±18:00, which no airport uses.
 */
function offsetProblem(v: string): string | undefined {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(v);
  if (!m) return undefined;
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  if (minutes < -12 * 60 || minutes > 14 * 60 || Number(m[3]) % 15 !== 0) {
    return `${m[0]} is not a UTC offset in use anywhere: offsets run from -12:00 to +14:00 in quarter hours.`;
  }
  return undefined;
}

/** Reads a time the schema accepts; reports one that does not exist. */
function instantAt(c: Collector, o: Json, key: string, path: Path): number | undefined {
  const v = stringAt(o, key, TIMESTAMP_SHAPE);
  if (v === undefined) return undefined;
  const t = parseInstant(v);
  const problem = t === undefined ? `${v} is not a real date and time.` : (yearProblem(v) ?? offsetProblem(v));
  if (problem) {
    c.add([...path, key], problem);
    return undefined;
  }
  return t;
}

/** Reads a date the schema accepts; reports one that does not exist. */
function dateAt(c: Collector, o: Json, key: string, path: Path): number | undefined {
  const v = stringAt(o, key, DATE_SHAPE);
  if (v === undefined) return undefined;
  const d = parseCalendarDate(v);
  const problem = d === undefined ? `${v} is not a real date.` : yearProblem(v);
  if (problem) {
    c.add([...path, key], problem);
    return undefined;
  }
  return d;
}

/** The largest ERC-792 dispute id: a uint256. */
const MAX_UINT256 = 2n ** 256n - 1n;
/** No booked journey of up to 8 legs is scheduled to take longer than this. */
const MAX_SCHEDULED_JOURNEY_MS = 7 * 24 * 3_600_000;

/** Digits after the decimal point of a number as JSON would write it (1e-7 → 7). */
export function decimalPlaces(n: number): number {
  const [mantissa, exponent = '0'] = String(n).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

function checkMoney(c: Collector, money: Json, path: Path): void {
  const currency = stringAt(money, 'currency', CURRENCY);
  if (currency === undefined) return;
  const digits = minorUnits(currency);
  if (digits === undefined) {
    c.add([...path, 'currency'], `${currency} is not an ISO 4217 currency code.`);
    return;
  }
  const amount = field(money, 'amount');
  if (typeof amount === 'number' && Number.isFinite(amount) && amount > 0 && decimalPlaces(amount) > digits) {
    c.add(
      [...path, 'amount'],
      digits === 0 ? `${currency} amounts have no decimals.` : `${currency} amounts have at most ${digits} decimals.`,
    );
  }
}

function checkAddress(c: Collector, o: Json, key: string, path: Path, what: string): void {
  const v = stringAt(o, key, ADDRESS);
  if (v !== undefined && ZERO_ADDRESS.test(v)) c.add([...path, key], `The zero address cannot be ${what}.`);
}

function checkParties(c: Collector, record: Json): void {
  const claimant = objectAt(record, 'claimant');
  if (claimant) checkAddress(c, claimant, 'wallet', ['claimant'], 'a payout wallet');

  const respondent = objectAt(record, 'respondent');
  if (respondent && !present(respondent, 'name') && !present(respondent, 'merchantId')) {
    c.add(['respondent', 'name'], 'Give the name of the airline or merchant (or its merchantId when filing through the API).');
  }

  const dispute = objectAt(record, 'onchainDispute');
  if (dispute) {
    checkAddress(c, dispute, 'arbitrable', ['onchainDispute'], 'an arbitrable contract');
    const disputeId = stringAt(dispute, 'disputeId', /^(0|[1-9][0-9]{0,77})$/);
    if (disputeId !== undefined && BigInt(disputeId) > MAX_UINT256) {
      c.add(['onchainDispute', 'disputeId'], 'Must be at most 2^256 - 1: ERC-792 dispute ids are uint256.');
    }
    const rulings = objectAt(dispute, 'rulings');
    const forClaimant = rulings && field(rulings, 'claimant');
    const forRespondent = rulings && field(rulings, 'respondent');
    if (typeof forClaimant === 'number' && forClaimant === forRespondent) {
      c.add(['onchainDispute', 'rulings', 'respondent'], 'Must differ from the ruling for the claimant.');
    }
  }
}

function checkFlight(c: Collector, flight: Json, jurisdiction: unknown): void {
  const at: Path = ['flight'];

  const carrier = stringAt(flight, 'operatingCarrier', AIRLINE);
  if (carrier !== undefined && findAirline(carrier) === undefined) {
    c.add([...at, 'operatingCarrier'], `No airline has the IATA code ${carrier}; check the code printed on the ticket.`);
  }

  arrayAt(flight, 'flightNumbers').forEach((n, i) => {
    const m = typeof n === 'string' ? FLIGHT_NUMBER.exec(n) : null;
    if (m && findAirline(m[1]) === undefined) {
      c.add([...at, 'flightNumbers', i], `${n} does not start with a known airline code.`);
    }
  });

  const legs = arrayAt(flight, 'itinerary');
  legs.forEach((leg, i) => {
    if (!isObject(leg)) return;
    const from = stringAt(leg, 'from', AIRPORT);
    const to = stringAt(leg, 'to', AIRPORT);
    for (const [key, code] of [['from', from], ['to', to]] as const) {
      if (code !== undefined && findAirport(code) === undefined) {
        c.add([...at, 'itinerary', i, key], `No airport has the IATA code ${code}; check the code printed on the ticket.`);
      }
    }
    if (from !== undefined && from === to) {
      c.add([...at, 'itinerary', i, 'to'], 'A leg must arrive at a different airport from the one it departs.');
    }
    const previous = i > 0 && isObject(legs[i - 1]) ? stringAt(legs[i - 1] as Json, 'to', AIRPORT) : undefined;
    if (previous !== undefined && from !== undefined && from !== previous) {
      c.add([...at, 'itinerary', i, 'from'], `Must be ${previous}, where the previous leg arrives: list the legs of one journey in order.`);
    }
  });

  const departure = instantAt(c, flight, 'scheduledDeparture', at);
  const arrival = instantAt(c, flight, 'scheduledArrival', at);
  const actual = instantAt(c, flight, 'actualArrival', at);
  if (departure !== undefined && arrival !== undefined && arrival < departure) {
    c.add([...at, 'scheduledArrival'], 'Must not be before the scheduled departure (check the dates and UTC offsets).');
  } else if (departure !== undefined && arrival !== undefined && arrival - departure > MAX_SCHEDULED_JOURNEY_MS) {
    c.add([...at, 'scheduledArrival'], 'Is more than 7 days after the scheduled departure: check the dates.');
  }
  if (departure !== undefined && actual !== undefined && actual < departure) {
    c.add([...at, 'actualArrival'], 'Must not be before the scheduled departure (check the dates and UTC offsets).');
  }

  const reroute = objectAt(flight, 'reroute');
  if (reroute) {
    const rerouteDeparture = instantAt(c, reroute, 'departure', [...at, 'reroute']);
    const rerouteArrival = instantAt(c, reroute, 'arrival', [...at, 'reroute']);
    if (rerouteDeparture !== undefined && rerouteArrival !== undefined && rerouteArrival < rerouteDeparture) {
      c.add([...at, 'reroute', 'arrival'], 'Must not be before the departure of the alternative flight.');
    }
  }

  // Fields that describe one kind of disruption only (CASES.md).
  const disruption = field(flight, 'disruption');
  const knownDisruption = disruption === 'delay' || disruption === 'cancellation' || disruption === 'denied_boarding';
  if (knownDisruption && disruption !== 'cancellation' && present(flight, 'cancellationNoticeDays')) {
    c.add([...at, 'cancellationNoticeDays'], 'Only applies to a cancelled flight; remove it.');
  }
  if (knownDisruption && disruption !== 'denied_boarding' && present(flight, 'deniedBoardingVoluntary')) {
    c.add([...at, 'deniedBoardingVoluntary'], 'Only applies when boarding was denied; remove it.');
  }

  const fare = objectAt(flight, 'fare');
  if (fare) checkMoney(c, fare, [...at, 'fare']);
  else if (jurisdiction === 'US_DOT_REFUND' && !present(flight, 'fare')) {
    c.add([...at, 'fare'], 'A US DOT refund claim needs the fare paid: its amount and currency.');
  }
}

const NETWORK_CODES: Record<string, { name: string; codes: readonly string[] }> = {
  VISA: { name: 'Visa dispute condition', codes: VISA_REASON_CODES },
  MASTERCARD: { name: 'Mastercard reason code', codes: MASTERCARD_REASON_CODES },
};

function checkChargeback(c: Collector, chargeback: Json, jurisdiction: unknown): void {
  const at: Path = ['chargeback'];

  const reasonCode = field(chargeback, 'reasonCode');
  const network = typeof jurisdiction === 'string' && has(NETWORK_CODES, jurisdiction) ? NETWORK_CODES[jurisdiction] : undefined;
  const knownCode = typeof reasonCode === 'string' && [...VISA_REASON_CODES, ...MASTERCARD_REASON_CODES].includes(reasonCode as never);
  if (network && knownCode && !network.codes.includes(reasonCode as string)) {
    c.add([...at, 'reasonCode'], `${reasonCode} is not a ${network.name}; use one of ${network.codes.join(', ')}.`);
  }

  const amount = objectAt(chargeback, 'amount');
  if (amount) checkMoney(c, amount, [...at, 'amount']);

  const transaction = dateAt(c, chargeback, 'transactionDate', at);
  const dispute = dateAt(c, chargeback, 'disputeDate', at);
  if (transaction !== undefined && dispute !== undefined && dispute < transaction) {
    c.add([...at, 'disputeDate'], 'Must not be before the transaction date.');
  }
  dateAt(c, chargeback, 'expectedDeliveryDate', at);

  const delivery = objectAt(chargeback, 'delivery');
  if (delivery) dateAt(c, delivery, 'date', [...at, 'delivery']);
  const cancellation = objectAt(chargeback, 'cancellation');
  if (cancellation) dateAt(c, cancellation, 'date', [...at, 'cancellation']);
  const duplicate = objectAt(chargeback, 'duplicate');
  if (duplicate) dateAt(c, duplicate, 'otherTransactionDate', [...at, 'duplicate']);

  arrayAt(chargeback, 'priorUndisputedTransactions').forEach((prior, i) => {
    if (!isObject(prior)) return;
    const path = [...at, 'priorUndisputedTransactions', i];
    const date = dateAt(c, prior, 'date', path);
    if (date !== undefined && transaction !== undefined && date >= transaction) {
      c.add([...path, 'date'], 'A prior transaction must be dated before the disputed one.');
    }
  });
}

/** Every semantic problem of the record, in a fixed order: parties, then the flight or chargeback facts. */
export function semanticErrors(record: Json): FieldError[] {
  const c = new Collector();
  checkParties(c, record);
  const jurisdiction = field(record, 'jurisdiction');
  const flight = objectAt(record, 'flight');
  if (flight) checkFlight(c, flight, jurisdiction);
  const chargeback = objectAt(record, 'chargeback');
  if (chargeback) checkChargeback(c, chargeback, jurisdiction);
  return c.errors;
}
