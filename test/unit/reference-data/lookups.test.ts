import { describe, expect, it } from 'vitest';
import { findAirline } from '../../../server/reference-data/airlines.js';
import { findAirport } from '../../../server/reference-data/airports.js';
import { minorUnits } from '../../../server/reference-data/currencies.js';

describe('findAirport', () => {
  it('resolves an IATA code to the airport with its ISO country, region and coordinates', () => {
    const fra = findAirport('FRA');
    expect(fra).toMatchObject({ iata: 'FRA', country: 'DE', region: 'DE-HE' });
    expect(fra?.name).toMatch(/Frankfurt/);
    expect(fra?.lat).toBeCloseTo(50.03, 1);
    expect(fra?.lon).toBeCloseTo(8.56, 1);
  });

  it('gives outermost regions and territories their own region or country code', () => {
    expect(findAirport('LPA')?.region).toBe('ES-CN');
    expect(findAirport('FNC')?.region).toBe('PT-30');
    expect(findAirport('PDL')?.region).toBe('PT-20');
    expect(findAirport('PTP')?.country).toBe('GP');
    expect(findAirport('SJU')?.country).toBe('PR');
    expect(findAirport('BFS')?.region).toBe('GB-NIR');
  });

  it('returns undefined for a code nobody holds or one not in upper case', () => {
    expect(findAirport('QQQ')).toBeUndefined();
    expect(findAirport('fra')).toBeUndefined();
    expect(findAirport('')).toBeUndefined();
  });
});

describe('findAirline', () => {
  it.each([
    ['LH', /Lufthansa/, 'DE'],
    ['BA', /British Airways/, 'GB'],
    ['U2', /easyJet/, 'GB'],
    ['FR', /Ryanair/, 'IE'],
    ['W6', /Wizz/, 'HU'],
    ['DY', /Norwegian/, 'NO'],
    ['LX', /Swiss/, 'CH'],
    ['EK', /Emirates/, 'AE'],
    ['TK', /Turkish/, 'TR'],
    ['AA', /American/, 'US'],
  ])('resolves %s to its active holder with an ISO country', (code, name, country) => {
    const airline = findAirline(code);
    expect(airline?.name).toMatch(name);
    expect(airline?.country).toBe(country);
  });

  it.each([
    ['VU', 'CI', 'Ivory Coast'],
    ['UB', 'MM', 'Myanmar (Burma)'],
    ['8F', 'ST', 'Sao Tome and Principe (accents dropped)'],
  ])('maps the OpenFlights country of %s to %s although it is spelt %s', (code, country) => {
    expect(findAirline(code)?.country).toBe(country);
  });

  it('returns undefined for a designator nobody holds', () => {
    expect(findAirline('0Z')).toBeUndefined();
    expect(findAirline('lh')).toBeUndefined();
  });
});

describe('minorUnits', () => {
  it('follows ISO 4217, not the display digits of CLDR', () => {
    expect(minorUnits('EUR')).toBe(2);
    expect(minorUnits('USD')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(minorUnits('HUF')).toBe(2);
    expect(minorUnits('IDR')).toBe(2);
  });

  it('knows no unit-of-account or made-up codes', () => {
    expect(minorUnits('XDR')).toBeUndefined();
    expect(minorUnits('ABC')).toBeUndefined();
  });
});
