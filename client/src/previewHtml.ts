import { profileTableMarkup, webviewShell } from './webviewHtml';

/** The preview panel's HTML (see webviewShell for its Content-Security-Policy). */
export interface PreviewHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function previewHtml(options: PreviewHtmlOptions): string {
  return webviewShell({
    ...options,
    title: 'Segment preview',
    body: `<header>
  <div id="file" class="muted"></div>
  <h1 id="headline">Counting…</h1>
  <div id="subline" class="muted"></div>
  <div id="funnel" aria-label="How each AND group narrows the audience"></div>
  <section id="history" class="history" aria-labelledby="history-title" data-state="waiting">
    <div class="history-head">
      <h2 id="history-title">Size over time</h2>
      <span id="history-status" class="muted" role="status">Waiting for the counts…</span>
      <progress id="history-progress" max="100" hidden></progress>
    </div>
    <div class="chart-box"><canvas id="history-chart" role="img" aria-label="Line chart of the segment's size over time (not computed yet)"></canvas></div>
    <details id="history-details">
      <summary>Numbers per day (table)</summary>
      <table id="history-table" class="data">
        <caption>Profiles the segment matched at the end of each day (UTC); the last row is now</caption>
        <thead><tr><th scope="col">Day (UTC)</th><th scope="col">Matched</th><th scope="col">Profiles then</th><th scope="col">Share</th><th scope="col"><span class="visually-hidden">Show the table as of the day</span></th></tr></thead>
        <tbody></tbody>
      </table>
    </details>
  </section>
  <div id="as-of" class="as-of" role="status" hidden>
    <span id="as-of-text"></span>
    <button id="back-to-now" type="button">Back to now</button>
  </div>
  <div class="toolbar">
    <input id="filter" type="search" placeholder="Filter by email, name, location, ID…" aria-label="Filter matched profiles">
    <span id="count" class="muted"></span>
    <button id="export-csv" type="button">Export CSV…</button>
    <button id="copy-ids" type="button">Copy IDs</button>
    <button id="copy-emails" type="button">Copy emails</button>
    <button id="copy-sql" type="button" title="Copy the segment as SQL (a dialect to choose; segmentLens.sql.layout)">Copy as SQL</button>
    <span id="notice" role="status"></span>
  </div>
</header>
<main>
  ${profileTableMarkup('Matched profiles')}
  <aside id="why" aria-label="Why it matched"><p class="muted">Select a profile to see why it matched.</p></aside>
</main>`,
  });
}
