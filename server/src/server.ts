import { CodeActionKind, createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { quickFixes } from './features/codeActions';
import { toDiagnostics } from './features/diagnostics';
import { hover } from './features/hover';
import { ParsedDocuments } from './parsedDocuments';
import { guard } from './requestGuard';
import { SegmentLanguage } from './segment/languageService';
import { DEFAULT_SETTINGS, readSettings, type SegmentLensSettings } from './settings';

/**
 * Starts the Segment Lens language server on `connection` (by default the transport named on
 * the command line: --stdio, --node-ipc or --socket). This file only wires requests to features.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const language = new SegmentLanguage();
  const parsed = new ParsedDocuments(language);
  let settings: SegmentLensSettings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;

  const validate = (uri: string): void => {
    const document = documents.get(uri);
    if (!document) return;
    const version = document.version;
    const problems = language.validate(parsed.get(document), { allowComments: settings.allowComments });
    // A newer edit may have arrived while we worked: publish only the newest version's result.
    if (documents.get(uri)?.version !== version) return;
    void connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(document, problems) });
  };
  const scheduler = new DiagnosticsScheduler(settings.debounceMs, validate);

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'segment-lens' },
    };
  });

  const refreshSettings = async (): Promise<void> => {
    if (canPullConfiguration) {
      const [raw] = await connection.workspace.getConfiguration([{ section: 'segmentLens' }]);
      settings = readSettings(raw);
    }
    for (const document of documents.all()) scheduler.schedule(document.uri, 0);
  };
  connection.onInitialized(() => void refreshSettings());
  connection.onDidChangeConfiguration((change) => {
    if (!canPullConfiguration) settings = readSettings((change.settings as { segmentLens?: unknown } | undefined)?.segmentLens);
    void refreshSettings();
  });

  documents.onDidOpen((event) => scheduler.schedule(event.document.uri, 0));
  documents.onDidChangeContent((event) => scheduler.schedule(event.document.uri, settings.debounceMs));
  documents.onDidClose((event) => {
    scheduler.cancel(event.document.uri);
    parsed.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onHover((params, token) => guard(connection.console, 'hover', token, null, () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    return hover(document, parsed.get(document), document.offsetAt(params.position), { schema: language.schema });
  }));

  connection.onCodeAction((params, token) => guard(connection.console, 'codeAction', token, [], () => {
    const document = documents.get(params.textDocument.uri);
    return document ? quickFixes(document, params.context.diagnostics) : [];
  }));

  connection.onShutdown(() => scheduler.dispose());
  documents.listen(connection);
  connection.listen();
  return connection;
}
