import { conditionKind } from './conditions';
import { isRecord } from './outcome';

/**
 * The evaluation rules a condition is subject to that surprise people (docs/semantics.md), to
 * show in its hover: the rules of its filters and timeframe, then its kind's own. "(SL)" marks
 * Segment Lens decisions where Klaviyo documents nothing.
 */
export function conditionNotes(condition: Record<string, unknown>): string[] {
  return [...filterNotes(condition), ...(conditionKind(condition.type)?.notes(condition) ?? [])];
}

/** Rules of a condition's `filter` and date window, whatever its kind. */
function filterNotes(condition: Record<string, unknown>): string[] {
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
    const op = typeof timeframe.operator === 'string' ? timeframe.operator : '';
    if (['in-the-last', 'at-least', 'between', 'in-the-next'].includes(op))
      notes.push('Days start at 00:00 UTC: "in the last 1 day" is yesterday and today (all dates are UTC).');
    if (['before', 'after', 'between-static'].includes(op))
      notes.push('A date at exactly 00:00:00 UTC means the whole day: "after" excludes that day, "between" includes both days (SL).');
    if (op.startsWith('anniversary')) notes.push('29 February anniversaries match day-based rules only in leap years.');
  }
  return notes;
}
