/**
 * The preview panel's HTML shell. It holds no data: the script fills it from messages, using
 * text nodes only. The Content-Security-Policy allows nothing but our stylesheet and our nonce'd
 * script, from the extension's media folder; no remote content can load.
 */
export interface PreviewHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function previewHtml(options: PreviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${options.cspSource}`,
    `script-src 'nonce-${options.nonce}'`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${options.styleUri}">
<title>Segment preview</title>
</head>
<body data-state="loading">
<header>
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
</main>
<script nonce="${options.nonce}" src="${options.scriptUri}"></script>
</body>
</html>`;
}
