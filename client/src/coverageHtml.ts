import { webviewShell } from './webviewHtml';

export interface CoverageHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** The panel's HTML (see webviewShell: no data, strict Content-Security-Policy). */
export function coverageHtml(options: CoverageHtmlOptions): string {
  return webviewShell({
    ...options,
    title: 'Segment coverage',
    body: `<header>
  <h1 id="headline">Reviewing segment coverage…</h1>
  <div id="subline" class="muted"></div>
  <div class="toolbar">
    <button id="refresh" type="button">Refresh</button>
    <button id="save-md" type="button">Save report (Markdown)…</button>
    <button id="save-csv" type="button">Save tracker (CSV)…</button>
    <span id="notice" role="status"></span>
  </div>
  <div id="summary" aria-label="Summary"></div>
</header>
<main id="content"></main>`,
  });
}
