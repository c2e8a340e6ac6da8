import { Bitset } from '../bitset';
import { countryAlpha2, EU_MEMBER_STATES } from '../countries';
import { matched, notEvaluable, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { profileValueKey } from '../workspace';
import type { ConditionKind } from './kind';
import { isSqlNotEvaluable, type SqlBuilder, type SqlPredicate, type SqlResult } from './sqlBuilder';
import { evidenceValue } from './property';

/**
 * profile-region (semantics §4): `location.country` (a name or ISO code) is an EU member state /
 * the United States. A profile without a recognisable country is in neither result, whatever
 * `in_region` says (documented).
 */
function evaluateRegion(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const region = condition.region;
  const inRegion = condition.in_region;
  if ((region !== 'european_union' && region !== 'united_states') || typeof inRegion !== 'boolean') return notEvaluable('the region condition is not complete');
  const belongs = region === 'european_union' ? (code: string) => EU_MEMBER_STATES.has(code) : (code: string) => code === 'US';
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  ctx.workspace.column(profileValueKey.location('country'))?.select(
    n,
    (value) => {
      const code = countryAlpha2(value);
      return code !== undefined && belongs(code) === inRegion;
    },
    false,
    set,
  );
  return matched(set);
}

/** profile-region as SQL: the country's code in (or, when it is one, not in) the region; no country is in neither. */
function regionSql(condition: Condition, b: SqlBuilder): SqlResult<SqlPredicate> {
  const region = condition.region;
  if ((region !== 'european_union' && region !== 'united_states') || typeof condition.in_region !== 'boolean')
    return { notEvaluable: 'the region condition is not complete' };
  const country = b.profileValue(['location', 'country'], []);
  if (isSqlNotEvaluable(country)) return country;
  const code = b.countryCode(country, []);
  const members = region === 'european_union' ? [...EU_MEMBER_STATES] : ['US'];
  return condition.in_region ? b.textIn(code, members) : b.and(b.hasText(code), b.not(b.textIn(code, members)));
}

/** profile-region: whether someone is (or is not) in the EU or the US. */
export const profileRegion: ConditionKind = {
  type: 'profile-region',
  template: {
    title: 'In the EU or the US',
    description: "By the location's country; profiles without a country match neither way.",
    body: '{ "type": "profile-region", "in_region": ${1|true,false|}, "region": "${2|european_union,united_states|}" }',
  },
  evaluate: evaluateRegion,
  sql: regionSql,
  explain(ctx, _condition, profile) {
    const country = ctx.workspace.profileValue(profile, profileValueKey.location('country'));
    const code = countryAlpha2(country);
    return { text: `country ${evidenceValue(country)}${code ? ` (${code})` : ''}` };
  },
  describe(c) {
    const region = c.region === 'united_states' ? 'the US' : 'the EU';
    return c.in_region === false ? `is not in ${region}` : `is in ${region}`;
  },
  notes: () => ['Profiles without a country match neither in_region: true nor false. The EU is the 27 member states (not the UK).'],
};
