/**
 * The rules of docs/semantics.md that SQL reproduces only approximately (docs/sql.md
 * "Exact and approximate"). The compiler lists each one it relies on, with the path of the
 * condition part, in a SQL comment and in `--json`.
 */
export const APPROXIMATIONS = {
  regexAre:
    'Regular expressions run on PostgreSQL\'s engine (ARE), not RE2: "." also matches a newline, \\b is a backspace (RE2: a word boundary), and RE2-only syntax (\\pL, \\Q…\\E, \\z) differs.',
  regexPosix: "Regular expressions run on Snowflake's POSIX engine, not RE2: non-greedy quantifiers, \\b, Unicode classes and (?flags) differ or are missing.",
  caseMapping:
    "Case-insensitive comparison uses the database's lower(); it agrees with JavaScript's toLowerCase for ASCII and common accented letters, not for every Unicode letter (İ, ẞ, ligatures).",
  trigonometry:
    "Great-circle distances use the database's sin/cos/asin, which may differ from JavaScript's in the last bits: a profile within about a micrometre of the limit can fall on the other side.",
  coordinateText:
    "Coordinates written as text are read as decimal numbers with at most 200 integer digits and a two-digit exponent; JavaScript's Number() also reads hexadecimal, octal and binary texts (0x…, 0o…, 0b…) and longer exponents (1e-400 is 0).",
  phoneFormat: 'Phone numbers are read only in strict E.164 form (+ and digits); libphonenumber also reads formatted numbers ("+1 (416) 555-0123").',
  phoneNationalPrefix:
    "Where several countries share a calling code (+1, +7, +44…), the country comes from the leading-digit and number-type patterns of libphonenumber's metadata, without its national-prefix stripping.",
} as const;
