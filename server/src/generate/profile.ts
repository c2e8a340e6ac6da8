/**
 * One profile at a time: its lifecycle plan (cheap, computed twice: once to size the event budget
 * and once to generate), then its attributes, consent, events and list memberships.
 */
import { DAY, HOUR, isoSeconds, sampleTime } from './calendar';
import {
  ACCESSORIES_AND_MERCH, ALL_RECORDS, BOX_SET_PRODUCTS, CARRIERS_INTL, CARRIERS_US, COMPANY_DOMAINS, DISCOUNT_CODES,
  EMAIL_DOMAINS_BY_COUNTRY, EMAIL_DOMAINS_UK, EMAIL_DOMAINS_US, FAVORITE_FORMATS, FIRST_NAMES_DE, FIRST_NAMES_EN, FIRST_NAMES_ES,
  FIRST_NAMES_FR, FIRST_NAMES_IT, FIRST_NAMES_NL, FIRST_NAMES_NORDIC, GENRES, GENRE_WEIGHTS, LAST_NAMES_DE, LAST_NAMES_EN,
  LAST_NAMES_ES, LAST_NAMES_FR, LAST_NAMES_IE_UK, LAST_NAMES_IT, LAST_NAMES_NL, LAST_NAMES_NORDIC, RECORDS_BY_GENRE, REFUND_REASONS,
  SITE_PAGES, STREET_NAMES_US, TAGS, TURNTABLES, TYPO_DOMAINS, type FirstName, type Product,
} from './catalog';
import { POST_PURCHASE, WELCOME_SERIES, campaignIndexAtOrAfter, type EmailMessage, type GenContext } from './context';
import { FORMS, L, LISTS, M } from './definitions';
import { AREA_CODES, US_AREA_CODE_POOL, samplePlace, type Market, type Place } from './geo';
import { HashSet32, profileUlid, randomToken } from './ids';
import { Rng, WeightedTable, hashString } from './prng';

export const Cohort = { Dormant: 0, Passive: 1, Browser: 2, OneTime: 3, Repeat: 4, Vip: 5 } as const;
export type CohortValue = (typeof Cohort)[keyof typeof Cohort];
export const COHORT_NAMES: readonly string[] = ['dormant', 'passive', 'browser', 'one-time', 'repeat', 'vip'];

const COHORTS = WeightedTable.of<CohortValue>([
  [Cohort.Dormant, 8], [Cohort.Passive, 12], [Cohort.Browser, 26], [Cohort.OneTime, 26], [Cohort.Repeat, 22], [Cohort.Vip, 6],
]);
const IMPORTED_COHORTS = WeightedTable.of<CohortValue>([
  [Cohort.Dormant, 30], [Cohort.Passive, 25], [Cohort.Browser, 15], [Cohort.OneTime, 15], [Cohort.Repeat, 11], [Cohort.Vip, 4],
]);
/** Relative weight of engagement events per cohort. */
const ENGAGEMENT_FACTOR: readonly number[] = [0, 0.5, 1.2, 0.8, 1.2, 2.5];
/** Share of engagement events that are e-mail (the rest is site browsing). */
const EMAIL_SHARE: readonly number[] = [0.5, 1, 0.6, 0.65, 0.65, 0.6];
/** Expected events per order: placed + ~1.9 products + fulfilled + ~0.85 checkout + refunds. */
export const EVENTS_PER_ORDER = 4.7;

// Recency classes: days since the last activity, [lo, hi).
const RECENCY_BOUNDS: readonly (readonly [number, number])[] = [[0, 30], [30, 90], [90, 180], [180, 365], [365, 100_000]];
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

  let lastActive = created;
  if (cohort !== Cohort.Dormant && cohort !== Cohort.Passive) {
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
    lastActive = sampleTime(rng, ctx.activity, from, to, -5);
  }
  const span = Math.min(3, (lifeDays + 30) / 365);
  const engagement = Math.min(30, ENGAGEMENT_FACTOR[cohort]! * rng.lognormal(0, 0.8) * Math.pow(span, 0.7));
  return { index, created, imported, cohort, nOrders, cadenceDays, lastActive, orderCost: nOrders * EVENTS_PER_ORDER, engagement };
}

/** An event before it gets its ID: time, metric index and properties. */
export interface GenEvent {
  t: number;
  seq: number;
  m: number;
  /**
   * The `event_properties` object as JSON text without its opening brace: `"$value":12.5,...}`.
   * When `needsId`, the writer prepends `"$event_id":"<the event's ID>",`.
   */
  body: string;
  needsId: boolean;
}

export interface Membership {
  readonly list: number;
  readonly joined: number;
}

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

/** Shared state across profiles: uniqueness of e-mail addresses and phone numbers. */
export class BuildState {
  readonly emails: HashSet32;
  readonly phones: HashSet32;
  constructor(profiles: number) {
    this.emails = new HashSet32(profiles);
    this.phones = new HashSet32(Math.ceil(profiles / 2));
  }
}

type Origin = 'import' | 'giveaway' | 'rsd' | 'in-store' | 'checkout' | 'popup' | 'footer' | 'back-in-stock' | 'preference-page' | 'api' | 'none';
type Consent = 'SUBSCRIBED' | 'UNSUBSCRIBED' | 'NEVER_SUBSCRIBED';

interface Suppression {
  reason: string;
  timestamp: number;
}

interface EmailState {
  consent: Consent;
  consentTs: number | null;
  method: string | null;
  methodDetail: string | null;
  customMethodDetail: string | null;
  doubleOptin: boolean | null;
  suppression: Suppression[];
  listSuppressions: { list_id: string; reason: string; timestamp: number }[];
  /** When they first subscribed (before a later unsubscribe), for list joins and welcome e-mails. */
  subscribedAt: number | null;
  /** Campaign e-mails are received in [mailFrom, mailUntil]; null when none. */
  mailFrom: number | null;
  mailUntil: number;
}

interface Order {
  t: number;
  id: string;
  items: Product[];
  qty: number[];
  value: number;
  source: string;
  discount: string | null;
  fulfilledAt: number | null;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function asciiFold(s: string): string {
  const folded = /^[\x00-\x7f]*$/.test(s) ? s : s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return folded.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function namePools(market: Market, rng: Rng): readonly [readonly FirstName[], readonly string[]] {
  switch (market) {
    case 'DE': case 'AT': return [FIRST_NAMES_DE, LAST_NAMES_DE];
    case 'FR': return [FIRST_NAMES_FR, LAST_NAMES_FR];
    case 'BE': return rng.chance(0.5) ? [FIRST_NAMES_FR, LAST_NAMES_FR] : [FIRST_NAMES_NL, LAST_NAMES_NL];
    case 'NL': return [FIRST_NAMES_NL, LAST_NAMES_NL];
    case 'ES': case 'PT': return [FIRST_NAMES_ES, LAST_NAMES_ES];
    case 'IT': return [FIRST_NAMES_IT, LAST_NAMES_IT];
    case 'SE': case 'DK': return [FIRST_NAMES_NORDIC, LAST_NAMES_NORDIC];
    case 'UK': case 'IE': return [FIRST_NAMES_EN, LAST_NAMES_IE_UK];
    case 'CA': return rng.chance(0.25) ? [FIRST_NAMES_FR, LAST_NAMES_FR] : [FIRST_NAMES_EN, LAST_NAMES_EN];
    default: return [FIRST_NAMES_EN, LAST_NAMES_EN];
  }
}

const DOMAIN_TABLES = new Map<string, WeightedTable<string>>();
function domainTable(market: Market): WeightedTable<string> {
  let t = DOMAIN_TABLES.get(market);
  if (!t) {
    const pairs = market === 'UK' ? EMAIL_DOMAINS_UK : EMAIL_DOMAINS_BY_COUNTRY[market] ?? EMAIL_DOMAINS_US;
    t = WeightedTable.of(pairs);
    DOMAIN_TABLES.set(market, t);
  }
  return t;
}

const NICKNAMES = ['vinyljunkie', 'cratedigger', 'spinitagain', 'needledrop', 'bluenote', 'wax.trax', 'groovehound', 'sideb', 'deepcuts', 'hifi'];

function emailLocalPart(rng: Rng, first: string, last: string): string {
  const f = asciiFold(first) || 'music';
  const l = asciiFold(last) || 'fan';
  const r = rng.next();
  if (r < 0.3) return `${f}.${l}`;
  if (r < 0.45) return `${f}${l}`;
  if (r < 0.57) return `${f[0]}${l}`;
  if (r < 0.65) return `${f}_${l}`;
  if (r < 0.75) return `${f}.${l}${rng.intBetween(1, 99)}`;
  if (r < 0.85) return `${f}${rng.intBetween(1955, 2006)}`;
  if (r < 0.93) return `${f}${l[0]}${rng.intBetween(1, 999)}`;
  return `${rng.pick(NICKNAMES)}${rng.intBetween(1, 9999)}`;
}

function capitalise(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function digitsOf(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(10));
  return s;
}

/** A mobile number in E.164 that fits the profile's country (and state, for area codes). */
function phoneFor(rng: Rng, place: Place): string {
  const nanp = (areas: readonly number[]): string => {
    let exchange = rng.intBetween(201, 989);
    if (exchange % 100 === 11 || exchange === 555) exchange += 1;
    return `+1${rng.pick(areas)}${exchange}${digitsOf(rng, 4)}`;
  };
  switch (place.countryCode) {
    case 'US': return nanp((place.state && AREA_CODES[place.state]) || US_AREA_CODE_POOL);
    case 'CA': return nanp((place.state && AREA_CODES[place.state]) || [416, 604, 514]);
    case 'GB': return `+44${rng.pick(['7913', '7912', '7940', '7956', '7824', '7866', '7588', '7723', '7809', '7535'])}${digitsOf(rng, 6)}`;
    case 'DE': return `+49${rng.pick(['151', '152', '157', '159', '160', '170', '171', '172', '175', '176', '177', '178', '179'])}${digitsOf(rng, 8)}`;
    case 'FR': return `+33${rng.pick(['6', '7'])}${rng.intBetween(3, 9)}${digitsOf(rng, 7)}`;
    case 'NL': return `+316${rng.intBetween(1, 5)}${digitsOf(rng, 7)}`;
    case 'IE': return `+3538${rng.pick(['3', '5', '6', '7', '9'])}${digitsOf(rng, 7)}`;
    case 'ES': return `+346${digitsOf(rng, 8)}`;
    case 'IT': return `+393${rng.intBetween(1, 9)}${digitsOf(rng, 8)}`;
    case 'SE': return `+467${rng.pick(['0', '2', '3', '6'])}${digitsOf(rng, 7)}`;
    case 'DK': return `+45${rng.intBetween(2, 3)}${digitsOf(rng, 7)}`;
    case 'BE': return `+324${rng.intBetween(7, 9)}${digitsOf(rng, 7)}`;
    case 'AT': return `+43664${digitsOf(rng, 7)}`;
    case 'PL': return `+48${rng.pick(['50', '51', '53', '60', '66', '69', '72', '79', '88'])}${digitsOf(rng, 7)}`;
    case 'PT': return `+3519${rng.pick(['1', '2', '3', '6'])}${digitsOf(rng, 7)}`;
    case 'AU': return `+614${rng.intBetween(0, 3)}${digitsOf(rng, 7)}`;
    case 'JP': return `+81${rng.pick(['70', '80', '90'])}${rng.intBetween(1, 9)}${digitsOf(rng, 7)}`;
    case 'MX': return `+5255${digitsOf(rng, 8)}`;
    case 'BR': return `+55119${rng.intBetween(6, 9)}${digitsOf(rng, 7)}`;
    case 'NO': return `+474${digitsOf(rng, 7)}`;
    case 'CH': return `+417${rng.intBetween(6, 9)}${digitsOf(rng, 7)}`;
    case 'NZ': return `+6421${digitsOf(rng, 7)}`;
    default: return nanp(US_AREA_CODE_POOL);
  }
}

function weightedGenre(rng: Rng): string {
  let total = 0;
  for (const w of GENRE_WEIGHTS) total += w;
  let x = rng.next() * total;
  for (let k = 0; k < GENRES.length; k++) {
    x -= GENRE_WEIGHTS[k]!;
    if (x < 0) return GENRES[k]!;
  }
  return GENRES[0]!;
}

function pickRecord(rng: Rng, favorite: string | null): Product {
  const genre = favorite && rng.chance(0.6) ? favorite : weightedGenre(rng);
  const list = RECORDS_BY_GENRE.get(genre);
  return list && list.length ? rng.pick(list) : rng.pick(ALL_RECORDS);
}

function pickProduct(rng: Rng, favorite: string | null, vip: boolean, firstOrder: boolean): Product {
  const r = rng.next();
  if (r < (vip ? 0.1 : 0.04)) return rng.pick(BOX_SET_PRODUCTS);
  if (r < (vip ? 0.16 : firstOrder ? 0.1 : 0.06)) return rng.pick(TURNTABLES);
  if (r < 0.26) return rng.pick(ACCESSORIES_AND_MERCH);
  return pickRecord(rng, favorite);
}

interface ProductJson {
  readonly name: string;
  readonly categories: string;
  readonly artist: string | null;
  /** Viewed Product properties (constant per product), without the opening brace. */
  readonly viewedBody: string;
  /** Added to Cart properties (constant per product), without the opening brace. */
  readonly addedBody: string;
}
const PRODUCT_JSON = new Map<Product, ProductJson>();
function productJson(p: Product): ProductJson {
  let j = PRODUCT_JSON.get(p);
  if (!j) {
    const name = asciiJson(p.name);
    const categories = asciiJson(p.categories);
    const artist = p.artist ? asciiJson(p.artist) : null;
    const url = asciiJson(`https://mintvinyl.com/products/${p.handle}`);
    j = {
      name, categories, artist,
      viewedBody: `"ProductName":${name},"ProductID":"${p.id}","Categories":${categories},"Price":${p.price}${artist ? `,"Artist":${artist}` : ''},"URL":${url}}`,
      addedBody: `"$value":${p.price},"AddedItemProductName":${name},"AddedItemPrice":${p.price},"AddedItemCategories":${categories},"AddedItemQuantity":1,"ItemNames":[${name}]}`,
    };
    PRODUCT_JSON.set(p, j);
  }
  return j;
}
function itemNamesJson(items: readonly Product[]): string {
  let s = '[';
  for (let k = 0; k < items.length; k++) s += (k ? ',' : '') + productJson(items[k]!).name;
  return s + ']';
}
function categoriesJson(items: readonly Product[]): string {
  if (items.length === 1) return productJson(items[0]!).categories;
  const seen: string[] = [];
  for (const p of items) for (const c of p.categories) if (!seen.includes(c)) seen.push(c);
  return JSON.stringify(seen); // category names are ASCII
}
function itemCount(o: Order): number {
  let n = 0;
  for (const q of o.qty) n += q;
  return n;
}
const MESSAGE_JSON = new WeakMap<EmailMessage, { nameAndSubject: string; url: string }>();
function messageJson(msg: EmailMessage): { nameAndSubject: string; url: string } {
  let j = MESSAGE_JSON.get(msg);
  if (!j) {
    j = { nameAndSubject: `"Campaign Name":${asciiJson(msg.name)},"Subject":${asciiJson(msg.subject)}`, url: asciiJson(msg.url) };
    MESSAGE_JSON.set(msg, j);
  }
  return j;
}
const NEVER_SMS: Record<string, unknown> = { can_receive_sms_marketing: false, consent: 'NEVER_SUBSCRIBED', consent_timestamp: null, method: null, method_detail: null, last_updated: null };
const NEVER_SMS_JSON = JSON.stringify(NEVER_SMS);
const NEVER_PUSH: Record<string, unknown> = { can_receive_push_marketing: false, consent: 'NEVER_SUBSCRIBED', consent_timestamp: null };
const NEVER_PUSH_JSON = JSON.stringify(NEVER_PUSH);

/** A JSON string literal, or null. */
function q(s: string | null): string {
  return s === null ? 'null' : JSON.stringify(s);
}

/**
 * JSON text with every non-ASCII character written as a \u escape: event lines stay one-byte
 * strings, which V8 concatenates and encodes much faster (the parsed values are the same).
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const PAGE_BODIES: readonly string[] = SITE_PAGES.map((u) => `"page":${asciiJson(u)}}`);

const FORMATS = WeightedTable.of(FAVORITE_FORMATS);
const UNSUB_METHODS = WeightedTable.of<string>([['PREFERENCE_PAGE', 45], ['ONE_CLICK_UNSUBSCRIBE', 30], ['MAILBOX_PROVIDER', 10], ['SPAM_COMPLAINT', 8], ['MANUAL_REMOVE', 7]]);
const SIGNUP_SOURCE: Readonly<Record<Origin, string | null>> = {
  import: 'Legacy Mailing List Import', giveaway: 'Instagram Giveaway', rsd: 'Record Store Day Waitlist', 'in-store': 'In-Store',
  checkout: 'Checkout', popup: 'Popup Form', footer: 'Footer Form', 'back-in-stock': 'Back in Stock', 'preference-page': 'Preference Page',
  api: 'Discogs Sync', none: null,
};
/** How likely a subscriber from each source is on the Newsletter list. */
const NEWSLETTER_CHANCE: Readonly<Record<Origin, number>> = {
  import: 1, popup: 1, footer: 1, 'preference-page': 1, 'in-store': 1, checkout: 0.7, giveaway: 0.5, rsd: 0.5, api: 0.4, 'back-in-stock': 0, none: 0,
};
const TITLES = ['Product Manager', 'Software Engineer', 'Designer', 'Account Executive', 'Researcher', 'Teacher', 'Director of Operations', 'Analyst'];

/**
 * Generates one profile with exactly `budget` events (`orderBudget` of them reserved for orders
 * when there are orders to place).
 */
export function buildProfile(ctx: GenContext, plan: ProfilePlan, budget: number, orderBudget: number, state: BuildState): BuiltProfile {
  const rng = new Rng(ctx.seed, plan.index, 2);
  const { now } = ctx;
  const created = plan.created;
  const id = profileUlid(created * 1000 + rng.int(1000), plan.index, ctx.seedKey, rng);
  const place = samplePlace(rng);
  const isBuyerCohort = plan.nOrders > 0;

  // ---- identity -------------------------------------------------------------------------------------------------
  const [firstPool, lastPool] = namePools(place.market, rng);
  const firstName = rng.pick(firstPool);
  const lastNameRaw = rng.pick(lastPool);
  const first: string | null = rng.chance(0.035) ? null : firstName.name;
  const last: string | null = rng.chance(0.05) ? null : lastNameRaw === 'OBrien' ? 'O’Brien' : lastNameRaw === 'OConnor' ? "O'Connor" : lastNameRaw;

  const phoneOnly = !plan.imported && rng.chance(0.035) && (place.countryCode === 'US' || place.countryCode === 'CA');
  let email: string | null = null;
  let organization: string | null = null;
  let title: string | null = null;
  let typoDomain = false;
  let companyDomain = false;
  if (!phoneOnly) {
    const roll = rng.next();
    let domain: string;
    if (roll < 0.006) {
      domain = rng.pick(TYPO_DOMAINS);
      typoDomain = true;
    } else if (roll < 0.09) {
      const [d, org] = rng.pick(COMPANY_DOMAINS);
      domain = d;
      companyDomain = true;
      if (rng.chance(0.6)) organization = org;
      if (rng.chance(0.4)) title = rng.pick(TITLES);
    } else {
      domain = domainTable(place.market).sample(rng);
    }
    for (let attempt = 0; ; attempt++) {
      let local = emailLocalPart(rng, firstName.name, lastNameRaw);
      if (attempt > 0) local += String(rng.intBetween(2, 9999));
      if (attempt > 8) local += `.${plan.index}`;
      const candidate = `${local}@${domain}`;
      if (state.emails.add(hashString(candidate))) {
        email = candidate;
        break;
      }
    }
    const caseRoll = rng.next();
    if (caseRoll < 0.03) {
      const at = email.indexOf('@');
      email = email.slice(0, at + 1) + capitalise(email.slice(at + 1));
    } else if (caseRoll < 0.05) {
      email = capitalise(email);
    } else if (caseRoll < 0.055) {
      email = email.toUpperCase();
    }
  }
  const emailDomain = email ? email.slice(email.indexOf('@') + 1).toLowerCase() : null;

  const phoneChance = phoneOnly ? 1 : place.countryCode === 'US' || place.countryCode === 'CA' ? 0.45 : place.countryCode === 'GB' ? 0.35 : place.countryCode ? 0.22 : 0.1;
  let phone: string | null = null;
  if (rng.chance(phoneChance)) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = phoneFor(rng, place);
      if (state.phones.add(hashString(candidate))) {
        phone = candidate;
        break;
      }
    }
  }

  // ---- origin and e-mail consent ---------------------------------------------------------------------------------
  let origin: Origin;
  if (plan.imported) origin = 'import';
  else if (created >= ctx.giveawayStart && created < ctx.giveawayEnd && rng.chance(0.7)) origin = 'giveaway';
  else if (created >= ctx.rsdWindowStart && created < ctx.rsdDay && rng.chance(0.35)) origin = 'rsd';
  else if (place.nearStore && rng.chance(0.3)) origin = 'in-store';
  else if (isBuyerCohort && rng.chance(0.45)) origin = 'checkout';
  else {
    const r = rng.next();
    origin = r < 0.45 ? 'popup' : r < 0.7 ? 'footer' : r < 0.78 ? 'back-in-stock' : r < 0.83 ? 'preference-page' : r < 0.88 ? 'api' : 'none';
  }
  if (phoneOnly && origin !== 'in-store' && origin !== 'checkout') origin = 'none';

  const em: EmailState = {
    consent: 'NEVER_SUBSCRIBED', consentTs: null, method: null, methodDetail: null, customMethodDetail: null, doubleOptin: null,
    suppression: [], listSuppressions: [], subscribedAt: null, mailFrom: null, mailUntil: now,
  };
  // Checkout and in-store customers buy right when the profile is created.
  const firstOrderAt = origin === 'checkout' || origin === 'in-store' ? created + rng.intBetween(20, 900) : null;
  if (email) {
    const subscribe = (ts: number, method: string, detail: string | null, doubleOptin: boolean): void => {
      em.consent = 'SUBSCRIBED';
      em.consentTs = Math.min(ts, now - 60);
      em.method = method;
      em.methodDetail = detail;
      em.doubleOptin = doubleOptin;
      em.subscribedAt = em.consentTs;
    };
    switch (origin) {
      case 'import': if (rng.chance(0.8)) subscribe(created, 'MANUAL_IMPORT', 'ops@mintvinyl.com', false); break;
      case 'giveaway': subscribe(created + rng.intBetween(1, 30), 'FORM', FORMS.giveaway, false); break;
      case 'rsd': subscribe(created + rng.intBetween(1, 30), 'FORM', FORMS.rsdWaitlist, false); break;
      case 'in-store':
        if (rng.chance(0.7)) {
          subscribe(created + rng.intBetween(60, 3 * 86400), 'MANUAL_ADD', 'staff@mintvinyl.com', false);
          em.customMethodDetail = place.region === 'OH' ? 'Columbus shop signup sheet' : 'Cambridge shop signup sheet';
        }
        break;
      case 'checkout': if (rng.chance(0.55)) subscribe(firstOrderAt ?? created, 'CHECKOUT', 'mintvinyl.com/checkout', false); break;
      case 'popup': case 'footer':
        // Newsletter is double opt-in: some never confirm.
        if (rng.chance(0.85)) subscribe(created + rng.intBetween(60, 6 * 3600), 'FORM', origin === 'popup' ? FORMS.popup : FORMS.footer, true);
        break;
      case 'back-in-stock': if (rng.chance(0.5)) subscribe(created + rng.intBetween(1, 60), 'BACK_IN_STOCK', null, false); break;
      case 'preference-page': subscribe(created + rng.intBetween(60, 3600), 'PREFERENCE_PAGE', 'mintvinyl.com/pages/newsletter', true); break;
      case 'api': subscribe(created + rng.intBetween(1, 60), 'API', 'a3f9', false); break;
      case 'none': break;
    }
    if (em.consent === 'SUBSCRIBED' && em.consentTs !== null) {
      em.mailFrom = em.consentTs;
      const unsubChance = plan.cohort === Cohort.Passive ? 0.28 : plan.cohort === Cohort.Dormant ? 0.22 : 0.13;
      if (rng.chance(unsubChance)) {
        const tu = Math.floor(em.consentTs + 3600 + rng.exp(200 * DAY));
        if (tu < now - 3600) {
          const method = UNSUB_METHODS.sample(rng);
          em.consent = 'UNSUBSCRIBED';
          em.consentTs = tu;
          em.method = method;
          em.methodDetail = method === 'PREFERENCE_PAGE' ? 'mintvinyl.com/pages/preferences' : null;
          em.suppression.push({ reason: method === 'SPAM_COMPLAINT' ? 'SPAM_COMPLAINT' : 'UNSUBSCRIBE', timestamp: tu });
          em.mailUntil = tu;
        }
      }
    } else if (rng.chance(0.25)) {
      // Never subscribed, but still reachable: included in a few customer campaigns.
      em.mailFrom = created;
    }
    if (typoDomain) {
      em.suppression.push({ reason: 'INVALID_EMAIL', timestamp: created + rng.intBetween(1, 600) });
      em.mailFrom = null;
    } else {
      if (rng.chance(companyDomain ? 0.1 : 0.022)) {
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
    em.suppression.sort((a, b) => a.timestamp - b.timestamp);
  }

  // ---- SMS and push consent -------------------------------------------------------------------------------------
  let sms: Record<string, unknown> = NEVER_SMS;
  let smsSubscribed = false;
  if (phone) {
    const smsMarket = place.countryCode === 'US' || place.countryCode === 'CA' || place.countryCode === 'GB';
    const r = rng.next();
    if (phoneOnly || (smsMarket && r < 0.22)) {
      const method = phoneOnly ? 'TEXT' : rng.pick(['CHECKOUT', 'FORM', 'FORM', 'TEXT']);
      const detail = method === 'TEXT' ? 'JOIN' : method === 'FORM' ? FORMS.popup : 'mintvinyl.com/checkout';
      const ts = isoSeconds(Math.min(now - 60, (firstOrderAt ?? created) + rng.intBetween(5, 600)));
      sms = { can_receive_sms_marketing: true, consent: 'SUBSCRIBED', consent_timestamp: ts, method, method_detail: detail, last_updated: ts };
      smsSubscribed = true;
    } else if (smsMarket && r < 0.29) {
      const ts = isoSeconds(Math.floor(created + rng.next() * (now - created)));
      sms = { can_receive_sms_marketing: false, consent: 'UNSUBSCRIBED', consent_timestamp: ts, method: 'TEXT', method_detail: 'STOP', last_updated: ts };
    }
  }
  let push: Record<string, unknown> = NEVER_PUSH;
  const pushSubscribed = rng.chance(isBuyerCohort ? 0.06 : 0.02);
  if (pushSubscribed) {
    push = { can_receive_push_marketing: true, consent: 'SUBSCRIBED', consent_timestamp: isoSeconds(Math.floor(created + rng.next() * (now - created))) };
  }

  // ---- preferences ---------------------------------------------------------------------------------------------
  const favoriteGenre = rng.chance(isBuyerCohort ? 0.8 : 0.62) ? weightedGenre(rng) : null;
  const utcOffset = place.utcOffset;

  // ---- events --------------------------------------------------------------------------------------------------
  // Event properties are built as JSON text directly (see `GenEvent.body`): much faster than objects + JSON.stringify.
  const events: GenEvent[] = [];
  let seq = 0;
  let remaining = budget;
  const push1 = (t: number, m: number, body: string, needsId = false): void => {
    events.push({ t, seq: seq++, m, body, needsId });
    remaining--;
  };
  const activeEnd = Math.max(created, plan.lastActive);

  // Orders: placed first (the most recent ones when the budget is short), then their follow-up events.
  const orders: Order[] = [];
  if (plan.nOrders > 0 && budget > 0) {
    const times = orderTimes(rng, ctx, plan, firstOrderAt, utcOffset);
    const keep = Math.min(times.length, remaining, Math.max(1, orderBudget));
    const kept = times.slice(times.length - keep);
    const vip = plan.cohort === Cohort.Vip;
    for (let k = 0; k < kept.length; k++) {
      const t = kept[k]!;
      const nItems = Math.min(8, rng.geometric(vip ? 0.38 : 0.62));
      const items: Product[] = [];
      const qty: number[] = [];
      for (let j = 0; j < nItems; j++) {
        const p = pickProduct(rng, favoriteGenre, vip, k === 0);
        if (items.includes(p)) continue;
        items.push(p);
        qty.push(p.kind === 'record' && rng.chance(0.04) ? 2 : 1);
      }
      const sourceRoll = rng.next();
      const source = (k === 0 && origin === 'in-store') || (place.nearStore && sourceRoll < 0.35) || sourceRoll < 0.02 ? 'pos' : sourceRoll > 0.97 ? 'shopify_draft_order' : 'web';
      let discount: string | null = null;
      let pct = 0;
      const date = new Date(t * 1000);
      if (date.getUTCMonth() === 10 && date.getUTCDate() >= 22 && rng.chance(0.6)) {
        discount = `BLACKFRIDAY${String(date.getUTCFullYear()).slice(2)}`;
        pct = 0.25;
      } else if (t >= ctx.rsdDay - 6 * DAY && t < ctx.rsdDay + DAY && rng.chance(0.4)) {
        discount = `RSD${ctx.rsdYear}`;
        pct = 0.1;
      } else if (k === 0 && em.method === 'FORM' && rng.chance(0.5)) {
        discount = 'WELCOME10';
        pct = 0.1;
      } else if (rng.chance(0.08)) {
        discount = rng.pick(DISCOUNT_CODES);
        pct = discount === 'FREESHIP' ? 0 : 0.15;
      }
      let subtotal = 0;
      for (let j = 0; j < items.length; j++) subtotal += items[j]!.price * qty[j]!;
      const shipping = source === 'web' && subtotal < 50 && discount !== 'FREESHIP' ? 5.99 : 0;
      const value = round2(subtotal * (1 - pct) + shipping);
      orders.push({ t, id: String(5_104_000_000_000 + plan.index * 64 + k), items, qty, value, source, discount, fulfilledAt: null });
    }
    for (const o of orders) {
      push1(o.t, M.PlacedOrder,
        `"$value":${o.value},"$event_id":"${o.id}","ItemNames":${itemNamesJson(o.items)},"Categories":${categoriesJson(o.items)},"Item Count":${itemCount(o)}` +
        `${o.discount ? `,"Discount Code":"${o.discount}"` : ''},"Source Name":"${o.source}"}`);
    }
    let extras = Math.max(0, orderBudget - orders.length);
    for (const o of orders) {
      if (extras <= 0 || remaining <= 0) break;
      for (let j = 0; j < o.items.length && extras > 0 && remaining > 0; j++) {
        const p = o.items[j]!;
        const pj = productJson(p);
        push1(o.t, M.OrderedProduct,
          `"$value":${round2(p.price * o.qty[j]!)},"$event_id":"${o.id}:${j + 1}","ProductName":${pj.name},"ProductID":"${p.id}","Categories":${pj.categories}` +
          `${pj.artist ? `,"Artist":${pj.artist}` : ''},"Quantity":${o.qty[j]},"OrderId":"${o.id}"}`);
        extras--;
      }
      const ft = o.source === 'pos' ? o.t + rng.intBetween(30, 300) : o.t + rng.intBetween(12 * HOUR, 5 * DAY);
      if (extras > 0 && remaining > 0 && ft <= now) {
        o.fulfilledAt = ft;
        const carrier = o.source === 'pos' ? 'In-Store Pickup' : rng.pick(place.countryCode === 'US' ? CARRIERS_US : CARRIERS_INTL);
        push1(ft, M.FulfilledOrder, `"$value":${o.value},"$event_id":"${o.id}","ItemNames":${itemNamesJson(o.items)},"Item Count":${itemCount(o)},"Carrier":"${carrier}"}`);
        extras--;
      }
      if (extras > 0 && remaining > 0 && o.source === 'web' && rng.chance(0.9)) {
        const ct = o.t - rng.intBetween(60, 1500);
        push1(Math.max(ct, created), M.StartedCheckout,
          `"$value":${o.value},"$event_id":"c${randomToken(rng, 12)}","ItemNames":${itemNamesJson(o.items)},"Categories":${categoriesJson(o.items)},"Item Count":${itemCount(o)}}`);
        extras--;
      }
      if (extras > 0 && remaining > 0 && o.fulfilledAt !== null && rng.chance(0.035)) {
        const rt = o.fulfilledAt + rng.intBetween(2 * DAY, 20 * DAY);
        if (rt <= now) {
          const j = rng.int(o.items.length);
          const whole = rng.chance(0.3);
          const reason = rng.pick(REFUND_REASONS);
          push1(rt, M.RefundedOrder,
            `"$value":${whole ? o.value : round2(o.items[j]!.price * o.qty[j]!)},"$event_id":"r${o.id}",` +
            `"ItemNames":${whole ? itemNamesJson(o.items) : `[${productJson(o.items[j]!).name}]`},"Reason":"${reason}"}`);
          extras--;
        }
      }
    }
  }

  // E-mail: flow messages and campaigns received while reachable; opens and clicks while active.
  let received = 0;
  let opened = 0;
  const engagementBudget = remaining;
  const emailShare = em.mailFrom === null || !email ? 0 : EMAIL_SHARE[plan.cohort]!;
  let emailBudget = Math.round(engagementBudget * emailShare);
  if (emailBudget > 0 && em.mailFrom !== null && email) {
    const pOpen = plan.cohort === Cohort.Passive || plan.cohort === Cohort.Dormant ? 0 : Math.min(0.9, (plan.cohort === Cohort.Vip ? 0.5 : 0.32) * rng.lognormal(0, 0.4));
    const pClick = Math.min(0.6, 0.18 * rng.lognormal(0, 0.5));
    const pBot = companyDomain ? 0.35 : 0.012;
    const perSlot = 1 + pOpen * (1 + pClick) + pBot;
    const slotsWanted = Math.max(1, Math.floor(emailBudget / perSlot));
    const from = em.mailFrom;
    const until = Math.min(em.mailUntil, now);
    // `key` makes each send's $event_id unique (a flow message can reach the same person more than once).
    const flows: { t: number; msg: EmailMessage; key: string }[] = [];
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
    const pidTail = id.slice(-10);
    const domainJson = JSON.stringify(emailDomain); // domains are ASCII
    for (const slot of slots) {
      if (remaining <= 0 || emailBudget <= 0) break;
      const tr = Math.min(now, slot.t + rng.int(120));
      const mj = messageJson(slot.msg);
      const base = `"$event_id":"${slot.msg.id}:${pidTail}${slot.key}",${mj.nameAndSubject},"Email Domain":${domainJson}`;
      push1(tr, M.ReceivedEmail, base + '}');
      received++;
      emailBudget--;
      if (remaining > 0 && emailBudget > 0 && tr <= activeEnd && rng.chance(pOpen)) {
        const to = tr + 30 + Math.floor(rng.exp(6 * HOUR));
        if (to <= activeEnd && to <= now) {
          push1(to, M.OpenedEmail, base + '}');
          opened++;
          emailBudget--;
          if (remaining > 0 && emailBudget > 0 && rng.chance(pClick)) {
            const tc = to + 3 + Math.floor(rng.exp(90));
            if (tc <= now) {
              push1(tc, M.ClickedEmail, `${base},"URL":${mj.url},"Bot Click":false}`);
              emailBudget--;
            }
          }
        }
      } else if (remaining > 0 && emailBudget > 0 && rng.chance(pBot)) {
        push1(Math.min(now, tr + 1 + rng.int(30)), M.ClickedEmail, `${base},"URL":${mj.url},"Bot Click":true}`);
        emailBudget--;
      }
    }
  }

  // Site sessions fill the rest of the budget exactly.
  const sessionEnd = plan.cohort === Cohort.Passive || plan.cohort === Cohort.Dormant ? Math.min(now, created + HOUR) : activeEnd;
  while (remaining > 0) {
    const s = sampleTime(rng, ctx.activity, created, sessionEnd, utcOffset);
    push1(s, M.ActiveOnSite, rng.pick(PAGE_BODIES), true);
    let t = s;
    let lastViewed: Product | null = null;
    const views = rng.geometric(0.4);
    for (let v = 0; v < views && remaining > 0; v++) {
      t = Math.min(now, t + rng.intBetween(15, 240));
      const p = rng.chance(0.9) ? pickRecord(rng, favoriteGenre) : pickProduct(rng, favoriteGenre, false, false);
      push1(t, M.ViewedProduct, productJson(p).viewedBody, true);
      lastViewed = p;
    }
    if (lastViewed && remaining > 0 && rng.chance(0.22)) {
      t = Math.min(now, t + rng.intBetween(10, 120));
      const pj = productJson(lastViewed);
      push1(t, M.AddedToCart, pj.addedBody, true);
      if (remaining > 0 && rng.chance(0.3)) {
        t = Math.min(now, t + rng.intBetween(60, 900));
        push1(t, M.StartedCheckout,
          `"$value":${round2(lastViewed.price + (lastViewed.price < 50 ? 5.99 : 0))},"$event_id":"c${randomToken(rng, 12)}",` +
          `"ItemNames":[${pj.name}],"Categories":${pj.categories},"Item Count":1}`);
      }
    }
  }
  events.sort((a, b) => a.t - b.t || a.seq - b.seq);

  // ---- derived state -------------------------------------------------------------------------------------------
  const lastEvent = events.length ? events[events.length - 1]!.t : null;
  const placed = orders;
  const spend = round2(placed.reduce((s, o) => s + o.value, 0));

  const memberships: Membership[] = [];
  // Newsletter: the sign-up forms and imports subscribe to it; other consent sources only sometimes
  // (back-in-stock requests never). Unsubscribed people mostly stay members, suppressed.
  if (email && em.subscribedAt !== null && rng.chance(NEWSLETTER_CHANCE[origin]) && (em.consent === 'SUBSCRIBED' || rng.chance(0.7))) {
    memberships.push({ list: L.Newsletter, joined: em.subscribedAt });
  }
  // VIP Club: joined when cumulative spend reached $500 or the fifth order.
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
    if (email && rng.chance(0.08)) em.listSuppressions.push({ list_id: LISTS[L.InstagramGiveaway]!.id, reason: 'UNSUBSCRIBE', timestamp: Math.min(now - 60, joined + rng.intBetween(DAY, 120 * DAY)) });
  } else if (created < ctx.giveawayStart && rng.chance(0.02)) {
    memberships.push({ list: L.InstagramGiveaway, joined: ctx.giveawayStart + rng.int(ctx.giveawayEnd - ctx.giveawayStart) });
  }
  memberships.sort((a, b) => a.list - b.list);

  // ---- profile JSON --------------------------------------------------------------------------------------------
  // Every entry of `suppression` is a global suppression; list suppressions do not stop marketing e-mail.
  const canReceiveEmail = !!email && em.suppression.length === 0;
  let emailLastUpdated = em.consentTs;
  for (const s of em.suppression) emailLastUpdated = Math.max(emailLastUpdated ?? 0, s.timestamp);
  for (const s of em.listSuppressions) emailLastUpdated = Math.max(emailLastUpdated ?? 0, s.timestamp);

  const properties: Record<string, unknown> = {};
  if (favoriteGenre) properties['Favorite Genre'] = favoriteGenre;
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
  if (placed.length && rng.chance(0.9)) properties['Accepts Marketing'] = em.consent === 'SUBSCRIBED';
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
  const signupSource = SIGNUP_SOURCE[origin];
  if (signupSource && rng.chance(0.92)) properties['Signup Source'] = signupSource;
  if (placed.length) {
    properties['Shopify Customer ID'] = String(6_210_000_000_000 + plan.index * 7 + 3);
    if (rng.chance(0.8)) properties['First Purchase Date'] = isoSeconds(placed[0]!.t);
  }
  const boughtTurntable = placed.some((o) => o.items.some((p) => p.kind === 'turntable'));
  if (boughtTurntable) properties['Owns Turntable'] = true;
  else if (rng.chance(0.2)) properties['Owns Turntable'] = rng.chance(0.6);

  const predictive = predictiveAnalytics(rng, ctx, placed, firstName, first, {
    email: canReceiveEmail, sms: smsSubscribed, push: pushSubscribed,
    emailEngagement: opened / Math.max(1, received),
    hasEvents: events.length > 0,
  });

  let updated = created;
  if (emailLastUpdated !== null) updated = Math.max(updated, emailLastUpdated);
  if (placed.length) updated = Math.max(updated, placed[placed.length - 1]!.t + rng.intBetween(1, 120));
  for (const m of memberships) updated = Math.max(updated, m.joined);
  updated = Math.min(updated, now);

  const address1 = place.countryCode === 'US' && rng.chance(placed.length ? 0.75 : 0.3)
    ? `${rng.intBetween(1, 9899)} ${rng.pick(STREET_NAMES_US)}` : null;
  const address2 = address1 && rng.chance(0.15) ? `Apt ${rng.intBetween(1, 40)}${rng.pick(['', 'A', 'B', 'C'])}` : null;
  const ip = rng.chance(0.35) ? `${rng.intBetween(24, 223)}.${rng.int(256)}.${rng.int(256)}.${rng.intBetween(1, 254)}` : null;

  // The profile line, in the key order of the API's profile resource (a template: faster than building objects).
  const externalId = placed.length && rng.chance(0.7) ? String(6_210_000_000_000 + plan.index * 7 + 3) : null;
  const coordinate = (x: number | null): string => (x === null ? 'null' : rng.chance(0.15) ? `"${x}"` : String(x));
  const latitude = coordinate(place.latitude);
  const longitude = coordinate(place.longitude);
  const suppressionJson = em.suppression.length ? JSON.stringify(em.suppression.map((x) => ({ reason: x.reason, timestamp: isoSeconds(x.timestamp) }))) : '[]';
  const listSuppressionJson = em.listSuppressions.length
    ? JSON.stringify(em.listSuppressions.map((x) => ({ list_id: x.list_id, reason: x.reason, timestamp: isoSeconds(x.timestamp) })))
    : '[]';
  const json =
    `{"type":"profile","id":"${id}","attributes":{"email":${q(email)},"phone_number":${q(phone)},"external_id":${q(externalId)},` +
    `"first_name":${q(first)},"last_name":${q(last)},"organization":${q(organization)},"locale":${q(place.locale)},"title":${q(title)},"image":null,` +
    `"created":"${isoSeconds(created)}","updated":"${isoSeconds(updated)}","last_event_date":${lastEvent === null ? 'null' : `"${isoSeconds(lastEvent)}"`},` +
    `"location":{"address1":${q(address1)},"address2":${q(address2)},"city":${q(place.city)},"country":${q(place.country)},` +
    `"latitude":${latitude},"longitude":${longitude},"region":${q(place.region)},"zip":${q(place.zip)},"timezone":${q(place.timezone)},"ip":${q(ip)}},` +
    `"properties":${JSON.stringify(properties)},` +
    `"subscriptions":{"email":{"marketing":{"can_receive_email_marketing":${canReceiveEmail},"consent":"${em.consent}",` +
    `"consent_timestamp":${em.consentTs === null ? 'null' : `"${isoSeconds(em.consentTs)}"`},` +
    `"last_updated":${emailLastUpdated === null ? 'null' : `"${isoSeconds(emailLastUpdated)}"`},"method":${q(em.method)},` +
    `"method_detail":${q(em.methodDetail)},"custom_method_detail":${q(em.customMethodDetail)},"double_optin":${em.doubleOptin === null ? 'null' : em.doubleOptin},` +
    `"suppression":${suppressionJson},"list_suppressions":${listSuppressionJson}}},` +
    `"sms":{"marketing":${sms === NEVER_SMS ? NEVER_SMS_JSON : JSON.stringify(sms)}},` +
    `"mobile_push":{"marketing":${push === NEVER_PUSH ? NEVER_PUSH_JSON : JSON.stringify(push)}}},` +
    `"predictive_analytics":${predictive === null ? 'null' : JSON.stringify(predictive)}}}`;
  return { id, json, email, phone, events, memberships };
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

interface ChannelInfo {
  email: boolean;
  sms: boolean;
  push: boolean;
  emailEngagement: number;
  hasEvents: boolean;
}

function predictiveAnalytics(
  rng: Rng, ctx: GenContext, orders: readonly Order[], name: FirstName, first: string | null, ch: ChannelInfo,
): Record<string, unknown> | null {
  const gender = first === null ? 'uncertain' : name.gender === 'F' ? (rng.chance(0.93) ? 'likely_female' : 'uncertain') : name.gender === 'M' ? (rng.chance(0.93) ? 'likely_male' : 'uncertain') : 'uncertain';
  const ranked: string[] = [];
  const rank: Record<string, string> = {};
  const channels: [string, number][] = [];
  if (ch.email) channels.push(['email', 0.4 + ch.emailEngagement + rng.next() * 0.3]);
  if (ch.sms) channels.push(['sms', 0.3 + rng.next() * 0.8]);
  if (ch.push) channels.push(['push', 0.2 + rng.next() * 0.6]);
  channels.sort((a, b) => b[1] - a[1]);
  for (const [c, score] of channels) {
    ranked.push(c);
    rank[c] = score > 0.9 ? 'high' : score > 0.55 ? 'medium' : 'low';
  }

  if (orders.length === 0) {
    if (!ch.hasEvents || !rng.chance(0.45)) return null;
    const predictedClv = round2(rng.chance(0.6) ? 0 : rng.exp(12));
    return {
      historic_clv: 0, predicted_clv: predictedClv, total_clv: predictedClv, historic_number_of_orders: 0,
      predicted_number_of_orders: round2(predictedClv > 0 ? rng.between(0.05, 0.4) : 0), average_days_between_orders: null,
      average_order_value: null, churn_probability: null, expected_date_of_next_order: null, ranked_channel_affinity: ranked,
      predicted_gender: gender, channel_affinity_rank: rank,
    };
  }
  if (!rng.chance(0.92)) return null;
  const n = orders.length;
  const historic = round2(orders.reduce((s, o) => s + o.value, 0));
  const aov = round2(historic / n);
  const firstT = orders[0]!.t;
  const lastT = orders[n - 1]!.t;
  const avgDays = n >= 2 ? Math.round((lastT - firstT) / (n - 1) / DAY) : null;
  const gap = Math.max(14, avgDays ?? 180);
  const since = (ctx.now - lastT) / DAY;
  // Too new to predict: the model needs some history.
  if (since < 14 && n === 1 && rng.chance(0.6)) {
    return {
      historic_clv: historic, predicted_clv: null, total_clv: null, historic_number_of_orders: n, predicted_number_of_orders: null,
      average_days_between_orders: null, average_order_value: aov, churn_probability: null, expected_date_of_next_order: null,
      ranked_channel_affinity: ranked, predicted_gender: gender, channel_affinity_rank: rank,
    };
  }
  const churn = Math.min(0.99, Math.max(0.01, round2(1 / (1 + Math.exp(-(since - 1.5 * gap) / (0.5 * gap))) + rng.between(-0.04, 0.04))));
  const predictedOrders = round2((1 - churn) * Math.min(12, 365 / gap) * rng.between(0.6, 0.9));
  const predictedClv = round2(predictedOrders * aov);
  return {
    historic_clv: historic,
    predicted_clv: predictedClv,
    total_clv: round2(historic + predictedClv),
    historic_number_of_orders: n,
    predicted_number_of_orders: predictedOrders,
    average_days_between_orders: avgDays,
    average_order_value: aov,
    churn_probability: churn,
    expected_date_of_next_order: isoSeconds(Math.floor(lastT + gap * DAY)),
    ranked_channel_affinity: ranked,
    predicted_gender: gender,
    channel_affinity_rank: rank,
  };
}
