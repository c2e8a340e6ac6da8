import { profileTableMarkup, webviewShell } from './webviewHtml';

/** Resources of a webview page (see webviewShell for its Content-Security-Policy). */
export interface PanelHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** A filter box, the count line and a profile table, for the list of a chosen set of profiles. */
function profilesMarkup(label: string): string {
  return `<div class="toolbar">
      <input id="filter" type="search" placeholder="Filter by email, name, location, ID…" aria-label="Filter ${label}">
      <span id="count" class="muted"></span>
    </div>
    ${profileTableMarkup(label)}`;
}

/** "Compare Segments in Folder…": how the audiences of a folder's segments intersect. */
export function overlapHtml(options: PanelHtmlOptions): string {
  return webviewShell({
    ...options,
    title: 'Segment overlap',
    body: `<header>
  <div id="folder" class="muted"></div>
  <h1 id="headline">Comparing the segments…</h1>
  <div id="subline" class="muted"></div>
  <div class="toolbar"><button id="refresh" type="button">Compare again</button></div>
  <div id="left-out"></div>
</header>
<section id="segments-section" aria-labelledby="segments-title" hidden>
  <h2 id="segments-title">Segments</h2>
  <table id="segments" class="data">
    <caption>The segments compared, on one data workspace; a count lists its profiles</caption>
    <thead><tr><th scope="col">#</th><th scope="col" class="text">Name</th><th scope="col" class="text">File</th><th scope="col">Profiles</th><th scope="col">Share</th></tr></thead>
    <tbody></tbody>
  </table>
</section>
<section id="matrix-section" aria-labelledby="matrix-title" hidden>
  <h2 id="matrix-title">Pairwise overlap</h2>
  <table id="matrix" class="data matrix"></table>
</section>
<section id="upset-section" aria-labelledby="upset-title" hidden>
  <h2 id="upset-title">Exclusive intersections</h2>
  <p class="muted">Each profile is counted once, in the bar of exactly the segments it is in (the dots below the bar); the bars add up to the union. Click a bar to list its profiles.</p>
  <div id="upset-box" class="chart-box upset"><canvas id="upset-chart" role="img" aria-label="UpSet chart of the exclusive intersections"></canvas></div>
  <details id="cells-details">
    <summary>Numbers per intersection (table)</summary>
    <table id="cells" class="data"></table>
  </details>
</section>
<section id="profiles-section" class="profiles" aria-labelledby="profiles-title" hidden>
  <h2 id="profiles-title"></h2>
  <div id="profiles-detail" class="muted" role="status"></div>
  ${profilesMarkup('the profiles of the chosen overlap')}
</section>`,
  });
}

/** The comparison of a segment file with its definition at git HEAD. */
export function headDiffHtml(options: PanelHtmlOptions): string {
  return webviewShell({
    ...options,
    title: 'Changes since HEAD',
    body: `<header>
  <div id="file" class="muted"></div>
  <h1 id="headline">Comparing with HEAD…</h1>
  <div id="subline" class="muted"></div>
</header>
<section class="sides" aria-label="The definition at HEAD and now">
  <div class="side" id="before"><h2>At HEAD</h2><p class="count" id="before-count"></p><p class="description" id="before-description"></p></div>
  <div class="side" id="after"><h2>Now</h2><p class="count" id="after-count"></p><p class="description" id="after-description"></p></div>
</section>
<section id="profiles-section" class="profiles" aria-label="Profiles the change adds or removes" hidden>
  <div class="tabs" role="group" aria-label="Which profiles">
    <button id="show-added" type="button" aria-pressed="true">Added</button>
    <button id="show-removed" type="button" aria-pressed="false">Removed</button>
  </div>
  ${profilesMarkup('the profiles the change adds or removes')}
</section>`,
  });
}
