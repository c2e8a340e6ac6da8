import type { CompileContext } from './context';
import { phoneCallingCodes, phoneRules } from './referenceTables';

let codeLengths: { min: number; max: number } | undefined;

/** The shortest and longest calling code (1 and 3 digits). */
function callingCodeLengths(): { min: number; max: number } {
  if (codeLengths) return codeLengths;
  const lengths = phoneCallingCodes().map(([code]) => String(code).length);
  codeLengths = { min: Math.min(...lengths), max: Math.max(...lengths) };
  return codeLengths;
}

/** The rules of each shared calling code: its countries in libphonenumber's order, each with its rule rows. */
let sharedRules: Map<string, { country: string; rules: (string | null)[][] }[]> | undefined;

function rulesByCode(): Map<string, { country: string; rules: (string | null)[][] }[]> {
  if (sharedRules) return sharedRules;
  const byCode = new Map<string, Map<string, { country: string; rules: (string | null)[][] }>>();
  for (const row of phoneRules() as (string | null)[][]) {
    const [code, sortKey, country] = row as string[];
    const countries = byCode.get(code) ?? new Map<string, { country: string; rules: (string | null)[][] }>();
    byCode.set(code, countries);
    const entry = countries.get(sortKey) ?? { country, rules: [] };
    countries.set(sortKey, entry);
    entry.rules.push(row);
  }
  sharedRules = new Map(
    [...byCode].map(([code, countries]) => [code, [...countries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry)]),
  );
  return sharedRules;
}

/**
 * The ISO alpha-2 country of an E.164 phone number (a text), or NULL: the calling code is the
 * prefix in `sl_phone_calling_codes` (calling codes are prefix-free, so at most one of the
 * digits' prefixes of each code length is a code: one lookup by equality per length, which a
 * database answers with a hash join or the key rather than a prefix test of every code per
 * number); a code of one country is that country; where several countries share the code, the first of them (libphonenumber's
 * order) whose leading digits, or else whose number-type patterns and lengths, fit the national
 * number (getCountryByNationalNumber in libphonenumber-js). The shared codes' rules (the rows of
 * `sl_phone_rules`, see referenceTables.ts) are written into the SQL as constant patterns: a
 * pattern read from a table is compiled again for every row it meets.
 */
export function phoneCountry(ctx: CompileContext, text: string): string {
  const d = ctx.dialect;
  const codes = ctx.reference('phone_calling_codes');
  const rule = (callingCode: string, countries: { country: string; rules: (string | null)[][] }[]) => {
    const national = d.substr(text, 2 + callingCode.length);
    const lengthText = `CAST(${d.length(national)} AS ${d.types.text})`;
    const search = (pattern: string) => d.regexSearch(national, d.stringLiteral(pattern));
    const test = ([, , , leading, nationalPattern, typePattern, lengths]: (string | null)[]) =>
      leading !== null
        ? search(`^(${leading})`)
        : `(${search(`^(${nationalPattern})$`)} AND ${search(`^(${typePattern})$`)}${lengths === null ? '' : ` AND ${d.contains(d.stringLiteral(lengths), d.concat(`','`, lengthText, `','`))}`})`;
    const whens = countries.map(({ country, rules }) => `WHEN ${rules.map(test).join(' OR ')} THEN ${d.stringLiteral(country)}`);
    return `WHEN ${d.stringLiteral(callingCode)} THEN CASE ${whens.join(' ')} END`;
  };
  // One lookup per code length, each an equality with the digits' prefix of that length: at most one finds its code.
  const { min, max } = callingCodeLengths();
  const lookups: string[] = [];
  for (let length = min; length <= max; length++) {
    const cc = ctx.alias('cc');
    const code = `${cc}.calling_code`;
    const byCountry = [...rulesByCode()]
      .filter(([callingCode]) => callingCode.length === length)
      .map(([callingCode, countries]) => rule(callingCode, countries));
    const country =
      byCountry.length === 0 ? `${cc}.country` : `COALESCE(${cc}.country, CASE WHEN ${cc}.shared THEN CASE ${code} ${byCountry.join(' ')} END END)`;
    lookups.push(
      `(SELECT ${country} FROM ${codes} AS ${cc} WHERE ${code} = ${d.substr(text, 2, length)} AND ${d.length(text)} - 1 - ${d.length(code)} BETWEEN 2 AND 17)`,
    );
  }
  return `CASE WHEN ${d.regexFullMatch(text, '[+][0-9]+')} THEN COALESCE(${lookups.join(', ')}) END`;
}
