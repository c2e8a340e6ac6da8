/**
 * The HTML shell every Segment Lens webview uses. It holds no data: the page's script fills it
 * from messages with text nodes only. The Content-Security-Policy allows nothing but our
 * stylesheet and our nonce'd script from the extension's media folder; nothing remote can load.
 */
export interface WebviewShellOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  /** The static body markup (no data). */
  body: string;
}

export function webviewShell(options: WebviewShellOptions): string {
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
<title>${options.title}</title>
</head>
<body data-state="loading">
${options.body}
<script nonce="${options.nonce}" src="${options.scriptUri}"></script>
</body>
</html>`;
}

/**
 * The markup of a profile list (client/src/webview/profileList.ts finds its parts by these ids):
 * a virtual-scrolling table of rows; the filter box and the count line are placed by the page.
 */
export function profileTableMarkup(label: string): string {
  return `<section class="table" role="table" aria-label="${label}">
    <div id="header" class="row header" role="row"></div>
    <div id="viewport" class="viewport">
      <div id="spacer" class="spacer"></div>
      <div id="rows" class="rows"></div>
    </div>
  </section>`;
}
