import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { CHANNEL_NAMES, describeFilter, lookup, shown, spaced } from '../phrases';
import { compileValueFilter } from '../valueFilter';
import { profileValueKey } from '../workspace';
import type { ConditionKind } from './kind';
import { isSqlNotEvaluable, type SqlBuilder, type SqlPredicate, type SqlResult } from './sqlBuilder';
import { evidenceValue, selectByDate, selectProfiles } from './property';
import { NUMERIC_OPERATOR_CHOICES } from './snippets';

/** Numeric dimensions: each reads the `predictive_analytics` field of the same name. */
export const NUMERIC_DIMENSIONS: ReadonlySet<string> = new Set([
  'average_days_between_orders',
  'average_order_value',
  'churn_probability',
  'historic_clv',
  'historic_number_of_orders',
  'predicted_clv',
  'predicted_number_of_orders',
  'total_clv',
]);

const DIMENSION_NAMES: Readonly<Record<string, string>> = {
  average_days_between_orders: 'predicted average days between orders',
  average_order_value: 'average order value',
  churn_probability: 'churn risk',
  historic_clv: 'historic CLV',
  historic_number_of_orders: 'number of orders',
  predicted_clv: 'predicted CLV',
  predicted_number_of_orders: 'predicted number of orders',
  total_clv: 'total CLV',
};

/**
 * The `predictive_analytics` field a condition reads: numeric dimensions their own name; the
 * next purchase date `expected_date_of_next_order`; channel-affinity priority
 * `ranked_channel_affinity`, rank the workspace extension `channel_affinity_rank`; predicted
 * gender the extension `predicted_gender`.
 */
function predictiveField(condition: Condition): string | undefined {
  const dimension = condition.dimension;
  if (typeof dimension !== 'string') return undefined;
  if (NUMERIC_DIMENSIONS.has(dimension) || dimension === 'predicted_gender') return dimension;
  if (dimension === 'expected_date_of_next_purchase') return 'expected_date_of_next_order';
  if (dimension === 'channel_affinity') return condition.measurement === 'rank' ? 'channel_affinity_rank' : 'ranked_channel_affinity';
  return undefined;
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

const unknownDimension = (condition: Condition) => notEvaluable(`unknown predictive dimension ${JSON.stringify(condition.dimension)}`);

const notExported = (field: string) =>
  notEvaluable(`no profile in the workspace carries predictive_analytics.${field} (Klaviyo's profile API does not return it)`);

/** Channel affinity: priority n means the channel is at 1-based position n of the ranking (SL); rank compares the channel's rank. */
function evaluateChannelAffinity(ctx: EvaluationContext, condition: Condition, key: string, filter: Record<string, unknown> | undefined): ConditionOutcome {
  const channel = condition.predicted_channel;
  if (typeof channel !== 'string' || !filter) return notEvaluable('the channel affinity condition is not complete');
  if (condition.measurement === 'priority') {
    // ranked_channel_affinity is in Klaviyo's profile API: a workspace without it simply has no matches.
    const position = filter.value;
    if (filter.operator !== 'equals' || typeof position !== 'number') return notEvaluable('the priority filter is not complete');
    return matched(selectProfiles(ctx, key, (ranked) => Array.isArray(ranked) && ranked[position - 1] === channel, false));
  }
  if (condition.measurement !== 'rank') return unknownDimension(condition);
  if (!carries(ctx, key)) return notExported('channel_affinity_rank');
  const compiled = compileValueFilter(filter, ctx.ref);
  if ('notEvaluable' in compiled) return notEvaluable(compiled.notEvaluable);
  return matched(
    selectProfiles(
      ctx,
      key,
      (ranks) => {
        const rank = isRecord(ranks) ? ranks[channel] : undefined;
        return rank !== undefined && rank !== null && compiled.test(rank);
      },
      false,
    ),
  );
}

/**
 * profile-predictive-analytics (semantics §4): the dimension's field (see `predictiveField`)
 * under the filter. Predicted gender and channel-affinity rank are workspace extensions, not
 * evaluable when no profile carries them.
 */
function evaluatePredictive(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const field = predictiveField(condition);
  const filter = isRecord(condition.filter) ? condition.filter : undefined;
  if (field === undefined) return unknownDimension(condition);
  const key = profileValueKey.predictive(field);
  if (condition.dimension === 'expected_date_of_next_purchase') return selectByDate(ctx, key, filter);
  if (condition.dimension === 'channel_affinity') return evaluateChannelAffinity(ctx, condition, key, filter);
  if (field === 'predicted_gender' && !carries(ctx, key)) return notExported(field);
  return byFilter(ctx, key, filter);
}

const notExportedReason = (field: string) => `no profile in the workspace carries predictive_analytics.${field} (Klaviyo's profile API does not return it)`;

/** profile-predictive-analytics as SQL, field by field as `evaluatePredictive` reads them. */
function predictiveSql(condition: Condition, b: SqlBuilder): SqlResult<SqlPredicate> {
  const field = predictiveField(condition);
  const filter = isRecord(condition.filter) ? condition.filter : undefined;
  if (field === undefined) return { notEvaluable: `unknown predictive dimension ${JSON.stringify(condition.dimension)}` };
  const path = ['predictive_analytics', field];
  const value = b.profileValue(path, ['dimension']);
  if (isSqlNotEvaluable(value)) return value;
  if (condition.dimension === 'expected_date_of_next_purchase') return b.dateFilter(b.instant(value), filter, ['filter']);
  if (condition.dimension === 'channel_affinity') {
    const channel = condition.predicted_channel;
    if (typeof channel !== 'string' || !filter) return { notEvaluable: 'the channel affinity condition is not complete' };
    if (condition.measurement === 'priority') {
      const position = filter.value;
      if (filter.operator !== 'equals' || typeof position !== 'number') return { notEvaluable: 'the priority filter is not complete' };
      // Priority n: the channel is the n-th of ranked_channel_affinity (SL).
      return Number.isInteger(position) && position >= 1 ? b.equalsLiteral(b.element(value, position - 1), channel) : b.constant(false);
    }
    if (condition.measurement !== 'rank') return { notEvaluable: `unknown predictive dimension ${JSON.stringify(condition.dimension)}` };
    const missing = b.requireCarried(path, ['measurement'], notExportedReason('channel_affinity_rank'));
    if (missing) return missing;
    const rank = b.field(value, channel);
    const test = b.valueFilter(rank, filter, ['filter']);
    return isSqlNotEvaluable(test) ? test : b.and(b.isPresent(rank), test);
  }
  if (field === 'predicted_gender') {
    const missing = b.requireCarried(path, ['dimension'], notExportedReason(field));
    if (missing) return missing;
  }
  return b.valueFilter(value, filter, ['filter']);
}

/** profile-predictive-analytics: a predictive analytics value (CLV, churn risk, next order date, gender, channel affinity). */
export const profilePredictiveAnalytics: ConditionKind = {
  type: 'profile-predictive-analytics',
  template: {
    title: 'A prediction (CLV, churn, …)',
    description: 'A predictive analytics value.',
    body: `{ "type": "profile-predictive-analytics", "dimension": "\${1|average_order_value,historic_clv,predicted_clv,total_clv,churn_probability,historic_number_of_orders,predicted_number_of_orders,average_days_between_orders|}", "filter": { "type": "numeric", "operator": "\${2|${NUMERIC_OPERATOR_CHOICES}|}", "value": \${3:100} } }`,
  },
  evaluate: evaluatePredictive,
  sql: predictiveSql,
  explain(ctx, condition, profile) {
    const field = predictiveField(condition) ?? shown(condition.dimension);
    return { text: `${field} = ${evidenceValue(ctx.workspace.profileValue(profile, profileValueKey.predictive(field)))}` };
  },
  describe(c) {
    const f = isRecord(c.filter) ? c.filter : {};
    if (c.dimension === 'channel_affinity') {
      const channel = lookup(CHANNEL_NAMES, c.predicted_channel) ?? shown(c.predicted_channel);
      if (c.measurement === 'priority') return `prefers ${channel} as channel #${shown(f.value)}`;
      return `${channel} affinity ${f.operator === 'not-equals' ? 'is not' : 'is'} ${shown(f.value)}`;
    }
    if (c.dimension === 'predicted_gender') return `predicted gender ${f.operator === 'not-equals' ? 'is not' : 'is'} ${spaced(f.value)}`;
    if (c.dimension === 'expected_date_of_next_purchase') return `expected next purchase date ${describeFilter(c.filter)}`;
    const name = lookup(DIMENSION_NAMES, c.dimension) ?? shown(c.dimension);
    return `${name} ${describeFilter(c.filter)}`;
  },
  notes(condition) {
    return condition.dimension === 'predicted_gender' || condition.measurement === 'rank'
      ? ["Klaviyo's profile API does not return this prediction; it is evaluable only if the workspace carries it."]
      : [];
  },
};
