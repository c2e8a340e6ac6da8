import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, type HeadDiffResult, type ProfilesResult } from '../../server/src/protocol';
import { createMediaWebview } from './mediaWebview';
import { headDiffHtml } from './panelHtml';
import { PanelRegistry, type RegisteredPanel } from './panelRegistry';
import type { HeadDiffFromWebview, HeadDiffToWebview } from './webview/messages';

/**
 * "Segment Lens: Show Changes since HEAD" (the "+N / −M since HEAD" code lens): a segment file
 * compared with its definition at git HEAD, the profiles the change adds and removes. One panel
 * per file, following edits (it asks again when the file's counts change).
 */
export class HeadDiffPanel implements RegisteredPanel {
  private static readonly panels = new PanelRegistry<HeadDiffPanel>();
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, client: LanguageClient, uri: vscode.Uri): HeadDiffPanel {
    return HeadDiffPanel.panels.show(uri.toString(), () => new HeadDiffPanel(context, client, uri));
  }

  /** The server says the counts of `uri` changed (an edit): the comparison changes with them. */
  static countsChanged(uri: string): void {
    HeadDiffPanel.panels.refresh(uri);
  }

  static disposeAll(): void {
    HeadDiffPanel.panels.closeAll();
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly uri: vscode.Uri,
  ) {
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

  reveal(): void {
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  close(): void {
    this.panel.dispose();
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
        const result = await this.client.sendRequest<ProfilesResult | null>(Methods.headDiffProfiles, {
          uri: this.uri.toString(),
          side,
          offset,
          limit,
          sort,
          filter,
        });
        this.post({ type: 'rows', requestId, result });
        break;
      }
    }
  }

  private dispose(): void {
    HeadDiffPanel.panels.forget(this.uri.toString());
    for (const d of this.disposables) d.dispose();
  }
}
