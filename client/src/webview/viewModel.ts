import type { CountsReport } from '../../../server/src/protocol';

/** Pure view logic of the preview panel (unit-tested without a browser). */

export const ROW_HEIGHT = 26;
export const PAGE_SIZE = 200;

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  return p > 0 && p < 0.1 ? '<0.1%' : `${p.toFixed(1)}%`;
}

export interface FunnelStep {
  label: string;
  /** The running AND after this group. */
  count: number | null;
  /** Bar width, 0–100, relative to all profiles. */
  width: number;
  detail: string;
}

/** How each AND group narrows the audience: all profiles, then after group 1, after group 2, … */
export function funnel(report: CountsReport): FunnelStep[] {
  const total = report.total;
  const width = (n: number | null) => (n === null || total === 0 ? 0 : Math.max(n > 0 ? 0.5 : 0, (100 * n) / total));
  const steps: FunnelStep[] = [{ label: 'All profiles', count: total, width: 100, detail: 'everyone in the workspace' }];
  report.groups.forEach((group, i) => {
    steps.push({
      label: `AND group ${i + 1}`,
      count: group.afterAnd,
      width: width(group.afterAnd),
      detail: group.matched === null ? 'not evaluable locally' : `${group.description} (${formatNumber(group.matched)} on its own)`,
    });
  });
  return steps;
}

export interface SummaryView {
  headline: string;
  subline: string;
  state: CountsReport['state'];
}

export function summary(report: CountsReport | null): SummaryView {
  if (!report) return { headline: 'Counting…', subline: '', state: 'loading' };
  const ws = report.workspace;
  const where = ws ? `${ws.name} · now ${ws.now} (all dates in UTC) · computed ${report.computedAt} in ${report.elapsedMs} ms` : '';
  if (report.state !== 'ok') return { headline: report.state === 'errors' ? 'The definition has errors' : (report.message ?? 'No counts'), subline: report.message ?? '', state: report.state };
  if (report.matched === null) return { headline: 'Not evaluable locally', subline: report.notEvaluable.join(' · '), state: report.state };
  return { headline: `${formatNumber(report.matched)} of ${formatNumber(report.total)} profiles (${formatPercent(report.matched, report.total)})`, subline: where, state: 'ok' };
}

/** The rows to render for a scroll position (with a margin above and below). */
export function visibleRange(scrollTop: number, viewportHeight: number, total: number, margin = 10): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - margin);
  const last = Math.min(total, Math.ceil((scrollTop + viewportHeight) / ROW_HEIGHT) + margin);
  return { first, last: Math.max(first, last) };
}

/** The page offsets that hold rows [first, last). */
export function pagesFor(first: number, last: number): number[] {
  const pages: number[] = [];
  for (let offset = Math.floor(first / PAGE_SIZE) * PAGE_SIZE; offset < last; offset += PAGE_SIZE) pages.push(offset);
  return pages;
}

export type SortColumn = 'email' | 'name' | 'location' | 'lastEvent' | 'id';

/** Clicking a column header: sort by it, or flip the direction when it is already the sort. */
export function nextSort(current: { column: SortColumn; descending: boolean }, clicked: SortColumn): { column: SortColumn; descending: boolean } {
  return current.column === clicked ? { column: clicked, descending: !current.descending } : { column: clicked, descending: clicked === 'lastEvent' };
}

/** "2026-10-30 14:22" from an ISO instant (UTC, as every date in Segment Lens). */
export function shortDate(iso: string | null): string {
  if (!iso) return '';
  return iso.replace('T', ' ').slice(0, 16);
}
