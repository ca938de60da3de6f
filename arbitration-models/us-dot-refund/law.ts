// LAW.md §3 (14 CFR part 260) as plain TypeScript: the oracle that writes the public evaluation
// set's expected verdicts, independent of the compiled model. First matching row decides; the
// carrier's stated cause is irrelevant (weather too), so every case is rule-determined.
import type { FlightCaseRecordT } from '../../server/cases/schemas.js';
import { findAirport } from '../../server/reference-data/airports.js';
import { inUs } from '../../server/reference-data/regions.js';
import type { LawVerdict } from '../flight-law/eu-uk-law.js';

const HOUR_MS = 3_600_000;
const msBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);

export function decideUsDot(record: FlightCaseRecordT): LawVerdict {
  const f = record.flight;
  const airports = f.itinerary.flatMap((l) => [l.from, l.to]).map((c) => {
    const a = findAirport(c);
    if (!a) throw new Error(`unknown airport ${c}`);
    return a;
  });
  const fare = f.fare ? { amount: f.fare.amount, currency: f.fare.currency } : null;
  const respondent = (code: string, review = false): LawVerdict => ({ outcome: 'respondent', award: null, grounds: [code], review, textDecided: false });
  const claimant = (code: string): LawVerdict => ({ outcome: 'claimant', award: fare, grounds: [code], review: false, textDecided: false });

  if (!airports.some(inUs)) return respondent('US_DOT.scope.out'); // U1
  if (f.disruption === 'denied_boarding') return respondent('US_DOT.denied_boarding', true); // U2: part 250
  if (f.actualArrival !== null) return respondent('US_DOT.260.accepted'); // U3: flew
  if (f.disruption === 'cancellation') return claimant('US_DOT.260.6.cancelled'); // U4
  if (!f.reroute) return respondent('US_DOT.260.2.unmeasured', true); // U7
  // 49 USC 40102: domestic = every itinerary airport in the US; T = 3 h domestic, 6 h otherwise.
  const t = (airports.every(inUs) ? 3 : 6) * HOUR_MS;
  const early = msBetween(f.reroute.departure, f.scheduledDeparture);
  const late = msBetween(f.scheduledArrival, f.reroute.arrival);
  if (early >= t || late >= t) return claimant('US_DOT.260.2.significant_change'); // U5
  return respondent('US_DOT.260.2.not_significant'); // U6
}
