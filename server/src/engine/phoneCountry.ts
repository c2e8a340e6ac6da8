import { Metadata, type MetadataJson } from 'libphonenumber-js/core';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { BoundedMemo } from './boundedMemo';

/**
 * The ISO alpha-2 country of a phone number, as `parsePhoneNumberFromString(text)?.country` of
 * libphonenumber-js (max metadata) gives it (semantics: `phone-country-code-in`), with a fast path
 * for E.164 texts (`+` and digits only): the calling code from a prefix table built once from the
 * library's metadata, its one country, or, where countries share it (+1, +44, +7, …), the first
 * whose leading digits or number-type patterns fit, with the library's own rules
 * (getCountryByNationalNumber) over regular expressions compiled once instead of on every call.
 * Anything else (spaces, no `+`, a national prefix the library would strip, non-geographic codes)
 * goes to the library. `test/unit/phoneCountry.test.ts` checks both agree.
 */

/** Number types, in getNumberType's order (FIXED_LINE first). */
const NUMBER_TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

/** libphonenumber's MIN_LENGTH_FOR_NSN and MAX_LENGTH_FOR_NSN. */
const MIN_NATIONAL = 2;
const MAX_NATIONAL = 17;

interface CountryRules {
  country: string;
  /** Leading digits (matched at the start, as `search(...) === 0`): when set, the only test. */
  leading: RegExp | undefined;
  national: RegExp;
  types: { pattern: RegExp; lengths: number[] | undefined }[];
}

interface CallingCode {
  /** The countries of the code, the library's order; undefined for a non-geographic code (library). */
  countries: string[] | undefined;
  /** The main country's national prefix for parsing: a national number it matches goes to the library. */
  prefix: RegExp | undefined;
  /** Rules of each country, for shared codes (built on first use). */
  rules: CountryRules[] | undefined;
}

interface MetadataLike {
  countryCallingCodes(): Record<string, string[]>;
  getCountryCodesForCallingCode(code: string): string[] | undefined;
  selectNumberingPlan(countryOrCode: string): void;
  nationalPrefixForParsing(): string | undefined;
  leadingDigits(): string | undefined;
  nationalNumberPattern(): string;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  nonGeographic(): Record<string, unknown> | undefined;
}

let metadata: MetadataLike | undefined;
let callingCodes: Map<string, CallingCode> | undefined;

const anchored = (pattern: string) => new RegExp(`^(?:${pattern})$`);

function table(): Map<string, CallingCode> {
  if (callingCodes) return callingCodes;
  const m = (metadata = new Metadata(metadataJson as unknown as MetadataJson) as unknown as MetadataLike);
  const codes = new Map<string, CallingCode>();
  const add = (code: string) => {
    const countries = m.getCountryCodesForCallingCode(code);
    let prefix: RegExp | undefined;
    if (countries) {
      m.selectNumberingPlan(code);
      const forParsing = m.nationalPrefixForParsing();
      prefix = forParsing ? new RegExp(`^(?:${forParsing})`) : undefined;
    }
    codes.set(code, { countries: countries ? [...countries] : undefined, prefix, rules: undefined });
  };
  for (const code of Object.keys(m.countryCallingCodes())) add(code);
  for (const code of Object.keys(m.nonGeographic() ?? {})) if (!codes.has(code)) add(code);
  return (callingCodes = codes);
}

function countryRules(m: MetadataLike, countries: readonly string[]): CountryRules[] {
  return countries.map((country) => {
    m.selectNumberingPlan(country);
    const leading = m.leadingDigits();
    const types: CountryRules['types'] = [];
    for (const name of NUMBER_TYPES) {
      const type = m.type(name);
      if (!type || !type.pattern()) continue;
      types.push({ pattern: anchored(type.pattern()), lengths: type.possibleLengths() });
    }
    return { country, leading: leading ? new RegExp(leading) : undefined, national: anchored(m.nationalNumberPattern()), types };
  });
}

/** getCountryByNationalNumber of libphonenumber-js, with compiled patterns. */
function countryByNationalNumber(rules: readonly CountryRules[], national: string): string | undefined {
  for (const r of rules) {
    if (r.leading) {
      if (national.search(r.leading) === 0) return r.country;
    } else if (r.national.test(national)) {
      for (const t of r.types) if ((!t.lengths || t.lengths.includes(national.length)) && t.pattern.test(national)) return r.country;
    }
  }
  return undefined;
}

const LIBRARY = Symbol('library');

/** The fast path: the country, undefined when the library finds none, or LIBRARY when it must decide. */
export function fastPhoneRegion(phone: string): string | undefined | typeof LIBRARY {
  const n = phone.length;
  if (n < 2 || n > 250 || phone.charCodeAt(0) !== 0x2b) return LIBRARY;
  for (let i = 1; i < n; i++) {
    const c = phone.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return LIBRARY;
  }
  if (phone.charCodeAt(1) === 0x30) return undefined; // no calling code starts with 0
  const codes = table();
  for (let length = 1; length <= 3 && length < n; length++) {
    const entry = codes.get(phone.slice(1, 1 + length));
    if (!entry) continue;
    if (!entry.countries) return LIBRARY;
    const national = phone.slice(1 + length);
    if (entry.prefix && entry.prefix.test(national)) return LIBRARY;
    if (national.length < MIN_NATIONAL || national.length > MAX_NATIONAL) return undefined;
    if (entry.countries.length === 1) return entry.countries[0];
    entry.rules ??= countryRules(metadata!, entry.countries);
    return countryByNationalNumber(entry.rules, national);
  }
  return undefined; // no calling code: the library finds no country either
}

/** The country of `phone`, not remembered: the fast path, else the library. */
export function computePhoneRegion(phone: string): string | undefined {
  const fast = fastPhoneRegion(phone);
  return fast === LIBRARY ? parsePhoneNumberFromString(phone)?.country : fast;
}

/**
 * The country of one value, remembered in a byte-bounded memo (values of events and consent;
 * profile columns keep their own per-row array, see `phoneRegionCodes`). Texts over 32 characters
 * (E.164 has at most 16) are not remembered.
 */
const memo = new BoundedMemo<string | undefined>({ maxBytes: 8 * 1024 * 1024, maxKeyLength: 32 });
export function phoneRegion(phone: string): string | undefined {
  return memo.getOrCompute(phone, () => computePhoneRegion(phone));
}

/** Countries as small codes (0: none), for per-row arrays; only countries the library returns get one. */
export const PHONE_REGION_CODES = 65536;
const regionCodes = new Map<string, number>();
const regionNames: (string | undefined)[] = [undefined];

function phoneRegionCode(region: string | undefined): number {
  if (region === undefined || (!regionCodes.has(region) && regionNames.length >= PHONE_REGION_CODES)) return 0;
  let code = regionCodes.get(region);
  if (code === undefined) {
    code = regionNames.length;
    regionNames.push(region);
    regionCodes.set(region, code);
  }
  return code;
}

/** The country of a code of `phoneRegionCode`. */
export function phoneRegionName(code: number): string | undefined {
  return regionNames[code];
}

/** The code of a stored value's country (0: not a text, or no country), for a column's per-row array. */
export function phoneRegionCodeOf(value: unknown): number {
  return typeof value === 'string' ? phoneRegionCode(computePhoneRegion(value)) : 0;
}
