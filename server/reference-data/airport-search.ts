// Airport search for the portal's autocomplete, and each airport's IANA time zone, so a claimant
// types times as the airport's clocks showed them. Zones come from the airport's coordinates
// (`@photostructure/tz-lookup`, shipped data, no network); the airport data is airports.ts's.
import tzLookup from '@photostructure/tz-lookup';
import { allAirports, findAirport, type Airport } from './airports.js';

export interface AirportHit {
  iata: string;
  name: string;
  city: string;
  country: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  zone: string;
}

const zones = new Map<string, string>();

/** The IANA time zone at the airport. */
export function airportZone(a: Pick<Airport, 'iata' | 'lat' | 'lon'>): string {
  let zone = zones.get(a.iata);
  if (zone === undefined) {
    zone = tzLookup(a.lat, a.lon);
    zones.set(a.iata, zone);
  }
  return zone;
}

const hit = (a: Airport): AirportHit => ({ iata: a.iata, name: a.name, city: a.city, country: a.country, zone: airportZone(a) });

/** The airport with this IATA code (any letter case), with its zone; undefined when unknown. */
export function lookupAirport(code: string): AirportHit | undefined {
  const a = findAirport(code.trim().toUpperCase());
  return a ? hit(a) : undefined;
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

interface Indexed {
  airport: Airport;
  city: string;
  name: string;
}

let index: Indexed[] | undefined;
const indexed = (): Indexed[] =>
  (index ??= allAirports().map((airport) => ({ airport, city: fold(airport.city), name: fold(airport.name) })));

/**
 * Airports matching what a person typed: the exact code first, then codes starting with it,
 * then cities and names starting with it, then names containing it. At most `limit`.
 */
export function searchAirports(query: string, limit = 8): AirportHit[] {
  const q = fold(query.trim()).slice(0, 60);
  if (q.length === 0) return [];
  const upper = q.toUpperCase();
  const ranked: { rank: number; a: Airport }[] = [];
  for (const { airport, city, name } of indexed()) {
    let rank: number;
    if (airport.iata === upper) rank = 0;
    else if (q.length < 3 && airport.iata.startsWith(upper)) rank = 1;
    else if (city.startsWith(q)) rank = 2;
    else if (name.startsWith(q)) rank = 3;
    else if (q.length >= 3 && (name.includes(q) || city.includes(q))) rank = 4;
    else continue;
    ranked.push({ rank, a: airport });
  }
  // Big airports first within a rank: names with "International" rank no higher, so use the
  // stable code order and let the rank decide.
  ranked.sort((x, y) => x.rank - y.rank || (x.a.iata < y.a.iata ? -1 : 1));
  return ranked.slice(0, limit).map((r) => hit(r.a));
}
