import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, type WorkspaceStatus } from '../../server/src/protocol';

/**
 * The status bar item: which data workspace the active segment file uses, its size and load
 * state. Clicking it offers to reload the workspace or choose another folder.
 */
export class WorkspaceStatusBar {
  private readonly item = vscode.window.createStatusBarItem('segmentLens.workspace', vscode.StatusBarAlignment.Left, 10);

  constructor(
    private readonly client: LanguageClient,
    private readonly isSegmentDocument: (document: vscode.TextDocument) => boolean,
  ) {
    this.item.name = 'Segment Lens workspace';
    this.item.command = 'segmentLens.workspaceActions';
  }

  async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.isSegmentDocument(editor.document)) {
      this.item.hide();
      return;
    }
    const status = await this.client.sendRequest<WorkspaceStatus>(Methods.workspaceStatusOf, { uri: editor.document.uri.toString() });
    this.show(status);
  }

  show(status: WorkspaceStatus): void {
    switch (status.state) {
      case 'none':
        this.item.text = '$(database) No workspace';
        this.item.tooltip = 'No klaviyo-workspace.json above this file: IDs cannot be checked and counts are unavailable. Click to choose a workspace folder.';
        break;
      case 'loading':
        this.item.text = `$(sync~spin) Loading workspace${status.progress ? ` ${status.progress.percent}%` : ''}`;
        this.item.tooltip = status.progress ? `${status.progress.phase}: ${status.progress.records.toLocaleString('en-US')} records` : status.message;
        break;
      case 'ready': {
        const ws = status.workspace;
        this.item.text = `$(database) ${ws?.name ?? 'Workspace'}: ${ws?.profiles.toLocaleString('en-US')} profiles`;
        const engine = ws?.engine ? `\nEvaluated ${ws.engine.engine === 'duckdb' ? 'by DuckDB' : 'in memory'}: ${ws.engine.reason}` : '';
        this.item.tooltip = ws
          ? `${ws.root}\n${ws.profiles.toLocaleString('en-US')} profiles, ${ws.events.toLocaleString('en-US')} events, ${ws.metrics} metrics, ${ws.lists} lists\nnow = ${ws.now} (UTC)${engine}${status.message ? `\n${status.message}` : ''}`
          : '';
        break;
      }
      case 'error':
        this.item.text = '$(error) Workspace failed';
        this.item.tooltip = status.message;
        break;
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
