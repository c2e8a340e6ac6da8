import type { DialectName, SqlDialect } from '../dialect';
import { bigquery } from './bigquery';
import { duckdb } from './duckdb';
import { postgres } from './postgres';
import { snowflake } from './snowflake';

export const DIALECTS: Readonly<Record<DialectName, SqlDialect>> = { duckdb, postgres, bigquery, snowflake };
