import type { ColumnType, TableLayout } from '../layout';
import { fivetranLayout } from './fivetran';
import { WORKSPACE_NAMES, workspaceLayout, type WorkspaceNames } from './workspace';

/**
 * A layout file (docs/sql.md "Your own table names"): JSON naming the tables and columns that hold
 * the workspace layout's data in a database, or options of the Fivetran layout. Pure: the caller
 * reads the file and passes its parsed JSON.
 *
 * ```json
 * { "layout": "workspace", "schema": "analytics",
 *   "tables": { "profiles": "kl_profiles" }, "columns": { "events": { "timeMs": "occurred_ms" } } }
 * ```
 */
export function layoutFromConfig(config: unknown): { layout: TableLayout } | { errors: string[] } {
  const errors: string[] = [];
  if (!isObject(config)) return { errors: ['a layout file holds a JSON object'] };
  const base = config.layout ?? 'workspace';
  const schema = schemaParts(config.schema, 'schema', errors);
  if (base === 'fivetran') {
    known(config, ['layout', 'schema', 'customProperties', 'eventProperties'], '', errors);
    const customProperties = propertyColumns(config.customProperties, 'customProperties', errors);
    const eventProperties = propertyColumns(config.eventProperties, 'eventProperties', errors);
    return errors.length ? { errors } : { layout: fivetranLayout({ schema, customProperties, eventProperties }) };
  }
  if (base !== 'workspace') return { errors: [`"layout" is "workspace" or "fivetran", not ${JSON.stringify(base)}`] };
  known(config, ['layout', 'schema', 'referenceSchema', 'tables', 'columns'], '', errors);
  const names: WorkspaceNames = JSON.parse(JSON.stringify(WORKSPACE_NAMES)) as WorkspaceNames;
  names.schema = schema ?? [];
  if (config.referenceSchema !== undefined) names.referenceSchema = schemaParts(config.referenceSchema, 'referenceSchema', errors);
  overlay(names.tables as unknown as Record<string, string>, config.tables, 'tables', errors);
  if (config.columns !== undefined) {
    if (!isObject(config.columns)) errors.push('"columns" is an object of tables');
    else {
      known(config.columns, Object.keys(names.columns), 'columns.', errors);
      for (const [table, columns] of Object.entries(names.columns))
        overlay(columns as Record<string, string>, config.columns[table], `columns.${table}`, errors);
    }
  }
  return errors.length ? { errors } : { layout: workspaceLayout(names, 'mapping') };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function known(object: Record<string, unknown>, keys: string[], prefix: string, errors: string[]): void {
  for (const key of Object.keys(object)) if (!keys.includes(key)) errors.push(`unknown key "${prefix}${key}" (known: ${keys.join(', ')})`);
}

/** "a.b" or ["a", "b"]: the parts of a schema name. */
function schemaParts(value: unknown, key: string, errors: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value !== '') return value.split('.');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '')) return value as string[];
  errors.push(`"${key}" is a name ("analytics", "project.dataset") or a list of names`);
  return undefined;
}

/** Replaces names in `target` with the non-empty strings of `source`. */
function overlay(target: Record<string, string>, source: unknown, key: string, errors: string[]): void {
  if (source === undefined) return;
  if (!isObject(source)) {
    errors.push(`"${key}" is an object`);
    return;
  }
  for (const [name, value] of Object.entries(source)) {
    if (!(name in target)) errors.push(`unknown key "${key}.${name}" (known: ${Object.keys(target).join(', ')})`);
    else if (typeof value !== 'string' || value === '') errors.push(`"${key}.${name}" is a non-empty name`);
    else target[name] = value;
  }
}

const TYPES: readonly ColumnType[] = ['text', 'number', 'boolean', 'timestamp'];

function propertyColumns(value: unknown, key: string, errors: string[]): Record<string, { column?: string; type?: ColumnType }> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    errors.push(`"${key}" maps property names to { "column", "type" }`);
    return undefined;
  }
  const out: Record<string, { column?: string; type?: ColumnType }> = {};
  for (const [name, spec] of Object.entries(value)) {
    if (
      !isObject(spec) ||
      (spec.column !== undefined && typeof spec.column !== 'string') ||
      (spec.type !== undefined && !TYPES.includes(spec.type as ColumnType))
    ) {
      errors.push(`"${key}.${name}" is { "column": name, "type": ${TYPES.join(' | ')} }`);
      continue;
    }
    out[name] = { column: spec.column as string | undefined, type: spec.type as ColumnType | undefined };
  }
  return out;
}
