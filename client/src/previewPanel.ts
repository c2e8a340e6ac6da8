import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { Methods, type CountsReport, type ExplainResult, type ExportResult, type HistoryResult, type ProfilesResult } from '../../server/src/protocol';
import { LatestRequest } from './latest';
import { createMediaWebview } from './mediaWebview';
import { previewHtml } from './previewHtml';
import type { FromWebview, ToWebview } from './webview/messages';

/**
 * The "Evaluate Segment" preview: one webview beside the editor per segment file. It only relays
 * messages between the webview and the language server, which computes everything.
 */
export class PreviewPanel {
  private static readonly panels = new Map<string, PreviewPanel>();
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  /** The size-over-time request in flight (a newer version's request cancels it). */
  private readonly history = new LatestRequest();
  private historyCancel: vscode.CancellationTokenSource | undefined;
  /** The newest series received, to show again when the page is reloaded (a hidden panel's page is). */
  private lastHistory: HistoryResult | undefined;
  private static nextProgressToken = 1;

  static show(context: vscode.ExtensionContext, client: LanguageClient, uri: vscode.Uri): PreviewPanel {
    const key = uri.toString();
    const existing = PreviewPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      void existing.refresh();
      return existing;
    }
    const panel = new PreviewPanel(context, client, uri);
    PreviewPanel.panels.set(key, panel);
    return panel;
  }

  /** The server says the counts of `uri` changed: open previews follow edits live. */
  static countsChanged(uri: string): void {
    void PreviewPanel.panels.get(uri)?.refresh();
  }

  static disposeAll(): void {
    for (const panel of PreviewPanel.panels.values()) panel.panel.dispose();
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly uri: vscode.Uri,
  ) {
    this.panel = createMediaWebview(context, {
      viewType: 'segmentLens.preview',
      title: `Segment: ${this.fileName()}`,
      column: { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      script: 'preview.js',
      style: 'preview.css',
      html: previewHtml,
    });
    const webview = this.panel.webview;
    this.disposables.push(
      webview.onDidReceiveMessage((message: FromWebview) => void this.receive(message)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private fileName(): string {
    return this.uri.path.split('/').pop() ?? this.uri.toString();
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /** Sends the counts; `pageLoaded`: the page is new (it was hidden and shown again) and has no chart yet. */
  async refresh(pageLoaded = false): Promise<void> {
    const report = await this.client.sendRequest<CountsReport | null>(Methods.counts, { uri: this.uri.toString() });
    this.post({ type: 'counts', report, fileName: vscode.workspace.asRelativePath(this.uri) });
    if (report?.state !== 'ok') return;
    // New counts (another version of the segment): ask for its size over time once.
    if (report.version !== this.history.latestVersion) void this.requestHistory(report.version);
    else if (pageLoaded && this.lastHistory?.version === report.version) this.post({ type: 'history', result: this.lastHistory });
  }

  /** The days of the chart (setting `segmentLens.history.days`, 1–400). */
  private static historyDays(): number {
    const days = vscode.workspace.getConfiguration('segmentLens').get<number>('history.days', 90);
    return Math.max(1, Math.min(400, Math.floor(Number.isFinite(days) ? days : 90)));
  }

  /**
   * Asks the server for the size over time of `version`, forwarding its work-done progress to the
   * page. An older request is cancelled, and a reply for any version but the newest is dropped
   * (the server also cancels a stale series when the document is edited).
   */
  private async requestHistory(version: number): Promise<void> {
    this.historyCancel?.cancel();
    const cancel = (this.historyCancel = new vscode.CancellationTokenSource());
    const ticket = this.history.begin(version);
    const days = PreviewPanel.historyDays();
    const workDoneToken = `segmentLens.history.${PreviewPanel.nextProgressToken++}`;
    const progress = this.client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'report' && this.history.wanted(ticket, version))
        this.post({ type: 'history-progress', version, done: Math.round(((value.percentage ?? 0) * days) / 100), total: days });
    });
    this.post({ type: 'history-progress', version, done: 0, total: days });
    try {
      const result = await this.client.sendRequest<HistoryResult | null>(Methods.history, { uri: this.uri.toString(), days, workDoneToken }, cancel.token);
      if (result && this.history.wanted(ticket, result.version)) {
        if (result.state === 'ok') this.lastHistory = result;
        this.post({ type: 'history', result });
      }
    } catch {
      // Cancelled (a newer version asked) or the server went away: the newer request answers.
    } finally {
      progress.dispose();
      cancel.dispose();
      if (this.historyCancel === cancel) this.historyCancel = undefined;
    }
  }

  private async receive(message: FromWebview): Promise<void> {
    const uri = this.uri.toString();
    switch (message.type) {
      case 'ready':
        await this.refresh(true);
        break;
      case 'refresh':
        await this.refresh();
        break;
      case 'rows': {
        const result = await this.client.sendRequest<ProfilesResult | null>(Methods.profiles, {
          uri,
          asOf: message.asOf,
          offset: message.offset,
          limit: message.limit,
          sort: message.sort,
          filter: message.filter,
        });
        this.post({ type: 'rows', requestId: message.requestId, result });
        break;
      }
      case 'explain': {
        const result = await this.client.sendRequest<ExplainResult | null>(Methods.explain, { uri, profileId: message.profileId, asOf: message.asOf });
        this.post({ type: 'explain', profileId: message.profileId, result });
        break;
      }
      case 'export': {
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(this.uri, '..', `${this.fileName().replace(/\.json$/, '')}-profiles.csv`),
          filters: { CSV: ['csv'] },
          saveLabel: 'Export matched profiles',
        });
        if (!target) return;
        const { written, message: refused } = await this.client.sendRequest<ExportResult>(Methods.exportProfiles, { uri, path: target.fsPath, format: 'csv' });
        this.post({ type: 'notice', text: refused ?? `Exported ${written.toLocaleString('en-US')} profiles to ${vscode.workspace.asRelativePath(target)}.` });
        break;
      }
      case 'copy': {
        const {
          text,
          written,
          message: refused,
        } = await this.client.sendRequest<ExportResult>(Methods.exportProfiles, {
          uri,
          path: '',
          format: message.format,
        });
        if (refused !== undefined) {
          this.post({ type: 'notice', text: refused });
          break;
        }
        await vscode.env.clipboard.writeText(text ?? '');
        this.post({ type: 'notice', text: `Copied ${written.toLocaleString('en-US')} ${message.format === 'ids' ? 'profile IDs' : 'emails'}.` });
        break;
      }
      case 'copy-sql':
        // The command picks the dialect, copies and says so (client/src/sqlCommands.ts).
        await vscode.commands.executeCommand('segmentLens.copyAsSql', this.uri);
        break;
    }
  }

  private dispose(): void {
    this.historyCancel?.cancel();
    PreviewPanel.panels.delete(this.uri.toString());
    for (const d of this.disposables) d.dispose();
  }
}
