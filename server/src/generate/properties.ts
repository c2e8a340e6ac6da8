/**
 * A profile's custom properties part (`attributes.properties`): favorite genre, birthday, loyalty
 * points (sometimes as text, as real integrations write them), tags, format, sign-up source,
 * Shopify data and turntable ownership.
 */
import { DAY, isoSeconds } from './calendar';
import { FAVORITE_FORMATS, TAGS } from './catalog';
import { L } from './definitions';
import { Cohort } from './profilePlan';
import type { Membership, Order, Origin, ProfileSubject } from './profileParts';
import { WeightedTable } from './prng';

const FORMATS = WeightedTable.of(FAVORITE_FORMATS);
const SIGNUP_SOURCE: Readonly<Record<Origin, string | null>> = {
  import: 'Legacy Mailing List Import',
  giveaway: 'Instagram Giveaway',
  rsd: 'Record Store Day Waitlist',
  'in-store': 'In-Store',
  checkout: 'Checkout',
  popup: 'Popup Form',
  footer: 'Footer Form',
  'back-in-stock': 'Back in Stock',
  'preference-page': 'Preference Page',
  api: 'Discogs Sync',
  none: null,
};

export function customProperties(p: ProfileSubject, placed: readonly Order[], spend: number, memberships: readonly Membership[]): Record<string, unknown> {
  const { rng, plan } = p;
  const properties: Record<string, unknown> = {};
  if (p.favoriteGenre) properties['Favorite Genre'] = p.favoriteGenre;
  if (rng.chance(0.55)) {
    let birthday: string;
    if (rng.chance(0.006)) {
      birthday = `${rng.pick([1964, 1972, 1980, 1988, 1992, 1996, 2000, 2004])}-02-29`;
    } else {
      const year = Math.round(Math.min(2007, Math.max(1950, 1986 + rng.normal() * 11)));
      const d = new Date(Date.UTC(year, 0, 1) + rng.int(365) * DAY * 1000);
      birthday = d.toISOString().slice(0, 10);
    }
    properties['Birthday'] = birthday;
  }
  if (placed.length && rng.chance(0.85)) {
    const points = Math.floor(spend);
    properties['Loyalty Points'] = rng.chance(0.03) ? String(points) : points;
  } else if (!placed.length && rng.chance(0.25)) {
    properties['Loyalty Points'] = rng.chance(0.05) ? '0' : 0;
  }
  if (placed.length && rng.chance(0.9)) properties['Accepts Marketing'] = p.em.consent === 'SUBSCRIBED';
  const tagRoll = rng.next();
  if (tagRoll < 0.03) properties['Tags'] = [];
  else if (tagRoll < 0.25 || (plan.cohort === Cohort.Vip && tagRoll < 0.7)) {
    const tags = new Set<string>();
    if (plan.cohort === Cohort.Vip) tags.add('vip');
    if (memberships.some((m) => m.list === L.RsdWaitlist)) tags.add('record-store-day');
    const n = rng.intBetween(tags.size ? 0 : 1, 2);
    for (let k = 0; k < n; k++) tags.add(rng.pick(TAGS));
    properties['Tags'] = [...tags];
  }
  if (rng.chance(0.6)) properties['Preferred Format'] = FORMATS.sample(rng);
  const signupSource = SIGNUP_SOURCE[p.origin];
  if (signupSource && rng.chance(0.92)) properties['Signup Source'] = signupSource;
  if (placed.length) {
    properties['Shopify Customer ID'] = String(6_210_000_000_000 + plan.index * 7 + 3);
    if (rng.chance(0.8)) properties['First Purchase Date'] = isoSeconds(placed[0]!.t);
  }
  const boughtTurntable = placed.some((o) => o.items.some((item) => item.kind === 'turntable'));
  if (boughtTurntable) properties['Owns Turntable'] = true;
  else if (rng.chance(0.2)) properties['Owns Turntable'] = rng.chance(0.6);
  return properties;
}
