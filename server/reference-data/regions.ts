// Where the passenger-rights regimes apply. Pure predicates over resolved airports and airlines;
// LAW.md §1.1, §2 and §3 say which predicate each scope rule uses.
import { findAirport, type Airport } from './airports.js';
import type { Airline } from './airlines.js';

// EU-27 (TEU art. 52; TFEU art. 355). Reg. 261/2004 art. 3(1) applies "in the territory of a
// Member State to which the Treaty applies".
const EU_27 = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
];
// Territories ISO 3166 codes apart that the Treaties cover: Åland (part of Finland; Protocol 2 to
// the 1994 Act of Accession derogates only on tax) and the French outermost regions of TFEU
// art. 349 (Guadeloupe, Martinique, French Guiana, Réunion, Mayotte, Saint-Martin). The
// Canaries (ES-CN), Madeira (PT-30) and the Azores (PT-20) carry their state's code already.
const TREATY_TERRITORIES = ['AX', 'GP', 'MQ', 'GF', 'RE', 'YT', 'MF'];
// EEA (EEA Agreement Annex XIII incorporates Reg. 261/2004) and Switzerland (EU–CH Air Transport
// Agreement, Annex). Not the UK (since 2021, its own UK261), Faroes, Greenland, Channel Islands,
// Isle of Man, Gibraltar or the overseas countries and territories (TFEU art. 355(2)).
const EEA_AND_CH = ['NO', 'IS', 'LI', 'CH'];

const AREA_COUNTRIES: ReadonlySet<string> = new Set([...EU_27, ...TREATY_TERRITORIES, ...EEA_AND_CH]);

// Parts of Area states where the law does not apply: Svalbard (EEA Agreement Protocol 40), the
// north of Cyprus where the acquis is suspended (Protocol 10 to the 2003 Act of Accession: Ercan,
// Geçitkale) and the UK Sovereign Base Areas (Protocol 3: RAF Akrotiri).
const EXCLUDED_REGIONS: ReadonlySet<string> = new Set(['NO-21']);
const EXCLUDED_AIRPORTS: ReadonlySet<string> = new Set(['ECN', 'GEC', 'AKT']);

/** LAW.md §1.1 "Area": the airport is where Reg. 261/2004 applies. */
export function inEu261Area(airport: Airport): boolean {
  return (
    AREA_COUNTRIES.has(airport.country) &&
    !EXCLUDED_REGIONS.has(airport.region) &&
    !EXCLUDED_AIRPORTS.has(airport.iata)
  );
}

/**
 * LAW.md §1.1 "Community carrier" (art. 2(c)): holds an operating licence of an Area state. The
 * data gives the licensing state as the airline's country; a carrier based in an outermost
 * region (Air Austral, Réunion) holds a French licence.
 */
export function isCommunityCarrier(airline: Airline): boolean {
  return airline.country !== null && AREA_COUNTRIES.has(airline.country);
}

/** LAW.md §2: the United Kingdom of UK261 (SI 2019/278) is Great Britain and Northern Ireland (ISO `GB`), not the Crown Dependencies. */
export function inUk(airport: Airport): boolean {
  return airport.country === 'GB';
}

/** LAW.md §2 "UK carrier": holds a CAA operating licence, taken as a carrier whose state is the UK. */
export function isUkCarrier(airline: Airline): boolean {
  return airline.country === 'GB';
}

// 49 USC 40102(a)(46): "United States" means the States, the District of Columbia, and the
// territories and possessions of the United States: Puerto Rico, US Virgin Islands, Guam,
// American Samoa, Northern Mariana Islands and the Minor Outlying Islands (Wake, Midway).
// OurAirports files every State and DC under `US`.
const US_JURISDICTIONS: ReadonlySet<string> = new Set(['US', 'PR', 'VI', 'GU', 'AS', 'MP', 'UM']);

/** LAW.md §3: the airport is in the United States as 49 USC 40102 defines it. */
export function inUs(airport: Airport): boolean {
  return US_JURISDICTIONS.has(airport.country);
}

export interface Leg {
  /** IATA airport codes. */
  from: string;
  to: string;
}

const legAirports = (itinerary: readonly Leg[]): (Airport | undefined)[] =>
  itinerary.flatMap((leg) => [findAirport(leg.from), findAirport(leg.to)]);

/** LAW.md §3 "Domestic": every airport of the itinerary is in the US (an unknown airport is not). */
export function isUsDomestic(itinerary: readonly Leg[]): boolean {
  return itinerary.length > 0 && legAirports(itinerary).every((a) => a !== undefined && inUs(a));
}

/** LAW.md §3 U1: some airport of the itinerary is in the US. */
export function touchesUs(itinerary: readonly Leg[]): boolean {
  return legAirports(itinerary).some((a) => a !== undefined && inUs(a));
}
