import { Bitset } from '../bitset';
import { countryAlpha2 } from '../countries';
import { distanceKm, KM_PER_MILE, postalCentroid, POSTAL_COUNTRIES, profilePosition, type LatLon } from '../geo';
import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { profileValueKey, type Workspace } from '../workspace';

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
export function conditionCentroid(condition: Condition): LatLon | { notEvaluable: string } {
  const country = countryAlpha2(condition.country_code);
  if (!country) return { notEvaluable: `"${String(condition.country_code)}" is not a country code` };
  if (!POSTAL_COUNTRIES.has(country)) return { notEvaluable: `postal codes of ${country} cannot be placed locally (the packaged geodata covers the US and Canada)` };
  if (typeof condition.postal_code !== 'string') return { notEvaluable: 'the condition has no "postal_code"' };
  return postalCentroid(country, condition.postal_code) ?? { notEvaluable: `postal code ${condition.postal_code} is not in the packaged ${country} geodata` };
}

/**
 * profile-postal-code-distance (semantics §4): great-circle distance between the condition's
 * postal code and the profile's position; `less-than` and `greater-than` are strict, and a
 * profile without a position matches neither.
 */
export function evaluatePostal(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const centre = conditionCentroid(condition);
  if ('notEvaluable' in centre) return notEvaluable(centre.notEvaluable);
  const filter = isRecord(condition.filter) ? condition.filter : {};
  const limit = typeof filter.value === 'number' ? filter.value : undefined;
  if (limit === undefined || (filter.operator !== 'less-than' && filter.operator !== 'greater-than')) return notEvaluable('the distance filter is not complete');
  const limitKm = condition.unit === 'miles' ? limit * KM_PER_MILE : condition.unit === 'kilometers' ? limit : undefined;
  if (limitKm === undefined) return notEvaluable('"unit" must be miles or kilometers');
  const { lat, lon } = profilePositions(ctx.workspace);
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  const closer = filter.operator === 'less-than';
  for (let p = 0; p < n; p++) {
    if (Number.isNaN(lat[p])) continue;
    const d = distanceKm(centre, { lat: lat[p], lon: lon[p] });
    if (closer ? d < limitKm : d > limitKm) set.add(p);
  }
  return matched(set);
}
