import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createMediaWebview } from './mediaWebview';
import { coverageHtml } from './coverageHtml';
import { CoverageMethods, type CoverageParams, type CoverageResult, type Finding } from '../../server/src/coverage/types';

/**
 * "Segment Lens: Review Segment Coverage": a webview with the coverage report of one data
 * workspace. The language server computes the report (in the workspace's evaluation worker);
 * this panel relays it, and writes a file only when the user clicks "Create segment file" (the
 * proposal the server made, never text from the webview) or "Save … as".
 */

/** Messages from the extension to the coverage webview. */
export type CoverageToWebview =
  { type: 'loading'; message: string } | { type: 'report'; result: CoverageResult; created: string[] } | { type: 'notice'; text: string; error?: boolean };

/** Messages from the coverage webview to the extension. */
export type CoverageFromWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  /** Write the proposal of this missing stage into the segments folder, then open it. */
  | { type: 'create'; stage: string }
  /** Open a segment file of the report (by its path as the report shows it). */
  | { type: 'open'; file: string }
  | { type: 'save'; format: 'md' | 'csv' };

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The data workspace to review: the argument, the active editor's file, or a klaviyo-workspace.json in the folders. */
async function targetOf(arg: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (arg) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && /\.json$/i.test(active.path)) return active;
  const markers = await vscode.workspace.findFiles('**/klaviyo-workspace.json', '**/node_modules/**', 20);
  if (markers.length <= 1) return markers[0] ? vscode.Uri.joinPath(markers[0], '..') : undefined;
  const choice = await vscode.window.showQuickPick(
    markers.map((m) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.joinPath(m, '..')), uri: vscode.Uri.joinPath(m, '..') })),
    { title: 'Review the segment coverage of which workspace?' },
  );
  return choice?.uri;
}

export class CoveragePanel {
  private static current: CoveragePanel | undefined;
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private result: CoverageResult | undefined;
  private readonly created: string[] = [];
  private generation = 0;

  /** Opens (or refreshes) the coverage panel for the workspace of `arg` (a file or folder URI). */
  static async show(context: vscode.ExtensionContext, client: LanguageClient, arg?: vscode.Uri): Promise<void> {
    const target = await targetOf(arg);
    if (!target) {
      void vscode.window.showInformationMessage('Segment Lens: open a folder with a klaviyo-workspace.json to review its segment coverage.');
      return;
    }
    if (CoveragePanel.current) {
      CoveragePanel.current.target = target;
      CoveragePanel.current.panel.reveal(vscode.ViewColumn.Active);
      await CoveragePanel.current.refresh();
      return;
    }
    CoveragePanel.current = new CoveragePanel(context, client, target);
  }

  static disposeAll(): void {
    CoveragePanel.current?.panel.dispose();
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private target: vscode.Uri,
  ) {
    this.panel = createMediaWebview(context, {
      viewType: 'segmentLens.coverage',
      title: 'Segment coverage',
      column: vscode.ViewColumn.Active,
      script: 'coverage.js',
      style: 'coverage.css',
      html: coverageHtml,
    });
    const webview = this.panel.webview;
    this.disposables.push(
      webview.onDidReceiveMessage((message: CoverageFromWebview) => {
        this.receive(message).catch((error: Error) => {
          // Re-render the last report (re-enables a "Create" button whose write failed), then say why.
          if (this.result) this.post({ type: 'report', result: this.result, created: [...this.created] });
          this.post({ type: 'notice', text: error.message, error: true });
        });
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: CoverageToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.post({ type: 'loading', message: `Reviewing ${vscode.workspace.asRelativePath(this.target)}…` });
    const params: CoverageParams = { uri: this.target.toString() };
    const result = await this.client.sendRequest<CoverageResult>(CoverageMethods.coverage, params);
    // A newer refresh started while this one ran: its answer wins.
    if (generation !== this.generation) return;
    this.result = result;
    if (result.state === 'ok') this.panel.title = `Segment coverage: ${result.report.workspace.name}`;
    this.post({ type: 'report', result, created: [...this.created] });
  }

  private root(): vscode.Uri | undefined {
    const root = this.result?.state === 'ok' ? this.result.report.workspace.root : undefined;
    return root ? vscode.Uri.file(root) : undefined;
  }

  private async receive(message: CoverageFromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        await this.refresh();
        return;
      case 'create':
        await this.create(message.stage);
        return;
      case 'open': {
        const report = this.result?.state === 'ok' ? this.result.report : undefined;
        const root = this.root();
        // Only files the report lists: the webview never names an arbitrary path.
        if (!report || !root || !report.segments.some((s) => s.file === message.file)) return;
        await vscode.window.showTextDocument(vscode.Uri.joinPath(root, ...message.file.split(/[\\/]/)), { preview: true, viewColumn: vscode.ViewColumn.One });
        return;
      }
      case 'save': {
        if (this.result?.state !== 'ok') return;
        const root = this.root();
        const name = message.format === 'md' ? 'coverage.md' : 'coverage.csv';
        const target = await vscode.window.showSaveDialog({
          defaultUri: root ? vscode.Uri.joinPath(root, name) : undefined,
          filters: message.format === 'md' ? { Markdown: ['md'] } : { CSV: ['csv'] },
          saveLabel: message.format === 'md' ? 'Save coverage report' : 'Save coverage tracker',
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(message.format === 'md' ? this.result.markdown : this.result.csv));
        this.post({ type: 'notice', text: `Saved ${vscode.workspace.asRelativePath(target)}.` });
        return;
      }
    }
  }

  /** Writes the server's proposal for a missing stage (the user clicked "Create segment file"). */
  private async create(stage: string): Promise<void> {
    const report = this.result?.state === 'ok' ? this.result.report : undefined;
    const root = this.root();
    const finding: Finding | undefined = report?.findings.find((f) => f.kind === 'missing' && f.stage === stage && f.proposal !== undefined);
    if (!report || !root || !finding?.proposal) {
      this.post({ type: 'notice', text: `Nothing to create for ${stage}: refresh the report.`, error: true });
      return;
    }
    // The server chose where the file goes so that the segmentLens.files globs match it.
    const target = this.result?.state === 'ok' ? this.result.newFiles[finding.proposal.fileName] : undefined;
    const parts = (target ?? `segments/${finding.proposal.fileName}`).split('/');
    const folder = vscode.Uri.joinPath(root, ...parts.slice(0, -1));
    const fileName = parts[parts.length - 1];
    await vscode.workspace.fs.createDirectory(folder);
    let uri = vscode.Uri.joinPath(folder, fileName);
    for (let i = 2; await exists(uri); i++) uri = vscode.Uri.joinPath(folder, fileName.replace(/(\.segment)?\.json$/, `-${i}$&`));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(finding.proposal.text));
    const shown = vscode.workspace.asRelativePath(uri);
    this.created.push(stage);
    this.post({ type: 'notice', text: `Created ${shown} (${finding.title}, ${finding.proposal.matched.toLocaleString('en-US')} profiles).` });
    await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.One });
    await this.refresh();
  }

  private dispose(): void {
    if (CoveragePanel.current === this) CoveragePanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
