import { describe, expect, it } from 'vitest';
import { findAirport } from '../../../server/reference-data/airports.js';
import { EARTH_RADIUS_M, greatCircleMeters } from '../../../server/reference-data/distance.js';

const at = (iata: string) => {
  const a = findAirport(iata);
  if (!a) throw new Error(`${iata} missing`);
  return a;
};
const km = (from: string, to: string) => greatCircleMeters(at(from), at(to)) / 1000;

describe('greatCircleMeters', () => {
  it('measures well-known routes within a few km of their published great-circle distance', () => {
    // Published distances (great circle, spherical Earth): FRA–JFK ≈ 6,200 km, LHR–CDG ≈ 347 km,
    // LHR–JFK ≈ 5,555 km, ORD–LAX ≈ 2,800 km.
    expect(km('FRA', 'JFK')).toBeGreaterThan(6150);
    expect(km('FRA', 'JFK')).toBeLessThan(6250);
    expect(km('LHR', 'CDG')).toBeGreaterThan(340);
    expect(km('LHR', 'CDG')).toBeLessThan(355);
    expect(km('LHR', 'JFK')).toBeGreaterThan(5500);
    expect(km('LHR', 'JFK')).toBeLessThan(5600);
    expect(km('ORD', 'LAX')).toBeGreaterThan(2750);
    expect(km('ORD', 'LAX')).toBeLessThan(2850);
  });

  it('returns an integer number of metres, symmetric in its arguments', () => {
    const d = greatCircleMeters(at('CDG'), at('LPA'));
    expect(Number.isInteger(d)).toBe(true);
    expect(greatCircleMeters(at('LPA'), at('CDG'))).toBe(d);
  });

  it('is zero from a point to itself and half the circumference between antipodes', () => {
    expect(greatCircleMeters({ lat: 10, lon: 20 }, { lat: 10, lon: 20 })).toBe(0);
    expect(greatCircleMeters({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBe(Math.round(Math.PI * EARTH_RADIUS_M));
  });

  it('matches the haversine formula with R = 6371 km on one degree of longitude at the equator', () => {
    expect(greatCircleMeters({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBe(Math.round((EARTH_RADIUS_M * Math.PI) / 180));
  });
});
