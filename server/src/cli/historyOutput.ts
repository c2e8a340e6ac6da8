import { stringify } from 'csv-stringify/sync';
import type { HistoryResult } from '../engine/history';
import type { CliIo } from './io';

/** One segment file's size over time, as the CLI prints it. */
export interface FileHistory {
  /** The path as the user gave it (relative to the current folder). */
  file: string;
  /** The path printable in text output (control characters escaped). */
  shown: string;
  name: string | undefined;
  history: HistoryResult;
}

const number = (n: number | null) => (n === null ? 'not evaluable' : n.toLocaleString('en-US'));
const BARS = ' ▁▂▃▄▅▆▇█';

/** A line of block characters, one per day, scaled from the smallest to the largest count. */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return values.map((v) => (v === null ? ' ' : BARS[hi === lo ? 4 : 1 + Math.round(((v - lo) / (hi - lo)) * 7)])).join('');
}

/** `evaluate --history`: a table per file (text), one JSON document, or CSV rows. */
export function printHistories(io: CliIo, histories: readonly FileHistory[], format: 'text' | 'json' | 'csv'): void {
  if (format === 'json') {
    const json = histories.map(({ file, name, history }) => ({
      file,
      name: name ?? null,
      days: history.points.length,
      not_evaluable: history.notEvaluable,
      points: history.points.map((p) => ({ day: p.day, as_of: new Date(p.now).toISOString(), matched: p.matched, total: p.total })),
    }));
    io.out(JSON.stringify(json.length === 1 ? json[0] : json, null, 2));
    return;
  }
  if (format === 'csv') {
    const header = [...(histories.length > 1 ? ['file'] : []), 'day', 'as_of', 'matched', 'total'];
    const rows = histories.flatMap(({ file, history }) =>
      history.points.map((p) => [...(histories.length > 1 ? [file] : []), p.day, new Date(p.now).toISOString(), p.matched ?? '', p.total]),
    );
    io.out(stringify([header, ...rows]).trimEnd());
    return;
  }
  for (const { shown, name, history } of histories) {
    const points = history.points;
    const first = points[0];
    const last = points[points.length - 1];
    io.out(
      `${shown}${name ? ` (${name})` : ''}: ${points.length} day${points.length === 1 ? '' : 's'}, as of the end of each UTC day (today: as of ${new Date(last.now).toISOString()})`,
    );
    if (history.notEvaluable.length) {
      io.out(`  not evaluable locally: ${history.notEvaluable.join('; ')}`);
      continue;
    }
    io.out(`  ${sparkline(points.map((p) => p.matched))}  ${number(first.matched)} → ${number(last.matched)}`);
    for (const p of points) io.out(`  ${p.day}  ${number(p.matched).padStart(10)} of ${number(p.total)}`);
  }
}
