// The law of LAW.md §1 (EU261) and §2 (UK261) as plain TypeScript: an oracle independent of the
// compiled model. It labels generated training data and writes the public evaluation set's
// expected verdicts. Tables are read top to bottom, the first matching row decides (LAW.md
// preamble). Grounds, most specific first: band code (awards), `art7.2` when halved, the decision
// code, then the scope code.
//
// What the carrier's free text means (extraordinary? reasonable grounds for denied boarding?) is
// not decided here: the caller passes the truth (the generator knows what it wrote), and the
// verdict records whether that truth was consulted (`textDecided`), which splits the evaluation
// into rule-determined and free-text cases.
import type { FlightCaseRecordT } from '../../server/cases/schemas.js';
import { findAirline } from '../../server/reference-data/airlines.js';
import { findAirport, type Airport } from '../../server/reference-data/airports.js';
import { greatCircleMeters } from '../../server/reference-data/distance.js';
import { inEu261Area, inUk, isCommunityCarrier, isUkCarrier } from '../../server/reference-data/regions.js';

export type Regime = 'EU261' | 'UK261';

export interface CauseTruth {
  /** LAW.md §1.4 (UK: §2): the stated cause is an extraordinary circumstance. */
  extraordinary: boolean;
  /** LAW.md §1.3 B2: the stated cause is the passenger's health, safety, security or documents. */
  reasonableGrounds: boolean;
  /**
   * The kind of cause (a cause-phrases.ts category id); an extraordinary or reasonable-grounds
   * decision names it in its grounds as `<regime>.cause.<kind>`.
   */
  kind?: string;
}

export interface LawVerdict {
  outcome: 'claimant' | 'respondent';
  award: { amount: number; currency: string } | null;
  grounds: string[];
  review: boolean;
  /**
   * The decision turned on what a stated `carrierStatedCause` means (D3, C4, B2 reached with a
   * cause given). No cause at all is a rule (§1.4: not extraordinary), not a free-text case.
   */
  textDecided: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** LAW.md §0: instants with their offsets → UTC difference in milliseconds. */
export const msBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);

export type Band = 'a' | 'b' | 'c';
/** Compensation per band; halved amounts are exactly half (LAW.md §1.2, §2). */
export const BAND_AMOUNT: Record<Regime, Record<Band, number>> = {
  EU261: { a: 250, b: 400, c: 600 },
  UK261: { a: 220, b: 350, c: 520 },
};
export const CURRENCY: Record<Regime, string> = { EU261: 'EUR', UK261: 'GBP' };
/** Art. 7(2) window per band: late ≤ 2 h / 3 h / 4 h (LAW.md §1.2). */
export const HALVING_WINDOW_MS: Record<Band, number> = { a: 2 * HOUR_MS, b: 3 * HOUR_MS, c: 4 * HOUR_MS };

// UK261 S3 names the EU (SI 2019/278 art. 3(1)(b)(ii): "a member State"): the Area without the
// EEA states and Switzerland.
const EEA_AND_CH = new Set(['NO', 'IS', 'LI', 'CH']);
export const inEuMemberState = (a: Airport): boolean => inEu261Area(a) && !EEA_AND_CH.has(a.country);

export interface ScopeFacts {
  first: Airport;
  last: Airport;
  distanceM: number;
}

export function scopeFacts(record: FlightCaseRecordT): ScopeFacts {
  const legs = record.flight.itinerary;
  const first = findAirport(legs[0].from);
  const last = findAirport(legs[legs.length - 1].to);
  if (!first || !last) throw new Error('unknown airport');
  return { first, last, distanceM: greatCircleMeters(first, last) };
}

/** LAW.md §1.1 / §2 scope: the scope code, or null when out of scope. */
export function scopeCode(regime: Regime, record: FlightCaseRecordT): string | null {
  const { first, last } = scopeFacts(record);
  const carrier = findAirline(record.flight.operatingCarrier);
  if (!carrier) throw new Error('unknown airline');
  if (regime === 'EU261') {
    if (inEu261Area(first)) return 'EU261.art3.1a';
    if (inEu261Area(last) && isCommunityCarrier(carrier)) return 'EU261.art3.1b';
    return null;
  }
  if (inUk(first)) return 'UK261.art3.1a';
  if (inUk(last) && (isUkCarrier(carrier) || isCommunityCarrier(carrier))) return 'UK261.art3.1b.i';
  if (inEuMemberState(last) && isUkCarrier(carrier)) return 'UK261.art3.1b.ii';
  return null;
}

/** LAW.md §1.2 (EU, with the intra-Community rule) and §2 (UK, distance only). */
export function band(regime: Regime, record: FlightCaseRecordT): Band {
  const { first, last, distanceM } = scopeFacts(record);
  if (distanceM <= 1_500_000) return 'a';
  const intra = regime === 'EU261' && inEu261Area(first) && inEu261Area(last);
  if (intra || distanceM <= 3_500_000) return 'b';
  return 'c';
}

export function decideEuUk(regime: Regime, record: FlightCaseRecordT, cause: CauseTruth): LawVerdict {
  const p = regime;
  const f = record.flight;
  const stated = (f.carrierStatedCause ?? '').trim() !== '';
  // §1.4: no cause ⇒ not extraordinary; B2 needs a stated cause too.
  const extraordinary = stated && cause.extraordinary;
  const reasonableGrounds = stated && cause.reasonableGrounds;
  const scope = scopeCode(regime, record);
  if (scope === null) return respondent([`${p}.scope.out`], false, false);

  const b = band(regime, record);
  const pay = (decision: string, halved: boolean, textDecided: boolean): LawVerdict => {
    const full = BAND_AMOUNT[regime][b];
    return {
      outcome: 'claimant',
      award: { amount: halved ? full / 2 : full, currency: CURRENCY[regime] },
      grounds: [`${p}.art7.1${b}`, ...(halved ? [`${p}.art7.2`] : []), decision, scope],
      review: false,
      textDecided,
    };
  };
  const reroute = f.reroute;
  const early = reroute ? msBetween(reroute.departure, f.scheduledDeparture) : null;
  const late = reroute ? msBetween(f.scheduledArrival, reroute.arrival) : null;
  // Art. 7(2): a reroute arriving no later than the band's window after the scheduled arrival.
  const halvedByReroute = late !== null && late <= HALVING_WINDOW_MS[b];

  if (f.disruption === 'delay') {
    if (f.actualArrival === null) return respondent([`${p}.delay.no_arrival`, scope], true, false);
    const delay = msBetween(f.scheduledArrival, f.actualArrival);
    if (delay < 3 * HOUR_MS) return respondent([`${p}.delay.lt3h`, scope], false, false);
    if (extraordinary) return respondent([`${p}.art5.3.extraordinary`, ...kindGround(p, cause), scope], false, true);
    // Sturgeon para. 63: band c with 3 h ≤ delay ≤ 4 h is halved; a and b are paid in full (§6.1).
    return pay(`${p}.delay.ge3h`, b === 'c' && delay <= 4 * HOUR_MS, stated);
  }

  if (f.disruption === 'cancellation') {
    const notice = f.cancellationNoticeDays ?? 0; // art. 5(4): the carrier bears the burden
    if (notice >= 14) return respondent([`${p}.art5.1c.i`, scope], false, false);
    if (notice >= 7 && early !== null && late !== null && early <= 2 * HOUR_MS && late < 4 * HOUR_MS) {
      return respondent([`${p}.art5.1c.ii`, scope], false, false);
    }
    if (notice <= 6 && early !== null && late !== null && early <= 1 * HOUR_MS && late < 2 * HOUR_MS) {
      return respondent([`${p}.art5.1c.iii`, scope], false, false);
    }
    if (extraordinary) return respondent([`${p}.art5.3.extraordinary`, ...kindGround(p, cause), scope], false, true);
    return pay(`${p}.art5.1c`, halvedByReroute, stated);
  }

  // Denied boarding: extraordinary circumstances are no defence (Finnair C-22/11).
  if (f.deniedBoardingVoluntary === true) return respondent([`${p}.art4.1.volunteer`, scope], false, false);
  if (reasonableGrounds) return respondent([`${p}.art2j.reasonable_grounds`, ...kindGround(p, cause), scope], false, true);
  return pay(`${p}.art4.3`, halvedByReroute, stated);
}

/** `<regime>.cause.<kind>` when the cause's kind is known. */
const kindGround = (p: Regime, cause: CauseTruth): string[] => (cause.kind ? [`${p}.cause.${cause.kind}`] : []);

function respondent(grounds: string[], review: boolean, textDecided: boolean): LawVerdict {
  return { outcome: 'respondent', award: null, grounds, review, textDecided };
}

export { DAY_MS, HOUR_MS };
