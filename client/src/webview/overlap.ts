/// <reference lib="dom" />
import { $, el } from './dom';
import type { OverlapReport } from '../../../server/src/protocol';
import type { OverlapFromWebview, OverlapToWebview } from './messages';
import { ProfileList, profileListElements } from './profileList';
import { UpsetChart, UPSET_BARS } from './upsetChart';
import { FILTER_DEBOUNCE_MS, formatNumber, formatPercent } from './viewModel';

/**
 * The overlap panel's script ("Compare Segments in Folder…"): how the audiences of a folder's
 * segments intersect, as a matrix (up to 8 segments; the largest pairs above that), an UpSet
 * chart of the exclusive intersections with the same numbers in a table, and the profiles of the
 * cell chosen. Segment names and profile data come from the workspace: untrusted, they reach the
 * page as text only (textContent, setAttribute on elements created here, canvas text).
 */
declare function acquireVsCodeApi(): { postMessage(message: OverlapFromWebview): void; setState(state: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();
const post = (message: OverlapFromWebview) => vscode.postMessage(message);

/** Up to this many segments the pairwise overlap is a matrix; above, a list of the largest pairs. */
const MATRIX_LIMIT = 8;
const LISTED_PAIRS = 20;

let report: OverlapReport | undefined;
/** The cell whose profiles are listed: the segments they are in, and those they are not in. */
let chosen: { inside: number[]; outside: number[] } | undefined;

const label = (s: number) => {
  const segment = report?.segments[s];
  return segment ? `[${s + 1}] ${segment.name ?? segment.file}` : '';
};

const list = new ProfileList(profileListElements(), {
  filterDelayMs: FILTER_DEBOUNCE_MS,
  requestPage: (request) => {
    if (!report || !chosen) return;
    post({ type: 'rows', ...request, inside: chosen.inside.map((s) => report!.segments[s].uri), outside: chosen.outside.map((s) => report!.segments[s].uri) });
  },
});

const upset = new UpsetChart($('upset-chart') as HTMLCanvasElement, $('upset-box'), (cell) => choose(cell.members, true));

/** Lists the profiles in every segment of `inside` (and, for an exclusive cell, in no other). */
function choose(inside: number[], exclusive: boolean): void {
  if (!report) return;
  const outside = exclusive ? report.segments.map((_, s) => s).filter((s) => !inside.includes(s)) : [];
  chosen = { inside, outside };
  const count = exclusive
    ? report.cells.find((c) => c.members.join(',') === inside.join(','))?.count
    : inside.length === 1
      ? report.pairwise[inside[0]][inside[0]]
      : report.pairwise[inside[0]][inside[1]];
  const names = inside.map(label).join(' ∩ ');
  $('profiles-title').textContent = exclusive && outside.length ? `In ${names} only` : `In ${names}`;
  $('profiles-detail').textContent = `${formatNumber(count ?? 0)} profiles${exclusive && outside.length ? ', in none of the other segments' : ''}`;
  $('profiles-section').hidden = false;
  for (const button of Array.from(document.querySelectorAll<HTMLElement>('[data-cell]')))
    button.setAttribute('aria-pressed', String(button.dataset.cell === `${exclusive ? 'x' : 'p'}:${inside.join(',')}`));
  upset.select(exclusive ? inside : undefined);
  list.clearSelection();
  $('viewport').scrollTop = 0;
  list.reset();
}

function cellButton(text: string, key: string, inside: number[], exclusive: boolean, description: string): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'cell-button', 'data-cell': key, 'aria-pressed': 'false', 'aria-label': description }, text);
  button.addEventListener('click', () => choose(inside, exclusive));
  return button;
}

function renderSegments(r: OverlapReport): void {
  const body = el('tbody');
  r.segments.forEach((segment, s) => {
    const open = el('button', { type: 'button', class: 'link', title: `Open ${segment.file}` }, segment.file);
    open.addEventListener('click', () => post({ type: 'open', uri: segment.uri }));
    body.append(
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, `[${s + 1}]`),
        el('td', { class: 'text' }, segment.name ?? ''),
        el('td', { class: 'text' }, open),
        el('td', {}, cellButton(formatNumber(segment.count), `p:${s}`, [s], false, `List the ${formatNumber(segment.count)} profiles of ${label(s)}`)),
        el('td', {}, formatPercent(segment.count, r.total)),
      ),
    );
  });
  $('segments').querySelector('tbody')?.replaceWith(body);
}

/** The matrix of pairwise counts; each cell's shade is its share of the smaller segment. */
function renderMatrix(r: OverlapReport): void {
  const table = $('matrix');
  const head = el('tr', {}, el('td', {}), ...r.segments.map((_, j) => el('th', { scope: 'col', title: label(j) }, `[${j + 1}]`)));
  const rows = r.segments.map((_, i) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row', class: 'text' }, label(i)),
      ...r.segments.map((__, j) => {
        const count = r.pairwise[i][j];
        const smaller = Math.min(r.pairwise[i][i], r.pairwise[j][j]);
        const pair = i === j ? [i] : [Math.min(i, j), Math.max(i, j)];
        const cell = el(
          'td',
          { class: i === j ? 'diagonal' : '' },
          cellButton(
            formatNumber(count),
            `p:${pair.join(',')}`,
            pair,
            false,
            i === j
              ? `List the ${formatNumber(count)} profiles of ${label(i)}`
              : `List the ${formatNumber(count)} profiles in both ${label(i)} and ${label(j)}`,
          ),
        );
        // The shade is set through the CSSOM (allowed by the page's CSP, unlike a style attribute).
        cell.style.setProperty('--share', String(smaller === 0 ? 0 : count / smaller));
        return cell;
      }),
    ),
  );
  table.replaceChildren(
    el('caption', {}, "Profiles in both the row's and the column's segment; the diagonal is each segment's size"),
    el('thead', {}, head),
    el('tbody', {}, ...rows),
  );
}

function renderPairs(r: OverlapReport): void {
  const pairs: { i: number; j: number; count: number }[] = [];
  r.pairwise.forEach((row, i) =>
    row.forEach((count, j) => {
      if (j > i) pairs.push({ i, j, count });
    }),
  );
  pairs.sort((a, b) => b.count - a.count || a.i - b.i || a.j - b.j);
  $('matrix').replaceChildren(
    el('caption', {}, `The ${Math.min(LISTED_PAIRS, pairs.length)} largest pairwise overlaps of ${r.segments.length} segments`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Segments'), el('th', { scope: 'col' }, 'In both'))),
    el(
      'tbody',
      {},
      ...pairs
        .slice(0, LISTED_PAIRS)
        .map(({ i, j, count }) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row', class: 'text' }, `${label(i)} ∩ ${label(j)}`),
            el(
              'td',
              {},
              cellButton(formatNumber(count), `p:${i},${j}`, [i, j], false, `List the ${formatNumber(count)} profiles in both ${label(i)} and ${label(j)}`),
            ),
          ),
        ),
    ),
  );
}

function renderCells(r: OverlapReport): void {
  const rows = r.cells.map((cell, k) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, String(k + 1)),
      el('td', { class: 'text' }, cell.members.map(label).join(' ∩ ')),
      el('td', { class: 'text' }, cell.members.length === r.segments.length ? 'all' : 'only these'),
      el(
        'td',
        {},
        cellButton(
          formatNumber(cell.count),
          `x:${cell.members.join(',')}`,
          cell.members,
          true,
          `List the ${formatNumber(cell.count)} profiles in ${cell.members.map(label).join(' and ')} only`,
        ),
      ),
      el('td', {}, formatPercent(cell.count, r.union)),
    ),
  );
  $('cells').replaceChildren(
    el(
      'caption',
      {},
      `Every profile in exactly one row: the segments it is in. ${r.cells.length > UPSET_BARS ? `The chart shows the ${UPSET_BARS} largest of ${r.cells.length}.` : ''}`.trim(),
    ),
    el(
      'thead',
      {},
      el('tr', {}, ...['#', 'Segments', '', 'Profiles', 'Share of the union'].map((h, i) => el('th', { scope: 'col', class: i === 1 ? 'text' : '' }, h))),
    ),
    el('tbody', {}, ...rows),
    el(
      'tfoot',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, ''),
        el('td', { class: 'text' }, 'Union (in at least one segment)'),
        el('td', {}),
        el('td', { id: 'union-total' }, formatNumber(r.union)),
        el('td', {}, '100%'),
      ),
    ),
  );
}

function render(r: OverlapReport): void {
  report = r;
  chosen = undefined;
  $('profiles-section').hidden = true;
  $('folder').textContent = r.folder;
  document.body.dataset.state = r.state;
  if (r.state !== 'ok') {
    $('headline').textContent = r.message ?? 'No overlap';
    $('subline').textContent = '';
    for (const id of ['segments-section', 'matrix-section', 'upset-section']) $(id).hidden = true;
    return;
  }
  const ws = r.workspace;
  $('headline').textContent =
    `${r.segments.length} segments: ${formatNumber(r.union)} of ${formatNumber(r.total)} profiles are in at least one (${formatPercent(r.union, r.total)})`;
  $('subline').textContent = ws ? `${ws.name} · now ${ws.now} (UTC) · computed in ${formatNumber(r.elapsedMs)} ms` : '';
  const leftOut = $('left-out');
  leftOut.replaceChildren(
    ...(r.leftOut.length
      ? [
          el('p', { class: 'warning' }, 'Left out (not counted):'),
          el('ul', {}, ...r.leftOut.map((l) => el('li', {}, `${l.file}${l.name ? ` (${l.name})` : ''}: ${l.reason}`))),
        ]
      : []),
  );
  $('segments-section').hidden = r.segments.length === 0;
  $('matrix-section').hidden = r.segments.length < 2;
  $('upset-section').hidden = r.cells.length === 0;
  renderSegments(r);
  if (r.segments.length <= MATRIX_LIMIT) renderMatrix(r);
  else renderPairs(r);
  $('matrix-title').textContent = r.segments.length <= MATRIX_LIMIT ? 'Pairwise overlap' : 'Largest pairwise overlaps';
  renderCells(r);
  const canvas = $('upset-chart');
  canvas.setAttribute(
    'aria-label',
    `UpSet chart: bars of the ${Math.min(UPSET_BARS, r.cells.length)} largest exclusive intersections of ${r.segments.length} segments, over a matrix of the segments each bar is; the table "Numbers per intersection" has every count.`,
  );
  upset.show(
    r.cells,
    r.segments.map((_, s) => label(s)),
  );
}

window.addEventListener('message', (event: MessageEvent<OverlapToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'loading':
      document.body.dataset.state = 'loading';
      $('folder').textContent = message.folder;
      $('headline').textContent = 'Comparing the segments…';
      break;
    case 'report':
      if (message.report) render(message.report);
      break;
    case 'rows':
      list.receive(message.requestId, message.result);
      break;
  }
});

$('refresh').addEventListener('click', () => post({ type: 'refresh' }));
post({ type: 'ready' });
