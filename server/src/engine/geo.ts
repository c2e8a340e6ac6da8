import type * as Zipcodes from 'zipcodes';
import { countryAlpha2 } from './countries';

// The module system's own loader (CommonJS, as the engine is compiled and bundled), declared here
// because the engine is typed without Node's globals: this is its one use.
declare const require: (id: 'zipcodes') => typeof Zipcodes;
let zipcodes: typeof Zipcodes | undefined;

/**
 * The `zipcodes` package, loaded on first use: its places are a 5.7 MB script, and reading it
 * raised a process's RSS by ~80 MB. Loaded with the engine, every thread that has the engine paid
 * that at start (the language server's two, the CLI's) for the few segments that place postal
 * codes: the language server, started on the sample workspace, held 156 MB instead of 120 MB.
 */
function places(): typeof Zipcodes {
  return (zipcodes ??= require('zipcodes'));
}

export interface LatLon {
  lat: number;
  lon: number;
}

/** Countries whose postal codes the packaged geodata (the `zipcodes` package) can place. */
export const POSTAL_COUNTRIES: ReadonlySet<string> = new Set(['US', 'CA']);

/**
 * The centroid of a postal code: US ZIP codes (5 digits, ZIP+4 accepted) and Canadian forward
 * sortation areas (the first 3 characters of a postal code). Undefined when unknown.
 */
export function postalCentroid(countryAlpha2Code: string, postalCode: string): LatLon | undefined {
  const code = postalCode.trim().toUpperCase();
  let info;
  if (countryAlpha2Code === 'US') {
    const zip = /^(\d{5})(-\d{4})?$/.exec(code)?.[1];
    info = zip ? places().lookup(zip) : undefined;
  } else if (countryAlpha2Code === 'CA') {
    const fsa = /^([A-Z]\d[A-Z])\s*(\d[A-Z]\d)?$/.exec(code)?.[1];
    info = fsa ? places().lookup(fsa) : undefined;
  }
  // A few areas in the package have no coordinates (null): they place no one.
  if (!info || typeof info.latitude !== 'number' || typeof info.longitude !== 'number' || !Number.isFinite(info.latitude) || !Number.isFinite(info.longitude))
    return undefined;
  return { lat: info.latitude, lon: info.longitude };
}

const EARTH_RADIUS_KM = 6371.0088;
export const KM_PER_MILE = 1.609344;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function coordinate(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A profile's position (semantics §4): its `location.latitude`/`longitude` when both are set,
 * else the centroid of its `location.zip` in its `location.country`.
 */
export function profilePosition(location: { latitude?: unknown; longitude?: unknown; zip?: unknown; country?: unknown }): LatLon | undefined {
  const lat = coordinate(location.latitude);
  const lon = coordinate(location.longitude);
  if (lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return { lat, lon };
  const country = countryAlpha2(location.country);
  if (!country || typeof location.zip !== 'string') return undefined;
  return postalCentroid(country, location.zip);
}

/**
 * Every postal code `postalCentroid` places, as the key it looks up (a US ZIP code, a Canadian
 * forward sortation area) with its centroid. The SQL compiler ships this as a table.
 */
export function postalCentroids(): { country: 'US' | 'CA'; code: string; lat: number; lon: number }[] {
  const rows: { country: 'US' | 'CA'; code: string; lat: number; lon: number }[] = [];
  for (const code of Object.keys(places().codes)) {
    const country = /^\d{5}$/.test(code) ? 'US' : /^[A-Z]\d[A-Z]$/.test(code) ? 'CA' : undefined;
    const centre = country ? postalCentroid(country, code) : undefined;
    if (country && centre) rows.push({ country, code, lat: centre.lat, lon: centre.lon });
  }
  return rows;
}
