/// <reference lib="dom" />
import { $, el } from './dom';
import type { ExplainResult, HistoryPointInfo, ProfileRow } from '../../../server/src/protocol';
import type { FromWebview, ToWebview } from './messages';
import { HistoryChart } from './historyChart';
import { ProfileList, profileListElements } from './profileList';
import { FILTER_DEBOUNCE_MS, formatNumber, formatPercent, funnel, shortDate, summary } from './viewModel';

/**
 * The preview panel's script. Profile and event data is untrusted: every value reaches the page
 * through `textContent` or attributes set with `setAttribute` on elements we create, never as
 * HTML. The page's Content-Security-Policy allows only this nonce'd script.
 */
declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void; setState(state: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();

let countsKey = '';
/** The counts' document version: history replies for another version are stale. */
let countsVersion: number | undefined;
/** The day shown "as of" (a click on the size-over-time chart); undefined: now. */
let asOf: HistoryPointInfo | undefined;

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

/** The `asOf` of a request: present only while the table shows a day. */
const asOfField = (): { asOf?: string } => (asOf ? { asOf: asOf.asOf } : {});

const EXPORT_BUTTONS = ['export-csv', 'copy-ids', 'copy-emails'];

const list = new ProfileList(profileListElements(), {
  filterDelayMs: FILTER_DEBOUNCE_MS,
  requestPage: (request) => post({ type: 'rows', ...request, ...asOfField() }),
  onSelect: (row) => select(row),
  // Exports are of the segment now: not offered while the table shows another day.
  onTotal: (total) => EXPORT_BUTTONS.forEach((id) => (($(id) as HTMLButtonElement).disabled = total === 0 || asOf !== undefined)),
  countSuffix: () => (asOf ? ` as of ${asOf.day}` : ''),
});

const history = new HistoryChart(
  {
    section: $('history'),
    canvas: $('history-chart') as HTMLCanvasElement,
    status: $('history-status'),
    progress: $('history-progress') as HTMLProgressElement,
    table: $('history-table') as HTMLTableElement,
  },
  (point, isToday) => showAsOf(isToday ? undefined : point),
);

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
      funnelBox.append(
        el(
          'div',
          { class: 'step', title: step.detail },
          el('span', { class: 'step-label' }, step.label),
          el('div', { class: 'track' }, bar),
          el('span', { class: 'step-count' }, step.count === null ? 'n/a' : formatNumber(step.count)),
          el('span', { class: 'step-detail' }, step.detail),
        ),
      );
    }
    const reasons = message.report.notEvaluable;
    if (reasons.length) funnelBox.append(el('p', { class: 'warning' }, `Not evaluable locally: ${reasons.join(' · ')}`));
  }
}

/** Shows the table (and "why it matched") as of a day of the chart, or now. */
function showAsOf(point: HistoryPointInfo | undefined): void {
  if (point?.day === asOf?.day) return;
  asOf = point;
  const banner = $('as-of');
  banner.hidden = !point;
  document.body.classList.toggle('as-of-day', Boolean(point));
  if (point) {
    $('as-of-text').textContent =
      `As of the end of ${point.day} (UTC): ${point.matched === null ? 'not evaluable locally' : `${formatNumber(point.matched)} of ${formatNumber(point.total)} profiles (${formatPercent(point.matched, point.total)})`}.`;
  }
  history.select(point?.day);
  $('viewport').scrollTop = 0;
  list.reset();
  // The evidence shown was for another day: ask again for the selected profile.
  const selected = list.selection;
  if (selected) post({ type: 'explain', profileId: selected, ...asOfField() });
}

function select(row: ProfileRow): void {
  document.body.classList.add('has-selection');
  post({ type: 'explain', profileId: row.id, ...asOfField() });
}

function renderExplain(profileId: string, result: ExplainResult | null): void {
  // A late reply for an earlier click must not replace the selected profile's evidence.
  if (profileId !== list.selection) return;
  const why = $('why');
  why.replaceChildren();
  if (!result || !result.profile) {
    why.append(el('p', { class: 'muted' }, result?.message ?? `Profile ${profileId} is not in the workspace any more.`));
    return;
  }
  const p = result.profile;
  why.append(el('h2', {}, p.name ?? p.email ?? p.id), el('p', { class: 'muted' }, [p.email, p.location, p.phone, p.id].filter(Boolean).join(' · ')));
  if (asOf) why.append(el('p', { class: 'as-of-note' }, `As of the end of ${asOf.day} (UTC)`));
  why.append(el('p', {}, result.matched ? 'Matches the segment because:' : 'Does not match the segment:'));
  let group = -1;
  for (const c of result.conditions) {
    if (c.group !== group) {
      group = c.group;
      why.append(el('h3', {}, `Group ${group + 1}${group > 0 ? ' (AND)' : ''}: one condition must hold`));
    }
    const mark = c.matched === null ? '?' : c.matched ? '✓' : '✗';
    const item = el(
      'div',
      { class: `evidence ${c.matched === null ? 'unknown' : c.matched ? 'held' : 'failed'}` },
      el('span', { class: 'mark' }, mark),
      el('span', {}, c.description),
      el('div', { class: 'muted' }, c.evidence),
    );
    if (c.events && c.events.length) item.append(el('div', { class: 'events' }, `events that counted: ${c.events.map(shortDate).join(', ')}`));
    why.append(item);
  }
}

function receive(message: ToWebview): void {
  switch (message.type) {
    case 'counts': {
      renderSummary(message);
      countsVersion = message.report?.version;
      // The same counts again (a refresh with nothing changed) keep the rows already shown.
      const key = message.report ? `${message.report.version}:${message.report.state}:${message.report.matched}:${message.report.computedAt}` : '';
      if (key !== countsKey || !key) {
        countsKey = key;
        list.reset();
      }
      if (message.report && message.report.state !== 'ok')
        history.message(message.report.state === 'loading' ? 'Waiting for the workspace…' : 'No size over time: the segment has no counts.', 'none');
      break;
    }
    case 'history-progress':
      if (message.version === countsVersion) history.progress(message.done, message.total);
      break;
    case 'history':
      // A series computed for an earlier version of the segment is stale: its days would disagree with the counts.
      if (message.result && message.result.version === countsVersion) history.show(message.result);
      break;
    case 'rows':
      list.receive(message.requestId, message.result);
      break;
    case 'explain':
      renderExplain(message.profileId, message.result);
      break;
    case 'notice':
      $('notice').textContent = message.text;
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => receive(event.data));
$('back-to-now').addEventListener('click', () => showAsOf(undefined));
$('export-csv').addEventListener('click', () => post({ type: 'export', format: 'csv' }));
$('copy-ids').addEventListener('click', () => post({ type: 'copy', format: 'ids' }));
$('copy-emails').addEventListener('click', () => post({ type: 'copy', format: 'emails' }));
// The segment's definition as SQL (not its matches): offered whatever the table shows.
$('copy-sql').addEventListener('click', () => post({ type: 'copy-sql' }));
post({ type: 'ready' });
