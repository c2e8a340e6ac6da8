import { webviewShell } from './webviewHtml';

/** The preview panel's HTML (see webviewShell for its Content-Security-Policy). */
export interface PreviewHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function previewHtml(options: PreviewHtmlOptions): string {
  return webviewShell({ ...options, title: 'Segment preview', body: `<header>
  <div id="file" class="muted"></div>
  <h1 id="headline">Counting…</h1>
  <div id="subline" class="muted"></div>
  <div id="funnel" aria-label="How each AND group narrows the audience"></div>
  <div class="toolbar">
    <input id="filter" type="search" placeholder="Filter by email, name, location, ID…" aria-label="Filter matched profiles">
    <span id="count" class="muted"></span>
    <button id="export-csv" type="button">Export CSV…</button>
    <button id="copy-ids" type="button">Copy IDs</button>
    <button id="copy-emails" type="button">Copy emails</button>
    <span id="notice" role="status"></span>
  </div>
</header>
<main>
  <section class="table" role="table" aria-label="Matched profiles">
    <div id="header" class="row header" role="row"></div>
    <div id="viewport" class="viewport">
      <div id="spacer" class="spacer"></div>
      <div id="rows" class="rows"></div>
    </div>
  </section>
  <aside id="why" aria-label="Why it matched"><p class="muted">Select a profile to see why it matched.</p></aside>
</main>` });
}
