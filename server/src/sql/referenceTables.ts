import { Metadata, type MetadataJson } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { countryKeys } from '../engine/countries';
import { postalCentroids } from '../engine/geo';
import type { SqlDialect } from './dialect';
import { tableSql, type ReferenceTable, type TableLayout } from './layout';

/**
 * The reference tables the SQL joins (docs/sql.md "Reference tables"), generated from the same
 * data the engine uses: country names and codes (i18n-iso-countries through `countryKeys`),
 * postal-code centroids (zipcodes through `postalCentroids`) and phone numbering plans
 * (libphonenumber-js's full metadata). `setupStatements` creates and fills them.
 */

type Cell = string | number | boolean | null;

interface TableData {
  columns: { name: string; type: 'text' | 'double' | 'bigint' | 'boolean' }[];
  /** The columns the SQL looks rows up by (an index where the database has them). */
  primaryKey: string[];
  rows: () => Cell[][];
}

/** The part of a libphonenumber numbering plan the rules read. */
interface NumberingPlanLike {
  leadingDigits(): string | undefined;
  nationalNumberPattern(): string;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

/** Number types, in getNumberType's order (FIXED_LINE first). */
const NUMBER_TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

/**
 * libphonenumber's patterns in a form every dialect's engine reads the same: they use only
 * digits, classes, groups, alternation and counted repetition, so `(?:` becomes `(` and `\d`
 * becomes `[0-9]` (POSIX engines have neither), which changes no match.
 */
function portablePattern(pattern: string): string {
  return pattern.replace(/\(\?:/g, '(').replace(/\\d/g, '[0-9]');
}

export function phoneCallingCodes(): Cell[][] {
  const json = metadataJson as unknown as { country_calling_codes: Record<string, string[]>; nonGeographic?: Record<string, unknown> };
  const rows: Cell[][] = Object.entries(json.country_calling_codes).map(([code, countries]) => [
    code,
    countries.length === 1 ? countries[0] : null,
    countries.length > 1,
  ]);
  // Non-geographic codes (+800 …) belong to no country, but they are calling codes all the same.
  for (const code of Object.keys(json.nonGeographic ?? {})) if (!json.country_calling_codes[code]) rows.push([code, null, false]);
  return rows;
}

export function phoneRules(): Cell[][] {
  const json = metadataJson as unknown as { country_calling_codes: Record<string, string[]> };
  const metadata = new Metadata(metadataJson as unknown as MetadataJson);
  const rows: Cell[][] = [];
  for (const [code, countries] of Object.entries(json.country_calling_codes)) {
    if (countries.length < 2) continue;
    countries.forEach((country, priority) => {
      metadata.selectNumberingPlan(country as never);
      const plan = metadata.numberingPlan as unknown as NumberingPlanLike;
      const sortKey = `${String(priority).padStart(2, '0')}${country}`;
      const leading = plan.leadingDigits();
      if (leading) {
        rows.push([code, sortKey, country, portablePattern(leading), null, null, null]);
        return;
      }
      for (const name of NUMBER_TYPES) {
        const type = plan.type(name);
        if (!type || !type.pattern()) continue;
        const lengths = type.possibleLengths();
        rows.push([
          code,
          sortKey,
          country,
          null,
          portablePattern(plan.nationalNumberPattern()),
          portablePattern(type.pattern()),
          lengths ? `,${lengths.join(',')},` : null,
        ]);
      }
    });
  }
  return rows;
}

export const REFERENCE_TABLES: Readonly<Record<ReferenceTable, TableData>> = {
  country_keys: {
    columns: [
      { name: 'country_key', type: 'text' },
      { name: 'alpha2', type: 'text' },
    ],
    primaryKey: ['country_key'],
    rows: () => countryKeys(),
  },
  postal_centroids: {
    columns: [
      { name: 'country', type: 'text' },
      { name: 'code', type: 'text' },
      { name: 'latitude', type: 'double' },
      { name: 'longitude', type: 'double' },
    ],
    primaryKey: ['country', 'code'],
    rows: () => postalCentroids().map(({ country, code, lat, lon }) => [country, code, lat, lon]),
  },
  phone_calling_codes: {
    columns: [
      { name: 'calling_code', type: 'text' },
      { name: 'country', type: 'text' },
      { name: 'shared', type: 'boolean' },
    ],
    primaryKey: ['calling_code'],
    rows: phoneCallingCodes,
  },
  phone_rules: {
    columns: [
      { name: 'calling_code', type: 'text' },
      { name: 'sort_key', type: 'text' },
      { name: 'country', type: 'text' },
      { name: 'leading_digits', type: 'text' },
      { name: 'national_pattern', type: 'text' },
      { name: 'type_pattern', type: 'text' },
      { name: 'lengths', type: 'text' },
      { name: 'rule', type: 'bigint' },
    ],
    primaryKey: ['calling_code', 'rule'],
    rows: () => phoneRules().map((row, rule) => [...row, rule]),
  },
};

export function cellSql(d: SqlDialect, cell: Cell): string {
  if (cell === null) return 'NULL';
  if (typeof cell === 'string') return d.stringLiteral(cell);
  if (typeof cell === 'boolean') return d.booleanLiteral(cell);
  return Number.isInteger(cell) ? d.integerLiteral(cell) : d.numberLiteral(cell);
}

/** `INSERT` statements of `rows`, `batch` rows each. */
export function insertStatements(d: SqlDialect, table: string, columns: readonly string[], rows: readonly Cell[][], batch = 500): string[] {
  const statements: string[] = [];
  const head = `INSERT INTO ${table} (${columns.map((c) => d.quoteIdentifier(c)).join(', ')}) VALUES`;
  for (let i = 0; i < rows.length; i += batch) {
    const values = rows.slice(i, i + batch).map((row) => `(${row.map((cell) => cellSql(d, cell)).join(', ')})`);
    statements.push(`${head}\n${values.join(',\n')}`);
  }
  return statements;
}

/** Drops, creates and fills reference tables (all of them by default). */
export function setupStatements(
  d: SqlDialect,
  layout: TableLayout,
  tables: Iterable<ReferenceTable> = Object.keys(REFERENCE_TABLES) as ReferenceTable[],
): string[] {
  const statements: string[] = [];
  for (const name of tables) {
    const data = REFERENCE_TABLES[name];
    const table = tableSql(d, layout.referenceTable(name));
    const columns = data.columns.map((c) => `${d.quoteIdentifier(c.name)} ${d.types[c.type]}`);
    const key = `PRIMARY KEY (${data.primaryKey.map((c) => d.quoteIdentifier(c)).join(', ')})`;
    if (d.name === 'bigquery') {
      // BigQuery has no indexes: a primary key would only be information (NOT ENFORCED).
      statements.push(`CREATE OR REPLACE TABLE ${table} (${columns.join(', ')})`);
    } else if (d.name === 'snowflake') {
      statements.push(`CREATE OR REPLACE TABLE ${table} (${[...columns, key].join(', ')})`);
    } else {
      statements.push(`DROP TABLE IF EXISTS ${table}`);
      statements.push(`CREATE TABLE ${table} (${[...columns, key].join(', ')})`);
    }
    statements.push(
      ...insertStatements(
        d,
        table,
        data.columns.map((c) => c.name),
        data.rows(),
      ),
    );
  }
  return statements;
}
