import { Bitset } from '../bitset';
import { countryAlpha2, EU_MEMBER_STATES } from '../countries';
import { matched, notEvaluable, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { profileValueKey } from '../workspace';

/**
 * profile-region (semantics §4): `location.country` (a name or ISO code) is an EU member state /
 * the United States. A profile without a recognisable country is in neither result, whatever
 * `in_region` says (documented).
 */
export function evaluateRegion(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const region = condition.region;
  const inRegion = condition.in_region;
  if ((region !== 'european_union' && region !== 'united_states') || typeof inRegion !== 'boolean') return notEvaluable('the region condition is not complete');
  const belongs = region === 'european_union' ? (code: string) => EU_MEMBER_STATES.has(code) : (code: string) => code === 'US';
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  ctx.workspace.column(profileValueKey.location('country'))?.select(n, (value) => {
    const code = countryAlpha2(value);
    return code !== undefined && belongs(code) === inRegion;
  }, false, set);
  return matched(set);
}
