/**
 * Where generated profiles live. US and Canadian places come from the `zipcodes` package (real
 * ZIP codes / FSAs with their centroids); UK, EU and other places from small built-in tables.
 */
import { WeightedTable, type Rng } from './prng';

interface ZipRecord {
  zip: string;
  latitude: number;
  longitude: number;
  city: string;
  state: string;
  country: string;
}
interface ZipcodesModule {
  codes: Record<string, ZipRecord>;
  lookup(zip: string): ZipRecord | undefined;
}

// The package ships no type declarations; only `codes` and `lookup` are used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zipcodes = require('zipcodes') as ZipcodesModule;

/** Where a profile lives, as the generator decided it (the profile's location is derived from it). */
export interface Place {
  /** ISO 3166 alpha-2 of the real country, or undefined when the profile has no country. */
  readonly countryCode: string | undefined;
  /** What `location.country` holds (a name or a code, as real data mixes them), or null. */
  readonly country: string | null;
  readonly city: string | null;
  readonly region: string | null;
  readonly zip: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly timezone: string | null;
  /** Approximate UTC offset (hours, standard time) for the daily rhythm. */
  readonly utcOffset: number;
  readonly locale: string | null;
  /** Which name pool and e-mail domains fit. */
  readonly market: Market;
  /** Near one of the two Mint Vinyl shops (Cambridge MA, Columbus OH): in-store (POS) orders happen. */
  readonly nearStore: boolean;
  /** US state / Canadian province code, for phone area codes. */
  readonly state: string | null;
}

export type Market = 'US' | 'CA' | 'UK' | 'DE' | 'FR' | 'NL' | 'IE' | 'ES' | 'IT' | 'SE' | 'DK' | 'BE' | 'AT' | 'PL' | 'PT' | 'OTHER';

const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(
    ' ',
  ),
);

const TZ_BY_STATE: Record<string, readonly [string, number]> = {};
for (const s of 'CT DE DC FL GA KY ME MD MA NH NJ NY NC OH PA RI SC VT VA WV'.split(' ')) TZ_BY_STATE[s] = ['America/New_York', -5];
TZ_BY_STATE['MI'] = ['America/Detroit', -5];
TZ_BY_STATE['IN'] = ['America/Indiana/Indianapolis', -5];
for (const s of 'AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI'.split(' ')) TZ_BY_STATE[s] = ['America/Chicago', -6];
for (const s of 'CO ID MT NM UT WY'.split(' ')) TZ_BY_STATE[s] = ['America/Denver', -7];
TZ_BY_STATE['AZ'] = ['America/Phoenix', -7];
for (const s of 'CA NV OR WA'.split(' ')) TZ_BY_STATE[s] = ['America/Los_Angeles', -8];
TZ_BY_STATE['AK'] = ['America/Anchorage', -9];
TZ_BY_STATE['HI'] = ['Pacific/Honolulu', -10];

/** A few real area codes per state; other states borrow from the general pool. */
export const AREA_CODES: Readonly<Record<string, readonly number[]>> = {
  MA: [617, 857, 781, 508, 978],
  OH: [614, 380, 216, 513, 330, 937, 419],
  NY: [212, 718, 917, 646, 347, 516, 914, 585, 716, 518],
  CA: [213, 310, 415, 510, 408, 619, 714, 818, 916, 626, 949],
  IL: [312, 773, 847, 630],
  TX: [214, 512, 713, 210, 817, 469, 832],
  WA: [206, 425, 253, 509],
  OR: [503, 971, 541],
  CO: [303, 720, 970],
  GA: [404, 678, 770],
  FL: [305, 786, 407, 813, 904, 954],
  PA: [215, 267, 412, 610],
  MN: [612, 651, 952],
  MI: [313, 248, 734, 616],
  TN: [615, 901, 865],
  AZ: [602, 480, 520],
  NC: [704, 919, 336],
  NJ: [201, 973, 732, 908],
  VA: [703, 804, 757],
  DC: [202],
  MD: [410, 301],
  // Canadian provinces
  ON: [416, 647, 437, 613, 343],
  QC: [514, 438],
  BC: [604, 778],
  AB: [403, 587, 780],
  MB: [204],
  NS: [902],
};
export const US_AREA_CODE_POOL: readonly number[] = [212, 312, 415, 617, 614, 206, 503, 303, 404, 713, 512, 602, 215, 612, 313, 615, 704, 201, 703, 305];

// [name, 3-digit ZIP prefixes, weight, near a store]
const US_METROS: readonly (readonly [string, readonly string[], number, boolean])[] = [
  ['Boston', ['021', '022'], 4.5, true],
  ['Columbus', ['430', '431', '432'], 4.0, true],
  ['New York', ['100', '101', '102', '104', '112', '113', '114'], 7, false],
  ['Los Angeles', ['900', '902', '903', '904', '905', '906', '907', '908', '910', '911', '912', '913', '914', '915', '916', '917', '918'], 5, false],
  ['Chicago', ['600', '601', '606', '607', '608'], 4, false],
  ['San Francisco Bay', ['940', '941', '944', '945', '946', '947', '950', '951'], 4, false],
  ['Seattle', ['980', '981'], 3, false],
  ['Portland', ['970', '971', '972'], 2.5, false],
  ['Austin', ['786', '787'], 2, false],
  ['Denver', ['800', '801', '802'], 2, false],
  ['Philadelphia', ['190', '191'], 2, false],
  ['Atlanta', ['300', '301', '303'], 2, false],
  ['Nashville', ['370', '371', '372'], 1.5, false],
  ['Minneapolis', ['551', '553', '554'], 1.5, false],
  ['Detroit', ['480', '481', '482'], 1.2, false],
  ['Houston', ['770', '772'], 1.5, false],
  ['Dallas', ['750', '752'], 1.5, false],
  ['Miami', ['330', '331'], 1.2, false],
  ['Phoenix', ['850', '852'], 1.2, false],
  ['Washington DC', ['200', '202', '203', '204', '205'], 1.5, false],
  ['San Diego', ['919', '920', '921'], 1, false],
];
/** Weight of "anywhere else in the US", picked uniformly among ZIP codes. */
const US_ELSEWHERE_WEIGHT = 32;

interface UsTables {
  readonly all: readonly ZipRecord[];
  readonly metros: WeightedTable<{ readonly zips: readonly ZipRecord[]; readonly nearStore: boolean } | null>;
}
let usTables: UsTables | undefined;

function getUsTables(): UsTables {
  if (usTables) return usTables;
  const byPrefix = new Map<string, ZipRecord[]>();
  const all: ZipRecord[] = [];
  const keys = Object.keys(zipcodes.codes).sort();
  for (const k of keys) {
    const r = zipcodes.codes[k]!;
    if (r.country !== 'US' || !US_STATES.has(r.state) || !/^\d{5}$/.test(r.zip)) continue;
    all.push(r);
    const p = r.zip.slice(0, 3);
    let list = byPrefix.get(p);
    if (!list) byPrefix.set(p, (list = []));
    list.push(r);
  }
  const items: ({ zips: ZipRecord[]; nearStore: boolean } | null)[] = [];
  const weights: number[] = [];
  for (const [, prefixes, weight, nearStore] of US_METROS) {
    const zips = prefixes.flatMap((p) => byPrefix.get(p) ?? []);
    if (zips.length === 0) continue;
    items.push({ zips, nearStore });
    weights.push(weight);
  }
  items.push(null);
  weights.push(US_ELSEWHERE_WEIGHT);
  usTables = { all, metros: new WeightedTable(items, weights) };
  return usTables;
}

const US_COUNTRY_SPELLINGS = WeightedTable.of<string>([
  ['United States', 60],
  ['US', 22],
  ['USA', 12],
  ['United States of America', 6],
]);

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function usPlace(rng: Rng): Place {
  const t = getUsTables();
  const metro = t.metros.sample(rng);
  const rec = metro ? rng.pick(metro.zips) : rng.pick(t.all);
  const [timezone, utcOffset] = TZ_BY_STATE[rec.state] ?? ['America/New_York', -5];
  const hasCoords = rng.chance(0.8);
  return {
    countryCode: 'US',
    country: US_COUNTRY_SPELLINGS.sample(rng),
    city: rec.city,
    region: rec.state,
    zip: rec.zip,
    latitude: hasCoords ? round4(rec.latitude + rng.between(-0.004, 0.004)) : null,
    longitude: hasCoords ? round4(rec.longitude + rng.between(-0.004, 0.004)) : null,
    timezone,
    utcOffset,
    locale: rng.chance(0.85) ? 'en-US' : rng.chance(0.5) ? 'es-US' : null,
    market: 'US',
    nearStore: metro?.nearStore ?? false,
    state: rec.state,
  };
}

// [city, FSAs, province code, timezone, utc offset, locale]
const CA_CITIES: readonly (readonly [string, readonly string[], string, string, number, string, number])[] = [
  ['Toronto', ['M5V', 'M4C', 'M6K', 'M5A', 'M4Y', 'M6G'], 'ON', 'America/Toronto', -5, 'en-CA', 6],
  ['Montréal', ['H2X', 'H2T', 'H2J', 'H3B'], 'QC', 'America/Toronto', -5, 'fr-CA', 3],
  ['Vancouver', ['V6B', 'V5K', 'V6K', 'V5L'], 'BC', 'America/Vancouver', -8, 'en-CA', 3],
  ['Calgary', ['T2P', 'T2R', 'T3A'], 'AB', 'America/Edmonton', -7, 'en-CA', 1.5],
  ['Ottawa', ['K1P', 'K2P', 'K1N'], 'ON', 'America/Toronto', -5, 'en-CA', 1.5],
  ['Edmonton', ['T5J', 'T6E'], 'AB', 'America/Edmonton', -7, 'en-CA', 1],
  ['Winnipeg', ['R3C', 'R3M'], 'MB', 'America/Winnipeg', -6, 'en-CA', 0.7],
  ['Halifax', ['B3H', 'B3K'], 'NS', 'America/Halifax', -4, 'en-CA', 0.6],
];
const CA_TABLE = new WeightedTable(
  CA_CITIES,
  CA_CITIES.map((c) => c[6]),
);
const LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';

function caPlace(rng: Rng): Place {
  const [city, fsas, province, timezone, utcOffset, locale] = CA_TABLE.sample(rng);
  const fsa = rng.pick(fsas);
  const rec = zipcodes.lookup(fsa);
  const ldu = `${rng.int(10)}${LETTERS[rng.int(LETTERS.length)]}${rng.int(10)}`;
  const hasCoords = rec !== undefined && rng.chance(0.7);
  return {
    countryCode: 'CA',
    country: rng.chance(0.7) ? 'Canada' : 'CA',
    city,
    region: province,
    zip: `${fsa} ${ldu}`,
    latitude: hasCoords ? round4(rec.latitude + rng.between(-0.004, 0.004)) : null,
    longitude: hasCoords ? round4(rec.longitude + rng.between(-0.004, 0.004)) : null,
    timezone,
    utcOffset,
    locale,
    market: 'CA',
    nearStore: false,
    state: province,
  };
}

// [city, lat, lon, outward codes, weight]
const UK_CITIES: readonly (readonly [string, number, number, readonly string[], number])[] = [
  ['London', 51.5074, -0.1278, ['E1', 'E8', 'N1', 'N16', 'SE1', 'SE15', 'SW9', 'NW1', 'W1D', 'EC1V'], 10],
  ['Manchester', 53.4808, -2.2426, ['M1', 'M4', 'M20'], 3],
  ['Bristol', 51.4545, -2.5879, ['BS1', 'BS6'], 2],
  ['Glasgow', 55.8642, -4.2518, ['G1', 'G12'], 2],
  ['Leeds', 53.8008, -1.5491, ['LS1', 'LS6'], 1.5],
  ['Edinburgh', 55.9533, -3.1883, ['EH1', 'EH8'], 1.5],
  ['Liverpool', 53.4084, -2.9916, ['L1', 'L8'], 1.2],
  ['Brighton', 50.8225, -0.1372, ['BN1', 'BN2'], 1.2],
];
const UK_TABLE = new WeightedTable(
  UK_CITIES,
  UK_CITIES.map((c) => c[4]),
);
const UK_COUNTRY_SPELLINGS = WeightedTable.of<string>([
  ['United Kingdom', 50],
  ['GB', 25],
  ['UK', 15],
  ['Great Britain', 10],
]);

function ukPlace(rng: Rng): Place {
  const [city, lat, lon, outward] = UK_TABLE.sample(rng);
  const hasCoords = rng.chance(0.6);
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return {
    countryCode: 'GB',
    country: UK_COUNTRY_SPELLINGS.sample(rng),
    city,
    region: city === 'Glasgow' || city === 'Edinburgh' ? 'Scotland' : 'England',
    zip: `${rng.pick(outward)} ${rng.int(10)}${letters[rng.int(letters.length)]}${letters[rng.int(letters.length)]}`,
    latitude: hasCoords ? round4(lat + rng.between(-0.03, 0.03)) : null,
    longitude: hasCoords ? round4(lon + rng.between(-0.03, 0.03)) : null,
    timezone: 'Europe/London',
    utcOffset: 0,
    locale: 'en-GB',
    market: 'UK',
    nearStore: false,
    state: null,
  };
}

interface EuCity {
  readonly city: string;
  readonly lat: number;
  readonly lon: number;
  readonly zip: (rng: Rng) => string;
  readonly region: string | null;
}
interface EuCountry {
  readonly code: Market & string;
  readonly name: string;
  readonly alpha3: string;
  readonly weight: number;
  readonly timezone: string;
  readonly utcOffset: number;
  readonly locale: string;
  readonly cities: readonly EuCity[];
}

const digits = (rng: Rng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(10));
  return s;
};
const pad2 = (n: number): string => String(n).padStart(2, '0');
const upper2 = (rng: Rng): string => 'ABCDEFGHJKLMNPRSTVWXZ'[rng.int(21)]! + 'ABCDEFGHJKLMNPRSTVWXZ'[rng.int(21)]!;

const EU_COUNTRIES: readonly EuCountry[] = [
  {
    code: 'DE',
    name: 'Germany',
    alpha3: 'DEU',
    weight: 28,
    timezone: 'Europe/Berlin',
    utcOffset: 1,
    locale: 'de-DE',
    cities: [
      { city: 'Berlin', lat: 52.52, lon: 13.405, zip: (r) => `10${pad2(r.intBetween(115, 999) % 100)}${r.int(10)}`, region: 'Berlin' },
      { city: 'Hamburg', lat: 53.5511, lon: 9.9937, zip: (r) => `20${digits(r, 3)}`, region: 'Hamburg' },
      { city: 'München', lat: 48.1351, lon: 11.582, zip: (r) => `80${digits(r, 3)}`, region: 'Bayern' },
      { city: 'Köln', lat: 50.9375, lon: 6.9603, zip: (r) => `50${digits(r, 3)}`, region: 'Nordrhein-Westfalen' },
      { city: 'Leipzig', lat: 51.3397, lon: 12.3731, zip: (r) => `04${digits(r, 3)}`, region: 'Sachsen' },
    ],
  },
  {
    code: 'FR',
    name: 'France',
    alpha3: 'FRA',
    weight: 18,
    timezone: 'Europe/Paris',
    utcOffset: 1,
    locale: 'fr-FR',
    cities: [
      { city: 'Paris', lat: 48.8566, lon: 2.3522, zip: (r) => `750${pad2(r.intBetween(1, 20))}`, region: 'Île-de-France' },
      { city: 'Lyon', lat: 45.764, lon: 4.8357, zip: (r) => `6900${r.intBetween(1, 9)}`, region: 'Auvergne-Rhône-Alpes' },
      { city: 'Marseille', lat: 43.2965, lon: 5.3698, zip: (r) => `130${pad2(r.intBetween(1, 16))}`, region: "Provence-Alpes-Côte d'Azur" },
      { city: 'Bordeaux', lat: 44.8378, lon: -0.5792, zip: () => '33000', region: 'Nouvelle-Aquitaine' },
      { city: 'Lille', lat: 50.6292, lon: 3.0573, zip: () => '59000', region: 'Hauts-de-France' },
    ],
  },
  {
    code: 'NL',
    name: 'Netherlands',
    alpha3: 'NLD',
    weight: 14,
    timezone: 'Europe/Amsterdam',
    utcOffset: 1,
    locale: 'nl-NL',
    cities: [
      { city: 'Amsterdam', lat: 52.3676, lon: 4.9041, zip: (r) => `10${r.intBetween(11, 99)} ${upper2(r)}`, region: 'Noord-Holland' },
      { city: 'Rotterdam', lat: 51.9244, lon: 4.4777, zip: (r) => `30${r.intBetween(11, 89)} ${upper2(r)}`, region: 'Zuid-Holland' },
      { city: 'Utrecht', lat: 52.0907, lon: 5.1214, zip: (r) => `35${r.intBetween(11, 85)} ${upper2(r)}`, region: 'Utrecht' },
    ],
  },
  {
    code: 'IE',
    name: 'Ireland',
    alpha3: 'IRL',
    weight: 10,
    timezone: 'Europe/Dublin',
    utcOffset: 0,
    locale: 'en-IE',
    cities: [
      { city: 'Dublin', lat: 53.3498, lon: -6.2603, zip: (r) => `D0${r.intBetween(1, 8)} ${upper2(r)[0]}${digits(r, 3)}`, region: 'Dublin' },
      { city: 'Cork', lat: 51.8985, lon: -8.4756, zip: (r) => `T12 ${upper2(r)[0]}${digits(r, 3)}`, region: 'Cork' },
      { city: 'Galway', lat: 53.2707, lon: -9.0568, zip: () => '', region: 'Galway' },
    ],
  },
  {
    code: 'ES',
    name: 'Spain',
    alpha3: 'ESP',
    weight: 9,
    timezone: 'Europe/Madrid',
    utcOffset: 1,
    locale: 'es-ES',
    cities: [
      { city: 'Madrid', lat: 40.4168, lon: -3.7038, zip: (r) => `280${pad2(r.intBetween(1, 55))}`, region: 'Madrid' },
      { city: 'Barcelona', lat: 41.3874, lon: 2.1686, zip: (r) => `080${pad2(r.intBetween(1, 42))}`, region: 'Cataluña' },
      { city: 'Valencia', lat: 39.4699, lon: -0.3763, zip: (r) => `460${pad2(r.intBetween(1, 26))}`, region: 'Comunidad Valenciana' },
    ],
  },
  {
    code: 'IT',
    name: 'Italy',
    alpha3: 'ITA',
    weight: 8,
    timezone: 'Europe/Rome',
    utcOffset: 1,
    locale: 'it-IT',
    cities: [
      { city: 'Milano', lat: 45.4642, lon: 9.19, zip: (r) => `201${pad2(r.intBetween(21, 62))}`, region: 'Lombardia' },
      { city: 'Roma', lat: 41.9028, lon: 12.4964, zip: (r) => `001${pad2(r.intBetween(18, 99))}`, region: 'Lazio' },
      { city: 'Bologna', lat: 44.4949, lon: 11.3426, zip: (r) => `401${pad2(r.intBetween(21, 41))}`, region: 'Emilia-Romagna' },
    ],
  },
  {
    code: 'SE',
    name: 'Sweden',
    alpha3: 'SWE',
    weight: 4,
    timezone: 'Europe/Stockholm',
    utcOffset: 1,
    locale: 'sv-SE',
    cities: [
      { city: 'Stockholm', lat: 59.3293, lon: 18.0686, zip: (r) => `1${r.intBetween(11, 29)} ${digits(r, 2)}`, region: null },
      { city: 'Göteborg', lat: 57.7089, lon: 11.9746, zip: (r) => `41${r.int(10)} ${digits(r, 2)}`, region: null },
    ],
  },
  {
    code: 'DK',
    name: 'Denmark',
    alpha3: 'DNK',
    weight: 3,
    timezone: 'Europe/Copenhagen',
    utcOffset: 1,
    locale: 'da-DK',
    cities: [{ city: 'København', lat: 55.6761, lon: 12.5683, zip: (r) => `1${digits(r, 3)}`, region: null }],
  },
  {
    code: 'BE',
    name: 'Belgium',
    alpha3: 'BEL',
    weight: 3,
    timezone: 'Europe/Brussels',
    utcOffset: 1,
    locale: 'nl-BE',
    cities: [
      { city: 'Brussels', lat: 50.8503, lon: 4.3517, zip: () => '1000', region: null },
      { city: 'Antwerpen', lat: 51.2194, lon: 4.4025, zip: () => '2000', region: null },
    ],
  },
  {
    code: 'AT',
    name: 'Austria',
    alpha3: 'AUT',
    weight: 2,
    timezone: 'Europe/Vienna',
    utcOffset: 1,
    locale: 'de-AT',
    cities: [{ city: 'Wien', lat: 48.2082, lon: 16.3738, zip: (r) => `1${pad2(r.intBetween(1, 23))}0`, region: 'Wien' }],
  },
  {
    code: 'PL',
    name: 'Poland',
    alpha3: 'POL',
    weight: 2,
    timezone: 'Europe/Warsaw',
    utcOffset: 1,
    locale: 'pl-PL',
    cities: [{ city: 'Warszawa', lat: 52.2297, lon: 21.0122, zip: (r) => `0${r.intBetween(0, 4)}-${digits(r, 3)}`, region: null }],
  },
  {
    code: 'PT',
    name: 'Portugal',
    alpha3: 'PRT',
    weight: 1,
    timezone: 'Europe/Lisbon',
    utcOffset: 0,
    locale: 'pt-PT',
    cities: [{ city: 'Lisboa', lat: 38.7223, lon: -9.1393, zip: (r) => `1${r.intBetween(100, 990)}-${digits(r, 3)}`, region: null }],
  },
];
const EU_TABLE = new WeightedTable(
  EU_COUNTRIES,
  EU_COUNTRIES.map((c) => c.weight),
);

function euPlace(rng: Rng): Place {
  const c = EU_TABLE.sample(rng);
  const city = rng.pick(c.cities);
  const spelling = rng.next();
  const country = spelling < 0.62 ? c.name : spelling < 0.94 ? c.code : c.alpha3;
  const zipRoll = rng.next();
  const zip = zipRoll < 0.75 ? city.zip(rng) : zipRoll < 0.88 ? '' : null;
  const hasCoords = rng.chance(0.55);
  return {
    countryCode: c.code,
    country,
    city: city.city,
    region: rng.chance(0.6) ? city.region : null,
    zip,
    latitude: hasCoords ? round4(city.lat + rng.between(-0.03, 0.03)) : null,
    longitude: hasCoords ? round4(city.lon + rng.between(-0.03, 0.03)) : null,
    timezone: c.timezone,
    utcOffset: c.utcOffset,
    locale: rng.chance(0.85) ? c.locale : 'en-US',
    market: c.code,
    nearStore: false,
    state: null,
  };
}

// [country as written, ISO code, city, lat, lon, timezone, offset, locale, weight]
const OTHER_PLACES: readonly (readonly [string, string, string, number, number, string, number, string, number])[] = [
  ['Australia', 'AU', 'Sydney', -33.8688, 151.2093, 'Australia/Sydney', 10, 'en-AU', 3],
  ['AU', 'AU', 'Melbourne', -37.8136, 144.9631, 'Australia/Melbourne', 10, 'en-AU', 2],
  ['Japan', 'JP', 'Tokyo', 35.6762, 139.6503, 'Asia/Tokyo', 9, 'ja-JP', 2],
  ['Mexico', 'MX', 'Ciudad de México', 19.4326, -99.1332, 'America/Mexico_City', -6, 'es-MX', 1.5],
  ['Brazil', 'BR', 'São Paulo', -23.5558, -46.6396, 'America/Sao_Paulo', -3, 'pt-BR', 1],
  ['Norway', 'NO', 'Oslo', 59.9139, 10.7522, 'Europe/Oslo', 1, 'nb-NO', 1.5],
  ['Switzerland', 'CH', 'Zürich', 47.3769, 8.5417, 'Europe/Zurich', 1, 'de-CH', 1.5],
  ['New Zealand', 'NZ', 'Auckland', -36.8485, 174.7633, 'Pacific/Auckland', 12, 'en-NZ', 1],
];
const OTHER_TABLE = new WeightedTable(
  OTHER_PLACES,
  OTHER_PLACES.map((p) => p[8]),
);

function otherPlace(rng: Rng): Place {
  const [country, code, city, lat, lon, timezone, utcOffset, locale] = OTHER_TABLE.sample(rng);
  const hasCoords = rng.chance(0.5);
  return {
    countryCode: code,
    country,
    city,
    region: null,
    zip: null,
    latitude: hasCoords ? round4(lat + rng.between(-0.03, 0.03)) : null,
    longitude: hasCoords ? round4(lon + rng.between(-0.03, 0.03)) : null,
    timezone,
    utcOffset,
    locale,
    market: 'OTHER',
    nearStore: false,
    state: null,
  };
}

function unknownPlace(rng: Rng): Place {
  // No country at all. Some of these still carry a city or a time zone (typed into a form, or from the browser).
  const roll = rng.next();
  const city = roll < 0.25 ? rng.pick(['Springfield', 'Portland', 'London', 'Paris', 'Columbus']) : null;
  const timezone = roll > 0.6 ? rng.pick(['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London']) : null;
  return {
    countryCode: undefined,
    country: null,
    city,
    region: null,
    zip: null,
    latitude: null,
    longitude: null,
    timezone,
    utcOffset: -5,
    locale: rng.chance(0.5) ? 'en-US' : null,
    market: 'US',
    nearStore: false,
    state: null,
  };
}

type PlaceKind = 'US' | 'CA' | 'UK' | 'EU' | 'OTHER' | 'NONE';
const PLACE_KINDS = WeightedTable.of<PlaceKind>([
  ['US', 68],
  ['CA', 6],
  ['UK', 5],
  ['EU', 13],
  ['OTHER', 3],
  ['NONE', 5],
]);

/** Picks where a profile lives. */
export function samplePlace(rng: Rng): Place {
  switch (PLACE_KINDS.sample(rng)) {
    case 'US':
      return usPlace(rng);
    case 'CA':
      return caPlace(rng);
    case 'UK':
      return ukPlace(rng);
    case 'EU':
      return euPlace(rng);
    case 'OTHER':
      return otherPlace(rng);
    case 'NONE':
      return unknownPlace(rng);
  }
}

/** True when the ISO alpha-2 code is a member state of the European Union (27; the UK is not). */
export function isEuCountry(code: string | undefined): boolean {
  return code !== undefined && EU_MEMBER_CODES.has(code);
}
const EU_MEMBER_CODES = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '));
