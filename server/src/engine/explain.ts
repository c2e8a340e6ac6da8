import { compileMetricFilters, eventValue } from './conditions/metric';
import { propertyKey } from './conditions/property';
import { conditionCentroid } from './conditions/postal';
import { countryAlpha2 } from './countries';
import { describeCondition, type NameLookup } from './describe';
import { distanceKm, KM_PER_MILE, profilePosition } from './geo';
import { isRecord, type EvaluationContext } from './outcome';
import { compileDateFilter } from './time';
import { profileValueKey, type Workspace } from './workspace';

export interface Evidence {
  /** What the data says for this profile, in plain language. */
  text: string;
  /** For metric conditions: the instants of the events that counted. */
  events?: string[];
}

const show = (value: unknown) => (value === undefined ? 'not set' : JSON.stringify(value));

/**
 * Why a condition holds (or not) for one profile: the value it tested, or for a metric condition
 * the count or sum and the events that counted. Used by the preview's "why it matched".
 */
export function explainCondition(workspace: Workspace, condition: unknown, profile: number, names: NameLookup = {}): Evidence {
  if (!isRecord(condition)) return { text: 'not a condition' };
  const ctx: EvaluationContext = { workspace, ref: workspace.ref, checkpoint: () => undefined };
  const value = (key: string) => workspace.profileValue(profile, key);
  switch (condition.type) {
    case 'profile-property': {
      const key = propertyKey(condition.property);
      return { text: 'key' in key ? `${String(condition.property)} = ${show(value(key.key))}` : key.notEvaluable };
    }
    case 'profile-metric': {
      const metric = typeof condition.metric_id === 'string' ? workspace.metric(condition.metric_id) : undefined;
      if (!metric) return { text: `metric ${String(condition.metric_id)} is not in the workspace` };
      const window = compileDateFilter(condition.timeframe_filter, workspace.ref);
      const rowTest = compileMetricFilters(ctx, metric.events, condition.metric_filters);
      if ('notEvaluable' in window || typeof rowTest !== 'function') return { text: 'not evaluable locally' };
      const amount = eventValue(metric.events);
      const times: string[] = [];
      let count = 0;
      let sum = 0;
      for (let row = metric.events.offsets[profile]; row < metric.events.offsets[profile + 1]; row++) {
        if (!window.test(metric.events.times[row]) || !rowTest(row)) continue;
        count++;
        sum += amount(row);
        if (times.length < 50) times.push(new Date(metric.events.times[row]).toISOString());
      }
      const name = names.metricName?.(condition.metric_id as string) ?? String(condition.metric_id);
      const total = condition.measurement === 'sum' ? `sum of $value ${Math.round(sum * 100) / 100} over ${count} event(s)` : `${count} event(s)`;
      return { text: `${name}: ${total} ${describeWindow(condition.timeframe_filter)}`.trim(), events: times };
    }
    case 'profile-group-membership': {
      const id = Array.isArray(condition.group_ids) ? String(condition.group_ids[0]) : '';
      const list = workspace.list(id);
      if (!list) return { text: `list ${id} is not in the workspace` };
      const member = list.membership.members.has(profile);
      const joined = list.membership.joinedAt[profile];
      return { text: member ? `in ${list.info.name ?? id}${Number.isNaN(joined) ? ' (join date unknown)' : `, joined ${new Date(joined).toISOString()}`}` : `not in ${list.info.name ?? id}` };
    }
    case 'profile-marketing-consent': {
      const consent = isRecord(condition.consent) ? condition.consent : {};
      const channel = consent.channel === 'push' ? 'mobile_push' : consent.channel === 'sms' ? 'sms' : 'email';
      const field = (name: string) => value(profileValueKey.subscription(channel, name));
      const can = field(channel === 'email' ? 'can_receive_email_marketing' : channel === 'sms' ? 'can_receive_sms_marketing' : 'can_receive_push_marketing');
      const parts = [`can receive: ${show(can)}`, `consent: ${show(field('consent'))}`];
      if (channel === 'email') parts.unshift(`email: ${show(value(profileValueKey.attribute('email')))}`);
      for (const extra of ['method', 'method_detail', 'double_optin', 'consent_timestamp']) if (field(extra) !== undefined) parts.push(`${extra}: ${show(field(extra))}`);
      return { text: parts.join(', ') };
    }
    case 'profile-postal-code-distance': {
      const location = (f: string) => value(profileValueKey.location(f));
      const position = profilePosition({ latitude: location('latitude'), longitude: location('longitude'), zip: location('zip'), country: location('country') });
      const centre = conditionCentroid(condition);
      if ('notEvaluable' in centre) return { text: centre.notEvaluable };
      if (!position) return { text: `no position (zip ${show(location('zip'))}, country ${show(location('country'))})` };
      const km = distanceKm(centre, position);
      return { text: condition.unit === 'kilometers' ? `${km.toFixed(1)} km from ${String(condition.postal_code)}` : `${(km / KM_PER_MILE).toFixed(1)} miles from ${String(condition.postal_code)}` };
    }
    case 'profile-region': {
      const country = value(profileValueKey.location('country'));
      return { text: `country ${show(country)}${countryAlpha2(country) ? ` (${countryAlpha2(country)})` : ''}` };
    }
    case 'profile-predictive-analytics': {
      const dimension = String(condition.dimension);
      const key = dimension === 'expected_date_of_next_purchase' ? 'expected_date_of_next_order' : dimension === 'channel_affinity' ? (condition.measurement === 'rank' ? 'channel_affinity_rank' : 'ranked_channel_affinity') : dimension;
      return { text: `${key} = ${show(value(profileValueKey.predictive(key)))}` };
    }
  }
  return { text: describeCondition(condition, names) };
}

function describeWindow(filter: unknown): string {
  return isRecord(filter) && filter.operator === 'alltime' ? 'over all time' : 'in the timeframe';
}
