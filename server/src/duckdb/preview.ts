import { DIALECTS } from '../sql/dialects';
import { TYPED_PATHS, typedColumn, valueColumn } from '../sql/layouts/materialized';
import type { DuckDbEvaluator } from './evaluate';
import type { DuckDbSession } from './session';

export interface DuckDbPageRequest {
  offset: number;
  limit: number;
  sort?: { column: string; descending?: boolean };
  filter?: string;
  /** Evaluate as of this instant (epoch ms) instead of the workspace's now. */
  now?: number;
}

const d = DIALECTS.duckdb;

/** A column of the preview's table: the profile paths it joins (evaluation/profileTable.ts). */
interface TextColumn {
  name: string;
  paths: string[][];
  separator?: string;
}

const TEXT_COLUMNS: TextColumn[] = [
  { name: 'email', paths: [['email']] },
  { name: 'name', paths: [['first_name'], ['last_name']], separator: ' ' },
  {
    name: 'location',
    paths: [
      ['location', 'city'],
      ['location', 'region'],
      ['location', 'country'],
    ],
    separator: ', ',
  },
  { name: 'phone', paths: [['phone_number']] },
];

const pathKey = (path: readonly string[]) => path.join('\u0000');
/**
 * The documented attributes of one JSON type, text, have a column in the converted database
 * (`s/email`...: the value when it is a text, else NULL). The preview reads them there: a value of
 * another type is missing there as in the in-memory engine, which keeps only a documented
 * attribute's own type. Reading `attributes` for 100 profiles at XL (3M profiles) took 1.1 s
 * against 0.2 s for the columns (7 December 2026).
 */
const TEXT_TYPED = new Set(TYPED_PATHS.filter((t) => t.type === 'text').map((t) => pathKey(t.path)));

/** A JSON value as the preview shows it: a text as is, anything else as JSON, nothing for null or an empty text. */
const shown = (value: string) =>
  `CASE json_type(${value}) WHEN 'VARCHAR' THEN NULLIF(${value} ->> '$', '') WHEN 'NULL' THEN NULL ELSE CAST(${value} AS VARCHAR) END`;

const jsonPathList = (paths: readonly string[][]) =>
  `[${paths.map((path) => d.stringLiteral(`$.${path.map((k) => JSON.stringify(k)).join('.')}`)).join(', ')}]`;

/**
 * The profiles `from` selects (a FROM clause over `profiles p`) with `id`, `pidx` and the
 * preview's text columns `columns` (of TEXT_COLUMNS and custom properties `prop<i>`). A
 * documented text attribute is read from its column (TEXT_TYPED); any other from `attributes`,
 * and custom properties from the `a/properties` column (the properties object alone), each
 * document parsed once per profile: one `json_extract` of every path read, into a list (a `->`
 * per path parsed it again for each).
 */
function profileTexts(columns: readonly TextColumn[], from: string): string {
  const fromAttributes: string[][] = [];
  const fromProperties: string[][] = [];
  const selected = columns.map((c) => {
    const values = c.paths.map((path) => {
      if (path[0] === 'properties' && path.length === 2) return shown(`pv[${fromProperties.push(path.slice(1))}]`);
      if (TEXT_TYPED.has(pathKey(path))) return `NULLIF(${d.quoteIdentifier(typedColumn(path, 'text'))}, '')`;
      return shown(`av[${fromAttributes.push(path)}]`);
    });
    const text = c.separator === undefined ? values[0] : `NULLIF(concat_ws(${d.stringLiteral(c.separator)}, ${values.join(', ')}), '')`;
    return `${text} AS ${d.quoteIdentifier(c.name)}`;
  });
  const lists = [
    ...(fromAttributes.length > 0 ? [`json_extract(p.attributes, ${jsonPathList(fromAttributes)}) AS av`] : []),
    ...(fromProperties.length > 0 ? [`json_extract(p.${d.quoteIdentifier(valueColumn(['properties']))}, ${jsonPathList(fromProperties)}) AS pv`] : []),
  ];
  return `SELECT ${['p.profile_id AS id', 'p.pidx', ...selected].join(', ')} FROM (SELECT ${['p.*', ...lists].join(', ')} ${from}) AS p`;
}

/** The sort key of a column as the in-memory table sorts it (evaluation/profileTable.ts); ties by profile ID. */
const SORT_KEYS: Record<string, string> = {
  email: `coalesce(email, '')`,
  name: `coalesce(name, '')`,
  location: `coalesce(location, '')`,
  lastEvent: `coalesce(last_ms, -'Infinity'::DOUBLE)`,
};

/** The latest event's time of each profile whose `pidx` `where` accepts (a test of `e.pidx`). */
const latestEvents = (where: string) => `SELECT e.pidx, MAX(e.time_ms) AS last_ms FROM events e WHERE ${where} GROUP BY e.pidx`;

/**
 * A page of the profiles a definition matches, for the preview panel, computed in DuckDB over a
 * converted workspace: the rows of evaluation/profileTable.ts (email, name, location, phone, the
 * workspace's most common custom properties `propertyColumns`, the latest event), filtered by a
 * text any of them contains and sorted by a column, profile ID within equal values. Undefined
 * when the definition is not evaluable. (The in-memory table lists equal values in the data
 * file's order, which is the ID order when profiles.jsonl is sorted by ID.)
 *
 * Two steps, so that what costs (custom properties' documents, the latest event) is done only
 * where needed: the page's profile keys, from the matched profiles with only the columns the
 * filter and the sort read (materialised, so that DuckDB does not test the filter on every
 * profile before the segment's), then the page's rows for those keys alone. Before (one query
 * over every matched profile's attributes), a filter took 1.9 s at S (10,000 profiles): DuckDB
 * tested it on every profile, parsing the document again for each column.
 */
export async function duckDbPreviewPage(
  session: DuckDbSession,
  evaluator: DuckDbEvaluator,
  definition: unknown,
  propertyColumns: readonly string[],
  request: DuckDbPageRequest,
) {
  // The setup and preconditions, and whether the definition can be evaluated. The segment's own
  // SQL runs once, in the page's query (counting it first as well ran it twice a page).
  const { compiled, failed } = await evaluator.prepare(definition, request.now ?? evaluator.info.now);
  if (compiled.sql === null || failed.size > 0) return undefined; // rows: the shape of protocol.ts ProfileRow, checked where the worker replies
  return pageOf(session, compiled.sql, propertyColumns, request);
}

/**
 * A page of the profiles matched by every definition of `inside` and by none of `outside` (a cell
 * of Compare Segments in Folder), as `duckDbPreviewPage` pages one definition's. Undefined when
 * `inside` is empty or one of them is not evaluable.
 */
export async function duckDbSetPage(
  session: DuckDbSession,
  evaluator: DuckDbEvaluator,
  inside: readonly unknown[],
  outside: readonly unknown[],
  propertyColumns: readonly string[],
  request: DuckDbPageRequest,
) {
  const sqlOf = async (definition: unknown) => {
    const { compiled, failed } = await evaluator.prepare(definition, request.now ?? evaluator.info.now);
    return failed.size > 0 ? null : compiled.sql;
  };
  // One at a time: each may set up reference tables on the one connection.
  const within: (string | null)[] = [];
  const without: (string | null)[] = [];
  for (const definition of inside) within.push(await sqlOf(definition));
  for (const definition of outside) without.push(await sqlOf(definition));
  if (within.length === 0 || [...within, ...without].some((sql) => sql === null)) return undefined;
  const id = d.quoteIdentifier('profile_id');
  const ids = (sql: string | null) => `SELECT ${id} FROM (${sql}\n) AS s`;
  const none = without.length > 0 ? ` WHERE ${id} NOT IN (${without.map(ids).join(' UNION ALL ')})` : '';
  return pageOf(session, `SELECT ${id} FROM (${within.map(ids).join('\nINTERSECT\n')}\n) AS i${none}`, propertyColumns, request);
}

/** The page of `request` among the profiles `matchedSql` selects (a query of their `profile_id`s). */
async function pageOf(session: DuckDbSession, matchedSql: string, propertyColumns: readonly string[], request: DuckDbPageRequest) {
  const columns = previewColumns(propertyColumns);
  const needle = request.filter?.trim().toLowerCase();
  const sortColumn = request.sort?.column ?? 'id';
  const key = SORT_KEYS[sortColumn];
  const direction = request.sort?.descending ? 'DESC' : 'ASC';
  const order = `${key ? `${key} ${direction}, ` : ''}id ${direction}`;
  const offset = Math.max(0, Math.floor(request.offset));
  const limit = Math.max(0, Math.min(1000, Math.floor(request.limit)));

  // Step 1: the page's IDs (and the total the filter leaves).
  const read = needle ? columns : columns.filter((c) => c.name === sortColumn);
  const candidates = profileTexts(read, 'FROM profiles p SEMI JOIN matched m ON m.profile_id = p.profile_id');
  const withLatest =
    sortColumn === 'lastEvent'
      ? `SELECT c.*, l.last_ms FROM (${candidates}) c LEFT JOIN (${latestEvents('e.pidx IN (SELECT p.pidx FROM profiles p SEMI JOIN matched m ON m.profile_id = p.profile_id)')}) l ON l.pidx = c.pidx`
      : candidates;
  const where = needle
    ? `WHERE ${['id', ...read.map((c) => d.quoteIdentifier(c.name))].map((f) => `coalesce(contains(lower(${f}), ${d.stringLiteral(needle)}), FALSE)`).join(' OR ')}`
    : '';
  // The total beside the page's keys, also for an empty page (no match, or past the last): the
  // count joined to the page, which is sorted again (at most `limit` rows) after the join. The
  // candidates a filter leaves are materialised once for both (without a filter, they are all).
  const listed = where ? 'filtered' : 'candidates';
  const keys = await session.rows(
    `WITH matched AS MATERIALIZED (${matchedSql}),\n` +
      `candidates AS MATERIALIZED (${withLatest}),\n` +
      (where ? `filtered AS MATERIALIZED (SELECT * FROM candidates ${where}),\n` : '') +
      `page AS (SELECT * FROM ${listed} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset})\n` +
      `SELECT page.pidx, counted.total FROM (SELECT COUNT(*) AS total FROM ${listed}) counted LEFT JOIN page ON TRUE ORDER BY ${order}`,
  );
  const total = keys.length > 0 ? Number(keys[0][1]) : 0;
  const pidxs = keys.filter((k) => k[0] !== null);
  if (pidxs.length === 0) return { total, rows: [] };

  // Step 2: the rows of those profiles, in the page's order.
  const page = `IN (${pidxs.map((k) => String(Number(k[0]))).join(', ')})`;
  const byKey = new Map((await rowsWhere(session, columns, `p.pidx ${page}`, `e.pidx ${page}`)).map((row) => [Number(row.pidx), row]));
  const rows = pidxs.map((k) => byKey.get(Number(k[0]))).filter((row): row is Record<string, unknown> => row !== undefined);
  return { total, rows: rows.map((row) => profileRow(row, propertyColumns)) };
}

/** The preview's columns of the profiles `where` selects (a test of `p`), with the latest of the events `latestWhere` selects (a test of `e`). */
async function rowsWhere(
  session: DuckDbSession,
  columns: readonly TextColumn[],
  where: string,
  latestWhere: string,
  withClause = '',
): Promise<Record<string, unknown>[]> {
  const sql = `${withClause}SELECT r.*, l.last_ms FROM (${profileTexts(columns, `FROM profiles p WHERE ${where}`)}) r LEFT JOIN (${latestEvents(latestWhere)}) l ON l.pidx = r.pidx ORDER BY r.pidx`;
  return session.objects(sql);
}

/** The preview's columns: TEXT_COLUMNS and the custom properties `propertyColumns` (as `prop<i>`). */
const previewColumns = (propertyColumns: readonly string[]): TextColumn[] => [
  ...TEXT_COLUMNS,
  ...propertyColumns.map((name, i) => ({ name: `prop${i}`, paths: [['properties', name]] })),
];

/** A row of `rowsWhere` as the preview's table shows it (protocol.ts ProfileRow). */
function profileRow(row: Record<string, unknown>, propertyColumns: readonly string[]) {
  const textOrNull = (v: unknown) => (typeof v === 'string' ? v : null);
  const values: Record<string, string> = {};
  propertyColumns.forEach((name, i) => {
    const value = row[`prop${i}`];
    if (typeof value === 'string') values[name] = value;
  });
  return {
    id: String(row.id),
    email: textOrNull(row.email),
    name: textOrNull(row.name),
    location: textOrNull(row.location),
    phone: textOrNull(row.phone),
    properties: values,
    lastEvent: row.last_ms === null || row.last_ms === undefined ? null : new Date(Number(row.last_ms)).toISOString(),
  };
}

/**
 * Every profile a definition matches, in profile-ID order (the converted database numbers them so),
 * with the preview's columns: what Export and Copy write. Only the IDs with `idsOnly`. Undefined
 * when the definition is not evaluable.
 */
export async function duckDbMatchedRows(
  session: DuckDbSession,
  evaluator: DuckDbEvaluator,
  definition: unknown,
  propertyColumns: readonly string[],
  idsOnly: boolean,
) {
  const { compiled, failed } = await evaluator.prepare(definition);
  if (compiled.sql === null || failed.size > 0) return undefined;
  // The segment's SQL once, for the profiles and their latest events.
  const withMatched = `WITH matched AS MATERIALIZED (SELECT p.pidx, p.profile_id FROM profiles p SEMI JOIN (${compiled.sql}\n) AS m ON m.profile_id = p.profile_id)\n`;
  if (idsOnly) return (await session.rows(`${withMatched}SELECT profile_id FROM matched ORDER BY pidx`)).map((row) => ({ id: String(row[0]) }));
  const rows = await rowsWhere(
    session,
    previewColumns(propertyColumns),
    'p.pidx IN (SELECT pidx FROM matched)',
    'e.pidx IN (SELECT pidx FROM matched)',
    withMatched,
  );
  return rows.map((row) => profileRow(row, propertyColumns));
}
