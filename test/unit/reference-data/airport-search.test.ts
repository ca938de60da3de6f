import { describe, expect, it } from 'vitest';
import { airportZone, lookupAirport, searchAirports } from '../../../server/reference-data/airport-search.js';
import { lookupAirline, searchAirlines } from '../../../server/reference-data/airline-search.js';
import { findAirport } from '../../../server/reference-data/airports.js';

describe('airport search for the portal', () => {
  it('puts the exact code first, then cities and names starting with what was typed', () => {
    expect(searchAirports('jfk')[0].iata).toBe('JFK');
    expect(searchAirports('Frankfurt').map((a) => a.iata)).toContain('FRA');
    expect(searchAirports('new york').slice(0, 2).map((a) => a.iata).sort()).toEqual(['JFK', 'LGA']);
    expect(searchAirports('Zürich').map((a) => a.iata)).toContain('ZRH');
  });

  it('returns at most the limit, and nothing for an empty query', () => {
    expect(searchAirports('a', 5)).toHaveLength(5);
    expect(searchAirports('   ')).toEqual([]);
  });

  it('resolves each airport’s time zone from its coordinates', () => {
    expect(lookupAirport('fra')).toMatchObject({ iata: 'FRA', zone: 'Europe/Berlin' });
    expect(lookupAirport('LPA')?.zone).toBe('Atlantic/Canary');
    expect(lookupAirport('SYD')?.zone).toBe('Australia/Sydney');
    expect(airportZone(findAirport('JFK')!)).toBe('America/New_York');
    expect(lookupAirport('XQZ')).toBeUndefined();
  });
});

describe('airline search for the portal', () => {
  it('finds by designator or name', () => {
    expect(lookupAirline('lh')).toEqual({ iata: 'LH', name: 'Lufthansa' });
    expect(searchAirlines('lufthansa').map((a) => a.iata)).toContain('LH');
    expect(searchAirlines('LH')[0].iata).toBe('LH');
  });
});
