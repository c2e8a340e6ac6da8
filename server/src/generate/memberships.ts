/**
 * A profile's list part: Newsletter (by sign-up source), VIP Club (by spend or order count),
 * Record Store Day waitlist and Instagram Giveaway, each with its join time.
 */
import { DAY, HOUR } from './calendar';
import { L, LISTS } from './definitions';
import type { Membership, Order, Origin, ProfileSubject } from './profileParts';

/** How likely a subscriber from each source is on the Newsletter list. */
const NEWSLETTER_CHANCE: Readonly<Record<Origin, number>> = {
  import: 1,
  popup: 1,
  footer: 1,
  'preference-page': 1,
  'in-store': 1,
  checkout: 0.7,
  giveaway: 0.5,
  rsd: 0.5,
  api: 0.4,
  'back-in-stock': 0,
  none: 0,
};

/** The profile's list memberships, by list; a giveaway entrant may also get a list suppression (added to `p.em`). */
export function listMemberships(p: ProfileSubject, placed: readonly Order[]): Membership[] {
  const { rng, ctx, em, origin } = p;
  const { now } = ctx;
  const created = p.plan.created;
  const email = p.identity.email;
  const memberships: Membership[] = [];
  // Newsletter: the sign-up forms and imports subscribe to it; other consent sources only sometimes
  // (back-in-stock requests never). Unsubscribed people mostly stay members, suppressed.
  if (email && em.subscribedAt !== null && rng.chance(NEWSLETTER_CHANCE[origin]) && (em.consent === 'SUBSCRIBED' || rng.chance(0.7))) {
    memberships.push({ list: L.Newsletter, joined: em.subscribedAt });
  }
  vipClub(p, placed, memberships);
  if (origin === 'rsd') {
    memberships.push({ list: L.RsdWaitlist, joined: created + rng.intBetween(1, 30) });
  } else if (created < ctx.rsdDay - DAY && rng.chance(0.07)) {
    const lo = Math.max(created, ctx.rsdWindowStart);
    const hi = Math.min(now, ctx.rsdDay - HOUR);
    if (hi > lo) memberships.push({ list: L.RsdWaitlist, joined: Math.floor(lo + rng.next() * (hi - lo)) });
  }
  if (origin === 'giveaway') {
    const joined = created + rng.intBetween(1, 30);
    memberships.push({ list: L.InstagramGiveaway, joined });
    if (email && rng.chance(0.08))
      em.listSuppressions.push({
        list_id: LISTS[L.InstagramGiveaway]!.id,
        reason: 'UNSUBSCRIBE',
        timestamp: Math.min(now - 60, joined + rng.intBetween(DAY, 120 * DAY)),
      });
  } else if (created < ctx.giveawayStart && rng.chance(0.02)) {
    memberships.push({ list: L.InstagramGiveaway, joined: ctx.giveawayStart + rng.int(ctx.giveawayEnd - ctx.giveawayStart) });
  }
  memberships.sort((a, b) => a.list - b.list);
  return memberships;
}

/** VIP Club: joined when cumulative spend reached $500 or the fifth order (a few non-buyers were added by hand). */
function vipClub(p: ProfileSubject, placed: readonly Order[], memberships: Membership[]): void {
  const { rng } = p;
  const { now } = p.ctx;
  const created = p.plan.created;
  if (placed.length) {
    let cum = 0;
    for (let k = 0; k < placed.length; k++) {
      cum += placed[k]!.value;
      if (cum >= 500 || k + 1 >= 5) {
        const joined = Math.min(now - 60, placed[k]!.t + rng.intBetween(HOUR, 2 * DAY));
        if (rng.chance(0.9)) memberships.push({ list: L.VipClub, joined });
        break;
      }
    }
  } else if (rng.chance(0.003)) {
    memberships.push({ list: L.VipClub, joined: Math.floor(created + rng.next() * (now - created)) });
  }
}
