/**
 * A profile's e-mail part: flow messages (welcome series, post-purchase) and campaigns received
 * while the address is reachable, opens and clicks while the profile is active, and the bot
 * clicks of security scanners (mostly at work addresses).
 */
import { DAY, HOUR } from './calendar';
import { POST_PURCHASE, WELCOME_SERIES, campaignIndexAtOrAfter, type EmailMessage } from './context';
import { M } from './definitions';
import { asciiJson } from './jsonText';
import { Cohort } from './profilePlan';
import type { Order, ProfileEvents, ProfileSubject } from './profileParts';

/** Share of engagement events that are e-mail (the rest is site browsing), per cohort. */
const EMAIL_SHARE: readonly number[] = [0.5, 1, 0.6, 0.65, 0.65, 0.6];

const MESSAGE_JSON = new WeakMap<EmailMessage, { nameAndSubject: string; url: string }>();
function messageJson(msg: EmailMessage): { nameAndSubject: string; url: string } {
  let j = MESSAGE_JSON.get(msg);
  if (!j) {
    j = { nameAndSubject: `"Campaign Name":${asciiJson(msg.name)},"Subject":${asciiJson(msg.subject)}`, url: asciiJson(msg.url) };
    MESSAGE_JSON.set(msg, j);
  }
  return j;
}

/** A message sent to the profile; `key` makes each send's $event_id unique (a flow message can reach the same person more than once). */
interface Slot {
  t: number;
  msg: EmailMessage;
  key: string;
}

/** How likely each received message is opened, clicked, or clicked by a bot. */
interface Odds {
  pOpen: number;
  pClick: number;
  pBot: number;
}

/** E-mail events in their share of what the budget has left; returns how many were received and opened. */
export function pushEmailEvents(p: ProfileSubject, orders: readonly Order[], activeEnd: number, events: ProfileEvents): { received: number; opened: number } {
  const { rng, plan, em } = p;
  const email = p.identity.email;
  const emailShare = em.mailFrom === null || !email ? 0 : EMAIL_SHARE[plan.cohort]!;
  const emailBudget = { left: Math.round(events.remaining * emailShare) };
  if (emailBudget.left <= 0 || em.mailFrom === null || !email) return { received: 0, opened: 0 };
  const pOpen =
    plan.cohort === Cohort.Passive || plan.cohort === Cohort.Dormant ? 0 : Math.min(0.9, (plan.cohort === Cohort.Vip ? 0.5 : 0.32) * rng.lognormal(0, 0.4));
  const pClick = Math.min(0.6, 0.18 * rng.lognormal(0, 0.5));
  const pBot = p.identity.companyDomain ? 0.35 : 0.012;
  const perSlot = 1 + pOpen * (1 + pClick) + pBot;
  const slots = emailSlots(p, orders, em.mailFrom, Math.max(1, Math.floor(emailBudget.left / perSlot)));
  return sendSlots(p, slots, { pOpen, pClick, pBot }, activeEnd, emailBudget, events);
}

/** Flow messages first, then campaigns sent while the address was reachable, up to `slotsWanted`, by time. */
function emailSlots(p: ProfileSubject, orders: readonly Order[], from: number, slotsWanted: number): Slot[] {
  const { rng, ctx, em, origin } = p;
  const until = Math.min(em.mailUntil, ctx.now);
  const flows: Slot[] = [];
  if (em.subscribedAt !== null && (origin === 'popup' || origin === 'footer' || origin === 'preference-page' || origin === 'giveaway' || origin === 'rsd')) {
    const offsets = [rng.intBetween(30, 300), 2 * DAY + rng.int(HOUR), 5 * DAY + rng.int(HOUR)];
    for (let k = 0; k < 3; k++) {
      const t = em.subscribedAt + offsets[k]!;
      if (t <= until) flows.push({ t, msg: WELCOME_SERIES[k]!, key: '' });
    }
  }
  for (const o of orders) {
    if (o.fulfilledAt === null) continue;
    const t = o.fulfilledAt + 7 * DAY + rng.int(HOUR);
    if (t >= from && t <= until && em.subscribedAt !== null) flows.push({ t, msg: POST_PURCHASE, key: `:${o.id}` });
  }
  const slots = flows.slice(0, slotsWanted);
  const lo = campaignIndexAtOrAfter(ctx.campaignTimes, from);
  const hi = campaignIndexAtOrAfter(ctx.campaignTimes, until + 1);
  for (const c of rng.sampleRange(lo, hi, slotsWanted - slots.length)) {
    const camp = ctx.campaigns[c]!;
    slots.push({ t: camp.time, msg: camp, key: '' });
  }
  slots.sort((a, b) => a.t - b.t);
  return slots;
}

/** Received Email per slot; an open (and maybe a click) while the profile is active, else maybe a bot click. */
function sendSlots(
  p: ProfileSubject,
  slots: readonly Slot[],
  odds: Odds,
  activeEnd: number,
  emailBudget: { left: number },
  events: ProfileEvents,
): { received: number; opened: number } {
  const { rng } = p;
  const { now } = p.ctx;
  let received = 0;
  let opened = 0;
  const pidTail = p.id.slice(-10);
  const domainJson = JSON.stringify(p.identity.emailDomain); // domains are ASCII
  for (const slot of slots) {
    if (events.remaining <= 0 || emailBudget.left <= 0) break;
    const tr = Math.min(now, slot.t + rng.int(120));
    const mj = messageJson(slot.msg);
    const base = `"$event_id":"${slot.msg.id}:${pidTail}${slot.key}",${mj.nameAndSubject},"Email Domain":${domainJson}`;
    events.push(tr, M.ReceivedEmail, base + '}');
    received++;
    emailBudget.left--;
    if (events.remaining > 0 && emailBudget.left > 0 && tr <= activeEnd && rng.chance(odds.pOpen)) {
      const to = tr + 30 + Math.floor(rng.exp(6 * HOUR));
      if (to <= activeEnd && to <= now) {
        events.push(to, M.OpenedEmail, base + '}');
        opened++;
        emailBudget.left--;
        if (events.remaining > 0 && emailBudget.left > 0 && rng.chance(odds.pClick)) {
          const tc = to + 3 + Math.floor(rng.exp(90));
          if (tc <= now) {
            events.push(tc, M.ClickedEmail, `${base},"URL":${mj.url},"Bot Click":false}`);
            emailBudget.left--;
          }
        }
      }
    } else if (events.remaining > 0 && emailBudget.left > 0 && rng.chance(odds.pBot)) {
      events.push(Math.min(now, tr + 1 + rng.int(30)), M.ClickedEmail, `${base},"URL":${mj.url},"Bot Click":true}`);
      emailBudget.left--;
    }
  }
  return { received, opened };
}
