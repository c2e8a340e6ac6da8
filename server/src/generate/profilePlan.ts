/**
 * A profile's lifecycle plan: its cohort, how many orders it places and when its activity stops.
 * Cheap and a pure function of (seed, index), so the generator computes it twice: once to size
 * every profile's event budget and once to generate the profile.
 */
import { DAY, sampleTime } from './calendar';
import type { GenContext } from './context';
import { Rng, WeightedTable } from './prng';

export const Cohort = { Dormant: 0, Passive: 1, Browser: 2, OneTime: 3, Repeat: 4, Vip: 5 } as const;
export type CohortValue = (typeof Cohort)[keyof typeof Cohort];
export const COHORT_NAMES: readonly string[] = ['dormant', 'passive', 'browser', 'one-time', 'repeat', 'vip'];

const COHORTS = WeightedTable.of<CohortValue>([
  [Cohort.Dormant, 8],
  [Cohort.Passive, 12],
  [Cohort.Browser, 26],
  [Cohort.OneTime, 26],
  [Cohort.Repeat, 22],
  [Cohort.Vip, 6],
]);
const IMPORTED_COHORTS = WeightedTable.of<CohortValue>([
  [Cohort.Dormant, 30],
  [Cohort.Passive, 25],
  [Cohort.Browser, 15],
  [Cohort.OneTime, 15],
  [Cohort.Repeat, 11],
  [Cohort.Vip, 4],
]);
/** Relative weight of engagement events per cohort. */
const ENGAGEMENT_FACTOR: readonly number[] = [0, 0.5, 1.2, 0.8, 1.2, 2.5];
/** Expected events per order: placed + ~1.9 products + fulfilled + ~0.85 checkout + refunds. */
export const EVENTS_PER_ORDER = 4.7;

// Recency classes: days since the last activity, [lo, hi).
const RECENCY_BOUNDS: readonly (readonly [number, number])[] = [
  [0, 30],
  [30, 90],
  [90, 180],
  [180, 365],
  [365, 100_000],
];
const RECENCY_WEIGHTS: readonly (readonly number[])[] = [
  [1, 1, 1, 1, 1], // dormant (unused)
  [1, 1, 1, 1, 1], // passive (unused)
  [35, 25, 15, 12, 13], // browser
  [15, 15, 17, 20, 33], // one-time
  [25, 20, 20, 15, 20], // repeat
  [50, 20, 15, 8, 7], // vip
];

/** The lifecycle decisions for one profile; a pure function of (seed, index). */
export interface ProfilePlan {
  readonly index: number;
  readonly created: number;
  readonly imported: boolean;
  readonly cohort: CohortValue;
  readonly nOrders: number;
  /** Days between orders for replenishment-style buyers, else 0. */
  readonly cadenceDays: number;
  /** When the profile's own activity (orders, opens, site visits) stops. */
  readonly lastActive: number;
  /** Expected order-related events. */
  readonly orderCost: number;
  /** Relative weight of engagement events. */
  readonly engagement: number;
}

export function planProfile(ctx: GenContext, index: number): ProfilePlan {
  const rng = new Rng(ctx.seed, index, 1);
  const created = ctx.createdAt(index);
  const imported = index < ctx.importCount;
  const lifeDays = (ctx.now - created) / DAY;
  let cohort = (imported ? IMPORTED_COHORTS : COHORTS).sample(rng);
  if (cohort === Cohort.Vip && lifeDays < 60) cohort = Cohort.Repeat;
  if (cohort === Cohort.Repeat && lifeDays < 5) cohort = Cohort.OneTime;

  let nOrders = 0;
  if (cohort === Cohort.OneTime) nOrders = 1;
  else if (cohort === Cohort.Repeat) nOrders = 1 + Math.min(5, rng.geometric(0.5));
  else if (cohort === Cohort.Vip) nOrders = Math.min(60, 5 + Math.floor(rng.lognormal(1.4, 0.75)));
  nOrders = Math.min(nOrders, 1 + Math.floor(lifeDays / 5));
  const cadenceDays = nOrders >= 3 && rng.chance(0.3) ? rng.intBetween(21, 60) : 0;

  const lastActive = cohort !== Cohort.Dormant && cohort !== Cohort.Passive ? lastActiveTime(rng, ctx, cohort, created, lifeDays) : created;
  const span = Math.min(3, (lifeDays + 30) / 365);
  const engagement = Math.min(30, ENGAGEMENT_FACTOR[cohort]! * rng.lognormal(0, 0.8) * Math.pow(span, 0.7));
  return { index, created, imported, cohort, nOrders, cadenceDays, lastActive, orderCost: nOrders * EVENTS_PER_ORDER, engagement };
}

/** When an active cohort's activity stops: a recency class by the cohort's weights, then a seasonal time inside it. */
function lastActiveTime(rng: Rng, ctx: GenContext, cohort: CohortValue, created: number, lifeDays: number): number {
  const weights = RECENCY_WEIGHTS[cohort]!;
  let total = 0;
  for (let k = 0; k < weights.length; k++) if (RECENCY_BOUNDS[k]![0] < lifeDays) total += weights[k]!;
  let x = rng.next() * total;
  let cls = 0;
  for (let k = 0; k < weights.length; k++) {
    if (RECENCY_BOUNDS[k]![0] >= lifeDays) continue;
    cls = k;
    x -= weights[k]!;
    if (x < 0) break;
  }
  const [lo, hi] = RECENCY_BOUNDS[cls]!;
  const top = Math.min(hi, lifeDays);
  // Seasonal within the recency window: more people were last active in December than in February.
  const from = Math.max(created, Math.floor(ctx.now - top * DAY));
  const to = Math.max(from, Math.floor(ctx.now - lo * DAY));
  return sampleTime(rng, ctx.activity, from, to, -5);
}
