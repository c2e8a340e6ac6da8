import countries from 'i18n-iso-countries/index';
import de from 'i18n-iso-countries/langs/de.json';
import en from 'i18n-iso-countries/langs/en.json';
import es from 'i18n-iso-countries/langs/es.json';
import fr from 'i18n-iso-countries/langs/fr.json';
import it from 'i18n-iso-countries/langs/it.json';
import nl from 'i18n-iso-countries/langs/nl.json';
import pt from 'i18n-iso-countries/langs/pt.json';
import { BoundedMemo } from './boundedMemo';

// Country names in the languages a store's customers most often type them in; English first.
const LOCALES = [en, de, fr, es, it, nl, pt];
for (const locale of LOCALES) countries.registerLocale(locale);

/** The 27 member states of the European Union (the UK is not one). */
export const EU_MEMBER_STATES: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
]);

/** Country values read so far (from profiles and from definitions), bounded by bytes. */
const cache = new BoundedMemo<string | undefined>({ maxBytes: 4 * 1024 * 1024, maxKeyLength: 256 });

/**
 * The ISO 3166 alpha-2 code of a free-form country value: a name ("United States", "Deutschland"),
 * an alpha-2 ("US") or alpha-3 ("USA") code, any case. Undefined when it names no country.
 */
export function countryAlpha2(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const known = cache.get(text);
  if (known) return known.value;
  let code: string | undefined;
  const upper = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper)) code = countries.isValid(upper) ? upper : upper === 'UK' ? 'GB' : undefined;
  else if (/^[A-Z]{3}$/.test(upper) && countries.isValid(upper)) code = countries.alpha3ToAlpha2(upper);
  if (!code) {
    for (const locale of LOCALES) {
      code = countries.getAlpha2Code(text, locale.locale);
      if (code) break;
    }
  }
  cache.set(text, code);
  return code;
}

/** Whether `code` is an ISO 3166 alpha-2 or alpha-3 code. */
export function isCountryCode(code: string): boolean {
  return /^[A-Za-z]{2,3}$/.test(code) && countries.isValid(code.toUpperCase());
}

export function alpha2ToAlpha3(code: string): string | undefined {
  return countries.alpha2ToAlpha3(code.toUpperCase());
}

export function countryName(alpha2: string): string | undefined {
  return countries.getName(alpha2, 'en');
}

/**
 * Every text `countryAlpha2` reads as a country, in lower case, with its code: every two-letter
 * text, UK, the alpha-3 codes and the names of every registered language. Any other text (after
 * trimming and lower-casing) names no country. The SQL compiler ships this as a table.
 */
export function countryKeys(): [key: string, alpha2: string][] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const candidates = new Set<string>(['uk']);
  for (const a of letters) for (const b of letters) candidates.add(a + b);
  for (const code of Object.keys(countries.getAlpha3Codes())) candidates.add(code.toLowerCase());
  for (const locale of LOCALES) {
    for (const names of Object.values(countries.getNames(locale.locale, { select: 'all' }))) {
      for (const name of names) candidates.add(name.toLowerCase());
    }
  }
  const keys: [string, string][] = [];
  for (const key of candidates) {
    const code = countryAlpha2(key);
    if (code) keys.push([key, code]);
  }
  return keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
