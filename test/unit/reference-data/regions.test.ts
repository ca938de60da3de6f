import { describe, expect, it } from 'vitest';
import { findAirline } from '../../../server/reference-data/airlines.js';
import { findAirport } from '../../../server/reference-data/airports.js';
import {
  inEu261Area,
  inUk,
  inUs,
  isCommunityCarrier,
  isUkCarrier,
  isUsDomestic,
  touchesUs,
} from '../../../server/reference-data/regions.js';

const airport = (iata: string) => {
  const a = findAirport(iata);
  if (!a) throw new Error(`${iata} missing from the airport data`);
  return a;
};
const airline = (iata: string) => {
  const a = findAirline(iata);
  if (!a) throw new Error(`${iata} missing from the airline data`);
  return a;
};

describe('inEu261Area', () => {
  it.each([
    ['FRA', 'Germany'],
    ['CDG', 'France'],
    ['LPA', 'the Canary Islands (outermost region)'],
    ['FNC', 'Madeira (outermost region)'],
    ['PDL', 'the Azores (outermost region)'],
    ['PTP', 'Guadeloupe (French outermost region)'],
    ['RUN', 'Réunion (French outermost region)'],
    ['SFG', 'Saint-Martin (French outermost region)'],
    ['MHQ', 'Åland (part of Finland)'],
    ['KEF', 'Iceland (EEA)'],
    ['OSL', 'Norway (EEA)'],
    ['ZRH', 'Switzerland'],
    ['GVA', 'Switzerland'],
  ])('includes %s in %s', (iata) => {
    expect(inEu261Area(airport(iata))).toBe(true);
  });

  it.each([
    ['LHR', 'the UK'],
    ['BFS', 'Northern Ireland'],
    ['JER', 'Jersey'],
    ['IOM', 'the Isle of Man'],
    ['FAE', 'the Faroe Islands'],
    ['LYR', 'Svalbard (outside the EEA Agreement)'],
    ['ECN', 'northern Cyprus (acquis suspended)'],
    ['SBH', 'Saint-Barthélemy (overseas country, not outermost region)'],
    ['GIB', 'Gibraltar'],
    ['JFK', 'the US'],
  ])('excludes %s in %s', (iata) => {
    expect(inEu261Area(airport(iata))).toBe(false);
  });
});

describe('isCommunityCarrier', () => {
  it.each(['LH', 'AF', 'KL', 'FR', 'W6', 'DY', 'LX'])('counts %s as licensed in the Area', (code) => {
    expect(isCommunityCarrier(airline(code))).toBe(true);
  });
  it.each(['BA', 'VS', 'LS', 'U2', 'AA', 'DL', 'UA', 'EK', 'TK'])('does not count %s', (code) => {
    expect(isCommunityCarrier(airline(code))).toBe(false);
  });
});

describe('UK', () => {
  it('places Great Britain and Northern Ireland in the UK, not the Crown Dependencies', () => {
    expect(['LHR', 'BFS'].map((c) => inUk(airport(c)))).toEqual([true, true]);
    expect(['JER', 'IOM', 'FAE', 'CDG'].map((c) => inUk(airport(c)))).toEqual([false, false, false, false]);
  });

  it.each(['BA', 'VS', 'LS', 'U2'])('counts %s as a UK carrier', (code) => {
    expect(isUkCarrier(airline(code))).toBe(true);
  });
  it.each(['LH', 'FR', 'AA'])('does not count %s as a UK carrier', (code) => {
    expect(isUkCarrier(airline(code))).toBe(false);
  });
});

describe('US (49 USC 40102)', () => {
  it.each(['JFK', 'ORD', 'LAX', 'SJU', 'STT', 'GUM', 'PPG', 'SPN'])('places %s in the United States', (iata) => {
    expect(inUs(airport(iata))).toBe(true);
  });
  it.each(['YYZ', 'CUN', 'LHR'])('places %s outside it', (iata) => {
    expect(inUs(airport(iata))).toBe(false);
  });

  it('treats an itinerary as domestic only when every airport is in the US, territories included', () => {
    expect(isUsDomestic([{ from: 'JFK', to: 'ORD' }, { from: 'ORD', to: 'LAX' }])).toBe(true);
    expect(isUsDomestic([{ from: 'SJU', to: 'JFK' }])).toBe(true);
    expect(isUsDomestic([{ from: 'JFK', to: 'YYZ' }])).toBe(false);
    expect(isUsDomestic([])).toBe(false);
  });

  it('says whether any airport of the itinerary is in the US', () => {
    expect(touchesUs([{ from: 'FRA', to: 'JFK' }])).toBe(true);
    expect(touchesUs([{ from: 'FRA', to: 'LHR' }])).toBe(false);
  });
});
