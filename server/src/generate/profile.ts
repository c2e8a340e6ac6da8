/**
 * One profile at a time: its lifecycle plan (profilePlan.ts: cheap, computed twice, once to size
 * the event budget and once to generate), then one part after another, each in its own module:
 * identity, origin and consent, preferences, orders, e-mail, site sessions, list memberships,
 * custom properties, predictive analytics, and the JSON line.
 *
 * Every part draws from the profile's one random stream, so the order of the calls below is part
 * of the output: `generate --seed N` writes the same bytes only as long as it stays the same.
 */
import { chooseOrigin, emailConsent, firstOrderTime, otherChannels, type OtherChannels } from './consent';
import type { GenContext } from './context';
import { pushEmailEvents } from './emailEvents';
import { samplePlace } from './geo';
import { buildIdentity, type BuildState } from './identity';
import { profileUlid } from './ids';
import { round2 } from './jsonText';
import { listMemberships } from './memberships';
import { placeOrders, pushOrderEvents } from './orders';
import { predictiveAnalytics } from './predictive';
import { weightedGenre } from './products';
import { canReceiveEmail, profileLine } from './profileJson';
import type { ProfilePlan } from './profilePlan';
import { ProfileEvents, type GenEvent, type Membership, type Order, type ProfileSubject } from './profileParts';
import { Rng } from './prng';
import { customProperties } from './properties';
import { pushSiteSessions } from './siteSessions';

export { BuildState } from './identity';
export { asciiJson } from './jsonText';
export { COHORT_NAMES, Cohort, EVENTS_PER_ORDER, planProfile, type CohortValue, type ProfilePlan } from './profilePlan';
export type { GenEvent, Membership } from './profileParts';

export interface BuiltProfile {
  readonly id: string;
  /** The profile's JSON line (no trailing newline). */
  readonly json: string;
  readonly email: string | null;
  readonly phone: string | null;
  /** Sorted by time. */
  readonly events: GenEvent[];
  readonly memberships: Membership[];
}

/**
 * Generates one profile with exactly `budget` events (`orderBudget` of them reserved for orders
 * when there are orders to place).
 */
export function buildProfile(ctx: GenContext, plan: ProfilePlan, budget: number, orderBudget: number, state: BuildState): BuiltProfile {
  const { subject, channels } = describeProfile(ctx, plan, state);
  const { rng, identity } = subject;

  // Events: orders first (the most recent ones when the budget is short), then e-mail, then site
  // sessions fill the rest exactly.
  const events = new ProfileEvents(budget);
  const activeEnd = Math.max(plan.created, plan.lastActive);
  const orders: Order[] = plan.nOrders > 0 && budget > 0 ? placeOrders(subject, orderBudget, events) : [];
  pushOrderEvents(subject, orders, orderBudget, events);
  const { received, opened } = pushEmailEvents(subject, orders, activeEnd, events);
  pushSiteSessions(subject, activeEnd, events);
  events.list.sort((a, b) => a.t - b.t || a.seq - b.seq);

  const lastEvent = events.list.length ? events.list[events.list.length - 1]!.t : null;
  const spend = round2(orders.reduce((s, o) => s + o.value, 0));
  const memberships = listMemberships(subject, orders);
  const properties = customProperties(subject, orders, spend, memberships);
  const predictive = predictiveAnalytics(rng, ctx, orders, identity.firstName, identity.first, {
    email: canReceiveEmail(identity.email, subject.em),
    sms: channels.smsSubscribed,
    push: channels.pushSubscribed,
    emailEngagement: opened / Math.max(1, received),
    hasEvents: events.list.length > 0,
  });
  const json = profileLine(subject, { placed: orders, memberships, lastEvent, properties, predictive, channels });
  return { id: subject.id, json, email: identity.email, phone: identity.phone, events: events.list, memberships };
}

/**
 * The parts every later part reads: ID, place, identity, origin, e-mail consent, favorite genre;
 * and the SMS and push consent (drawn between the e-mail consent and the genre).
 */
function describeProfile(ctx: GenContext, plan: ProfilePlan, state: BuildState): { subject: ProfileSubject; channels: OtherChannels } {
  const rng = new Rng(ctx.seed, plan.index, 2);
  const id = profileUlid(plan.created * 1000 + rng.int(1000), plan.index, ctx.seedKey, rng);
  const place = samplePlace(rng);
  const identity = buildIdentity(rng, plan, place, state);
  const origin = chooseOrigin(rng, ctx, plan, place, identity.phoneOnly);
  const firstOrderAt = firstOrderTime(rng, plan, origin);
  const em = emailConsent(rng, ctx, plan, place, identity, origin, firstOrderAt);
  const channels = otherChannels(rng, ctx, plan, place, identity, firstOrderAt);
  const favoriteGenre = rng.chance(plan.nOrders > 0 ? 0.8 : 0.62) ? weightedGenre(rng) : null;
  return { subject: { ctx, plan, rng, id, place, identity, origin, em, firstOrderAt, favoriteGenre }, channels };
}
