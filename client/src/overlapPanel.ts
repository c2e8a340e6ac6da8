import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, type OverlapReport, type ProfilesResult } from '../../server/src/protocol';
import { createMediaWebview } from './mediaWebview';
import { overlapHtml } from './panelHtml';
import { PanelRegistry, type RegisteredPanel } from './panelRegistry';
import type { OverlapFromWebview, OverlapToWebview } from './webview/messages';

/**
 * "Segment Lens: Compare Segments in Folder…": one panel per folder showing how the audiences of
 * its segment files intersect. It relays between the webview and the language server, which
 * computes everything; it compares again when a segment file in the folder is saved.
 */
export class OverlapPanel implements RegisteredPanel {
  private static readonly panels = new PanelRegistry<OverlapPanel>();
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private report: OverlapReport | null = null;

  static show(context: vscode.ExtensionContext, client: LanguageClient, folder: vscode.Uri): OverlapPanel {
    return OverlapPanel.panels.show(folder.toString(), () => new OverlapPanel(context, client, folder));
  }

  static disposeAll(): void {
    OverlapPanel.panels.closeAll();
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly folder: vscode.Uri,
  ) {
    this.panel = createMediaWebview(context, {
      viewType: 'segmentLens.overlap',
      title: `Overlap: ${vscode.workspace.asRelativePath(folder)}`,
      column: vscode.ViewColumn.Active,
      script: 'overlap.js',
      style: 'overlap.css',
      html: overlapHtml,
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: OverlapFromWebview) => void this.receive(message)),
      this.panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.uri.toString().startsWith(`${this.folder.toString()}/`)) void this.refresh();
      }),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  close(): void {
    this.panel.dispose();
  }

  private post(message: OverlapToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  async refresh(): Promise<void> {
    this.post({ type: 'loading', folder: vscode.workspace.asRelativePath(this.folder) });
    this.report = await this.client.sendRequest<OverlapReport | null>(Methods.overlap, { folder: this.folder.toString() });
    this.post({ type: 'report', report: this.report });
  }

  private async receive(message: OverlapFromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        await this.refresh();
        break;
      case 'rows': {
        const { requestId, inside, outside, offset, limit, sort, filter } = message;
        const result = await this.client.sendRequest<ProfilesResult | null>(Methods.overlapProfiles, {
          folder: this.folder.toString(),
          inside,
          outside,
          offset,
          limit,
          sort,
          filter,
        });
        this.post({ type: 'rows', requestId, result });
        break;
      }
      case 'open': {
        // Only the segment files the report lists: a message cannot open anything else.
        const segment = this.report?.segments.find((s) => s.uri === message.uri);
        if (segment) await vscode.window.showTextDocument(vscode.Uri.parse(segment.uri), { viewColumn: vscode.ViewColumn.Beside });
        break;
      }
    }
  }

  private dispose(): void {
    OverlapPanel.panels.forget(this.folder.toString());
    for (const d of this.disposables) d.dispose();
  }
}
