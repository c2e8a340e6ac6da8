/// <reference lib="dom" />
import { $, el } from './dom';
import type { ExplainResult, ProfileRow, ProfilesResult } from '../../../server/src/protocol';
import type { FromWebview, ToWebview } from './messages';
import { FILTER_DEBOUNCE_MS, formatNumber, funnel, nextSort, PAGE_SIZE, pagesFor, rowsOffset, scrollGeometry, shortDate, summary, visibleRange, type SortColumn } from './viewModel';

/**
 * The preview panel's script. Profile and event data is untrusted: every value reaches the page
 * through `textContent` or attributes set with `setAttribute` on elements we create, never as
 * HTML. The page's Content-Security-Policy allows only this nonce'd script.
 */
declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void; setState(state: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();



let propertyColumns: string[] = [];
let total = 0;
let requestId = 0;
let sort: { column: SortColumn; descending: boolean } = { column: 'email', descending: false };
let filter = '';
let selected: string | undefined;
const pages = new Map<number, ProfileRow[]>();
const inFlight = new Map<number, number>();
/** Pages kept in memory at most (about 10,000 rows); the farthest from view are dropped first. */
const MAX_PAGES = 50;
let headerColumns = '';
let countsKey = '';

const COLUMNS: { key: SortColumn | 'phone'; label: string }[] = [
  { key: 'email', label: 'Email' },
  { key: 'name', label: 'Name' },
  { key: 'location', label: 'Location' },
  { key: 'lastEvent', label: 'Last event (UTC)' },
];

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

function renderSummary(message: Extract<ToWebview, { type: 'counts' }>): void {
  const view = summary(message.report);
  $('file').textContent = message.fileName;
  $('headline').textContent = view.headline;
  $('subline').textContent = view.subline;
  document.body.dataset.state = view.state;
  const funnelBox = $('funnel');
  funnelBox.replaceChildren();
  if (message.report?.state === 'ok') {
    for (const step of funnel(message.report)) {
      const bar = el('div', { class: 'bar' });
      bar.style.width = `${step.width}%`;
      funnelBox.append(el('div', { class: 'step', title: step.detail },
        el('span', { class: 'step-label' }, step.label),
        el('div', { class: 'track' }, bar),
        el('span', { class: 'step-count' }, step.count === null ? 'n/a' : formatNumber(step.count)),
        el('span', { class: 'step-detail' }, step.detail)));
    }
    const reasons = message.report.notEvaluable;
    if (reasons.length) funnelBox.append(el('p', { class: 'warning' }, `Not evaluable locally: ${reasons.join(' · ')}`));
  }
}

function resetRows(): void {
  pages.clear();
  inFlight.clear();
  requestRows();
}

function requestRows(): void {
  const viewport = $('viewport');
  const range = visibleRange(viewport.scrollTop, viewport.clientHeight || 600, Math.max(total, PAGE_SIZE));
  for (const offset of pagesFor(range.first, range.last)) {
    if (pages.has(offset) || [...inFlight.values()].includes(offset)) continue;
    const id = ++requestId;
    inFlight.set(id, offset);
    post({ type: 'rows', requestId: id, offset, limit: PAGE_SIZE, sort, filter });
  }
  renderRows();
}

function receiveRows(id: number, result: ProfilesResult | null): void {
  const offset = inFlight.get(id);
  inFlight.delete(id);
  if (offset === undefined || !result) return;
  total = result.total;
  propertyColumns = result.propertyColumns;
  pages.set(offset, result.rows);
  evictPages(offset);
  $('count').textContent = `${formatNumber(total)} profile${total === 1 ? '' : 's'}${filter ? ' match the filter' : ''}`;
  for (const id of ['export-csv', 'copy-ids', 'copy-emails']) ($(id) as HTMLButtonElement).disabled = total === 0;
  // Rebuilding the header would take keyboard focus away from a sort button: only when it changes.
  const columns = `${sort.column}:${sort.descending}:${propertyColumns.join('\u0000')}`;
  if (columns !== headerColumns) renderHeader();
  renderRows();
}

function evictPages(keep: number): void {
  if (pages.size <= MAX_PAGES) return;
  const farthest = [...pages.keys()].sort((a, b) => Math.abs(b - keep) - Math.abs(a - keep));
  for (const offset of farthest.slice(0, pages.size - MAX_PAGES)) pages.delete(offset);
}

function renderHeader(): void {
  headerColumns = `${sort.column}:${sort.descending}:${propertyColumns.join('\u0000')}`;
  const focused = (document.activeElement as HTMLElement | null)?.dataset.column;
  const header = $('header');
  header.replaceChildren();
  for (const column of COLUMNS) {
    const arrow = sort.column === column.key ? (sort.descending ? ' ▼' : ' ▲') : '';
    const cell = el('button', { class: 'cell sortable', type: 'button', 'data-column': column.key }, column.label + arrow);
    cell.addEventListener('click', () => {
      sort = nextSort(sort, column.key as SortColumn);
      $('viewport').scrollTop = 0;
      renderHeader();
      resetRows();
    });
    header.append(cell);
    if (focused === column.key) cell.focus();
  }
  for (const name of propertyColumns) header.append(el('div', { class: 'cell', title: name }, name));
}

function select(row: ProfileRow): void {
  selected = row.id;
  document.body.classList.add('has-selection');
  post({ type: 'explain', profileId: row.id });
  renderRows();
}

function renderRows(): void {
  const viewport = $('viewport');
  const spacer = $('spacer');
  const height = viewport.clientHeight || 600;
  spacer.style.height = `${scrollGeometry(total, height).height}px`;
  const range = visibleRange(viewport.scrollTop, height, total);
  const rows = $('rows');
  rows.style.transform = `translateY(${rowsOffset(viewport.scrollTop, height, total, range.first)}px)`;
  const focusedId = (document.activeElement as HTMLElement | null)?.closest?.('.row')?.getAttribute('data-id');
  const fragment = document.createDocumentFragment();
  for (let i = range.first; i < range.last; i++) {
    const page = pages.get(Math.floor(i / PAGE_SIZE) * PAGE_SIZE);
    const row = page?.[i % PAGE_SIZE];
    const line = el('div', { class: `row${row && row.id === selected ? ' selected' : ''}`, role: 'row', 'data-index': String(i), tabindex: '0' });
    if (!row) {
      line.append(el('div', { class: 'cell muted' }, 'loading…'));
    } else {
      line.setAttribute('data-id', row.id);
      line.append(
        el('div', { class: 'cell', title: row.id }, row.email ?? '—'),
        el('div', { class: 'cell' }, row.name ?? ''),
        el('div', { class: 'cell' }, row.location ?? ''),
        el('div', { class: 'cell' }, shortDate(row.lastEvent)),
        ...propertyColumns.map((name) => el('div', { class: 'cell' }, row.properties[name] ?? '')),
      );
      line.setAttribute('aria-selected', String(row.id === selected));
      line.addEventListener('click', () => select(row));
      line.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select(row);
        }
      });
    }
    fragment.append(line);
  }
  rows.replaceChildren(fragment);
  if (focusedId) (rows.querySelector(`.row[data-id="${CSS.escape(focusedId)}"]`) as HTMLElement | null)?.focus({ preventScroll: true });
}

function renderExplain(profileId: string, result: ExplainResult | null): void {
  // A late reply for an earlier click must not replace the selected profile's evidence.
  if (profileId !== selected) return;
  const why = $('why');
  why.replaceChildren();
  if (!result || !result.profile) {
    why.append(el('p', { class: 'muted' }, `Profile ${profileId} is not in the workspace any more.`));
    return;
  }
  const p = result.profile;
  why.append(el('h2', {}, p.name ?? p.email ?? p.id), el('p', { class: 'muted' }, [p.email, p.location, p.phone, p.id].filter(Boolean).join(' · ')));
  why.append(el('p', {}, result.matched ? 'Matches the segment because:' : 'Does not match the segment:'));
  let group = -1;
  for (const c of result.conditions) {
    if (c.group !== group) {
      group = c.group;
      why.append(el('h3', {}, `Group ${group + 1}${group > 0 ? ' (AND)' : ''}: one condition must hold`));
    }
    const mark = c.matched === null ? '?' : c.matched ? '✓' : '✗';
    const item = el('div', { class: `evidence ${c.matched === null ? 'unknown' : c.matched ? 'held' : 'failed'}` }, el('span', { class: 'mark' }, mark), el('span', {}, c.description), el('div', { class: 'muted' }, c.evidence));
    if (c.events && c.events.length) item.append(el('div', { class: 'events' }, `events that counted: ${c.events.map(shortDate).join(', ')}`));
    why.append(item);
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'counts': {
      renderSummary(message);
      // The same counts again (a refresh with nothing changed) keep the rows already shown.
      const key = message.report ? `${message.report.version}:${message.report.state}:${message.report.matched}:${message.report.computedAt}` : '';
      if (key !== countsKey || !key) {
        countsKey = key;
        resetRows();
      }
      break;
    }
    case 'rows':
      receiveRows(message.requestId, message.result);
      break;
    case 'explain':
      renderExplain(message.profileId, message.result);
      break;
    case 'notice':
      $('notice').textContent = message.text;
      break;
  }
});

let filterTimer: ReturnType<typeof setTimeout> | undefined;
$<HTMLInputElement>('filter').addEventListener('input', (event) => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    filter = (event.target as HTMLInputElement).value;
    $('viewport').scrollTop = 0;
    resetRows();
  }, FILTER_DEBOUNCE_MS);
});
let scrollScheduled = false;
$('viewport').addEventListener('scroll', () => {
  if (scrollScheduled) return;
  scrollScheduled = true;
  requestAnimationFrame(() => {
    scrollScheduled = false;
    requestRows();
  });
});
$('export-csv').addEventListener('click', () => post({ type: 'export', format: 'csv' }));
$('copy-ids').addEventListener('click', () => post({ type: 'copy', format: 'ids' }));
$('copy-emails').addEventListener('click', () => post({ type: 'copy', format: 'emails' }));
renderHeader();
post({ type: 'ready' });
