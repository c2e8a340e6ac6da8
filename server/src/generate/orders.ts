/**
 * A profile's orders part: when it orders (within its active window), what, at which price and
 * discount, and the order events (Placed Order first; then, while the order budget lasts, Ordered
 * Product, Fulfilled Order, Started Checkout and Refunded Order).
 */
import { DAY, HOUR, sampleTime } from './calendar';
import { CARRIERS_INTL, CARRIERS_US, DISCOUNT_CODES, REFUND_REASONS, type Product } from './catalog';
import type { GenContext } from './context';
import { M } from './definitions';
import { randomToken } from './ids';
import { round2 } from './jsonText';
import { categoriesJson, itemNamesJson, pickProduct, productJson } from './products';
import { Cohort, type ProfilePlan } from './profilePlan';
import type { Order, ProfileEvents, ProfileSubject } from './profileParts';
import type { Rng } from './prng';

/** The orders that fit the budget: the most recent ones when it is short (at least one when the order budget is 0). */
export function placeOrders(p: ProfileSubject, orderBudget: number, events: ProfileEvents): Order[] {
  const { rng, ctx, plan } = p;
  const times = orderTimes(rng, ctx, plan, p.firstOrderAt, p.place.utcOffset);
  const keep = Math.min(times.length, events.remaining, Math.max(1, orderBudget));
  const kept = times.slice(times.length - keep);
  const vip = plan.cohort === Cohort.Vip;
  const orders: Order[] = [];
  for (let k = 0; k < kept.length; k++) {
    const t = kept[k]!;
    const nItems = Math.min(8, rng.geometric(vip ? 0.38 : 0.62));
    const items: Product[] = [];
    const qty: number[] = [];
    for (let j = 0; j < nItems; j++) {
      const product = pickProduct(rng, p.favoriteGenre, vip, k === 0);
      if (items.includes(product)) continue;
      items.push(product);
      qty.push(product.kind === 'record' && rng.chance(0.04) ? 2 : 1);
    }
    const sourceRoll = rng.next();
    const source =
      (k === 0 && p.origin === 'in-store') || (p.place.nearStore && sourceRoll < 0.35) || sourceRoll < 0.02
        ? 'pos'
        : sourceRoll > 0.97
          ? 'shopify_draft_order'
          : 'web';
    const { discount, pct } = orderDiscount(p, t, k === 0);
    let subtotal = 0;
    for (let j = 0; j < items.length; j++) subtotal += items[j]!.price * qty[j]!;
    const shipping = source === 'web' && subtotal < 50 && discount !== 'FREESHIP' ? 5.99 : 0;
    const value = round2(subtotal * (1 - pct) + shipping);
    orders.push({ t, id: String(5_104_000_000_000 + plan.index * 64 + k), items, qty, value, source, discount, fulfilledAt: null });
  }
  return orders;
}

/** Black Friday, Record Store Day, the welcome code of form sign-ups, or now and then another code. */
function orderDiscount(p: ProfileSubject, t: number, firstOrder: boolean): { discount: string | null; pct: number } {
  const { rng, ctx } = p;
  const date = new Date(t * 1000);
  if (date.getUTCMonth() === 10 && date.getUTCDate() >= 22 && rng.chance(0.6))
    return { discount: `BLACKFRIDAY${String(date.getUTCFullYear()).slice(2)}`, pct: 0.25 };
  if (t >= ctx.rsdDay - 6 * DAY && t < ctx.rsdDay + DAY && rng.chance(0.4)) return { discount: `RSD${ctx.rsdYear}`, pct: 0.1 };
  if (firstOrder && p.em.method === 'FORM' && rng.chance(0.5)) return { discount: 'WELCOME10', pct: 0.1 };
  if (rng.chance(0.08)) {
    const discount = rng.pick(DISCOUNT_CODES);
    return { discount, pct: discount === 'FREESHIP' ? 0 : 0.15 };
  }
  return { discount: null, pct: 0 };
}

function itemCount(o: Order): number {
  let n = 0;
  for (const q of o.qty) n += q;
  return n;
}

/** Placed Order for every order, then the follow-up events of each order while the order budget lasts. */
export function pushOrderEvents(p: ProfileSubject, orders: Order[], orderBudget: number, events: ProfileEvents): void {
  for (const o of orders) {
    events.push(
      o.t,
      M.PlacedOrder,
      `"$value":${o.value},"$event_id":"${o.id}","ItemNames":${itemNamesJson(o.items)},"Categories":${categoriesJson(o.items)},"Item Count":${itemCount(o)}` +
        `${o.discount ? `,"Discount Code":"${o.discount}"` : ''},"Source Name":"${o.source}"}`,
    );
  }
  const extras = { left: Math.max(0, orderBudget - orders.length) };
  for (const o of orders) {
    if (extras.left <= 0 || events.remaining <= 0) break;
    pushFollowUps(p, o, extras, events);
  }
}

/** Ordered Product per item, Fulfilled Order, Started Checkout (web orders) and sometimes Refunded Order. */
function pushFollowUps(p: ProfileSubject, o: Order, extras: { left: number }, events: ProfileEvents): void {
  const { rng } = p;
  const { now } = p.ctx;
  for (let j = 0; j < o.items.length && extras.left > 0 && events.remaining > 0; j++) {
    const product = o.items[j]!;
    const pj = productJson(product);
    events.push(
      o.t,
      M.OrderedProduct,
      `"$value":${round2(product.price * o.qty[j]!)},"$event_id":"${o.id}:${j + 1}","ProductName":${pj.name},"ProductID":"${product.id}","Categories":${pj.categories}` +
        `${pj.artist ? `,"Artist":${pj.artist}` : ''},"Quantity":${o.qty[j]},"OrderId":"${o.id}"}`,
    );
    extras.left--;
  }
  const ft = o.source === 'pos' ? o.t + rng.intBetween(30, 300) : o.t + rng.intBetween(12 * HOUR, 5 * DAY);
  if (extras.left > 0 && events.remaining > 0 && ft <= now) {
    o.fulfilledAt = ft;
    const carrier = o.source === 'pos' ? 'In-Store Pickup' : rng.pick(p.place.countryCode === 'US' ? CARRIERS_US : CARRIERS_INTL);
    events.push(
      ft,
      M.FulfilledOrder,
      `"$value":${o.value},"$event_id":"${o.id}","ItemNames":${itemNamesJson(o.items)},"Item Count":${itemCount(o)},"Carrier":"${carrier}"}`,
    );
    extras.left--;
  }
  if (extras.left > 0 && events.remaining > 0 && o.source === 'web' && rng.chance(0.9)) {
    const ct = o.t - rng.intBetween(60, 1500);
    events.push(
      Math.max(ct, p.plan.created),
      M.StartedCheckout,
      `"$value":${o.value},"$event_id":"c${randomToken(rng, 12)}","ItemNames":${itemNamesJson(o.items)},"Categories":${categoriesJson(o.items)},"Item Count":${itemCount(o)}}`,
    );
    extras.left--;
  }
  if (extras.left > 0 && events.remaining > 0 && o.fulfilledAt !== null && rng.chance(0.035)) {
    const rt = o.fulfilledAt + rng.intBetween(2 * DAY, 20 * DAY);
    if (rt <= now) {
      const j = rng.int(o.items.length);
      const whole = rng.chance(0.3);
      const reason = rng.pick(REFUND_REASONS);
      events.push(
        rt,
        M.RefundedOrder,
        `"$value":${whole ? o.value : round2(o.items[j]!.price * o.qty[j]!)},"$event_id":"r${o.id}",` +
          `"ItemNames":${whole ? itemNamesJson(o.items) : `[${productJson(o.items[j]!).name}]`},"Reason":"${reason}"}`,
      );
      extras.left--;
    }
  }
}

/** Times of the planned orders, chronological, inside the profile's active window. */
function orderTimes(rng: Rng, ctx: GenContext, plan: ProfilePlan, firstOrderAt: number | null, utcOffset: number): number[] {
  const now = ctx.now;
  const start = firstOrderAt ?? Math.min(now - 60, plan.created + 300);
  const end = Math.max(start, Math.min(now - 60, plan.lastActive));
  const n = plan.nOrders;
  const times: number[] = [];
  if (firstOrderAt !== null) times.push(firstOrderAt);
  if (plan.cadenceDays > 0) {
    let t = end - rng.int(2 * DAY);
    while (times.length < n && t >= start) {
      times.push(t);
      t -= Math.floor(plan.cadenceDays * DAY * rng.between(0.8, 1.2));
    }
  } else if (n > times.length) {
    // The last order sits near the end of the active window (so recency classes hold), the rest spread out.
    if (rng.chance(n === 1 ? 0.7 : 0.6)) times.push(Math.max(start, end - rng.int(3 * DAY)));
    if (times.length < n && firstOrderAt === null) times.push(Math.min(end, start + Math.floor(rng.exp(15 * DAY))));
  }
  while (times.length < n) times.push(sampleTime(rng, ctx.activity, start, end, utcOffset));
  times.sort((a, b) => a - b);
  // Keep orders at least ten minutes apart; drop any pushed past `now`.
  const out: number[] = [];
  for (const t of times) {
    const prev = out.length ? out[out.length - 1]! : -Infinity;
    const adjusted = t < prev + 600 ? prev + 600 + rng.int(3000) : t;
    if (adjusted <= now - 30) out.push(adjusted);
  }
  return out;
}
