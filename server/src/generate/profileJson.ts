/**
 * A profile's JSON line: the location's street address, IP and coordinates (sometimes written as
 * strings, as real data has them), the `updated` time, and every part, in the key order of the
 * API's profile resource. Written as a template: faster than building objects.
 */
import { isoSeconds } from './calendar';
import { STREET_NAMES_US } from './catalog';
import type { OtherChannels } from './consent';
import { q } from './jsonText';
import type { EmailState, Membership, Order, ProfileSubject } from './profileParts';

/** What the earlier parts produced, for the line. */
export interface ProfileFacts {
  readonly placed: readonly Order[];
  readonly memberships: readonly Membership[];
  readonly lastEvent: number | null;
  readonly properties: Record<string, unknown>;
  readonly predictive: Record<string, unknown> | null;
  readonly channels: OtherChannels;
}

/** Every entry of `suppression` is a global suppression; list suppressions do not stop marketing e-mail. */
export function canReceiveEmail(email: string | null, em: EmailState): boolean {
  return !!email && em.suppression.length === 0;
}

/** When the e-mail consent last changed: consent, suppressions and list suppressions. */
function emailLastUpdated(em: EmailState): number | null {
  let last = em.consentTs;
  for (const s of em.suppression) last = Math.max(last ?? 0, s.timestamp);
  for (const s of em.listSuppressions) last = Math.max(last ?? 0, s.timestamp);
  return last;
}

export function profileLine(p: ProfileSubject, facts: ProfileFacts): string {
  const { rng, plan, place, em, identity } = p;
  const { now } = p.ctx;
  const { placed } = facts;
  const created = plan.created;
  const lastUpdated = emailLastUpdated(em);
  let updated = created;
  if (lastUpdated !== null) updated = Math.max(updated, lastUpdated);
  if (placed.length) updated = Math.max(updated, placed[placed.length - 1]!.t + rng.intBetween(1, 120));
  for (const m of facts.memberships) updated = Math.max(updated, m.joined);
  updated = Math.min(updated, now);

  const address1 = place.countryCode === 'US' && rng.chance(placed.length ? 0.75 : 0.3) ? `${rng.intBetween(1, 9899)} ${rng.pick(STREET_NAMES_US)}` : null;
  const address2 = address1 && rng.chance(0.15) ? `Apt ${rng.intBetween(1, 40)}${rng.pick(['', 'A', 'B', 'C'])}` : null;
  const ip = rng.chance(0.35) ? `${rng.intBetween(24, 223)}.${rng.int(256)}.${rng.int(256)}.${rng.intBetween(1, 254)}` : null;

  const externalId = placed.length && rng.chance(0.7) ? String(6_210_000_000_000 + plan.index * 7 + 3) : null;
  const coordinate = (x: number | null): string => (x === null ? 'null' : rng.chance(0.15) ? `"${x}"` : String(x));
  const latitude = coordinate(place.latitude);
  const longitude = coordinate(place.longitude);
  const suppressionJson = em.suppression.length ? JSON.stringify(em.suppression.map((x) => ({ reason: x.reason, timestamp: isoSeconds(x.timestamp) }))) : '[]';
  const listSuppressionJson = em.listSuppressions.length
    ? JSON.stringify(em.listSuppressions.map((x) => ({ list_id: x.list_id, reason: x.reason, timestamp: isoSeconds(x.timestamp) })))
    : '[]';
  const { email, phone, first, last, organization, title } = identity;
  const { lastEvent, predictive, channels } = facts;
  return (
    `{"type":"profile","id":"${p.id}","attributes":{"email":${q(email)},"phone_number":${q(phone)},"external_id":${q(externalId)},` +
    `"first_name":${q(first)},"last_name":${q(last)},"organization":${q(organization)},"locale":${q(place.locale)},"title":${q(title)},"image":null,` +
    `"created":"${isoSeconds(created)}","updated":"${isoSeconds(updated)}","last_event_date":${lastEvent === null ? 'null' : `"${isoSeconds(lastEvent)}"`},` +
    `"location":{"address1":${q(address1)},"address2":${q(address2)},"city":${q(place.city)},"country":${q(place.country)},` +
    `"latitude":${latitude},"longitude":${longitude},"region":${q(place.region)},"zip":${q(place.zip)},"timezone":${q(place.timezone)},"ip":${q(ip)}},` +
    `"properties":${JSON.stringify(facts.properties)},` +
    `"subscriptions":{"email":{"marketing":{"can_receive_email_marketing":${canReceiveEmail(email, em)},"consent":"${em.consent}",` +
    `"consent_timestamp":${em.consentTs === null ? 'null' : `"${isoSeconds(em.consentTs)}"`},` +
    `"last_updated":${lastUpdated === null ? 'null' : `"${isoSeconds(lastUpdated)}"`},"method":${q(em.method)},` +
    `"method_detail":${q(em.methodDetail)},"custom_method_detail":${q(em.customMethodDetail)},"double_optin":${em.doubleOptin === null ? 'null' : em.doubleOptin},` +
    `"suppression":${suppressionJson},"list_suppressions":${listSuppressionJson}}},` +
    `"sms":{"marketing":${channels.smsJson}},` +
    `"mobile_push":{"marketing":${channels.pushJson}}},` +
    `"predictive_analytics":${predictive === null ? 'null' : JSON.stringify(predictive)}}}`
  );
}
