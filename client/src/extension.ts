import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

const DEFAULT_FILES = ['**/*.segment.json', '**/segments/**/*.json'];

/** The documents the server handles: the `segmentLens.files` globs, in JSON or JSONC mode. */
function documentSelector(): DocumentSelector {
  const globs = vscode.workspace.getConfiguration('segmentLens').get<string[]>('files', DEFAULT_FILES);
  const patterns = Array.isArray(globs) && globs.length > 0 ? globs : DEFAULT_FILES;
  return patterns.flatMap((pattern) => [
    { scheme: 'file', language: 'json', pattern },
    { scheme: 'file', language: 'jsonc', pattern },
  ]);
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    synchronize: { configurationSection: 'segmentLens' },
    outputChannelName: 'Segment Lens',
  };
  client = new LanguageClient('segmentLens', 'Segment Lens', serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('segmentLens.restartServer', async () => {
      await client?.stop();
      await startClient(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // The document selector is fixed when the client starts: restart it for new globs.
      if (event.affectsConfiguration('segmentLens.files')) {
        await client?.stop();
        await startClient(context);
      }
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
