import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface MediaWebviewOptions {
  viewType: string;
  title: string;
  column: vscode.ViewColumn | { viewColumn: vscode.ViewColumn; preserveFocus?: boolean };
  /** Script and stylesheet names in dist/media (the webview's only resource root). */
  script: string;
  style: string;
  /** The page's HTML for these resource URIs and a fresh nonce. */
  html: (resources: { cspSource: string; nonce: string; scriptUri: string; styleUri: string }) => string;
}

/** A webview panel that may load only our own media, with scripts allowed by a per-page nonce. */
export function createMediaWebview(context: vscode.ExtensionContext, options: MediaWebviewOptions): vscode.WebviewPanel {
  const media = vscode.Uri.joinPath(context.extensionUri, 'dist', 'media');
  const panel = vscode.window.createWebviewPanel(options.viewType, options.title, options.column, {
    enableScripts: true,
    localResourceRoots: [media],
    retainContextWhenHidden: false,
  });
  const webview = panel.webview;
  webview.html = options.html({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, options.script)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, options.style)).toString(),
  });
  return panel;
}
