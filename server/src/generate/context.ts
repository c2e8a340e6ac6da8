/**
 * Everything the per-profile generation shares: the time span, the seasonal day tables, when each
 * profile was created, and the e-mail campaign calendar.
 */
import { DAY, DayTable, activityWeight, isoDay, recordStoreDay, specialDayMultipliers, specialDays, utcDay } from './calendar';
import { CAMPAIGN_THEMES } from './catalog';
import { randomToken } from './ids';
import { Rng, mix32 } from './prng';

/** One e-mail message: a campaign or a flow message. */
export interface EmailMessage {
  readonly id: string;
  readonly name: string;
  readonly subject: string;
  readonly url: string;
}

export interface Campaign extends EmailMessage {
  readonly time: number;
}

export const WELCOME_SERIES: readonly EmailMessage[] = [
  {
    id: 'Wf1aQ7',
    name: 'Welcome Series: Email 1',
    subject: 'Welcome to Mint Vinyl — here’s 10% off your first record',
    url: 'https://mintvinyl.com/collections/new-arrivals',
  },
  { id: 'Wf2bR8', name: 'Welcome Series: Email 2', subject: 'How we grade used vinyl', url: 'https://mintvinyl.com/pages/grading' },
  { id: 'Wf3cS9', name: 'Welcome Series: Email 3', subject: 'Staff picks to start your collection', url: 'https://mintvinyl.com/collections/staff-picks' },
];
export const POST_PURCHASE: EmailMessage = {
  id: 'Pp1dT4',
  name: 'Post-Purchase: Record Care Tips',
  subject: 'Your records have landed — care tips inside',
  url: 'https://mintvinyl.com/pages/record-care',
};

export interface GenContext {
  readonly seed: number;
  /** Epoch seconds of the workspace's `now`. */
  readonly now: number;
  /** 00:00 UTC of the day the store opened (about three years before `now`). */
  readonly storeOpen: number;
  readonly profiles: number;
  /** The first `importCount` profiles come from a legacy mailing-list import on opening day. */
  readonly importCount: number;
  /** Activity seasonality (Nov/Dec peaks, Record Store Day, weekly rhythm, growth). */
  readonly activity: DayTable;
  readonly giveawayStart: number;
  readonly giveawayEnd: number;
  /** Record Store Day of the waitlist list's year, and when that waitlist opened. */
  readonly rsdYear: number;
  readonly rsdDay: number;
  readonly rsdWindowStart: number;
  /** Sorted by time. */
  readonly campaigns: readonly Campaign[];
  readonly campaignTimes: Float64Array;
  /** A 32-bit key derived from the seed, for keyed permutations. */
  readonly seedKey: number;
  /** When profile `index` was created (epoch seconds); non-decreasing in `index`. */
  createdAt(index: number): number;
}

export function buildContext(seed: number, nowSec: number, profiles: number): GenContext {
  const now = Math.floor(nowSec);
  const nowDate = new Date(now * 1000);
  const storeOpen = utcDay(nowDate.getUTCFullYear() - 3, nowDate.getUTCMonth() + 1, Math.min(nowDate.getUTCDate(), 28));
  const firstDay = Math.floor(storeOpen / DAY);
  const lastDay = Math.floor(now / DAY);
  const specials = specialDayMultipliers(new Date(storeOpen * 1000).getUTCFullYear(), nowDate.getUTCFullYear());
  const activity = new DayTable(firstDay, lastDay, (d) => activityWeight(d, firstDay, lastDay, specials));

  // The Instagram giveaway ran for three weeks about 15 months before `now`.
  const giveawayStart = Math.floor((now - 450 * DAY) / DAY) * DAY;
  const giveawayEnd = giveawayStart + 21 * DAY;

  // The latest Record Store Day whose waitlist (opened 1 February) had opened before `now`.
  let rsdYear = nowDate.getUTCFullYear();
  if (utcDay(rsdYear, 2, 1) >= now - DAY) rsdYear--;
  const rsdDay = recordStoreDay(rsdYear);
  const rsdWindowStart = utcDay(rsdYear, 2, 1);

  const importCount = profiles >= 20 ? Math.round(profiles * 0.06) : 0;
  // Profiles created after opening day follow the seasonal curve, boosted by the giveaway and the waitlist.
  const creation = new DayTable(firstDay + 1, lastDay, (d) => {
    let w = activityWeight(d, firstDay, lastDay, specials);
    const t = d * DAY;
    if (t >= giveawayStart && t < giveawayEnd) w *= 5;
    if (t >= rsdWindowStart && t < rsdDay) w *= 1.4;
    if (d === lastDay) w *= (now - t) / DAY;
    return w;
  });
  const rest = Math.max(1, profiles - importCount);
  const lastDayStart = lastDay * DAY;

  const createdAt = (index: number): number => {
    if (index < importCount) return storeOpen + 3600 + Math.floor((index * 7200) / Math.max(1, importCount));
    const j = index - importCount;
    const fd = creation.fractionalDayAt(((j + 0.5) / rest) * creation.total);
    const day = Math.floor(fd);
    const frac = fd - day;
    const t = day === lastDay ? lastDayStart + Math.floor(frac * Math.max(0, now - lastDayStart - 120)) : Math.floor(fd * DAY);
    return Math.min(Math.max(t, storeOpen + DAY), now - 120);
  };

  const campaigns = buildCampaigns(new Rng(seed, 0xc0ffee), storeOpen, now);
  return {
    seed,
    now,
    storeOpen,
    profiles,
    importCount,
    activity,
    giveawayStart,
    giveawayEnd,
    rsdYear,
    rsdDay,
    rsdWindowStart,
    campaigns,
    campaignTimes: Float64Array.from(campaigns.map((c) => c.time)),
    seedKey: mix32(seed ^ 0x5eed),
    createdAt,
  };
}

const THEME_URLS: readonly string[] = [
  'https://mintvinyl.com/collections/new-arrivals',
  'https://mintvinyl.com/collections/staff-picks',
  'https://mintvinyl.com/collections/restocks',
  'https://mintvinyl.com/collections/jazz',
  'https://mintvinyl.com/collections/hip-hop',
  'https://mintvinyl.com/collections/audiophile',
  'https://mintvinyl.com/blogs/turntable-tips',
  'https://mintvinyl.com/collections/indie',
  'https://mintvinyl.com/collections/sale',
  'https://mintvinyl.com/collections/pre-orders',
  'https://mintvinyl.com/collections/soul',
  'https://mintvinyl.com/collections/used',
];

function buildCampaigns(rng: Rng, storeOpen: number, now: number): Campaign[] {
  const out: Campaign[] = [];
  const from = storeOpen + 14 * DAY;
  const until = now - 3600;
  const add = (time: number, stem: string, subject: string, url: string): void => {
    if (time < from || time > until) return;
    out.push({ id: randomToken(rng, 6), time, name: `${isoDay(time)} ${stem}`, subject, url });
  };
  // Two sends a week: Tuesday "New Arrivals" and a Friday theme that rotates.
  let day = Math.floor(from / DAY);
  let rotation = 1;
  for (; day * DAY <= until; day++) {
    const weekday = new Date(day * DAY * 1000).getUTCDay();
    if (weekday === 2) {
      add(day * DAY + 14 * 3600 + rng.int(7200), CAMPAIGN_THEMES[0]![0], CAMPAIGN_THEMES[0]![1], THEME_URLS[0]!);
    } else if (weekday === 5) {
      const k = rotation++ % CAMPAIGN_THEMES.length || 1;
      add(day * DAY + 15 * 3600 + rng.int(7200), CAMPAIGN_THEMES[k]![0], CAMPAIGN_THEMES[k]![1], THEME_URLS[k]!);
    }
  }
  const firstYear = new Date(storeOpen * 1000).getUTCFullYear();
  const lastYear = new Date(now * 1000).getUTCFullYear();
  for (let y = firstYear; y <= lastYear; y++) {
    const s = specialDays(y);
    add(
      s.blackFriday + 12 * 3600,
      `Black Friday ${y}: 25% off storewide`,
      'Black Friday starts now — 25% off every record',
      'https://mintvinyl.com/collections/sale',
    );
    add(s.cyberMonday + 13 * 3600, `Cyber Monday ${y}: last call`, 'Last call: 25% off ends tonight', 'https://mintvinyl.com/collections/sale');
    add(
      utcDay(y, 12, 15) + 14 * 3600,
      `Holiday Shipping Deadline ${y}`,
      'Order by Dec 18 for delivery before the holidays',
      'https://mintvinyl.com/collections/gifts',
    );
    add(
      s.recordStoreDay - 5 * DAY + 14 * 3600,
      `Record Store Day ${y}: the list`,
      `Our Record Store Day ${y} list is here`,
      'https://mintvinyl.com/pages/record-store-day',
    );
    add(
      s.recordStoreDay + 11 * 3600,
      `Record Store Day ${y}: drops are live`,
      'RSD exclusives are live online now',
      'https://mintvinyl.com/pages/record-store-day',
    );
    add(
      s.vinylRecordDay + 14 * 3600,
      `National Vinyl Record Day ${y}`,
      'Happy Vinyl Record Day — spin something new',
      'https://mintvinyl.com/collections/new-arrivals',
    );
    add(utcDay(y, 1, 2) + 15 * 3600, `New Year, New Records ${y}`, 'Start the year with a fresh stack', 'https://mintvinyl.com/collections/new-arrivals');
  }
  out.sort((a, b) => a.time - b.time);
  return out;
}

/** Index of the first campaign at or after `t` (binary search over the sorted times). */
export function campaignIndexAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0,
    hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
