import type { CompileContext } from './context';

/**
 * The ISO alpha-2 country of an E.164 phone number (a text), or NULL: the calling code is the
 * prefix in `sl_phone_calling_codes` (calling codes are prefix-free); a code of one country is
 * that country; where several countries share the code, the first of them (libphonenumber's
 * order) whose leading digits, or else whose number-type patterns and lengths, fit the national
 * number (getCountryByNationalNumber in libphonenumber-js). See referenceTables.ts for the rows.
 */
export function phoneCountry(ctx: CompileContext, text: string): string {
  const d = ctx.dialect;
  const codes = ctx.reference('phone_calling_codes');
  const rules = ctx.reference('phone_rules');
  const cc = ctx.alias('cc');
  const r = ctx.alias('r');
  const code = `${cc}.calling_code`;
  const national = d.substr(text, `2 + ${d.length(code)}`);
  const nationalLength = d.length(national);
  const search = (pattern: string) => d.regexSearch(national, pattern);
  const lengthText = `CAST(${nationalLength} AS ${d.types.text})`;
  const match = [
    `(${r}.leading_digits IS NOT NULL AND ${search(d.concat(`'^('`, `${r}.leading_digits`, `')'`))})`,
    `(${r}.leading_digits IS NULL AND ${search(d.concat(`'^('`, `${r}.national_pattern`, `')$'`))} AND ${search(d.concat(`'^('`, `${r}.type_pattern`, `')$'`))}` +
      ` AND (${r}.lengths IS NULL OR ${d.contains(`${r}.lengths`, d.concat(`','`, lengthText, `','`))}))`,
  ].join(' OR ');
  const shared = `(SELECT ${d.substr(`MIN(${r}.sort_key)`, 3)} FROM ${rules} AS ${r} WHERE ${r}.calling_code = ${code} AND (${match}))`;
  const lookup =
    `(SELECT COALESCE(${cc}.country, CASE WHEN ${cc}.shared THEN ${shared} END) FROM ${codes} AS ${cc}` +
    ` WHERE ${d.startsWith(d.substr(text, 2), code)} AND ${d.length(text)} - 1 - ${d.length(code)} BETWEEN 2 AND 17)`;
  return `CASE WHEN ${d.regexFullMatch(text, '[+][0-9]+')} THEN ${lookup} END`;
}
