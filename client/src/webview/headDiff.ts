/// <reference lib="dom" />
import { $ } from './dom';
import type { HeadDiffResult, HeadDiffSide } from '../../../server/src/protocol';
import type { HeadDiffFromWebview, HeadDiffToWebview } from './messages';
import { ProfileList, profileListElements } from './profileList';
import { FILTER_DEBOUNCE_MS, formatNumber, formatPercent } from './viewModel';

/**
 * The "changes since HEAD" panel's script: the definition at HEAD and now in plain English, their
 * counts on the current workspace, and the profiles the change adds or removes. Definitions,
 * names and profile data are untrusted: they reach the page as text only.
 */
declare function acquireVsCodeApi(): { postMessage(message: HeadDiffFromWebview): void; setState(state: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();
const post = (message: HeadDiffFromWebview) => vscode.postMessage(message);

let side: 'added' | 'removed' = 'added';
let result: HeadDiffResult | undefined;

const list = new ProfileList(profileListElements(), {
  filterDelayMs: FILTER_DEBOUNCE_MS,
  requestPage: (request) => post({ type: 'rows', ...request, side }),
  countSuffix: () => ` ${side} by the change`,
});

/** What the lens says, in a sentence. */
const STATE_TEXT: Partial<Record<HeadDiffResult['state'], string>> = {
  unchanged: 'Unchanged since HEAD.',
  new: 'New since HEAD (added to git, not committed yet).',
  untracked: 'New since HEAD: git does not track this file yet.',
  'no-commits': 'The repository has no commits yet: there is no HEAD to compare with.',
  'not-in-git': 'This file is not in a git repository.',
};

function renderSide(prefix: 'before' | 'after', value: HeadDiffSide | undefined, total: number | undefined, missing: string): void {
  const count = $(`${prefix}-count`);
  const description = $(`${prefix}-description`);
  if (!value) {
    count.textContent = '';
    description.textContent = missing;
    return;
  }
  count.textContent =
    value.matched === null
      ? 'no count'
      : `${formatNumber(value.matched)} profile${value.matched === 1 ? '' : 's'}${total ? ` (${formatPercent(value.matched, total)})` : ''}`;
  description.textContent = value.description ?? value.problem ?? '';
  description.className = value.description ? 'description' : 'description problem';
  if (value.description && value.problem) description.append(`\n(${value.problem})`);
}

function showSide(next: 'added' | 'removed'): void {
  side = next;
  $('show-added').setAttribute('aria-pressed', String(side === 'added'));
  $('show-removed').setAttribute('aria-pressed', String(side === 'removed'));
  $('viewport').scrollTop = 0;
  list.reset();
}

function render(fileName: string, next: HeadDiffResult | null): void {
  result = next ?? undefined;
  $('file').textContent = fileName;
  document.body.dataset.state = next?.state ?? 'failed';
  if (!next) {
    $('headline').textContent = 'The comparison failed; see the Segment Lens output.';
    return;
  }
  const counted = next.added !== null && next.removed !== null;
  $('headline').textContent =
    next.state === 'changed'
      ? counted
        ? `+${formatNumber(next.added as number)} / −${formatNumber(next.removed as number)} since HEAD`
        : 'Changed since HEAD (the two sides cannot be compared)'
      : (STATE_TEXT[next.state] ?? next.message ?? next.state);
  if ((next.state === 'new' || next.state === 'untracked') && next.added !== null) $('headline').textContent += ` +${formatNumber(next.added)}`;
  const where = [
    next.path,
    next.commit ? `HEAD ${next.commit.slice(0, 10)}` : undefined,
    next.workspace ? `${next.workspace.name} · now ${next.workspace.now} (UTC)` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  $('subline').textContent = [where, next.definitionChanged === false ? "The definition is the same (only the file's text differs)." : '', next.message ?? '']
    .filter(Boolean)
    .join(' — ');
  renderSide('before', next.before, next.total, next.state === 'changed' || next.state === 'unchanged' ? '' : 'Not in HEAD.');
  renderSide('after', next.after, next.total, '');
  $('show-added').textContent = `Added (${next.added === null ? '?' : formatNumber(next.added)})`;
  $('show-removed').textContent = `Removed (${next.removed === null ? '?' : formatNumber(next.removed)})`;
  $('profiles-section').hidden = !counted;
  if (counted) list.reset();
}

window.addEventListener('message', (event: MessageEvent<HeadDiffToWebview>) => {
  const message = event.data;
  if (message.type === 'diff') render(message.fileName, message.result);
  else if (message.type === 'rows' && result) list.receive(message.requestId, message.result);
});

$('show-added').addEventListener('click', () => showSide('added'));
$('show-removed').addEventListener('click', () => showSide('removed'));
post({ type: 'ready' });
