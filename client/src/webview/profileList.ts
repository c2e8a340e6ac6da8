/// <reference lib="dom" />
import { el } from './dom';
import type { ProfileRow, ProfilesResult } from '../../../server/src/protocol';
import { formatNumber, nextSort, PAGE_SIZE, pagesFor, rowsOffset, scrollGeometry, shortDate, visibleRange, type SortColumn } from './viewModel';

/** The elements of a profile list (the preview's table, and the lists of the overlap and diff panels). */
export interface ProfileListElements {
  header: HTMLElement;
  viewport: HTMLElement;
  spacer: HTMLElement;
  rows: HTMLElement;
  count: HTMLElement;
  filter: HTMLInputElement;
}

export type ProfileSort = { column: SortColumn; descending: boolean };

export interface ProfileListOptions {
  /** Asks the extension for one page; the reply comes back through `receive(requestId, …)`. */
  requestPage(request: { requestId: number; offset: number; limit: number; sort: ProfileSort; filter: string }): void;
  /** A row was chosen (click, Enter or Space). */
  onSelect?(row: ProfileRow): void;
  /** The number of profiles changed (e.g. to enable export buttons). */
  onTotal?(total: number): void;
  /** What the count line says after the number ("profiles", "profiles as of 2026-10-15"). */
  countSuffix?(): string;
  /** Milliseconds the filter waits after the last keystroke. */
  filterDelayMs: number;
}

const COLUMNS: { key: SortColumn | 'phone'; label: string }[] = [
  { key: 'email', label: 'Email' },
  { key: 'name', label: 'Name' },
  { key: 'location', label: 'Location' },
  { key: 'lastEvent', label: 'Last event (UTC)' },
];

/** Pages kept in memory at most (about 10,000 rows); the farthest from view are dropped first. */
const MAX_PAGES = 50;

/**
 * A virtual-scrolling table of profiles that asks for pages as they come into view, sorted and
 * filtered by the server. Profile data is untrusted: every value reaches the page through
 * `textContent` or `setAttribute` on elements created here, never as HTML.
 */
export class ProfileList {
  private propertyColumns: string[] = [];
  private total = 0;
  private requestId = 0;
  private sort: ProfileSort = { column: 'email', descending: false };
  private filter = '';
  private selected: string | undefined;
  private readonly pages = new Map<number, ProfileRow[]>();
  private readonly inFlight = new Map<number, number>();
  private headerColumns = '';

  constructor(
    private readonly elements: ProfileListElements,
    private readonly options: ProfileListOptions,
  ) {
    let filterTimer: ReturnType<typeof setTimeout> | undefined;
    elements.filter.addEventListener('input', () => {
      clearTimeout(filterTimer);
      filterTimer = setTimeout(() => {
        this.filter = elements.filter.value;
        elements.viewport.scrollTop = 0;
        this.reset();
      }, options.filterDelayMs);
    });
    let scrollScheduled = false;
    elements.viewport.addEventListener('scroll', () => {
      if (scrollScheduled) return;
      scrollScheduled = true;
      requestAnimationFrame(() => {
        scrollScheduled = false;
        this.requestRows();
      });
    });
    this.renderHeader();
  }

  /** The selected profile's ID (its row is highlighted). */
  get selection(): string | undefined {
    return this.selected;
  }

  /** Forgets every page and asks again (the set of profiles changed). */
  reset(): void {
    this.pages.clear();
    this.inFlight.clear();
    this.requestRows();
  }

  /** Forgets the selection (the panel shows another set). */
  clearSelection(): void {
    this.selected = undefined;
  }

  /** A page the extension sent for request `id`; replies to requests made before a reset are dropped. */
  receive(id: number, result: ProfilesResult | null): void {
    const offset = this.inFlight.get(id);
    this.inFlight.delete(id);
    if (offset === undefined || !result) return;
    this.total = result.total;
    this.propertyColumns = result.propertyColumns;
    this.pages.set(offset, result.rows);
    this.evictPages(offset);
    const suffix = this.options.countSuffix?.() ?? '';
    this.elements.count.textContent = `${formatNumber(this.total)} profile${this.total === 1 ? '' : 's'}${suffix}${this.filter ? ' match the filter' : ''}`;
    this.options.onTotal?.(this.total);
    // Rebuilding the header would take keyboard focus away from a sort button: only when it changes.
    const columns = `${this.sort.column}:${this.sort.descending}:${this.propertyColumns.join('\u0000')}`;
    if (columns !== this.headerColumns) this.renderHeader();
    this.renderRows();
  }

  private requestRows(): void {
    const viewport = this.elements.viewport;
    const range = visibleRange(viewport.scrollTop, viewport.clientHeight || 600, Math.max(this.total, PAGE_SIZE));
    for (const offset of pagesFor(range.first, range.last)) {
      if (this.pages.has(offset) || [...this.inFlight.values()].includes(offset)) continue;
      const id = ++this.requestId;
      this.inFlight.set(id, offset);
      this.options.requestPage({ requestId: id, offset, limit: PAGE_SIZE, sort: this.sort, filter: this.filter });
    }
    this.renderRows();
  }

  private evictPages(keep: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const farthest = [...this.pages.keys()].sort((a, b) => Math.abs(b - keep) - Math.abs(a - keep));
    for (const offset of farthest.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(offset);
  }

  private renderHeader(): void {
    this.headerColumns = `${this.sort.column}:${this.sort.descending}:${this.propertyColumns.join('\u0000')}`;
    const focused = (document.activeElement as HTMLElement | null)?.dataset.column;
    const header = this.elements.header;
    header.replaceChildren();
    for (const column of COLUMNS) {
      const arrow = this.sort.column === column.key ? (this.sort.descending ? ' ▼' : ' ▲') : '';
      const cell = el('button', { class: 'cell sortable', type: 'button', 'data-column': column.key }, column.label + arrow);
      cell.addEventListener('click', () => {
        this.sort = nextSort(this.sort, column.key as SortColumn);
        this.elements.viewport.scrollTop = 0;
        this.renderHeader();
        this.reset();
      });
      header.append(cell);
      if (focused === column.key) cell.focus();
    }
    for (const name of this.propertyColumns) header.append(el('div', { class: 'cell', title: name }, name));
  }

  private select(row: ProfileRow): void {
    this.selected = row.id;
    this.options.onSelect?.(row);
    this.renderRows();
  }

  private renderRows(): void {
    const { viewport, spacer, rows } = this.elements;
    const height = viewport.clientHeight || 600;
    spacer.style.height = `${scrollGeometry(this.total, height).height}px`;
    const range = visibleRange(viewport.scrollTop, height, this.total);
    rows.style.transform = `translateY(${rowsOffset(viewport.scrollTop, height, this.total, range.first)}px)`;
    const focusedId = (document.activeElement as HTMLElement | null)?.closest?.('.row')?.getAttribute('data-id');
    const fragment = document.createDocumentFragment();
    for (let i = range.first; i < range.last; i++) fragment.append(this.rowElement(i));
    rows.replaceChildren(fragment);
    if (focusedId) (rows.querySelector(`.row[data-id="${CSS.escape(focusedId)}"]`) as HTMLElement | null)?.focus({ preventScroll: true });
  }

  private rowElement(i: number): HTMLElement {
    const page = this.pages.get(Math.floor(i / PAGE_SIZE) * PAGE_SIZE);
    const row = page?.[i % PAGE_SIZE];
    const line = el('div', { class: `row${row && row.id === this.selected ? ' selected' : ''}`, role: 'row', 'data-index': String(i), tabindex: '0' });
    if (!row) {
      line.append(el('div', { class: 'cell muted' }, 'loading…'));
      return line;
    }
    line.setAttribute('data-id', row.id);
    line.append(
      el('div', { class: 'cell', title: row.id }, row.email ?? '—'),
      el('div', { class: 'cell' }, row.name ?? ''),
      el('div', { class: 'cell' }, row.location ?? ''),
      el('div', { class: 'cell' }, shortDate(row.lastEvent)),
      ...this.propertyColumns.map((name) => el('div', { class: 'cell' }, row.properties[name] ?? '')),
    );
    line.setAttribute('aria-selected', String(row.id === this.selected));
    line.addEventListener('click', () => this.select(row));
    line.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        this.select(row);
      }
    });
    return line;
  }
}

/** The list's markup (ids as the page's script finds them): a filter, a count, and the table. */
export function profileListElements(prefix = ''): ProfileListElements {
  const id = (name: string) => document.getElementById(`${prefix}${name}`) as HTMLElement;
  return {
    header: id('header'),
    viewport: id('viewport'),
    spacer: id('spacer'),
    rows: id('rows'),
    count: id('count'),
    filter: id('filter') as HTMLInputElement,
  };
}
