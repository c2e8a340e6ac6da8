/// <reference lib="dom" />
import { $, el } from './dom';
import { KIND_TITLES, type CoverageReport, type Finding, type FindingKind } from '../../../server/src/coverage/types';
import type { CoverageFromWebview, CoverageToWebview } from '../coverage';

/**
 * The coverage panel's script. Segment names, rules and evidence come from workspace files and
 * data: untrusted. Every value reaches the page through `textContent` or `setAttribute` on
 * elements created here, never as HTML. The page's Content-Security-Policy allows only this
 * nonce'd script.
 */
declare function acquireVsCodeApi(): { postMessage(message: CoverageFromWebview): void; setState(state: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();
const post = (message: CoverageFromWebview) => vscode.postMessage(message);

const count = (n: number) => n.toLocaleString('en-US');
const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

/** Stages whose file was created from this panel (their button stays disabled until they vanish). */
let created = new Set<string>();

function fileButton(file: string): HTMLElement {
  const button = el('button', { type: 'button', class: 'link', title: `Open ${file}` }, file);
  button.addEventListener('click', () => post({ type: 'open', file }));
  return button;
}

function table(caption: string, header: string[], rows: (string | Node)[][]): HTMLElement {
  return el(
    'table',
    {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...header.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}

function findingCard(f: Finding): HTMLElement {
  const card = el(
    'article',
    { class: `finding ${f.kind}`, 'data-priority': f.priority },
    el(
      'div',
      { class: 'finding-head' },
      el('span', { class: `badge ${f.priority}` }, f.priority),
      el('h3', {}, f.title),
      ...(f.stage ? [el('code', { class: 'stage' }, f.stage)] : []),
    ),
    el('p', { class: 'evidence' }, f.evidence),
    el('p', { class: 'rule' }, el('span', { class: 'muted' }, 'Rule: '), f.rule),
    el('p', { class: 'recommendation' }, el('span', { class: 'muted' }, 'Recommendation: '), f.recommendation),
    el('p', { class: 'meta muted' }, `${f.use} · owner: ${f.owner} · ${f.status} · review ${f.cadence}`),
  );
  if (f.files?.length) {
    const files = el('p', { class: 'files' }, el('span', { class: 'muted' }, f.files.length === 1 ? 'File: ' : 'Files: '));
    f.files.forEach((file, i) => {
      if (i) files.append(', ');
      files.append(fileButton(file));
    });
    card.append(files);
  }
  if (f.kind === 'missing' && f.proposal && f.stage) {
    const stage = f.stage;
    const done = created.has(stage);
    const button = el('button', { type: 'button', class: 'create', 'data-stage': stage }, done ? 'Created' : `Create segment file (${f.proposal.fileName})`);
    if (done) button.setAttribute('disabled', '');
    button.addEventListener('click', () => {
      button.setAttribute('disabled', '');
      button.textContent = 'Creating…';
      created.add(stage);
      post({ type: 'create', stage });
    });
    card.append(el('div', { class: 'actions' }, button, el('span', { class: 'muted' }, ` ${count(f.proposal.matched)} profiles now`)));
  }
  return card;
}

function render(report: CoverageReport): void {
  const ws = report.workspace;
  $('headline').textContent = `Segment coverage: ${ws.name}`;
  $('subline').textContent =
    `As of ${ws.now} (UTC) · ${count(ws.profiles)} profiles · ${report.segments.length} segment files · ${report.lists.length} lists · ${report.findings.length} findings`;
  const summary = $('summary');
  summary.replaceChildren(
    ...report.summary.map((s) => el('div', { class: 'chip', title: s.items.join(', ') }, el('strong', {}, String(s.count)), ` ${s.status}`)),
  );
  const content = $('content');
  content.replaceChildren();

  const findings = el('section', { 'aria-label': 'Findings' }, el('h2', {}, 'Findings'));
  if (!report.findings.length)
    findings.append(
      el('p', { class: 'muted' }, 'No findings: every lifecycle stage the data supports has a segment, and nothing is stale, duplicated or too broad.'),
    );
  for (const kind of Object.keys(KIND_TITLES) as FindingKind[]) {
    const list = report.findings.filter((f) => f.kind === kind);
    if (!list.length) continue;
    findings.append(el('h3', { class: 'kind' }, `${KIND_TITLES[kind]} (${list.length})`), ...list.map(findingCard));
  }
  content.append(findings);

  content.append(
    el(
      'section',
      { 'aria-label': 'Lifecycle stages' },
      el('h2', {}, 'Lifecycle stages'),
      table(
        'Which file covers each stage the data supports',
        ['Stage', 'Audience now', 'Covered by', 'Basis'],
        report.stages.map((s) => {
          const covered = el('span', {});
          if (s.coveredBy.length) {
            s.coveredBy.forEach((c, i) => {
              if (i) covered.append(', ');
              covered.append(fileButton(c.file), ` (${c.how}${c.jaccard === null ? '' : `, Jaccard ${c.jaccard.toFixed(2)}`})`);
            });
          } else {
            covered.append(el('span', { class: s.supported ? 'missing' : 'muted' }, s.supported ? 'missing' : 'not supported by the data'));
          }
          return [
            `${s.title} (${s.stage})`,
            s.matched === null ? 'n/a' : `${count(s.matched)} (${percent(ws.profiles ? s.matched / ws.profiles : 0)})`,
            covered,
            s.basis,
          ];
        }),
      ),
    ),
  );

  content.append(
    el(
      'section',
      { 'aria-label': 'Segment inventory' },
      el('h2', {}, 'Segment inventory'),
      table(
        'Every segment file',
        ['File', 'Name', 'Rule', 'Members', 'Share', 'Metrics', 'Lists', 'Stages'],
        report.segments.map((s) => [
          fileButton(s.file),
          s.name,
          s.errors?.length ? `Invalid: ${s.errors.join('; ')}` : s.rule,
          s.matched === null ? `n/a${s.notEvaluable?.length ? ` (${s.notEvaluable.join('; ')})` : ''}` : count(s.matched),
          s.share === null ? 'n/a' : percent(s.share),
          s.metrics.map((m) => `${m.name ?? '?'} (${m.id})${m.found ? '' : ' — not in workspace'}`).join(', '),
          s.lists.map((l) => `${l.name ?? '?'} (${l.id})${l.found ? '' : ' — not in workspace'}`).join(', '),
          s.stages.join(', '),
        ]),
      ),
    ),
  );

  content.append(
    el(
      'section',
      { 'aria-label': 'Lists' },
      el('h2', {}, 'Lists'),
      table(
        "The workspace's lists",
        ['List', 'ID', 'Opt-in', 'Members', 'Share', 'Used by'],
        report.lists.map((l) => [l.name, l.id, l.optInProcess ?? '', count(l.members), percent(l.share), l.usedBy.join(', ')]),
      ),
    ),
  );

  content.append(
    el(
      'section',
      { 'aria-label': 'Coverage tracker' },
      el('h2', {}, 'Coverage tracker'),
      table(
        'Save it as CSV to track the backfill',
        ['Recommended segment', 'Rule', 'Evidence', 'Intended use', 'Priority', 'Suggested owner', 'Review status', 'Refresh cadence'],
        report.tracker.map((r) => [
          r.segment + (r.files.length ? ` (${r.files.join(', ')})` : ''),
          r.rule,
          r.evidence,
          r.use,
          r.priority,
          r.owner,
          r.status,
          r.cadence,
        ]),
      ),
    ),
  );
}

window.addEventListener('message', (event: MessageEvent<CoverageToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'loading':
      document.body.dataset.state = 'loading';
      $('notice').textContent = message.message;
      break;
    case 'report':
      created = new Set(message.created);
      if (message.result.state === 'ok') {
        document.body.dataset.state = 'ok';
        $('notice').textContent = '';
        render(message.result.report);
      } else {
        document.body.dataset.state = 'error';
        $('headline').textContent = 'Segment coverage';
        $('subline').textContent = message.result.message;
        $('summary').replaceChildren();
        $('content').replaceChildren();
      }
      break;
    case 'notice': {
      const notice = $('notice');
      notice.textContent = message.text;
      notice.className = message.error ? 'error' : '';
      break;
    }
  }
});

$('refresh').addEventListener('click', () => post({ type: 'refresh' }));
$('save-md').addEventListener('click', () => post({ type: 'save', format: 'md' }));
$('save-csv').addEventListener('click', () => post({ type: 'save', format: 'csv' }));
post({ type: 'ready' });
