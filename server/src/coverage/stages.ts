import type { Column } from '../engine/column';
import type { Cancellation } from '../engine/outcome';
import type { Evaluator } from '../engine/evaluator';
import type { Bitset } from '../engine/bitset';
import { DAY_MS } from '../engine/time';
import type { Workspace } from '../engine/workspace';
import {
  allTime,
  atLeastOnce,
  betweenDaysAgo,
  definitionOf,
  emailConsentCondition,
  group,
  inTheLast,
  metricCondition,
  zeroTimes,
  type MetricRoles,
} from './definitions';
import { formatCount, formatMoney, niceFloor, quantile, slug, stepUp } from './stats';
import type { CoverageOptions, CoverageThresholds, IntendedUse, Priority } from './types';

/**
 * The lifecycle stages the analysis knows, the thresholds it derives from the data's
 * distributions, and the definition it proposes for each stage (with the workspace's real IDs).
 */

export const LIFECYCLE_STAGES = [
  'first-time-buyers',
  'repeat-buyers',
  'vip-customers',
  'replenishment-due',
  'at-risk-customers',
  'lapsed-customers',
  'engaged-non-buyers',
  'engaged-30-days',
  'engaged-60-days',
  'engaged-90-days',
] as const;

export const ENGAGED_WINDOWS = [30, 60, 90];
/** "Viewed it twice in 180 days" marks interest in a category; one view is noise. */
export const INTEREST_VIEWS = 2;
export const INTEREST_DAYS = 180;
/** Klaviyo's engaged-segment template keeps new sign-ups in for their first 15 days. */
export const NEW_PROFILE_DAYS = 15;
/** A category in more than this share of product events (e.g. "Vinyl") tells nothing apart. */
const UBIQUITOUS_CATEGORY_SHARE = 0.6;
const AT_RISK_STEPS = [30, 60, 90, 120, 180, 270];
const LAPSED_STEPS = [180, 270, 365, 540, 730];
/** Fewer repeat-order gaps than this: use the default windows (90/365 days) and propose no replenishment. */
const MIN_GAPS = 20;

export interface StageCandidate {
  stage: string;
  title: string;
  definition: Record<string, unknown>;
  /** How the data supports it (counts), without the audience size. */
  basis: string;
  use: IntendedUse;
  priority: Priority;
  /** Thresholds taken from the data need a business decision; plain rules can be created as they are. */
  status: 'ready to create' | 'needs business review';
  recommendation: string;
  /** Filled after evaluation. */
  set?: Bitset;
  matched?: number | null;
}

export interface UnsupportedStage {
  stage: string;
  title: string;
  basis: string;
}

interface OrderStats {
  buyers: number;
  counts: number[];
  sums: number[];
  gaps: number[];
  withValue: number;
}

function orderStats(workspace: Workspace, orderId: string | undefined): OrderStats {
  const stats: OrderStats = { buyers: 0, counts: [], sums: [], gaps: [], withValue: 0 };
  const metric = orderId ? workspace.metric(orderId) : undefined;
  if (!metric) return stats;
  const { offsets, times, properties } = metric.events;
  const value = properties.get('$value');
  for (let p = 0; p < workspace.profileCount; p++) {
    const start = offsets[p];
    const end = offsets[p + 1];
    if (end === start) continue;
    stats.buyers++;
    stats.counts.push(end - start);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const v = value?.get(i);
      if (typeof v === 'number' && Number.isFinite(v)) {
        sum += v;
        stats.withValue++;
      }
      if (i > start) stats.gaps.push((times[i] - times[i - 1]) / DAY_MS);
    }
    stats.sums.push(Math.round(sum * 100) / 100);
  }
  const ascending = (a: number, b: number) => a - b;
  stats.counts.sort(ascending);
  stats.sums.sort(ascending);
  stats.gaps.sort(ascending);
  return stats;
}

export function deriveThresholds(workspace: Workspace, roles: MetricRoles, options: CoverageOptions): { thresholds: CoverageThresholds; stats: OrderStats } {
  const stats = orderStats(workspace, roles.byRole.order);
  const ordersP90 = quantile(stats.counts, 0.9);
  const spendP90 = stats.withValue > 0 ? quantile(stats.sums, 0.9) : null;
  const enoughGaps = stats.gaps.length >= MIN_GAPS;
  const medianGap = enoughGaps ? quantile(stats.gaps, 0.5) : null;
  const p75Gap = enoughGaps ? quantile(stats.gaps, 0.75) : null;
  const p95Gap = enoughGaps ? quantile(stats.gaps, 0.95) : null;
  const atRiskDays = p75Gap === null ? 90 : stepUp(p75Gap, AT_RISK_STEPS);
  const lapsedDays = Math.max(p95Gap === null ? 365 : stepUp(p95Gap, LAPSED_STEPS), atRiskDays + 30);
  const replenishmentDays = medianGap === null ? null : Math.max(7, Math.round(medianGap));
  const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    stats,
    thresholds: {
      buyers: stats.buyers,
      ordersP90,
      vipOrders: ordersP90 === null ? null : Math.max(3, Math.ceil(ordersP90)),
      spendP90: round1(spendP90),
      vipSpend: spendP90 === null || spendP90 <= 0 ? null : niceFloor(spendP90),
      repeatGaps: stats.gaps.length,
      medianGapDays: round1(medianGap),
      p75GapDays: round1(p75Gap),
      p95GapDays: round1(p95Gap),
      replenishmentDays,
      atRiskDays,
      atRiskEndDays: Math.min(2 * atRiskDays, lapsedDays),
      lapsedDays,
      engagedWindows: ENGAGED_WINDOWS,
      coverJaccard: options.coverJaccard ?? 0.8,
      duplicateJaccard: options.duplicateJaccard ?? 0.9,
      tooBroadShare: options.tooBroadShare ?? 0.8,
      staleMetricDays: options.staleMetricDays ?? 180,
      minAudience: options.minAudience ?? Math.max(10, Math.ceil(0.005 * workspace.profileCount)),
    },
  };
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** A boolean event property that marks bot clicks (e.g. "Bot Click"), to leave them out. */
function botProperty(workspace: Workspace, metricId: string): string | undefined {
  const properties = workspace.metric(metricId)?.events.properties;
  if (!properties) return undefined;
  for (const [name, column] of properties) if (/bot/i.test(name) && column.distinctValues?.every((v) => typeof v === 'boolean')) return name;
  return undefined;
}

/** Collects the candidates of the stages the data supports, and why it supports the others not. */
interface Collector {
  readonly candidates: StageCandidate[];
  readonly unsupported: UnsupportedStage[];
}

const add = (into: Collector, c: StageCandidate) => into.candidates.push(c);
const no = (into: Collector, stage: string, title: string, basis: string) => into.unsupported.push({ stage, title, basis });

/** Candidates for every lifecycle stage the data can support, and the stages it cannot. */
export function lifecycleCandidates(
  workspace: Workspace,
  roles: MetricRoles,
  t: CoverageThresholds,
): { candidates: StageCandidate[]; unsupported: UnsupportedStage[] } {
  const into: Collector = { candidates: [], unsupported: [] };
  const order = roles.byRole.order;
  if (!order) {
    for (const [stage, title] of [
      ['first-time-buyers', 'First-time buyers'],
      ['repeat-buyers', 'Repeat buyers'],
      ['vip-customers', 'VIP customers'],
      ['replenishment-due', 'Due to reorder (replenishment)'],
      ['at-risk-customers', 'At-risk customers'],
      ['lapsed-customers', 'Lapsed customers'],
      ['engaged-non-buyers', 'Engaged non-buyers'],
    ]) {
      no(into, stage, title, 'the workspace has no Placed Order events');
    }
  } else {
    buyerCandidates(into, order, t);
    recencyCandidates(into, order, roles, t);
  }
  engagedCandidates(into, workspace, roles);
  return into;
}

/** First-time, repeat and VIP buyers, and those due to reorder. */
function buyerCandidates(into: Collector, order: string, t: CoverageThresholds): void {
  const buyers = formatCount(t.buyers);
  add(into, {
    stage: 'first-time-buyers',
    title: 'First-time buyers',
    definition: definitionOf(group(metricCondition(order, 'count', 'equals', 1, allTime()))),
    basis: `${buyers} profiles have placed an order; this many placed exactly one`,
    use: 'flow branching',
    priority: 'high',
    status: 'ready to create',
    recommendation: 'Create it and branch post-purchase flows on it to earn the second order.',
  });
  add(into, {
    stage: 'repeat-buyers',
    title: 'Repeat buyers',
    definition: definitionOf(group(metricCondition(order, 'count', 'greater-than-or-equal', 2, allTime()))),
    basis: `of the ${buyers} buyers, this many ordered twice or more`,
    use: 'campaign targeting',
    priority: 'medium',
    status: 'ready to create',
    recommendation: 'Create it for loyalty campaigns and to exclude repeat customers from first-order offers.',
  });
  if (t.vipOrders !== null) {
    const conditions = [
      ...(t.vipSpend !== null ? [metricCondition(order, 'sum', 'greater-than-or-equal', t.vipSpend, allTime())] : []),
      metricCondition(order, 'count', 'greater-than-or-equal', t.vipOrders, allTime()),
    ];
    const spend =
      t.vipSpend !== null && t.spendP90 !== null
        ? `the top 10% of the ${buyers} buyers spent ${formatMoney(t.spendP90)} or more (rounded down to ${formatMoney(t.vipSpend)}); `
        : '';
    add(into, {
      stage: 'vip-customers',
      title: 'VIP customers',
      definition: definitionOf(group(...conditions)),
      basis: `${spend}10% placed ${t.ordersP90 ?? t.vipOrders}+ orders (threshold ${t.vipOrders}); this many meet either`,
      use: 'campaign targeting',
      priority: 'high',
      status: 'needs business review',
      recommendation: 'Create it for early access and VIP offers; confirm the spend and order thresholds with the business.',
    });
  }
  if (t.replenishmentDays !== null && t.replenishmentDays + 1 < t.atRiskDays) {
    const c = t.replenishmentDays;
    const end = Math.min(2 * c, t.atRiskDays - 1);
    add(into, {
      stage: 'replenishment-due',
      title: 'Due to reorder (replenishment)',
      definition: definitionOf(
        group(metricCondition(order, 'count', 'greater-than-or-equal', 2, allTime())),
        group(atLeastOnce(order, betweenDaysAgo(c, end))),
        group(zeroTimes(order, inTheLast(c))),
      ),
      basis: `half of the ${formatCount(t.repeatGaps)} repeat orders came within ${t.medianGapDays} days of the previous one; repeat buyers whose last order was ${c}–${end} days ago`,
      use: 'flow branching',
      priority: 'medium',
      status: 'needs business review',
      recommendation: `Create it for a reorder reminder flow timed to the ${days(c)} cycle; check which products are actually replenished.`,
    });
  } else {
    no(
      into,
      'replenishment-due',
      'Due to reorder (replenishment)',
      t.repeatGaps < MIN_GAPS
        ? `only ${t.repeatGaps} repeat orders: too few to find a purchase cycle`
        : 'the typical purchase cycle is as long as the at-risk window',
    );
  }
}

/** At-risk and lapsed customers (by the silence since their last order) and engaged non-buyers. */
function recencyCandidates(into: Collector, order: string, roles: MetricRoles, t: CoverageThresholds): void {
  const r = roles.byRole;
  const w = t.atRiskDays;
  add(into, {
    stage: 'at-risk-customers',
    title: 'At-risk customers',
    definition: definitionOf(group(atLeastOnce(order, betweenDaysAgo(w, t.atRiskEndDays))), group(zeroTimes(order, inTheLast(w)))),
    basis: `${t.p75GapDays === null ? 'default window' : `75% of repeat orders come within ${t.p75GapDays} days of the previous one`}; customers whose last order was ${w}–${t.atRiskEndDays} days ago`,
    use: 'reactivation',
    priority: 'high',
    status: 'needs business review',
    recommendation: `Create it for a win-back flow before customers lapse; the ${days(w)} window follows the purchase cycle.`,
  });
  const l = t.lapsedDays;
  add(into, {
    stage: 'lapsed-customers',
    title: 'Lapsed customers',
    definition: definitionOf(
      group(atLeastOnce(order, allTime())),
      group(zeroTimes(order, inTheLast(l))),
      ...(r.activeOnSite ? [group(zeroTimes(r.activeOnSite, inTheLast(l)))] : []),
      ...(r.openedEmail ? [group(zeroTimes(r.openedEmail, inTheLast(l)))] : []),
    ),
    basis: `${t.p95GapDays === null ? 'default window' : `95% of repeat orders come within ${t.p95GapDays} days of the previous one`}; customers with no order${r.activeOnSite ? ', site visit' : ''}${r.openedEmail ? ' or email open' : ''} in ${days(l)}`,
    use: 'reactivation',
    priority: 'high',
    status: 'needs business review',
    recommendation: 'Create it for a last-chance win-back, then suppress those who stay silent to protect deliverability.',
  });
  const browse = [r.viewedProduct, r.addedToCart, r.activeOnSite, r.openedEmail].filter((id): id is string => id !== undefined);
  if (browse.length) {
    add(into, {
      stage: 'engaged-non-buyers',
      title: 'Engaged non-buyers',
      definition: definitionOf(group(zeroTimes(order, allTime())), group(...browse.map((id) => atLeastOnce(id, inTheLast(90))))),
      basis: 'never ordered, but browsed, carted, visited or opened an email in the last 90 days',
      use: 'campaign targeting',
      priority: 'medium',
      status: 'ready to create',
      recommendation: 'Create it for first-purchase offers and browse-abandonment content.',
    });
  } else {
    no(into, 'engaged-non-buyers', 'Engaged non-buyers', 'the workspace has no browsing or email-open events');
  }
}

/** Engaged in the last 30, 60 and 90 days: can receive email and opened, clicked, visited or ordered. */
function engagedCandidates(into: Collector, workspace: Workspace, roles: MetricRoles): void {
  const r = roles.byRole;
  const order = r.order;
  const engagement = [r.openedEmail, r.clickedEmail, r.activeOnSite].filter((id): id is string => id !== undefined);
  for (const window of ENGAGED_WINDOWS) {
    const stage = `engaged-${window}-days`;
    const title = `Engaged (${window} days)`;
    if (!engagement.length) {
      no(into, stage, title, 'the workspace has no email-open, click or site-activity events');
      continue;
    }
    const bot = r.clickedEmail ? botProperty(workspace, r.clickedEmail) : undefined;
    const conditions = [
      ...(r.openedEmail ? [atLeastOnce(r.openedEmail, inTheLast(window))] : []),
      ...(r.clickedEmail
        ? [atLeastOnce(r.clickedEmail, inTheLast(window), bot ? [{ property: bot, filter: { type: 'boolean', operator: 'equals', value: false } }] : undefined)]
        : []),
      ...(r.activeOnSite ? [atLeastOnce(r.activeOnSite, inTheLast(window))] : []),
      ...(order ? [atLeastOnce(order, inTheLast(window))] : []),
      ...(workspace.column('attributes.created')
        ? [{ type: 'profile-property', property: 'created', filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: NEW_PROFILE_DAYS } }]
        : []),
    ];
    add(into, {
      stage,
      title,
      definition: definitionOf(group(emailConsentCondition()), group(...conditions)),
      basis: `can receive email and opened, clicked${bot ? ' (not a bot)' : ''}, visited or ordered in the last ${window} days, or signed up in the last ${NEW_PROFILE_DAYS}`,
      use: 'campaign targeting',
      priority: window === 90 ? 'high' : 'medium',
      status: 'ready to create',
      recommendation: `Create it as the default send audience${window === 90 ? '' : ' for frequent campaigns'}: mailing only engaged profiles protects deliverability.`,
    });
  }
}

/** The list- or text-valued event property that holds product categories, if any. */
function categoryProperty(workspace: Workspace, metricId: string | undefined): { name: string; column: Column; list: boolean; count: number } | undefined {
  const events = metricId ? workspace.metric(metricId)?.events : undefined;
  if (!events) return undefined;
  const names = [...events.properties.keys()];
  const name = names.find((n) => /^categor(y|ies)$/i.test(n)) ?? names.find((n) => /categor|collection|genre|product ?type/i.test(n));
  if (!name) return undefined;
  const column = events.properties.get(name) as Column;
  const summary = column.summarize(events.count, 1);
  const list = (summary.types.list ?? 0) >= (summary.types.string ?? 0);
  if (!list && !summary.types.string) return undefined;
  return { name, column, list, count: events.count };
}

/**
 * Product-interest groups: the most common categories of ordered (and viewed) products, except
 * those on most products. Returns up to `limit × 2` candidates; the caller keeps the `limit` largest.
 */
export function productInterestCandidates(workspace: Workspace, roles: MetricRoles, limit: number): StageCandidate[] {
  const ordered = categoryProperty(workspace, roles.byRole.orderedProduct);
  const viewed = categoryProperty(workspace, roles.byRole.viewedProduct);
  const source = ordered ?? viewed;
  if (!source) return [];
  const counts = new Map<string, { value: string; events: number }>();
  for (const { value, count } of source.column.summarize(source.count, 2000).topValues) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of new Set(values)) {
      if (typeof v !== 'string' || v === '') continue;
      const entry = counts.get(v.toLowerCase()) ?? { value: v, events: 0 };
      entry.events += count;
      counts.set(v.toLowerCase(), entry);
    }
  }
  const categories = [...counts.values()]
    .filter((c) => c.events <= UBIQUITOUS_CATEGORY_SHARE * source.count)
    .sort((a, b) => b.events - a.events)
    .slice(0, limit * 2);
  const filterFor = (property: { name: string; list: boolean }, value: string) => [
    {
      property: property.name,
      filter: property.list ? { type: 'list', operator: 'contains-any', value: [value] } : { type: 'string', operator: 'equals', value },
    },
  ];
  return categories.map(({ value }) => {
    const conditions = [
      ...(ordered && roles.byRole.orderedProduct ? [atLeastOnce(roles.byRole.orderedProduct, allTime(), filterFor(ordered, value))] : []),
      ...(viewed && roles.byRole.viewedProduct
        ? [metricCondition(roles.byRole.viewedProduct, 'count', 'greater-than-or-equal', INTEREST_VIEWS, inTheLast(INTEREST_DAYS), filterFor(viewed, value))]
        : []),
    ];
    return {
      stage: `product-interest-${slug(value)}`,
      title: `Product interest: ${value}`,
      definition: definitionOf(group(...conditions)),
      basis: `${value} is in ${formatCount(counts.get(value.toLowerCase())?.events ?? 0)} of ${formatCount(source.count)} ${ordered ? 'ordered' : 'viewed'} products; people who ordered ${value} ever${viewed ? ` or viewed it ${INTEREST_VIEWS}+ times in ${INTEREST_DAYS} days` : ''}`,
      use: 'campaign targeting' as const,
      priority: 'low' as const,
      status: 'needs business review' as const,
      recommendation: `Create it for ${value} new-arrival and restock campaigns if the category has its own programme.`,
    };
  });
}

/** Evaluates candidates in place; returns those the data supports (≥ minAudience). */
export function evaluateCandidates(candidates: StageCandidate[], evaluator: Evaluator, cancellation: Cancellation | undefined): void {
  for (const candidate of candidates) {
    const result = evaluator.evaluateDefinition(candidate.definition, { cancellation });
    candidate.set = result.set;
    candidate.matched = result.matched;
  }
}
