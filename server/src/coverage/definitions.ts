import { canonicalJson } from '../engine/canonical';
import { isRecord } from '../engine/outcome';
import type { Workspace } from '../engine/workspace';

/**
 * Reading segment definitions for the coverage analysis: which metrics play which role in the
 * account, the metric and list IDs a definition uses, a normalised key for "equivalent
 * definitions", and builders for the definitions the analysis proposes.
 */

export type MetricRole = 'order' | 'orderedProduct' | 'viewedProduct' | 'addedToCart' | 'startedCheckout' | 'activeOnSite' | 'openedEmail' | 'clickedEmail';

/** Metric names per role (Klaviyo's standard names for its Shopify, API and email metrics). */
const ROLE_NAMES: Record<MetricRole, RegExp> = {
  order: /^(placed order|order placed|order completed)$/i,
  orderedProduct: /^(ordered product|product ordered)$/i,
  viewedProduct: /^(viewed product|product viewed)$/i,
  addedToCart: /^(added to cart|add to cart|added to cart product)$/i,
  startedCheckout: /^(started checkout|checkout started)$/i,
  activeOnSite: /^(active on site)$/i,
  openedEmail: /^(opened email)$/i,
  clickedEmail: /^(clicked email)$/i,
};

export interface MetricRoles {
  /** The metric used for each role in proposals: the one with the most events (none without events). */
  readonly byRole: Partial<Record<MetricRole, string>>;
  /** Every metric ID whose name says its role, events or not (for reading existing files). */
  readonly roleOf: ReadonlyMap<string, MetricRole>;
}

export function metricRoles(workspace: Workspace): MetricRoles {
  const byRole: Partial<Record<MetricRole, string>> = {};
  const best: Partial<Record<MetricRole, number>> = {};
  const roleOf = new Map<string, MetricRole>();
  workspace.metrics.forEach((info, i) => {
    const name = info.name?.trim() ?? '';
    const role = (Object.keys(ROLE_NAMES) as MetricRole[]).find((r) => ROLE_NAMES[r].test(name));
    if (!role) return;
    roleOf.set(info.id, role);
    const count = workspace.events[i].count;
    if (count > 0 && count > (best[role] ?? 0)) {
      best[role] = count;
      byRole[role] = info.id;
    }
  });
  return { byRole, roleOf };
}

/** Metric IDs and list IDs anywhere in a definition (conditions, funnel steps), in order of appearance. */
export function referencedIds(definition: unknown): { metrics: string[]; lists: string[] } {
  const metrics = new Set<string>();
  const lists = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (!isRecord(value)) return;
    if (typeof value.metric_id === 'string') metrics.add(value.metric_id);
    if (value.type === 'profile-group-membership' && Array.isArray(value.group_ids))
      for (const id of value.group_ids) if (typeof id === 'string') lists.add(id);
    for (const child of Object.values(value)) walk(child);
  };
  walk(definition);
  return { metrics: [...metrics], lists: [...lists] };
}

/** Drops null-valued keys (`"timeframe_filter": null` says the same as no key). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

export function groupsOf(definition: unknown): unknown[][] {
  const groups = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  return groups.map((g) => (isRecord(g) && Array.isArray(g.conditions) ? g.conditions : []));
}

/**
 * A key equal for equivalent definitions: groups are ANDed and conditions ORed, so their order
 * and repetitions do not matter; null keys are dropped. Optionally without consent-only groups.
 */
export function definitionKey(definition: unknown, options: { withoutConsent?: boolean } = {}): string {
  let groups = groupsOf(definition);
  if (options.withoutConsent) groups = groups.filter((g) => !isConsentGroup(g));
  const keys = groups.map((conditions) => [...new Set(conditions.map((c) => canonicalJson(withoutNulls(c))))].sort().join('|'));
  return [...new Set(keys)].sort().join('&');
}

export function isEmailConsent(condition: unknown): boolean {
  if (!isRecord(condition) || condition.type !== 'profile-marketing-consent' || !isRecord(condition.consent)) return false;
  return condition.consent.channel === 'email' && condition.consent.can_receive_marketing === true;
}

export function isConsentGroup(conditions: readonly unknown[]): boolean {
  return conditions.length > 0 && conditions.every((c) => isRecord(c) && c.type === 'profile-marketing-consent');
}

/** True when some group requires "can receive email marketing" (alone in its group). */
export function requiresEmailConsent(definition: unknown): boolean {
  return groupsOf(definition).some((g) => g.length > 0 && g.every(isEmailConsent));
}

// ------------------------------------------------------------------------------------------
// Builders, with keys in the order the sample files use.

export type Timeframe = Record<string, unknown>;
export const allTime = (): Timeframe => ({ type: 'date', operator: 'alltime' });
export const inTheLast = (days: number): Timeframe => ({ type: 'date', operator: 'in-the-last', unit: 'day', quantity: days });
export const betweenDaysAgo = (start: number, end: number): Timeframe => ({ type: 'date', operator: 'between', start, end, unit: 'day' });

export function metricCondition(
  metricId: string,
  measurement: 'count' | 'sum',
  operator: string,
  value: number,
  timeframe: Timeframe,
  metricFilters?: unknown[],
): Record<string, unknown> {
  return {
    type: 'profile-metric',
    metric_id: metricId,
    measurement,
    measurement_filter: { type: 'numeric', operator, value },
    timeframe_filter: timeframe,
    ...(metricFilters && metricFilters.length ? { metric_filters: metricFilters } : {}),
  };
}

export const atLeastOnce = (metricId: string, timeframe: Timeframe, metricFilters?: unknown[]) =>
  metricCondition(metricId, 'count', 'greater-than-or-equal', 1, timeframe, metricFilters);
export const zeroTimes = (metricId: string, timeframe: Timeframe) => metricCondition(metricId, 'count', 'equals', 0, timeframe);

export function emailConsentCondition(): Record<string, unknown> {
  return {
    type: 'profile-marketing-consent',
    consent: { channel: 'email', can_receive_marketing: true, consent_status: { subscription: 'any', filters: null } },
  };
}

export const group = (...conditions: Record<string, unknown>[]) => ({ conditions });
export const definitionOf = (...groups: { conditions: Record<string, unknown>[] }[]): Record<string, unknown> => ({ condition_groups: groups });

/** The text a proposal is written as: the sample files' style (2-space JSON, final newline). */
export function segmentFileText(definition: unknown): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}
