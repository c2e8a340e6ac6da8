import { isRecord } from '../engine/outcome';
import { parsePropertyPath } from '../engine/propertyPath';
import { groupsOf, isConsentGroup, type MetricRole } from './definitions';

/**
 * The lifecycle-stage recognizer: which stage a segment definition's *shape* describes, whatever
 * its thresholds ("$500+ or 5+ orders" and "$870+ or 6+ orders" are both VIP definitions).
 * Membership is compared separately (analyze.ts) for files whose shape says nothing.
 */

export interface RecognizeContext {
  roleOf: ReadonlyMap<string, MetricRole>;
  /** The data's at-risk and lapsed windows: a "no order in n days" group is read as the nearer one. */
  atRiskDays: number;
  lapsedDays: number;
  /** Engagement windows with a stage each (engaged-30-days, ...). */
  engagedWindows: readonly number[];
  /** Product categories with a proposed group: lower-case value → stage ID. */
  categories: ReadonlyMap<string, string>;
}

type Window =
  | { kind: 'alltime' }
  | { kind: 'last'; days: number }
  | { kind: 'between'; start: number; end: number }
  | { kind: 'at-least'; days: number }
  | { kind: 'other' };

interface MetricFact {
  role: MetricRole | undefined;
  measurement: 'count' | 'sum';
  /** Inclusive bounds of the measure the condition accepts. */
  min: number | undefined;
  max: number | undefined;
  window: Window;
}

const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, hour: 1 / 24 };

function windowOf(filter: unknown): Window {
  if (!isRecord(filter)) return { kind: 'alltime' };
  const unit = UNIT_DAYS[String(filter.unit ?? 'day')] ?? 1;
  switch (filter.operator) {
    case 'alltime':
      return { kind: 'alltime' };
    case 'in-the-last':
      return typeof filter.quantity === 'number' ? { kind: 'last', days: filter.quantity * unit } : { kind: 'other' };
    case 'at-least':
      return typeof filter.quantity === 'number' ? { kind: 'at-least', days: filter.quantity * unit } : { kind: 'other' };
    case 'between':
      return typeof filter.start === 'number' && typeof filter.end === 'number'
        ? { kind: 'between', start: filter.start * unit, end: filter.end * unit }
        : { kind: 'other' };
  }
  return { kind: 'other' };
}

function boundsOf(filter: unknown, integral: boolean): { min: number | undefined; max: number | undefined } {
  if (!isRecord(filter)) return { min: undefined, max: undefined };
  const v = Number(filter.value);
  switch (filter.operator) {
    case 'equals':
      return { min: v, max: v };
    case 'greater-than-or-equal':
      return { min: v, max: undefined };
    case 'greater-than':
      return { min: integral ? Math.floor(v) + 1 : v, max: undefined };
    case 'less-than-or-equal':
      return { min: undefined, max: v };
    case 'less-than':
      return { min: undefined, max: integral ? Math.ceil(v) - 1 : v };
    case 'between':
      return { min: Number(filter.start), max: Number(filter.end) };
  }
  return { min: undefined, max: undefined };
}

function metricFact(condition: unknown, roleOf: ReadonlyMap<string, MetricRole>): MetricFact | undefined {
  if (!isRecord(condition) || condition.type !== 'profile-metric' || typeof condition.metric_id !== 'string') return undefined;
  const measurement = condition.measurement === 'sum' ? 'sum' : 'count';
  return {
    role: roleOf.get(condition.metric_id),
    measurement,
    ...boundsOf(condition.measurement_filter, measurement === 'count'),
    window: windowOf(condition.timeframe_filter),
  };
}

const did = (f: MetricFact) => f.measurement === 'count' && f.min !== undefined && f.min >= 1 && f.max === undefined;
const never = (f: MetricFact) => f.measurement === 'count' && f.max !== undefined && f.max <= 0;
const isOrder = (f: MetricFact | undefined): f is MetricFact => f?.role === 'order';

const ENGAGEMENT: ReadonlySet<MetricRole> = new Set([
  'openedEmail',
  'clickedEmail',
  'activeOnSite',
  'viewedProduct',
  'addedToCart',
  'startedCheckout',
  'order',
  'orderedProduct',
]);
const PRODUCT_ROLES: ReadonlySet<MetricRole> = new Set(['orderedProduct', 'viewedProduct', 'addedToCart', 'order', 'startedCheckout']);

/** "Created in the last n days": part of Klaviyo's engaged-segment template. */
function isRecentlyCreated(condition: unknown): boolean {
  return (
    isRecord(condition) &&
    condition.type === 'profile-property' &&
    condition.property === 'created' &&
    isRecord(condition.filter) &&
    condition.filter.operator === 'in-the-last'
  );
}

const logDistance = (a: number, b: number) => Math.abs(Math.log(Math.max(a, 1e-3)) - Math.log(Math.max(b, 1e-3)));

/** Lifecycle stages the definition describes by its shape (consent groups are ignored). */
export function recognizeStages(definition: unknown, ctx: RecognizeContext): string[] {
  const stages = new Set<string>();
  const groups = groupsOf(definition).filter((g) => !isConsentGroup(g));
  const facts = groups.map((g) => g.map((c) => metricFact(c, ctx.roleOf)));
  // Lifecycle stages are about behaviour only: a group on location, lists or properties makes a sub-audience.
  const behavioural = groups.length > 0 && groups.every((g, i) => g.length > 0 && g.every((c, j) => facts[i][j] !== undefined || isRecentlyCreated(c)));
  if (behavioural) {
    const single = facts.map((f) => (f.length === 1 ? f[0] : undefined));
    const orderOnly = single.filter(isOrder);
    if (orderOnly.some((f) => f.measurement === 'count' && f.min === 1 && f.max === 1 && f.window.kind === 'alltime')) stages.add('first-time-buyers');
    const twoPlus = orderOnly.some((f) => f.measurement === 'count' && f.min === 2 && f.max === undefined && f.window.kind === 'alltime');
    const vip = facts.some(
      (g) =>
        g.length > 0 &&
        g.every(isOrder) &&
        g.some(
          (f) =>
            f !== undefined &&
            ((f.measurement === 'sum' && f.min !== undefined && f.min > 0) ||
              (f.measurement === 'count' && f.min !== undefined && f.min >= 3 && f.max === undefined)),
        ),
    );
    if (vip) stages.add('vip-customers');
    const quiet = orderOnly.filter((f) => never(f) && f.window.kind === 'last').map((f) => (f.window as { days: number }).days);
    const orderedInWindow = orderOnly.some((f) => did(f) && (f.window.kind === 'between' || f.window.kind === 'at-least'));
    const orderedEver = orderOnly.some((f) => did(f) && f.window.kind === 'alltime');
    if (quiet.length > 0 && (orderedInWindow || orderedEver || twoPlus)) {
      const days = Math.max(...quiet);
      if (twoPlus && orderedInWindow && days < ctx.atRiskDays) stages.add('replenishment-due');
      else stages.add(logDistance(days, ctx.atRiskDays) <= logDistance(days, ctx.lapsedDays) ? 'at-risk-customers' : 'lapsed-customers');
    } else if (twoPlus) {
      stages.add('repeat-buyers');
    }
    const neverOrdered = orderOnly.some((f) => never(f) && f.window.kind === 'alltime');
    const engagedGroups = groups
      .map((g, i) => {
        const gf = facts[i];
        if (
          !g.every(
            (c, j) =>
              isRecentlyCreated(c) ||
              (gf[j]?.role !== undefined && ENGAGEMENT.has(gf[j]?.role as MetricRole) && did(gf[j] as MetricFact) && gf[j]?.window.kind === 'last'),
          )
        )
          return undefined;
        // Orders alone are "recent buyers", not engagement.
        const engagement = gf.filter((f): f is MetricFact => f !== undefined && f.role !== 'order' && f.role !== 'orderedProduct');
        return engagement.length ? Math.max(...gf.filter((f): f is MetricFact => f !== undefined).map((f) => (f.window as { days: number }).days)) : undefined;
      })
      .filter((d): d is number => d !== undefined);
    if (engagedGroups.length) {
      if (neverOrdered) {
        stages.add('engaged-non-buyers');
      } else if (!quiet.length && orderOnly.length === 0) {
        const days = Math.max(...engagedGroups);
        const nearest = [...ctx.engagedWindows].sort((a, b) => logDistance(days, a) - logDistance(days, b))[0];
        if (nearest !== undefined && logDistance(days, nearest) < Math.log(1.35)) stages.add(`engaged-${nearest}-days`);
      }
    }
  }
  for (const category of productCategoriesOf(definition, ctx)) {
    const stage = ctx.categories.get(category);
    if (stage) stages.add(stage);
  }
  return [...stages];
}

/** Lower-case category values a definition selects on (product metrics' filters, genre-like properties). */
function productCategoriesOf(definition: unknown, ctx: RecognizeContext): string[] {
  const found = new Set<string>();
  const addValues = (filter: unknown) => {
    if (!isRecord(filter)) return;
    if (typeof filter.operator === 'string' && filter.operator.startsWith('not')) return;
    const values = Array.isArray(filter.value) ? filter.value : [filter.value];
    for (const v of values) if (typeof v === 'string') found.add(v.toLowerCase());
  };
  for (const conditions of groupsOf(definition)) {
    for (const c of conditions) {
      if (!isRecord(c)) continue;
      if (
        c.type === 'profile-metric' &&
        typeof c.metric_id === 'string' &&
        PRODUCT_ROLES.has(ctx.roleOf.get(c.metric_id) as MetricRole) &&
        Array.isArray(c.metric_filters)
      ) {
        const counted = isRecord(c.measurement_filter) && !(boundsOf(c.measurement_filter, true).max === 0);
        if (!counted) continue;
        for (const f of c.metric_filters)
          if (isRecord(f) && typeof f.property === 'string' && /categor|collection|genre|type/i.test(f.property)) addValues(f.filter);
      }
      if (c.type === 'profile-property' && typeof c.property === 'string') {
        const path = parsePropertyPath(c.property);
        if (path.kind === 'custom' && /genre|categor|interest|favou?rite/i.test(path.name)) addValues(c.filter);
      }
    }
  }
  return [...found];
}
