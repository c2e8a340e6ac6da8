import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { compileValueFilter } from '../valueFilter';
import { profileValueKey } from '../workspace';
import { selectByDate, selectProfiles } from './property';

export const NUMERIC_DIMENSIONS = new Set([
  'average_days_between_orders', 'average_order_value', 'churn_probability', 'historic_clv', 'historic_number_of_orders', 'predicted_clv', 'predicted_number_of_orders', 'total_clv',
]);

/**
 * profile-predictive-analytics (semantics §4): numeric dimensions read the field of the same
 * name; the next purchase date reads `expected_date_of_next_order`; channel-affinity priority n
 * means the channel is at 1-based position n of `ranked_channel_affinity` (SL); predicted gender
 * and channel-affinity rank read the workspace extensions `predicted_gender` and
 * `channel_affinity_rank`, and are not evaluable when no profile carries them.
 */
export function evaluatePredictive(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const dimension = condition.dimension;
  const filter = isRecord(condition.filter) ? condition.filter : undefined;
  if (typeof dimension === 'string' && NUMERIC_DIMENSIONS.has(dimension)) return byFilter(ctx, profileValueKey.predictive(dimension), filter);
  if (dimension === 'expected_date_of_next_purchase') return selectByDate(ctx, profileValueKey.predictive('expected_date_of_next_order'), filter);
  if (dimension === 'predicted_gender') {
    const key = profileValueKey.predictive('predicted_gender');
    if (!carries(ctx, key)) return notEvaluable('no profile in the workspace carries predictive_analytics.predicted_gender (Klaviyo\'s profile API does not return it)');
    return byFilter(ctx, key, filter);
  }
  if (dimension === 'channel_affinity') {
    const channel = condition.predicted_channel;
    if (typeof channel !== 'string' || !filter) return notEvaluable('the channel affinity condition is not complete');
    if (condition.measurement === 'priority') {
      // ranked_channel_affinity is in Klaviyo's profile API: a workspace without it simply has no matches.
      const key = profileValueKey.predictive('ranked_channel_affinity');
      const position = filter.value;
      if (filter.operator !== 'equals' || typeof position !== 'number') return notEvaluable('the priority filter is not complete');
      return matched(selectProfiles(ctx, key, (ranked) => Array.isArray(ranked) && ranked[position - 1] === channel, false));
    }
    if (condition.measurement === 'rank') {
      const key = profileValueKey.predictive('channel_affinity_rank');
      if (!carries(ctx, key)) return notEvaluable('no profile in the workspace carries predictive_analytics.channel_affinity_rank (Klaviyo\'s profile API does not return it)');
      const compiled = compileValueFilter(filter, ctx.ref);
      if ('notEvaluable' in compiled) return notEvaluable(compiled.notEvaluable);
      return matched(selectProfiles(ctx, key, (ranks) => {
        const rank = isRecord(ranks) ? ranks[channel] : undefined;
        return rank !== undefined && rank !== null && compiled.test(rank);
      }, false));
    }
  }
  return notEvaluable(`unknown predictive dimension ${JSON.stringify(dimension)}`);
}

/** Whether any profile has a value at `key`. */
function carries(ctx: EvaluationContext, key: string): boolean {
  return (ctx.workspace.column(key)?.presentCount ?? 0) > 0;
}

function byFilter(ctx: EvaluationContext, key: string, filter: Record<string, unknown> | undefined): ConditionOutcome {
  const compiled = compileValueFilter(filter, ctx.ref);
  if ('notEvaluable' in compiled) return notEvaluable(compiled.notEvaluable);
  return matched(selectProfiles(ctx, key, compiled.test, compiled.matchesMissing));
}
