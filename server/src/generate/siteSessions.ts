/**
 * A profile's browsing part: site sessions (Active on Site, product views, sometimes Added to
 * Cart and Started Checkout) fill what the event budget has left, exactly.
 */
import { HOUR, sampleTime } from './calendar';
import { SITE_PAGES, type Product } from './catalog';
import { M } from './definitions';
import { randomToken } from './ids';
import { asciiJson, round2 } from './jsonText';
import { pickProduct, pickRecord, productJson } from './products';
import { Cohort } from './profilePlan';
import type { ProfileEvents, ProfileSubject } from './profileParts';

const PAGE_BODIES: readonly string[] = SITE_PAGES.map((u) => `"page":${asciiJson(u)}}`);

/** Sessions until the budget is spent; passive and dormant profiles only browse in their first hour. */
export function pushSiteSessions(p: ProfileSubject, activeEnd: number, events: ProfileEvents): void {
  const { rng, ctx, plan, favoriteGenre } = p;
  const { now } = ctx;
  const created = plan.created;
  const sessionEnd = plan.cohort === Cohort.Passive || plan.cohort === Cohort.Dormant ? Math.min(now, created + HOUR) : activeEnd;
  while (events.remaining > 0) {
    const s = sampleTime(rng, ctx.activity, created, sessionEnd, p.place.utcOffset);
    events.push(s, M.ActiveOnSite, rng.pick(PAGE_BODIES), true);
    let t = s;
    let lastViewed: Product | null = null;
    const views = rng.geometric(0.4);
    for (let v = 0; v < views && events.remaining > 0; v++) {
      t = Math.min(now, t + rng.intBetween(15, 240));
      const product = rng.chance(0.9) ? pickRecord(rng, favoriteGenre) : pickProduct(rng, favoriteGenre, false, false);
      events.push(t, M.ViewedProduct, productJson(product).viewedBody, true);
      lastViewed = product;
    }
    if (lastViewed && events.remaining > 0 && rng.chance(0.22)) {
      t = Math.min(now, t + rng.intBetween(10, 120));
      const pj = productJson(lastViewed);
      events.push(t, M.AddedToCart, pj.addedBody, true);
      if (events.remaining > 0 && rng.chance(0.3)) {
        t = Math.min(now, t + rng.intBetween(60, 900));
        events.push(
          t,
          M.StartedCheckout,
          `"$value":${round2(lastViewed.price + (lastViewed.price < 50 ? 5.99 : 0))},"$event_id":"c${randomToken(rng, 12)}",` +
            `"ItemNames":[${pj.name}],"Categories":${pj.categories},"Item Count":1}`,
        );
      }
    }
  }
}
