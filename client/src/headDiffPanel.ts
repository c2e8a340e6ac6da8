import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, type HeadDiffResult, type ProfilesResult } from '../../server/src/protocol';
import { createMediaWebview } from './mediaWebview';
import { headDiffHtml } from './panelHtml';
import type { HeadDiffFromWebview, HeadDiffToWebview } from './webview/messages';

/**
 * "Segment Lens: Show Changes since HEAD" (the "+N / −M since HEAD" code lens): a segment file
 * compared with its definition at git HEAD, the profiles the change adds and removes. One panel
 * per file, following edits (it asks again when the file's counts change).
 */
export class HeadDiffPanel {
  private static readonly panels = new Map<string, HeadDiffPanel>();
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, client: LanguageClient, uri: vscode.Uri): HeadDiffPanel {
    const existing = HeadDiffPanel.panels.get(uri.toString());
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      void existing.refresh();
      return existing;
    }
    const panel = new HeadDiffPanel(context, client, uri);
    HeadDiffPanel.panels.set(uri.toString(), panel);
    return panel;
  }

  /** The server says the counts of `uri` changed (an edit): the comparison changes with them. */
  static countsChanged(uri: string): void {
    void HeadDiffPanel.panels.get(uri)?.refresh();
  }

  static disposeAll(): void {
    for (const panel of HeadDiffPanel.panels.values()) panel.panel.dispose();
  }

  private constructor(context: vscode.ExtensionContext, private readonly client: LanguageClient, private readonly uri: vscode.Uri) {
    this.panel = createMediaWebview(context, {
      viewType: 'segmentLens.headDiff',
      title: `Since HEAD: ${uri.path.split('/').pop() ?? uri.toString()}`,
      column: { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      script: 'headDiff.js',
      style: 'headDiff.css',
      html: headDiffHtml,
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: HeadDiffFromWebview) => void this.receive(message)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: HeadDiffToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  async refresh(): Promise<void> {
    const result = await this.client.sendRequest<HeadDiffResult | null>(Methods.headDiff, { uri: this.uri.toString() });
    this.post({ type: 'diff', result, fileName: vscode.workspace.asRelativePath(this.uri) });
  }

  private async receive(message: HeadDiffFromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        await this.refresh();
        break;
      case 'rows': {
        const { requestId, side, offset, limit, sort, filter } = message;
        const result = await this.client.sendRequest<ProfilesResult | null>(Methods.headDiffProfiles, { uri: this.uri.toString(), side, offset, limit, sort, filter });
        this.post({ type: 'rows', requestId, result });
        break;
      }
    }
  }

  private dispose(): void {
    HeadDiffPanel.panels.delete(this.uri.toString());
    for (const d of this.disposables) d.dispose();
  }
}
