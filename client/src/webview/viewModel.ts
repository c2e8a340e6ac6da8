import type { CountsReport } from '../../../server/src/protocol';

/** Pure view logic of the preview panel (unit-tested without a browser). */

export const ROW_HEIGHT = 26;
export const PAGE_SIZE = 200;
/** Milliseconds the filter box waits after the last keystroke before it asks for rows. */
export const FILTER_DEBOUNCE_MS = 150;

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  // Never round a few profiles up to "everyone" or down to "no one".
  if (p > 0 && p < 0.1) return '<0.1%';
  if (p < 100 && p > 99.9) return '>99.9%';
  return `${p.toFixed(1)}%`;
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
  if (report.state !== 'ok')
    return {
      headline: report.state === 'errors' ? 'The definition has errors' : (report.message ?? 'No counts'),
      subline: report.state === 'errors' ? (report.message ?? '') : '',
      state: report.state,
    };
  if (report.matched === null) return { headline: 'Not evaluable locally', subline: report.notEvaluable.join(' · '), state: report.state };
  return {
    headline: `${formatNumber(report.matched)} of ${formatNumber(report.total)} profiles (${formatPercent(report.matched, report.total)})`,
    subline: where,
    state: 'ok',
  };
}

/**
 * Browsers cap an element's height (Chromium: 33,554,428 px), so past about a million rows the
 * scrollable height is compressed: one pixel of scrolling then moves more than one pixel of rows.
 */
export const MAX_SCROLL_HEIGHT = 30_000_000;

/** The scrollable height for `total` rows, and how many row pixels one scrolled pixel is worth. */
export function scrollGeometry(total: number, viewportHeight: number): { height: number; scale: number } {
  const natural = total * ROW_HEIGHT;
  if (natural <= MAX_SCROLL_HEIGHT) return { height: natural, scale: 1 };
  // Map the scroll range [0, MAX − viewport] onto the row range [0, natural − viewport].
  return { height: MAX_SCROLL_HEIGHT, scale: (natural - viewportHeight) / Math.max(1, MAX_SCROLL_HEIGHT - viewportHeight) };
}

/** The rows to render for a scroll position (with a margin above and below). */
export function visibleRange(scrollTop: number, viewportHeight: number, total: number, margin = 10): { first: number; last: number } {
  const { scale } = scrollGeometry(total, viewportHeight);
  const top = scrollTop * scale;
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - margin);
  const last = Math.min(total, Math.ceil((top + viewportHeight) / ROW_HEIGHT) + margin);
  return { first, last: Math.max(first, last) };
}

/** Where (in scroll pixels) to draw row `first` so that rows line up with the scroll position. */
export function rowsOffset(scrollTop: number, viewportHeight: number, total: number, first: number): number {
  const { scale } = scrollGeometry(total, viewportHeight);
  return scale === 1 ? first * ROW_HEIGHT : scrollTop - (scrollTop * scale - first * ROW_HEIGHT);
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
