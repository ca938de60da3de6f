// Great-circle distance as LAW.md §0 fixes it: haversine on a sphere of R = 6371 km, first
// departure to final destination (never the sum of legs, Bossen C-559/16 — the caller picks the
// two airports). Integer metres so featurizers compare with the km thresholds exactly
// (1500 km ⇔ 1_500_000 m) and every machine gets the same integer.

export interface Coordinates {
  /** Degrees. */
  lat: number;
  lon: number;
}

/** Mean Earth radius, metres (LAW.md §0). */
export const EARTH_RADIUS_M = 6_371_000;

const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Haversine distance between two points in whole metres (Math.round). */
export function greatCircleMeters(a: Coordinates, b: Coordinates): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  // min(1, …) guards the rounding error that can push h a hair above 1 for antipodal points.
  return Math.round(2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h))));
}
