import { Bitset } from '../bitset';
import { alpha2ToAlpha3, countryAlpha2, isCountryCode } from '../countries';
import { distanceKm, KM_PER_MILE, postalCentroid, POSTAL_COUNTRIES, profilePosition, type LatLon } from '../geo';
import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { quoted, shown } from '../phrases';
import { profileValueKey, type Workspace } from '../workspace';
import type { ConditionKind } from './kind';
import { isSqlNotEvaluable, type SqlBuilder, type SqlPredicate, type SqlResult } from './sqlBuilder';
import { evidenceValue } from './property';

const positions = new WeakMap<Workspace, { lat: Float64Array; lon: Float64Array }>();

/** Every profile's position, computed once per workspace (NaN: no position). */
function profilePositions(workspace: Workspace): { lat: Float64Array; lon: Float64Array } {
  let cached = positions.get(workspace);
  if (cached) return cached;
  const n = workspace.profileCount;
  cached = { lat: new Float64Array(n).fill(NaN), lon: new Float64Array(n).fill(NaN) };
  const column = (field: string) => workspace.column(profileValueKey.location(field));
  const [latitude, longitude, zip, country] = ['latitude', 'longitude', 'zip', 'country'].map(column);
  for (let p = 0; p < n; p++) {
    const position = profilePosition({ latitude: latitude?.get(p), longitude: longitude?.get(p), zip: zip?.get(p), country: country?.get(p) });
    if (position) {
      cached.lat[p] = position.lat;
      cached.lon[p] = position.lon;
    }
  }
  positions.set(workspace, cached);
  return cached;
}

/** The centroid a postal-distance condition measures from, or why it cannot be placed. */
function conditionCentroid(condition: Condition): LatLon | { notEvaluable: string } {
  const country = countryAlpha2(condition.country_code);
  if (!country) return { notEvaluable: `"${shown(condition.country_code)}" is not a country code` };
  if (!POSTAL_COUNTRIES.has(country))
    return { notEvaluable: `postal codes of ${country} cannot be placed locally (the packaged geodata covers the US and Canada)` };
  if (typeof condition.postal_code !== 'string') return { notEvaluable: 'the condition has no "postal_code"' };
  return postalCentroid(country, condition.postal_code) ?? { notEvaluable: `postal code ${condition.postal_code} is not in the packaged ${country} geodata` };
}

/**
 * profile-postal-code-distance (semantics §4): great-circle distance between the condition's
 * postal code and the profile's position; `less-than` and `greater-than` are strict, and a
 * profile without a position matches neither.
 */
function evaluatePostal(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const centre = conditionCentroid(condition);
  if ('notEvaluable' in centre) return notEvaluable(centre.notEvaluable);
  const filter = isRecord(condition.filter) ? condition.filter : {};
  const limit = typeof filter.value === 'number' ? filter.value : undefined;
  if (limit === undefined || (filter.operator !== 'less-than' && filter.operator !== 'greater-than'))
    return notEvaluable('the distance filter is not complete');
  const limitKm = condition.unit === 'miles' ? limit * KM_PER_MILE : condition.unit === 'kilometers' ? limit : undefined;
  if (limitKm === undefined) return notEvaluable('"unit" must be miles or kilometers');
  const distances = profileDistances(ctx, centre);
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  const closer = filter.operator === 'less-than';
  // A profile without a position is NaN away: neither closer nor farther.
  for (let p = 0; p < n; p++) {
    if ((p & 0xffff) === 0) ctx.checkpoint();
    const d = distances[p];
    if (closer ? d < limitKm : d > limitKm) set.add(p);
  }
  return matched(set);
}

/**
 * Every profile's distance in km from `centre` (NaN: no position), kept with the workspace's
 * measures: an edit of the distance or the unit only compares them again.
 */
function profileDistances(ctx: EvaluationContext, centre: LatLon): Float64Array {
  const key = `distance\n${centre.lat},${centre.lon}`;
  const kept = ctx.workspace.measures.get(key)?.value;
  if (kept) return kept;
  const { lat, lon } = profilePositions(ctx.workspace);
  const n = ctx.workspace.profileCount;
  const distances = new Float64Array(n).fill(NaN);
  for (let p = 0; p < n; p++) {
    if ((p & 0xffff) === 0) ctx.checkpoint();
    if (!Number.isNaN(lat[p])) distances[p] = distanceKm(centre, { lat: lat[p], lon: lon[p] });
  }
  ctx.workspace.measures.set(key, distances);
  return distances;
}

/** profile-postal-code-distance as SQL: the distance from the centroid to the profile's position, strictly compared. */
function postalSql(condition: Condition, b: SqlBuilder): SqlResult<SqlPredicate> {
  const centre = conditionCentroid(condition);
  if ('notEvaluable' in centre) return centre;
  const filter = isRecord(condition.filter) ? condition.filter : {};
  const limit = typeof filter.value === 'number' ? filter.value : undefined;
  if (limit === undefined || (filter.operator !== 'less-than' && filter.operator !== 'greater-than'))
    return { notEvaluable: 'the distance filter is not complete' };
  const limitKm = condition.unit === 'miles' ? limit * KM_PER_MILE : condition.unit === 'kilometers' ? limit : undefined;
  if (limitKm === undefined) return { notEvaluable: '"unit" must be miles or kilometers' };
  const km = b.profileDistanceKm(centre, []);
  if (isSqlNotEvaluable(km)) return km;
  return b.compareNumber(km, filter.operator, limitKm);
}

/** profile-postal-code-distance: someone's distance from a postal code. */
export const profilePostalCodeDistance: ConditionKind = {
  type: 'profile-postal-code-distance',
  template: {
    title: 'Near a postal code',
    description: "Someone's distance from a postal code.",
    body: '{ "type": "profile-postal-code-distance", "country_code": "${1:USA}", "postal_code": "${2:02141}", "unit": "${3|miles,kilometers|}", "filter": { "type": "numeric", "operator": "${4|less-than,greater-than|}", "value": ${5:10} } }',
  },
  evaluate: evaluatePostal,
  sql: postalSql,
  explain(ctx, condition, profile) {
    const location = (field: string) => ctx.workspace.profileValue(profile, profileValueKey.location(field));
    const position = profilePosition({ latitude: location('latitude'), longitude: location('longitude'), zip: location('zip'), country: location('country') });
    const centre = conditionCentroid(condition);
    if ('notEvaluable' in centre) return { text: centre.notEvaluable };
    if (!position) return { text: `no position (zip ${evidenceValue(location('zip'))}, country ${evidenceValue(location('country'))})` };
    const km = distanceKm(centre, position);
    const distance = condition.unit === 'kilometers' ? `${km.toFixed(1)} km` : `${(km / KM_PER_MILE).toFixed(1)} miles`;
    return { text: `${distance} from ${shown(condition.postal_code)}` };
  },
  describe(c) {
    const f = isRecord(c.filter) ? c.filter : {};
    const unit = c.unit === 'kilometers' ? 'km' : 'miles';
    const where = `${shown(c.postal_code)}, ${shown(c.country_code)}`;
    return f.operator === 'greater-than' ? `lives more than ${shown(f.value)} ${unit} from ${where}` : `lives within ${shown(f.value)} ${unit} of ${where}`;
  },
  notes: () => [
    'Great-circle distance; profiles without a location match neither less-than nor greater-than. Local geodata covers US and Canadian postal codes.',
  ],
  check(condition, report) {
    const code = condition.country_code;
    if (typeof code === 'string' && !isCountryCode(code)) {
      report({
        at: ['country_code'],
        severity: 'warning',
        code: 'unknown-country-code',
        message: `${quoted(code)} is not an ISO 3166 country code; Klaviyo expects an alpha-3 code such as "USA" or "CAN".`,
      });
    } else if (typeof code === 'string' && code.length === 2) {
      const alpha3 = alpha2ToAlpha3(code);
      report({
        at: ['country_code'],
        severity: 'warning',
        code: 'country-code-alpha2',
        message: `Klaviyo documents "country_code" as an ISO alpha-3 code; write ${JSON.stringify(alpha3)} rather than ${JSON.stringify(code)}.`,
        fixes: alpha3 ? [{ title: `Change to ${JSON.stringify(alpha3)}`, value: alpha3, isPreferred: true }] : undefined,
      });
    }
    const value = isRecord(condition.filter) ? condition.filter.value : undefined;
    if (typeof value === 'number' && value <= 0)
      report({ at: ['filter', 'value'], severity: 'warning', code: 'non-positive-distance', message: 'A distance must be positive.' });
  },
};
