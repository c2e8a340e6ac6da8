import type { LatLon } from '../engine/geo';
import type { CompileContext } from './context';
import { compareSql } from './filters';
import type { ValueImpl } from './layout';
import { hoist, isKind, numberOf, orFalse, scopeOf, stageOf, textOf, trimJs } from './values';

/**
 * A profile's position (profilePosition in geo.ts): its coordinates when both are set and in
 * range, else the centroid of its ZIP code (US) or forward sortation area (Canada).
 */
export interface PositionImpl {
  /** TRUE when the profile's own coordinates are used. */
  hasCoordinates: string;
  lat: string;
  lon: string;
  /** The centroid's country (US, CA) and key, NULL when the ZIP cannot be placed. */
  country: string;
  key: string;
}

/** A decimal number as JavaScript's Number() reads it (see APPROXIMATIONS.coordinateText). */
const DECIMAL = '[+-]?([0-9]{1,200}([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,2})?';

/** `coordinate` of geo.ts: a number, or a numeric text; else NULL. */
function coordinate(ctx: CompileContext, value: ValueImpl): string {
  const d = ctx.dialect;
  const trimmed = trimJs(d, textOf(d, value));
  const fromText = `CASE WHEN ${d.regexFullMatch(trimmed, DECIMAL)} THEN ${d.tryDouble(trimmed)} END`;
  const isNumber = isKind(d, value, 'number');
  const sql = isNumber === 'FALSE' ? fromText : `CASE WHEN ${isNumber} THEN ${numberOf(d, value)} ELSE ${fromText} END`;
  return hoist(ctx, sql, scopeOf(value), stageOf(value)).sql;
}

export function profilePosition(ctx: CompileContext, latitude: ValueImpl, longitude: ValueImpl, zip: ValueImpl, country: string): PositionImpl {
  const d = ctx.dialect;
  const lat = coordinate(ctx, latitude);
  const lon = coordinate(ctx, longitude);
  const scope = scopeOf(latitude, longitude, zip);
  // The coordinates and the country are derived columns one stage up: what reads them comes after.
  const stage = stageOf(latitude, longitude, zip) + 1;
  const hasCoordinates = hoist(ctx, orFalse(`${lat} BETWEEN -90 AND 90 AND ${lon} BETWEEN -180 AND 180`), scope, stage).sql;
  const code = d.upper(trimJs(d, textOf(d, zip)));
  const us = d.regexExtract(code, '^([0-9]{5})(?:-[0-9]{4})?$');
  const ca = d.regexExtract(code, `^([A-Z][0-9][A-Z])${jsSpace(ctx)}*(?:[0-9][A-Z][0-9])?$`);
  const key = hoist(ctx, `CASE WHEN ${country} = 'US' THEN ${us} WHEN ${country} = 'CA' THEN ${ca} END`, scope, stage).sql;
  return { hasCoordinates, lat, lon, country, key };
}

function jsSpace(ctx: CompileContext): string {
  // JavaScript's \s, as the engine's CA pattern reads it.
  const d = ctx.dialect;
  const codePoints = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
  return `[ ${codePoints.map((c) => d.regexCodePoint(c)).join('')}${d.regexCodePoint(0x2000)}-${d.regexCodePoint(0x200a)}]`;
}

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** distanceKm of geo.ts (haversine) from a constant centre to (lat, lon) expressions. */
function haversineKm(ctx: CompileContext, centre: LatLon, lat: string, lon: string): string {
  const d = ctx.dialect;
  const n = (x: number) => d.numberLiteral(x);
  const sinHalf = (delta: string) => d.math('sin', `(${delta}) * ${n(RAD)} / 2`);
  const dLat = `${lat} - ${n(centre.lat)}`;
  const dLon = `${lon} - ${n(centre.lon)}`;
  const h = `${sinHalf(dLat)} * ${sinHalf(dLat)} + ${n(Math.cos(centre.lat * RAD))} * ${d.math('cos', `${lat} * ${n(RAD)}`)} * ${sinHalf(dLon)} * ${sinHalf(dLon)}`;
  return `2 * ${n(EARTH_RADIUS_KM)} * ${d.math('asin', d.least('1', d.math('sqrt', h)))}`;
}

/** Whether the distance from `centre` to the position passes `distance <op> km` (no position: never). */
export function distanceTest(ctx: CompileContext, position: PositionImpl, centre: LatLon, operator: string, km: number): string {
  const centroids = ctx.reference('postal_centroids');
  const c = ctx.alias('c');
  const own = compareSql(ctx, haversineKm(ctx, centre, position.lat, position.lon), operator, km);
  const fromCentroid =
    `EXISTS (SELECT 1 FROM ${centroids} AS ${c} WHERE ${c}.country = ${position.country} AND ${c}.code = ${position.key}` +
    ` AND ${compareSql(ctx, haversineKm(ctx, centre, `${c}.latitude`, `${c}.longitude`), operator, km)})`;
  return `((${position.hasCoordinates} AND ${own}) OR (NOT ${position.hasCoordinates} AND ${fromCentroid}))`;
}
