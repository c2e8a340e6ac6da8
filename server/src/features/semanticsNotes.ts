import { isRecord } from '../engine/outcome';

/**
 * The evaluation rules a condition is subject to that surprise people (docs/semantics.md), to
 * show in its hover. "(SL)" marks Segment Lens decisions where Klaviyo documents nothing.
 */
export function ruleNotes(condition: Record<string, unknown>): string[] {
  const notes: string[] = [];
  const filter = isRecord(condition.filter) ? condition.filter : undefined;
  const operator = typeof filter?.operator === 'string' ? filter.operator : '';
  const timeframe = isRecord(condition.timeframe_filter) ? condition.timeframe_filter : filter?.type === 'date' ? filter : undefined;
  if (filter?.type === 'string' && !operator.startsWith('phone')) notes.push('Text comparisons are case-sensitive ("@Gmail.com" is not "@gmail.com").');
  if (operator.startsWith('not-') || operator === 'nregex' || (filter?.type === 'boolean' && filter.value === false)) {
    notes.push('Profiles without this property do not match, not even this negated filter: only "not-set" matches them.');
  }
  if (operator === 'regex' || operator === 'nregex') notes.push('Patterns run with RE2 locally; Klaviyo does not document its dialect (SL).');
  if (timeframe) {
    const op = String(timeframe.operator);
    if (['in-the-last', 'at-least', 'between', 'in-the-next'].includes(op)) notes.push('Days start at 00:00 UTC: "in the last 1 day" is yesterday and today (all dates are UTC).');
    if (['before', 'after', 'between-static'].includes(op)) notes.push('A date at exactly 00:00:00 UTC means the whole day: "after" excludes that day, "between" includes both days (SL).');
    if (op.startsWith('anniversary')) notes.push('29 February anniversaries match day-based rules only in leap years.');
  }
  switch (condition.type) {
    case 'profile-metric': {
      const m = isRecord(condition.measurement_filter) ? condition.measurement_filter : {};
      if ((m.operator === 'equals' && m.value === 0) || m.operator === 'less-than' || m.operator === 'less-than-or-equal') notes.push('Profiles with no such event count as 0, so they match ("zero times").');
      if (condition.measurement === 'sum') notes.push('The sum adds each event\'s "$value"; a missing or non-numeric value counts as 0.');
      break;
    }
    case 'profile-region':
      notes.push('Profiles without a country match neither in_region: true nor false. The EU is the 27 member states (not the UK).');
      break;
    case 'profile-group-membership':
      if (condition.is_member === false) notes.push('"Not in the list" includes profiles that were never in it.');
      if (isRecord(condition.timeframe_filter)) notes.push('The timeframe tests when the profile most recently joined the list (joined_group_at).');
      break;
    case 'profile-marketing-consent':
      notes.push('A profile without an email address cannot receive email; a missing channel record counts as never subscribed (SL).');
      break;
    case 'profile-postal-code-distance':
      notes.push('Great-circle distance; profiles without a location match neither less-than nor greater-than. Local geodata covers US and Canadian postal codes.');
      break;
    case 'profile-predictive-analytics':
      if (condition.dimension === 'predicted_gender' || condition.measurement === 'rank') notes.push('Klaviyo\'s profile API does not return this prediction; it is evaluable only if the workspace carries it.');
      break;
  }
  return notes;
}
