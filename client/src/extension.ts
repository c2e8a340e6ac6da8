import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Methods, serverEnvironment, type WorkspaceStatus } from '../../server/src/protocol';
import { DEFAULT_SEGMENT_GLOBS } from '../../server/src/workspace/segmentFiles';
import { compareSegments } from './compare';
import { CoveragePanel } from './coverage';
import { HeadDiffPanel } from './headDiffPanel';
import { OverlapPanel } from './overlapPanel';
import { registerKlaviyoCommands } from './klaviyoCommands';
import { PreviewPanel } from './previewPanel';
import { registerSqlCommands } from './sqlCommands';
import { WorkspaceStatusBar } from './statusBar';

let client: LanguageClient | undefined;
let statusBar: WorkspaceStatusBar | undefined;

const DEFAULT_FILES = [...DEFAULT_SEGMENT_GLOBS];

function fileGlobs(): string[] {
  const globs = vscode.workspace.getConfiguration('segmentLens').get<string[]>('files', DEFAULT_FILES);
  return Array.isArray(globs) && globs.length > 0 ? globs : DEFAULT_FILES;
}

/** The documents the server handles: the `segmentLens.files` globs, in JSON or JSONC mode. */
function documentSelector(): DocumentSelector {
  return fileGlobs().flatMap((pattern) => [
    { scheme: 'file', language: 'json', pattern },
    { scheme: 'file', language: 'jsonc', pattern },
  ]);
}

function isSegmentDocument(document: vscode.TextDocument): boolean {
  const filters: vscode.DocumentFilter[] = fileGlobs().flatMap((pattern) => [
    { scheme: 'file', language: 'json', pattern },
    { scheme: 'file', language: 'jsonc', pattern },
  ]);
  return vscode.languages.match(filters, document) > 0;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const env = serverEnvironment(process.env);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    synchronize: { configurationSection: 'segmentLens' },
    outputChannelName: 'Segment Lens',
  };
  client = new LanguageClient('segmentLens', 'Segment Lens', serverOptions, clientOptions);
  await client.start();
  const started = client;
  statusBar?.dispose();
  statusBar = new WorkspaceStatusBar(started, isSegmentDocument);
  context.subscriptions.push(
    started.onNotification(Methods.countsChanged, (params: { uri: string }) => {
      PreviewPanel.countsChanged(params.uri);
      HeadDiffPanel.countsChanged(params.uri);
    }),
    started.onNotification(Methods.workspaceStatus, (status: WorkspaceStatus) => {
      // The notification concerns one workspace; the item shows the active editor's, so ask again.
      void statusBar?.update();
      if (status.state === 'error') void vscode.window.showWarningMessage(`Segment Lens: the workspace could not be loaded: ${status.message ?? ''}`);
    }),
  );
  void statusBar.update();
}

async function restartClient(context: vscode.ExtensionContext): Promise<void> {
  await client?.stop();
  await startClient(context);
}

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  return vscode.window.activeTextEditor?.document.uri;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  registerKlaviyoCommands(context);
  registerSqlCommands(context, () => client);
  context.subscriptions.push(
    vscode.commands.registerCommand('segmentLens.restartServer', () => restartClient(context)),
    vscode.commands.registerCommand('segmentLens.evaluate', async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri || !client) {
        void vscode.window.showInformationMessage('Open a segment file to evaluate it.');
        return;
      }
      // Make sure the server has the document open (a command run on an unopened file).
      await vscode.workspace.openTextDocument(uri);
      PreviewPanel.show(context, client, uri);
    }),
    vscode.commands.registerCommand('segmentLens.compareFolder', async (arg?: unknown) => {
      if (!client) return;
      const folder =
        arg instanceof vscode.Uri
          ? arg
          : (
              await vscode.window.showOpenDialog({
                canSelectFolders: true,
                canSelectFiles: false,
                canSelectMany: false,
                openLabel: 'Compare the segments in this folder',
                defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
              })
            )?.[0];
      if (folder) OverlapPanel.show(context, client, folder);
    }),
    vscode.commands.registerCommand('segmentLens.showHeadDiff', async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri || !client) {
        void vscode.window.showInformationMessage('Open a segment file to compare it with git HEAD.');
        return;
      }
      await vscode.workspace.openTextDocument(uri);
      HeadDiffPanel.show(context, client, uri);
    }),
    vscode.commands.registerCommand('segmentLens.reviewCoverage', (arg?: unknown) =>
      client ? CoveragePanel.show(context, client, arg instanceof vscode.Uri ? arg : undefined) : undefined,
    ),
    vscode.commands.registerCommand('segmentLens.compare', (arg?: unknown) => (client ? compareSegments(client, fileGlobs(), targetUri(arg)) : undefined)),
    vscode.commands.registerCommand('segmentLens.reloadWorkspace', async () => {
      await client?.sendRequest(Methods.reloadWorkspace, { uri: vscode.window.activeTextEditor?.document.uri.toString() });
    }),
    vscode.commands.registerCommand('segmentLens.workspaceActions', async () => {
      const choice = await vscode.window.showQuickPick(
        [
          { label: '$(refresh) Reload workspace data', id: 'reload' },
          { label: '$(folder-opened) Choose a workspace folder…', id: 'choose' },
          { label: '$(discard) Use the nearest klaviyo-workspace.json', id: 'nearest' },
        ],
        { title: 'Segment Lens workspace' },
      );
      if (choice?.id === 'reload') await vscode.commands.executeCommand('segmentLens.reloadWorkspace');
      if (choice?.id === 'choose') {
        const [folder] = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use this workspace' })) ?? [];
        if (folder) await vscode.workspace.getConfiguration('segmentLens').update('workspace', folder.fsPath, vscode.ConfigurationTarget.Workspace);
      }
      if (choice?.id === 'nearest') await vscode.workspace.getConfiguration('segmentLens').update('workspace', undefined, vscode.ConfigurationTarget.Workspace);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void statusBar?.update()),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // The document selector is fixed when the client starts: restart it for new globs.
      if (event.affectsConfiguration('segmentLens.files')) await restartClient(context);
      else if (event.affectsConfiguration('segmentLens.workspace')) void statusBar?.update();
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  PreviewPanel.disposeAll();
  CoveragePanel.disposeAll();
  OverlapPanel.disposeAll();
  HeadDiffPanel.disposeAll();
  statusBar?.dispose();
  await client?.stop();
}
