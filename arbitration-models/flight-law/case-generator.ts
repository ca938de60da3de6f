// Seeded generator of flight case records (CASES.md) for EU261, UK261 and US_DOT_REFUND, dense
// around LAW.md's boundaries (3 h 00 min 00 s, notice 7/13/14 days, early 1 h/2 h, late 2 h/3 h/
// 4 h, 1500/3500 km) and across scope situations (outermost regions, EEA, CH, UK, Faroes,
// Channel Islands, US territories). Causes come from cause-phrases.ts, TRAIN or EVAL wording.
import type { FlightCaseRecordT } from '../../server/cases/schemas.js';
import { findAirline } from '../../server/reference-data/airlines.js';
import { findAirport } from '../../server/reference-data/airports.js';
import { greatCircleMeters } from '../../server/reference-data/distance.js';
import { randomPhrase, type Disruption, type PhraseSet } from './cause-phrases.js';
import type { CauseTruth } from './eu-uk-law.js';
import type { Random as Rng } from '../seeded-random.js';

export const AIRPORTS = {
  euMainland: ['FRA', 'CDG', 'MAD', 'BCN', 'FCO', 'AMS', 'MUC', 'VIE', 'DUB', 'LIS', 'ATH', 'WAW', 'HEL', 'ARN', 'CPH', 'BRU', 'PRG', 'BUD', 'OTP', 'LCA'],
  outermost: ['LPA', 'TFS', 'FNC', 'PDL', 'PTP', 'RUN', 'CAY'],
  eeaCh: ['OSL', 'KEF', 'ZRH', 'GVA', 'BGO'],
  uk: ['LHR', 'LGW', 'MAN', 'EDI', 'BFS', 'GLA', 'BHX'],
  nonAreaEurope: ['FAE', 'GOH', 'JER', 'IOM', 'GIB', 'IST', 'BEG'],
  us: ['JFK', 'LAX', 'ORD', 'MIA', 'SFO', 'BOS', 'SEA', 'HNL', 'SJU', 'ATL', 'DFW', 'DEN'],
  world: ['DXB', 'NRT', 'SIN', 'YYZ', 'GRU', 'JNB', 'DEL', 'PEK', 'SYD', 'MEX', 'CUN', 'YVR', 'CAI', 'TLV'],
} as const;
export const CARRIERS = {
  community: ['LH', 'AF', 'KL', 'IB', 'FR', 'EI', 'TP', 'SK', 'DY', 'FI', 'LX', 'W6'],
  uk: ['BA', 'VS', 'LS', 'U2'],
  other: ['AA', 'DL', 'UA', 'EK', 'QR', 'TK', 'AC', 'SQ'],
} as const;

const H = 3_600_000;
const M = 60_000;
const OFFSETS = [0, 60, 120, -300, -240, -420, 330, 540, -600, 0];

/** `ms` as ISO 8601 in a local time with the given UTC offset in minutes (seconds and ms kept). */
export function isoAt(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * M).toISOString(); // 2026-03-01T12:45:00.000Z
  const frac = local.slice(19, 23) === '.000' ? '' : local.slice(19, 23);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const off = offsetMin === 0 && frac === '' ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.slice(0, 19)}${frac}${off}`;
}

export interface GeneratedCase {
  record: FlightCaseRecordT;
  cause: CauseTruth;
  causeCategory: string | null;
}

type Jur = FlightCaseRecordT['jurisdiction'];

function pickItinerary(r: Rng, jur: Jur): { from: string; to: string }[] {
  const pools = AIRPORTS;
  const any = (): string => {
    const w = r.next();
    if (jur === 'US_DOT_REFUND') return r.pick(w < 0.55 ? pools.us : w < 0.75 ? pools.euMainland : w < 0.85 ? pools.uk : pools.world);
    if (jur === 'UK261') {
      return r.pick(w < 0.35 ? pools.uk : w < 0.6 ? pools.euMainland : w < 0.68 ? pools.eeaCh : w < 0.75 ? pools.nonAreaEurope : w < 0.8 ? pools.outermost : w < 0.9 ? pools.us : pools.world);
    }
    return r.pick(w < 0.4 ? pools.euMainland : w < 0.52 ? pools.outermost : w < 0.6 ? pools.eeaCh : w < 0.7 ? pools.uk : w < 0.78 ? pools.nonAreaEurope : w < 0.88 ? pools.us : pools.world);
  };
  const stops = r.pick([1, 1, 1, 2, 2, 3]);
  const codes = [any()];
  while (codes.length <= stops) {
    const next = any();
    if (next !== codes[codes.length - 1]) codes.push(next);
  }
  return codes.slice(1).map((to, i) => ({ from: codes[i], to }));
}

function pickCarrier(r: Rng, jur: Jur): string {
  const w = r.next();
  if (jur === 'UK261') return r.pick(w < 0.4 ? CARRIERS.uk : w < 0.75 ? CARRIERS.community : CARRIERS.other);
  if (jur === 'US_DOT_REFUND') return r.pick(w < 0.6 ? CARRIERS.other : w < 0.8 ? CARRIERS.community : CARRIERS.uk);
  return r.pick(w < 0.55 ? CARRIERS.community : w < 0.7 ? CARRIERS.uk : CARRIERS.other);
}

/** A duration near one of the boundaries (± 1 s, ± 1 ms, exact) or anywhere in a wide range. */
function nearBoundary(r: Rng, boundaries: readonly number[], lo: number, hi: number): number {
  if (r.chance(0.35)) return r.int(lo / M, hi / M) * M + (r.chance(0.2) ? r.int(0, 59) * 1000 : 0);
  const b = r.pick(boundaries);
  return b + r.pick([0, 0, 0, -1000, 1000, -1, 1, -60_000, 60_000]);
}

export function generateCase(r: Rng, jur: Jur, set: PhraseSet, ref: string): GeneratedCase {
  const itinerary = pickItinerary(r, jur);
  const carrier = pickCarrier(r, jur);
  const a = findAirport(itinerary[0].from)!;
  const z = findAirport(itinerary[itinerary.length - 1].to)!;
  if (!findAirline(carrier)) throw new Error(`generator carrier ${carrier} unknown`);
  const distance = greatCircleMeters(a, z);
  const disruption: Disruption = r.pick(['delay', 'delay', 'cancellation', 'cancellation', 'denied_boarding']);

  const depMs = Date.UTC(2026, r.int(0, 11), r.int(1, 28), r.int(5, 22), r.pick([0, 5, 15, 30, 45, 55]));
  const arrMs = depMs + Math.round(distance / 800_000 * H / M) * M + 45 * M;
  const offDep = r.pick(OFFSETS);
  const offArr = r.pick(OFFSETS);

  let actualArrival: string | null = null;
  if (disruption === 'delay') {
    if (!r.chance(jur === 'US_DOT_REFUND' ? 0.5 : 0.08)) {
      const delay = nearBoundary(r, [3 * H, 4 * H, 2 * H, 6 * H], -30 * M, 12 * H);
      actualArrival = isoAt(arrMs + delay, offArr);
    }
  } else if (jur === 'US_DOT_REFUND' && r.chance(0.35)) {
    actualArrival = isoAt(arrMs + r.int(0, 600) * M, offArr);
  }

  let reroute: FlightCaseRecordT['flight']['reroute'];
  const wantsReroute = jur === 'US_DOT_REFUND' ? r.chance(0.75) : disruption !== 'delay' && r.chance(0.75);
  if (wantsReroute) {
    // The alternative must arrive after it departs (semantic check of the record).
    for (;;) {
      const early = nearBoundary(r, [H, 2 * H, 3 * H, 6 * H], -5 * H, 8 * H);
      const late = nearBoundary(r, [2 * H, 3 * H, 4 * H, 6 * H], -3 * H, 10 * H);
      if (arrMs + late - (depMs - early) < 30 * M) continue;
      reroute = { departure: isoAt(depMs - early, r.pick(OFFSETS)), arrival: isoAt(arrMs + late, r.pick(OFFSETS)) };
      break;
    }
  }

  const phrase = r.chance(0.85) ? randomPhrase(disruption, set, r) : null;
  const flight: FlightCaseRecordT['flight'] = {
    operatingCarrier: carrier,
    flightNumbers: [`${carrier}${r.int(1, 9999)}`],
    itinerary,
    disruption,
    scheduledDeparture: isoAt(depMs, offDep),
    scheduledArrival: isoAt(arrMs, offArr),
    actualArrival,
  };
  if (disruption === 'cancellation' && r.chance(0.85)) flight.cancellationNoticeDays = r.pick([0, 1, 3, 5, 6, 7, 7, 8, 10, 13, 13, 14, 14, 15, 21, 30]);
  if (reroute) flight.reroute = reroute;
  if (disruption === 'denied_boarding') flight.deniedBoardingVoluntary = r.chance(0.2);
  if (phrase) flight.carrierStatedCause = phrase.text;
  if (jur === 'US_DOT_REFUND') flight.fare = { amount: r.int(5000, 150000) / 100, currency: r.pick(['USD', 'USD', 'EUR', 'GBP']) };

  const record: FlightCaseRecordT = {
    ref,
    kind: 'flight',
    jurisdiction: jur,
    claimant: { name: 'A. Passenger', email: 'passenger@example.org' },
    respondent: { name: findAirline(carrier)!.name },
    flight,
  };
  return {
    record,
    cause: { extraordinary: phrase?.extraordinary ?? false, reasonableGrounds: phrase?.reasonableGrounds ?? false, kind: phrase?.category },
    causeCategory: phrase?.category ?? null,
  };
}
