/**
 * A profile's origin and consent parts: where the profile came from (import, giveaway, shop,
 * checkout, forms…), its e-mail consent and suppressions, and its SMS and push consent.
 */
import { DAY, isoSeconds } from './calendar';
import type { GenContext } from './context';
import { FORMS } from './definitions';
import type { Place } from './geo';
import { Cohort, type ProfilePlan } from './profilePlan';
import type { EmailState, Identity, Origin } from './profileParts';
import { WeightedTable, type Rng } from './prng';

const UNSUB_METHODS = WeightedTable.of<string>([
  ['PREFERENCE_PAGE', 45],
  ['ONE_CLICK_UNSUBSCRIBE', 30],
  ['MAILBOX_PROVIDER', 10],
  ['SPAM_COMPLAINT', 8],
  ['MANUAL_REMOVE', 7],
]);
const NEVER_SMS_JSON = JSON.stringify({
  can_receive_sms_marketing: false,
  consent: 'NEVER_SUBSCRIBED',
  consent_timestamp: null,
  method: null,
  method_detail: null,
  last_updated: null,
});
const NEVER_PUSH_JSON = JSON.stringify({ can_receive_push_marketing: false, consent: 'NEVER_SUBSCRIBED', consent_timestamp: null });

/** Where the profile came from; phone-only sign-ups come only from the shop or a checkout. */
export function chooseOrigin(rng: Rng, ctx: GenContext, plan: ProfilePlan, place: Place, phoneOnly: boolean): Origin {
  const created = plan.created;
  let origin: Origin;
  if (plan.imported) origin = 'import';
  else if (created >= ctx.giveawayStart && created < ctx.giveawayEnd && rng.chance(0.7)) origin = 'giveaway';
  else if (created >= ctx.rsdWindowStart && created < ctx.rsdDay && rng.chance(0.35)) origin = 'rsd';
  else if (place.nearStore && rng.chance(0.3)) origin = 'in-store';
  else if (plan.nOrders > 0 && rng.chance(0.45)) origin = 'checkout';
  else {
    const r = rng.next();
    origin = r < 0.45 ? 'popup' : r < 0.7 ? 'footer' : r < 0.78 ? 'back-in-stock' : r < 0.83 ? 'preference-page' : r < 0.88 ? 'api' : 'none';
  }
  if (phoneOnly && origin !== 'in-store' && origin !== 'checkout') origin = 'none';
  return origin;
}

/** When a checkout or in-store customer placed the order that created the profile (they buy right away), else null. */
export function firstOrderTime(rng: Rng, plan: ProfilePlan, origin: Origin): number | null {
  return origin === 'checkout' || origin === 'in-store' ? plan.created + rng.intBetween(20, 900) : null;
}

/** E-mail consent: subscribed by the origin's method, perhaps unsubscribed later, and suppressions (bounces, typos). */
export function emailConsent(
  rng: Rng,
  ctx: GenContext,
  plan: ProfilePlan,
  place: Place,
  identity: Identity,
  origin: Origin,
  firstOrderAt: number | null,
): EmailState {
  const em: EmailState = {
    consent: 'NEVER_SUBSCRIBED',
    consentTs: null,
    method: null,
    methodDetail: null,
    customMethodDetail: null,
    doubleOptin: null,
    suppression: [],
    listSuppressions: [],
    subscribedAt: null,
    mailFrom: null,
    mailUntil: ctx.now,
  };
  if (!identity.email) return em;
  subscribeByOrigin(rng, ctx, plan, place, origin, firstOrderAt, em);
  if (em.consent === 'SUBSCRIBED' && em.consentTs !== null) {
    em.mailFrom = em.consentTs;
    maybeUnsubscribe(rng, ctx, plan, em, em.consentTs);
  } else if (rng.chance(0.25)) {
    // Never subscribed, but still reachable: included in a few customer campaigns.
    em.mailFrom = plan.created;
  }
  suppress(rng, ctx, plan, identity, em);
  em.suppression.sort((a, b) => a.timestamp - b.timestamp);
  return em;
}

function subscribeByOrigin(rng: Rng, ctx: GenContext, plan: ProfilePlan, place: Place, origin: Origin, firstOrderAt: number | null, em: EmailState): void {
  const { now } = ctx;
  const created = plan.created;
  const subscribe = (ts: number, method: string, detail: string | null, doubleOptin: boolean): void => {
    em.consent = 'SUBSCRIBED';
    em.consentTs = Math.min(ts, now - 60);
    em.method = method;
    em.methodDetail = detail;
    em.doubleOptin = doubleOptin;
    em.subscribedAt = em.consentTs;
  };
  switch (origin) {
    case 'import':
      if (rng.chance(0.8)) subscribe(created, 'MANUAL_IMPORT', 'ops@mintvinyl.com', false);
      break;
    case 'giveaway':
      subscribe(created + rng.intBetween(1, 30), 'FORM', FORMS.giveaway, false);
      break;
    case 'rsd':
      subscribe(created + rng.intBetween(1, 30), 'FORM', FORMS.rsdWaitlist, false);
      break;
    case 'in-store':
      if (rng.chance(0.7)) {
        subscribe(created + rng.intBetween(60, 3 * 86400), 'MANUAL_ADD', 'staff@mintvinyl.com', false);
        em.customMethodDetail = place.region === 'OH' ? 'Columbus shop signup sheet' : 'Cambridge shop signup sheet';
      }
      break;
    case 'checkout':
      if (rng.chance(0.55)) subscribe(firstOrderAt ?? created, 'CHECKOUT', 'mintvinyl.com/checkout', false);
      break;
    case 'popup':
    case 'footer':
      // Newsletter is double opt-in: some never confirm.
      if (rng.chance(0.85)) subscribe(created + rng.intBetween(60, 6 * 3600), 'FORM', origin === 'popup' ? FORMS.popup : FORMS.footer, true);
      break;
    case 'back-in-stock':
      if (rng.chance(0.5)) subscribe(created + rng.intBetween(1, 60), 'BACK_IN_STOCK', null, false);
      break;
    case 'preference-page':
      subscribe(created + rng.intBetween(60, 3600), 'PREFERENCE_PAGE', 'mintvinyl.com/pages/newsletter', true);
      break;
    case 'api':
      subscribe(created + rng.intBetween(1, 60), 'API', 'a3f9', false);
      break;
    case 'none':
      break;
  }
}

/** Some subscribers unsubscribe later (more of the passive and dormant ones). */
function maybeUnsubscribe(rng: Rng, ctx: GenContext, plan: ProfilePlan, em: EmailState, consentTs: number): void {
  const unsubChance = plan.cohort === Cohort.Passive ? 0.28 : plan.cohort === Cohort.Dormant ? 0.22 : 0.13;
  if (!rng.chance(unsubChance)) return;
  const tu = Math.floor(consentTs + 3600 + rng.exp(200 * DAY));
  if (tu >= ctx.now - 3600) return;
  const method = UNSUB_METHODS.sample(rng);
  em.consent = 'UNSUBSCRIBED';
  em.consentTs = tu;
  em.method = method;
  em.methodDetail = method === 'PREFERENCE_PAGE' ? 'mintvinyl.com/pages/preferences' : null;
  em.suppression.push({ reason: method === 'SPAM_COMPLAINT' ? 'SPAM_COMPLAINT' : 'UNSUBSCRIBE', timestamp: tu });
  em.mailUntil = tu;
}

/** Typo domains are invalid from the start; some addresses hard-bounce or are suppressed by hand. */
function suppress(rng: Rng, ctx: GenContext, plan: ProfilePlan, identity: Identity, em: EmailState): void {
  const { now } = ctx;
  const created = plan.created;
  if (identity.typoDomain) {
    em.suppression.push({ reason: 'INVALID_EMAIL', timestamp: created + rng.intBetween(1, 600) });
    em.mailFrom = null;
    return;
  }
  if (rng.chance(identity.companyDomain ? 0.1 : 0.022)) {
    const tb = Math.floor(created + rng.next() * (now - created));
    em.suppression.push({ reason: 'HARD_BOUNCE', timestamp: tb });
    em.mailUntil = Math.min(em.mailUntil, tb);
  }
  if (rng.chance(0.007)) {
    const ts = Math.floor(created + rng.next() * (now - created));
    em.suppression.push({ reason: 'USER_SUPPRESSED', timestamp: ts });
    em.mailUntil = Math.min(em.mailUntil, ts);
  }
}

/** SMS and mobile push consent, as the JSON of their `marketing` objects. */
export interface OtherChannels {
  readonly smsJson: string;
  readonly smsSubscribed: boolean;
  readonly pushJson: string;
  readonly pushSubscribed: boolean;
}

export function otherChannels(rng: Rng, ctx: GenContext, plan: ProfilePlan, place: Place, identity: Identity, firstOrderAt: number | null): OtherChannels {
  const { now } = ctx;
  const created = plan.created;
  let smsJson = NEVER_SMS_JSON;
  let smsSubscribed = false;
  if (identity.phone) {
    const smsMarket = place.countryCode === 'US' || place.countryCode === 'CA' || place.countryCode === 'GB';
    const r = rng.next();
    if (identity.phoneOnly || (smsMarket && r < 0.22)) {
      const method = identity.phoneOnly ? 'TEXT' : rng.pick(['CHECKOUT', 'FORM', 'FORM', 'TEXT']);
      const detail = method === 'TEXT' ? 'JOIN' : method === 'FORM' ? FORMS.popup : 'mintvinyl.com/checkout';
      const ts = isoSeconds(Math.min(now - 60, (firstOrderAt ?? created) + rng.intBetween(5, 600)));
      smsJson = JSON.stringify({
        can_receive_sms_marketing: true,
        consent: 'SUBSCRIBED',
        consent_timestamp: ts,
        method,
        method_detail: detail,
        last_updated: ts,
      });
      smsSubscribed = true;
    } else if (smsMarket && r < 0.29) {
      const ts = isoSeconds(Math.floor(created + rng.next() * (now - created)));
      smsJson = JSON.stringify({
        can_receive_sms_marketing: false,
        consent: 'UNSUBSCRIBED',
        consent_timestamp: ts,
        method: 'TEXT',
        method_detail: 'STOP',
        last_updated: ts,
      });
    }
  }
  let pushJson = NEVER_PUSH_JSON;
  const pushSubscribed = rng.chance(plan.nOrders > 0 ? 0.06 : 0.02);
  if (pushSubscribed) {
    pushJson = JSON.stringify({
      can_receive_push_marketing: true,
      consent: 'SUBSCRIBED',
      consent_timestamp: isoSeconds(Math.floor(created + rng.next() * (now - created))),
    });
  }
  return { smsJson, smsSubscribed, pushJson, pushSubscribed };
}
