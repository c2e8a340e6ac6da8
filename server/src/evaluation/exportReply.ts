import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { ProfileRow } from '../protocol';
import type { ExportReply } from './messages';

/**
 * Export and Copy of the matched profiles, for both engines: `rows` in the engine's order, each a
 * ProfileRow (only `id` is read for `ids`). Without a path the text comes back (copy to the
 * clipboard); with one it is written there.
 */
export function exportReply(
  format: 'csv' | 'ids' | 'emails',
  rows: readonly (Pick<ProfileRow, 'id'> & Partial<ProfileRow>)[],
  propertyColumns: readonly string[],
  path: string,
): ExportReply {
  let text: string;
  if (format === 'ids') text = rows.map((r) => `${r.id}\n`).join('');
  else if (format === 'emails')
    text = rows
      .map((r) => r.email)
      .filter((e): e is string => Boolean(e))
      .map((e) => `${e}\n`)
      .join('');
  else {
    const header = ['id', 'email', 'name', 'location', 'phone', 'last_event', ...propertyColumns];
    text = stringify([
      header,
      ...rows.map((r) => [
        r.id,
        r.email ?? '',
        r.name ?? '',
        r.location ?? '',
        r.phone ?? '',
        r.lastEvent ?? '',
        ...propertyColumns.map((c) => r.properties?.[c] ?? ''),
      ]),
    ]);
  }
  if (!path) return { written: rows.length, text };
  writeFileSync(path, text);
  return { written: rows.length };
}
