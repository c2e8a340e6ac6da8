/**
 * Validation benchmark: a generated segment file of about 1 MB with 2,000 conditions of every
 * condition type (pretty-printed, like a file in an editor), parsed and validated with the same
 * facade the language server and the CLI use: once from scratch (opening the file) and once per
 * edit of one condition with the previous version's memo (typing).
 */
import { ConditionMemo } from '../server/src/segment/conditionMemo';
import { SegmentLanguage } from '../server/src/segment/languageService';
import { LIST_IDS, METRIC_IDS } from '../server/src/generate';
import { median } from './stats';

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = Record<string, unknown>;

const NUMERIC_OPERATORS = ['greater-than-or-equal', 'greater-than', 'equals', 'not-equals', 'less-than', 'less-than-or-equal'];
const STRING_OPERATORS = ['equals', 'not-equals', 'contains', 'not-contains', 'starts-with', 'not-starts-with', 'ends-with', 'not-ends-with'];

/** Builds `count` conditions cycling through every condition type, with varied filters. */
export function generateConditions(count: number, seed = 7): Json[] {
  const next = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const metricIds = Object.values(METRIC_IDS);
  const listIds = Object.values(LIST_IDS);
  const timeframe = (): Json => {
    switch (int(0, 4)) {
      case 0:
        return { type: 'date', operator: 'alltime' };
      case 1:
        return { type: 'date', operator: 'in-the-last', unit: pick(['day', 'week', 'hour']), quantity: int(1, 365) };
      case 2:
        return { type: 'date', operator: 'between', start: int(1, 30), end: int(31, 400), unit: 'day' };
      case 3:
        return { type: 'date', operator: 'before', date: `2025-0${int(1, 9)}-1${int(0, 9)}T00:00:00+00:00` };
      default:
        return { type: 'date', operator: 'between-static', start: '2024-01-01T00:00:00+00:00', end: `2025-0${int(1, 9)}-15T00:00:00+00:00` };
    }
  };
  const metricFilters = (): Json[] => {
    const filters: Json[] = [];
    for (let i = int(0, 3); i > 0; i--) {
      switch (int(0, 3)) {
        case 0:
          filters.push({ property: '$value', filter: { type: 'numeric', operator: pick(NUMERIC_OPERATORS), value: int(1, 500) } });
          break;
        case 1:
          filters.push({
            property: 'Categories',
            filter: { type: 'list', operator: pick(['contains-any', 'contains-all', 'not-contains-any']), value: [pick(['Jazz', 'Rock', 'Vinyl', 'Soul'])] },
          });
          break;
        case 2:
          filters.push({
            property: 'Source Name',
            filter: { type: 'string', operator: pick(STRING_OPERATORS), value: pick(['web', 'pos', 'shopify_draft_order']) },
          });
          break;
        default:
          filters.push({ property: 'Bot Click', filter: { type: 'boolean', operator: 'equals', value: next() < 0.5 } });
      }
    }
    return filters;
  };
  const builders: (() => Json)[] = [
    () => {
      const c: Json = {
        type: 'profile-metric',
        metric_id: pick(metricIds),
        measurement: pick(['count', 'sum']),
        measurement_filter: { type: 'numeric', operator: pick(NUMERIC_OPERATORS), value: int(0, 20) },
        timeframe_filter: timeframe(),
      };
      const f = metricFilters();
      if (f.length) c.metric_filters = f;
      return c;
    },
    () => {
      switch (int(0, 5)) {
        case 0:
          return {
            type: 'profile-property',
            property: 'email',
            filter: { type: 'string', operator: pick(STRING_OPERATORS), value: pick(['@hotmail.com', '@gmail.com', 'vinyl', 'sarah']) },
          };
        case 1:
          return {
            type: 'profile-property',
            property: "location['city']",
            filter: { type: 'string', operator: 'in', value: ['Boston', 'Columbus', 'Cambridge', 'Berlin'] },
          };
        case 2:
          return {
            type: 'profile-property',
            property: "properties['Loyalty Points']",
            filter: { type: 'numeric', operator: pick(NUMERIC_OPERATORS), value: int(0, 1000) },
          };
        case 3:
          return {
            type: 'profile-property',
            property: "properties['Birthday']",
            filter: { type: 'date', operator: pick(['anniversary', 'anniversary-month']) },
          };
        case 4:
          return {
            type: 'profile-property',
            property: "properties['Tags']",
            filter: { type: 'list', operator: pick(['contains', 'not-contains']), value: pick(['vip', 'beta', 'audiophile']) },
          };
        default:
          return { type: 'profile-property', property: 'created', filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: int(1, 90) } };
      }
    },
    () => ({
      type: 'profile-metric-funnel',
      timeframe_filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: int(7, 365) },
      completion_window_seconds: pick(['HOURS_1', 'DAYS_1', 'DAYS_3', 'WEEKS_1', 'DAYS_30']),
      steps: [
        { metric_exists: true, metric_id: METRIC_IDS['Viewed Product'] },
        { metric_exists: true, metric_id: METRIC_IDS['Added to Cart'], metric_filters: metricFilters().slice(0, 1) },
        { metric_exists: next() < 0.7, metric_id: METRIC_IDS['Placed Order'] },
      ],
    }),
    () => {
      const c: Json = { type: 'profile-group-membership', is_member: next() < 0.7, group_ids: [pick(listIds)] };
      if (c.is_member && next() < 0.5) c.timeframe_filter = { type: 'date', operator: 'in-the-last', unit: 'day', quantity: int(1, 365) };
      return c;
    },
    () => {
      const channel = pick(['email', 'email', 'sms', 'push']);
      const can = channel === 'push' || next() < 0.8;
      const subscription = channel === 'push' ? 'any' : !can ? 'unsubscribed' : channel === 'sms' ? 'subscribed' : pick(['any', 'subscribed']);
      return { type: 'profile-marketing-consent', consent: { channel, can_receive_marketing: can, consent_status: { subscription } } };
    },
    () => {
      const [country, postal] = pick([
        ['USA', '02141'],
        ['USA', '43004'],
        ['USA', '10001'],
        ['CAN', 'M5V 3L9'],
      ]);
      return {
        type: 'profile-postal-code-distance',
        country_code: country,
        postal_code: postal,
        unit: pick(['miles', 'kilometers']),
        filter: { type: 'numeric', operator: pick(['less-than', 'greater-than']), value: int(1, 100) },
      };
    },
    () => ({ type: 'profile-region', in_region: next() < 0.6, region: pick(['european_union', 'united_states']) }),
    () =>
      pick([
        (): Json => ({
          type: 'profile-predictive-analytics',
          dimension: pick([
            'average_order_value',
            'historic_clv',
            'predicted_clv',
            'total_clv',
            'churn_probability',
            'historic_number_of_orders',
            'predicted_number_of_orders',
            'average_days_between_orders',
          ]),
          filter: { type: 'numeric', operator: pick(NUMERIC_OPERATORS), value: int(0, 500) },
        }),
        (): Json => ({
          type: 'profile-predictive-analytics',
          dimension: 'expected_date_of_next_purchase',
          filter: { type: 'date', operator: 'in-the-next', unit: 'day', quantity: int(1, 60) },
        }),
        (): Json => ({
          type: 'profile-predictive-analytics',
          dimension: 'predicted_gender',
          filter: { type: 'string', operator: 'equals', value: pick(['likely_female', 'likely_male', 'uncertain']) },
        }),
      ])(),
    () => ({
      type: 'profile-has-custom-object',
      object_type_id: `01J${int(100000, 999999)}ABCDEFGHJKMNPQRST`.slice(0, 26),
      object_type_relationship_id: `01J${int(100000, 999999)}ZYXWVTSRQPNMKJHGF`.slice(0, 26),
      filter: { type: 'numeric', operator: 'greater-than-or-equal', value: int(1, 5) },
      filters: [],
    }),
    () => ({
      type: 'profile-permissions',
      channel: pick(['whatsapp_marketing', 'whatsapp_transactional']),
      permission: {
        reachable_status: pick([
          'implicitly_or_explicitly_reachable',
          'implicitly_reachable',
          'implicitly_or_explicitly_unreachable',
          'implicitly_unreachable',
        ]),
      },
    }),
  ];
  // Types weighted like real segments: metric and property conditions dominate.
  const weights = [6, 5, 1, 2, 2, 1, 1, 1, 0.5, 0.5];
  const total = weights.reduce((a, b) => a + b, 0);
  const out: Json[] = [];
  for (let i = 0; i < count; i++) {
    // Every type at least once in each block of 20, the rest by weight.
    const k =
      i % 20 < builders.length
        ? i % 20
        : (() => {
            let x = next() * total;
            for (let t = 0; t < weights.length; t++) if ((x -= weights[t]) < 0) return t;
            return 0;
          })();
    out.push(builders[k]());
  }
  return out;
}

/** The ~1 MB segment file: an API create body with `conditions` conditions in groups of 10. */
export function generateSegmentText(conditions = 2000): string {
  const all = generateConditions(conditions);
  const groups: Json[] = [];
  for (let i = 0; i < all.length; i += 10) groups.push({ conditions: all.slice(i, i + 10) });
  const body = { data: { type: 'segment', attributes: { name: 'Benchmark: 2,000 conditions', definition: { condition_groups: groups }, is_starred: false } } };
  return JSON.stringify(body, null, 2) + '\n';
}

export interface ValidationResult {
  bytes: number;
  conditions: number;
  problems: number;
  /** Opening the file: parse + validate from scratch. */
  medianMs: number;
  times: number[];
  /** Typing: one condition's value changed, parse + validate with the previous version's memo (what the language server does). */
  editMedianMs: number;
  editTimes: number[];
}

/**
 * The text after the `index`-th edit of a typing session: one condition's value changed (the
 * `quantity` of a relative-date filter, a different condition each time, around the middle of the file).
 */
export function editedText(text: string, index: number): string {
  const key = '"quantity": ';
  const at = text.indexOf(key, Math.floor(text.length / 2) + index * 997);
  if (at < 0) throw new Error('the benchmark file has no "quantity" past its middle');
  const from = at + key.length;
  const to = from + /^\d+/.exec(text.slice(from))![0].length;
  return `${text.slice(0, from)}${400 + (index % 300)}${text.slice(to)}`;
}

/**
 * Median of `runs` parse+validate runs from scratch (one untimed warm-up, which also compiles the
 * schema), then of `runs` edits: each edited text parsed and validated with the memo of the
 * version before it (ConditionMemo, as the language server keeps one per open document). Each
 * edit's problems are checked against a validation from scratch (untimed).
 */
export function runValidationBench(runs: number): ValidationResult {
  const text = generateSegmentText();
  const language = new SegmentLanguage();
  const warm = language.validate(language.parse(text));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    language.validate(language.parse(text));
    times.push(performance.now() - started);
  }
  const memo = new ConditionMemo();
  language.validate(language.parse(text), { reuse: memo });
  const editTimes: number[] = [];
  let current = text;
  for (let i = 0; i < runs; i++) {
    current = editedText(current, i);
    const started = performance.now();
    const problems = language.validate(language.parse(current), { reuse: memo });
    editTimes.push(performance.now() - started);
    if (JSON.stringify(problems) !== JSON.stringify(language.validate(language.parse(current))))
      throw new Error(`edit ${i + 1}: the problems with the memo differ from those found from scratch`);
  }
  return {
    bytes: Buffer.byteLength(text),
    conditions: 2000,
    problems: warm.length,
    medianMs: median(times),
    times,
    editMedianMs: median(editTimes),
    editTimes,
  };
}
