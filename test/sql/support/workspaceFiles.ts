import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { WorkspaceFiles, WorkspaceRecords } from '../../../server/src/sql/workspaceTables';
import { readWorkspaceConfig } from '../../../server/src/workspace/loadWorkspace';

/** A JSONL file (or its .gz) as parsed lines; lines that are not JSON are skipped, as the loader does. */
function readJsonl(path: string): unknown[] {
  const file = existsSync(path) ? path : `${path}.gz`;
  if (!existsSync(file)) return [];
  const buffer = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(buffer) : buffer).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return [];
      }
    });
}

function readCollection(path: string): unknown[] {
  if (!existsSync(path)) return [];
  const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  return Array.isArray(value) ? value : ((value as { data?: unknown[] }).data ?? []);
}

/** The member files of a workspace in the loader's order (sorted by path). */
function memberFiles(folder: string): { listId: string; path: string }[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => /^(.+)\.jsonl(\.gz)?$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ listId: m[1], path: join(folder, m[0]) }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** A workspace folder's files, for DuckDB's loader statements. */
export function workspaceFiles(root: string): WorkspaceFiles {
  const { paths } = readWorkspaceConfig(root);
  const jsonl = (path: string) => (existsSync(path) ? path : existsSync(`${path}.gz`) ? `${path}.gz` : undefined);
  return {
    metrics: existsSync(paths.metrics) ? paths.metrics : undefined,
    lists: existsSync(paths.lists) ? paths.lists : undefined,
    profiles: jsonl(paths.profiles),
    events: jsonl(paths.events),
    listMembers: memberFiles(paths.listMembers),
  };
}

/** A workspace folder's records, parsed as the loader parses them (for INSERT loading). */
export function workspaceRecords(root: string): WorkspaceRecords {
  const { paths } = readWorkspaceConfig(root);
  return {
    metrics: readCollection(paths.metrics),
    lists: readCollection(paths.lists),
    profiles: readJsonl(paths.profiles),
    listMembers: memberFiles(paths.listMembers).map(({ listId, path }) => ({ listId, members: readJsonl(path.replace(/\.gz$/, '')) })),
    events: readJsonl(paths.events),
  };
}
