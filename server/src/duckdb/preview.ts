import { DIALECTS } from '../sql/dialects';
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

/** A profile value as the preview shows it: a text as is, anything else as JSON, nothing for null or an empty text. */
function shown(path: string[]): string {
  const value = `p.attributes -> ${d.stringLiteral(`$.${path.map((p) => JSON.stringify(p)).join('.')}`)}`;
  return `CASE json_type(${value}) WHEN 'VARCHAR' THEN NULLIF(${value} ->> '$', '') WHEN 'NULL' THEN NULL ELSE CAST(${value} AS VARCHAR) END`;
}

/** The sort key of a column as the in-memory table sorts it (evaluation/profileTable.ts); ties by profile ID. */
const SORT_KEYS: Record<string, string> = {
  email: `coalesce(email, '')`,
  name: `coalesce(name, '')`,
  location: `coalesce(location, '')`,
  lastEvent: `coalesce(last_ms, -'Infinity'::DOUBLE)`,
};

/**
 * A page of the profiles a definition matches, for the preview panel, computed in DuckDB over a
 * converted workspace: the rows of evaluation/profileTable.ts (email, name, location, phone, the
 * workspace's most common custom properties `propertyColumns`, the latest event), filtered by a
 * text any of them contains and sorted by a column, profile ID within equal values. Undefined
 * when the definition is not evaluable. (The in-memory table lists equal values in the data
 * file's order, which is the ID order when profiles.jsonl is sorted by ID.)
 */
export async function duckDbPreviewPage(
  session: DuckDbSession,
  evaluator: DuckDbEvaluator,
  definition: unknown,
  propertyColumns: readonly string[],
  request: DuckDbPageRequest,
) {
  // The evaluator runs the setup and preconditions, and says whether the definition can be evaluated.
  const counted = await evaluator.evaluate(definition, { ids: false, limit: 0 });
  if (counted.matched === null) return undefined; // rows: the shape of protocol.ts ProfileRow, checked where the worker replies
  const compiled = evaluator.compile(definition, request.now ?? evaluator.info.now);
  if (compiled.sql === null) return undefined;
  const properties = propertyColumns.map((name, i) => `${shown(['properties', name])} AS ${d.quoteIdentifier(`prop${i}`)}`);
  const rowsSql = `WITH matched AS (${compiled.sql}),
rows AS (
  SELECT p.profile_id AS id, ${shown(['email'])} AS email,
    NULLIF(concat_ws(' ', ${shown(['first_name'])}, ${shown(['last_name'])}), '') AS name,
    NULLIF(concat_ws(', ', ${shown(['location', 'city'])}, ${shown(['location', 'region'])}, ${shown(['location', 'country'])}), '') AS location,
    ${shown(['phone_number'])} AS phone${properties.map((p) => `, ${p}`).join('')},
    (SELECT MAX(e.time_ms) FROM events e WHERE e.profile_id = p.profile_id) AS last_ms
  FROM profiles p SEMI JOIN matched m ON m.profile_id = p.profile_id
)`;
  const needle = request.filter?.trim().toLowerCase();
  const fields = ['id', 'email', 'name', 'location', 'phone', ...propertyColumns.map((_, i) => d.quoteIdentifier(`prop${i}`))];
  const where = needle ? `WHERE ${fields.map((f) => `coalesce(contains(lower(${f}), ${d.stringLiteral(needle)}), FALSE)`).join(' OR ')}` : '';
  const direction = request.sort?.descending ? 'DESC' : 'ASC';
  const key = SORT_KEYS[request.sort?.column ?? 'id'];
  const order = `${key ? `${key} ${direction}, ` : ''}id ${direction}`;
  const offset = Math.max(0, Math.floor(request.offset));
  const limit = Math.max(0, Math.min(1000, Math.floor(request.limit)));
  const [[total]] = await session.rows(`${rowsSql}\nSELECT COUNT(*) FROM rows ${where}`);
  const page = await session.objects(`${rowsSql}\nSELECT * FROM rows ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);
  const textOrNull = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    total: Number(total),
    rows: page.map((row) => {
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
    }),
  };
}
