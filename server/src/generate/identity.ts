/**
 * A profile's identity part: name, e-mail address (unique across the workspace, sometimes with
 * odd capitals, a typo domain or a work domain) and phone number (unique, fitting the country).
 */
import {
  COMPANY_DOMAINS,
  EMAIL_DOMAINS_BY_COUNTRY,
  EMAIL_DOMAINS_UK,
  EMAIL_DOMAINS_US,
  FIRST_NAMES_DE,
  FIRST_NAMES_EN,
  FIRST_NAMES_ES,
  FIRST_NAMES_FR,
  FIRST_NAMES_IT,
  FIRST_NAMES_NL,
  FIRST_NAMES_NORDIC,
  LAST_NAMES_DE,
  LAST_NAMES_EN,
  LAST_NAMES_ES,
  LAST_NAMES_FR,
  LAST_NAMES_IE_UK,
  LAST_NAMES_IT,
  LAST_NAMES_NL,
  LAST_NAMES_NORDIC,
  TYPO_DOMAINS,
  type FirstName,
} from './catalog';
import { AREA_CODES, US_AREA_CODE_POOL, type Market, type Place } from './geo';
import { HashSet32 } from './ids';
import type { ProfilePlan } from './profilePlan';
import { Rng, WeightedTable, hashString } from './prng';
import type { Identity } from './profileParts';

/** Shared state across profiles: uniqueness of e-mail addresses and phone numbers. */
export class BuildState {
  readonly emails: HashSet32;
  readonly phones: HashSet32;
  constructor(profiles: number) {
    this.emails = new HashSet32(profiles);
    this.phones = new HashSet32(Math.ceil(profiles / 2));
  }
}

const TITLES = ['Product Manager', 'Software Engineer', 'Designer', 'Account Executive', 'Researcher', 'Teacher', 'Director of Operations', 'Analyst'];
const NICKNAMES = ['vinyljunkie', 'cratedigger', 'spinitagain', 'needledrop', 'bluenote', 'wax.trax', 'groovehound', 'sideb', 'deepcuts', 'hifi'];

/** Name, e-mail address and phone number of the profile planned as `plan`, living at `place`. */
export function buildIdentity(rng: Rng, plan: ProfilePlan, place: Place, state: BuildState): Identity {
  const [firstPool, lastPool] = namePools(place.market, rng);
  const firstName = rng.pick(firstPool);
  const lastNameRaw = rng.pick(lastPool);
  const first: string | null = rng.chance(0.035) ? null : firstName.name;
  const last: string | null = rng.chance(0.05) ? null : lastNameRaw === 'OBrien' ? 'O’Brien' : lastNameRaw === 'OConnor' ? "O'Connor" : lastNameRaw;

  const phoneOnly = !plan.imported && rng.chance(0.035) && (place.countryCode === 'US' || place.countryCode === 'CA');
  const mailbox = phoneOnly ? NO_MAILBOX : pickMailbox(rng, plan, place, firstName, lastNameRaw, state);
  const email = mailbox.email;
  const emailDomain = email ? email.slice(email.indexOf('@') + 1).toLowerCase() : null;
  const phone = pickPhone(rng, place, phoneOnly, state);
  return { firstName, lastNameRaw, first, last, phoneOnly, ...mailbox, emailDomain, phone };
}

type Mailbox = Pick<Identity, 'email' | 'organization' | 'title' | 'typoDomain' | 'companyDomain'>;
const NO_MAILBOX: Mailbox = { email: null, organization: null, title: null, typoDomain: false, companyDomain: false };

/** A unique e-mail address: a consumer, typo or work domain (with organization and job title), then the local part. */
function pickMailbox(rng: Rng, plan: ProfilePlan, place: Place, firstName: FirstName, lastNameRaw: string, state: BuildState): Mailbox {
  let organization: string | null = null;
  let title: string | null = null;
  let typoDomain = false;
  let companyDomain = false;
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
  let email: string;
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
  return { email, organization, title, typoDomain, companyDomain };
}

/** A unique phone number for some of the profiles (every phone-only one), or null. */
function pickPhone(rng: Rng, place: Place, phoneOnly: boolean, state: BuildState): string | null {
  const phoneChance = phoneOnly
    ? 1
    : place.countryCode === 'US' || place.countryCode === 'CA'
      ? 0.45
      : place.countryCode === 'GB'
        ? 0.35
        : place.countryCode
          ? 0.22
          : 0.1;
  if (rng.chance(phoneChance)) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = phoneFor(rng, place);
      if (state.phones.add(hashString(candidate))) return candidate;
    }
  }
  return null;
}

function asciiFold(s: string): string {
  // eslint-disable-next-line no-control-regex -- "only ASCII" includes the control characters
  const folded = /^[\x00-\x7f]*$/.test(s) ? s : s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return folded.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function namePools(market: Market, rng: Rng): readonly [readonly FirstName[], readonly string[]] {
  switch (market) {
    case 'DE':
    case 'AT':
      return [FIRST_NAMES_DE, LAST_NAMES_DE];
    case 'FR':
      return [FIRST_NAMES_FR, LAST_NAMES_FR];
    case 'BE':
      return rng.chance(0.5) ? [FIRST_NAMES_FR, LAST_NAMES_FR] : [FIRST_NAMES_NL, LAST_NAMES_NL];
    case 'NL':
      return [FIRST_NAMES_NL, LAST_NAMES_NL];
    case 'ES':
    case 'PT':
      return [FIRST_NAMES_ES, LAST_NAMES_ES];
    case 'IT':
      return [FIRST_NAMES_IT, LAST_NAMES_IT];
    case 'SE':
    case 'DK':
      return [FIRST_NAMES_NORDIC, LAST_NAMES_NORDIC];
    case 'UK':
    case 'IE':
      return [FIRST_NAMES_EN, LAST_NAMES_IE_UK];
    case 'CA':
      return rng.chance(0.25) ? [FIRST_NAMES_FR, LAST_NAMES_FR] : [FIRST_NAMES_EN, LAST_NAMES_EN];
    default:
      return [FIRST_NAMES_EN, LAST_NAMES_EN];
  }
}

const DOMAIN_TABLES = new Map<string, WeightedTable<string>>();
function domainTable(market: Market): WeightedTable<string> {
  let t = DOMAIN_TABLES.get(market);
  if (!t) {
    const pairs = market === 'UK' ? EMAIL_DOMAINS_UK : (EMAIL_DOMAINS_BY_COUNTRY[market] ?? EMAIL_DOMAINS_US);
    t = WeightedTable.of(pairs);
    DOMAIN_TABLES.set(market, t);
  }
  return t;
}

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
    case 'US':
      return nanp((place.state && AREA_CODES[place.state]) || US_AREA_CODE_POOL);
    case 'CA':
      return nanp((place.state && AREA_CODES[place.state]) || [416, 604, 514]);
    case 'GB':
      return `+44${rng.pick(['7913', '7912', '7940', '7956', '7824', '7866', '7588', '7723', '7809', '7535'])}${digitsOf(rng, 6)}`;
    case 'DE':
      return `+49${rng.pick(['151', '152', '157', '159', '160', '170', '171', '172', '175', '176', '177', '178', '179'])}${digitsOf(rng, 8)}`;
    case 'FR':
      return `+33${rng.pick(['6', '7'])}${rng.intBetween(3, 9)}${digitsOf(rng, 7)}`;
    case 'NL':
      return `+316${rng.intBetween(1, 5)}${digitsOf(rng, 7)}`;
    case 'IE':
      return `+3538${rng.pick(['3', '5', '6', '7', '9'])}${digitsOf(rng, 7)}`;
    case 'ES':
      return `+346${digitsOf(rng, 8)}`;
    case 'IT':
      return `+393${rng.intBetween(1, 9)}${digitsOf(rng, 8)}`;
    case 'SE':
      return `+467${rng.pick(['0', '2', '3', '6'])}${digitsOf(rng, 7)}`;
    case 'DK':
      return `+45${rng.intBetween(2, 3)}${digitsOf(rng, 7)}`;
    case 'BE':
      return `+324${rng.intBetween(7, 9)}${digitsOf(rng, 7)}`;
    case 'AT':
      return `+43664${digitsOf(rng, 7)}`;
    case 'PL':
      return `+48${rng.pick(['50', '51', '53', '60', '66', '69', '72', '79', '88'])}${digitsOf(rng, 7)}`;
    case 'PT':
      return `+3519${rng.pick(['1', '2', '3', '6'])}${digitsOf(rng, 7)}`;
    case 'AU':
      return `+614${rng.intBetween(0, 3)}${digitsOf(rng, 7)}`;
    case 'JP':
      return `+81${rng.pick(['70', '80', '90'])}${rng.intBetween(1, 9)}${digitsOf(rng, 7)}`;
    case 'MX':
      return `+5255${digitsOf(rng, 8)}`;
    case 'BR':
      return `+55119${rng.intBetween(6, 9)}${digitsOf(rng, 7)}`;
    case 'NO':
      return `+474${digitsOf(rng, 7)}`;
    case 'CH':
      return `+417${rng.intBetween(6, 9)}${digitsOf(rng, 7)}`;
    case 'NZ':
      return `+6421${digitsOf(rng, 7)}`;
    default:
      return nanp(US_AREA_CODE_POOL);
  }
}
