import assert from 'node:assert/strict';
import fc from 'fast-check';
import examples from 'libphonenumber-js/examples.mobile.json';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { computePhoneRegion, fastPhoneRegion, phoneRegion } from '../../server/src/engine/phoneCountry';

/** What the engine promises: the country libphonenumber-js finds (semantics: phone-country-code-in). */
const library = (text: string) => parsePhoneNumberFromString(text)?.country;

const json = metadataJson as unknown as { country_calling_codes: Record<string, string[]>; nonGeographic?: Record<string, unknown> };
const CALLING_CODES = [...new Set([...Object.keys(json.country_calling_codes), ...Object.keys(json.nonGeographic ?? {})])];
const EXAMPLES = Object.values(examples as Record<string, string>).map((national, i) => {
  const country = Object.keys(examples)[i];
  const code = Object.entries(json.country_calling_codes).find(([, countries]) => countries.includes(country))?.[0] ?? '1';
  return `+${code}${national}`;
});

const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** E.164-looking numbers: any calling code (also unknown ones and 0…), 0–19 national digits. */
const e164 = fc.oneof(
  fc.tuple(fc.constantFrom(...CALLING_CODES), digits(0, 19)).map(([code, national]) => `+${code}${national}`),
  // Example numbers of every country, with their last digits changed (mostly valid numbers).
  fc
    .tuple(fc.constantFrom(...EXAMPLES), digits(0, 4), fc.integer({ min: 0, max: 4 }))
    .map(([example, tail, cut]) => example.slice(0, example.length - cut) + tail),
  fc.tuple(digits(1, 4), digits(0, 16)).map(([code, national]) => `+${code}${national}`),
);

/** The same numbers as people type them: no `+`, spaces, dashes, brackets, `00`, text around. */
const written = fc.tuple(e164, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 })).map(([number, style, step]) => {
  const spaced = number.replace(new RegExp(`(\\d{${step}})`, 'g'), '$1 ').trim();
  switch (style) {
    case 0:
      return number.slice(1);
    case 1:
      return spaced;
    case 2:
      return number.replace(/(\d{3})/, '($1)-');
    case 3:
      return `00${number.slice(1)}`;
    case 4:
      return `tel:${number}`;
    case 5:
      return ` ${number} ext. 12`;
    default:
      return `${number}x`;
  }
});

describe('phone country fast path', () => {
  it('agrees with libphonenumber-js on E.164 numbers of every calling code', () => {
    fc.assert(
      fc.property(e164, (number) => {
        assert.equal(computePhoneRegion(number), library(number), number);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with libphonenumber-js on numbers written other ways (the library decides those)', () => {
    fc.assert(
      fc.property(fc.oneof(written, fc.string({ maxLength: 24 })), (text) => {
        assert.equal(computePhoneRegion(text), library(text), JSON.stringify(text));
        assert.equal(phoneRegion(text), library(text), JSON.stringify(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees on every calling code with every national length, and example numbers', () => {
    for (const code of CALLING_CODES) {
      for (let length = 0; length <= 19; length++) {
        for (const fill of ['0', '1', '5', '9', '2468013579']) {
          const number = `+${code}${fill.repeat(20).slice(0, length)}`;
          assert.equal(computePhoneRegion(number), library(number), number);
        }
      }
    }
    for (const number of EXAMPLES) assert.equal(computePhoneRegion(number), library(number), number);
  });

  it('decides most E.164 numbers itself: shared calling codes included', () => {
    const decided = EXAMPLES.filter((number) => typeof fastPhoneRegion(number) !== 'symbol').length;
    assert.ok(decided > EXAMPLES.length * 0.8, `${decided} of ${EXAMPLES.length}`);
    for (const number of ['+16045550123', '+14165550123', '+12025550123', '+447911123456', '+79123456789', '+77012345678'])
      assert.equal(typeof fastPhoneRegion(number), 'string', number);
  });
});
