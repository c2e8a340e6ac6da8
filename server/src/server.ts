import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type FormattingOptions,
  type InitializeResult,
  type Range,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { quickFixes } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { completion } from './features/completion';
import { definition, references } from './features/navigation';
import { shapeConversions } from './features/refactorings';
import { documentSymbols, foldingRanges, formatWithinLimits, selectionRanges } from './features/structureFeatures';
import { hover } from './features/hover';
import { inlayHints } from './features/inlayHints';
import { summaryNames } from './host/countsService';
import { registerSqlRequests } from './host/sqlRequests';
import { guard } from './host/requestGuard';
import { ServerSession, type ServerOptions } from './host/session';
import { CoverageMethods, type CoverageParams, type CoverageResult } from './coverage/types';
import { collectGarbage } from './evaluation/memory';
import {
  Methods,
  type CompareParams,
  type CompareResult,
  type CountsReport,
  type ExplainParams,
  type ExplainResult,
  type ExportParams,
  type ExportResult,
  type HistoryParams,
  type HistoryResult,
  type MemoryReport,
  type ProfilesParams,
  type ProfilesResult,
  type HeadDiffParams,
  type HeadDiffProfilesParams,
  type HeadDiffResult,
  type OverlapParams,
  type OverlapProfilesParams,
  type OverlapReport,
} from './protocol';

export type { ServerOptions } from './host/session';

/**
 * Starts the Segment Lens language server on `connection` (by default the transport named on
 * the command line: --stdio, --node-ipc or --socket). This file only wires requests to features;
 * the state and the document life cycle are in host/session.ts.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all), options: ServerOptions = {}): Connection {
  const session = new ServerSession(connection, options);
  wireLifecycle(connection, session);
  wireReadingFeatures(connection, session);
  wireEditingFeatures(connection, session);
  wireCustomRequests(connection, session);
  registerSqlRequests(connection, session.services);

  // Last line of defence: a failure in a notification handler or a worker reply must never take the server down.
  process.on('unhandledRejection', (reason) =>
    connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );
  process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${error.stack ?? error.message}`));

  session.documents.listen(connection);
  connection.listen();
  return connection;
}

/** Initialize, settings, watched files, the document events and shutdown. */
function wireLifecycle(connection: Connection, session: ServerSession): void {
  connection.onInitialize((params): InitializeResult => {
    session.initialize(params);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ':', '['], resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
      },
      serverInfo: { name: 'segment-lens', version: '0.1.0' },
    };
  });
  const settingsFailed = (error: Error) => connection.console.error(`settings: ${error.message}`);
  connection.onInitialized(() => {
    session.settingsRead = session.refreshSettings().catch(settingsFailed);
    if (session.abilities.watchFiles) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          // Workspace data, and the segment files (any .json: the segmentLens.files globs decide which count, and may change).
          watchers: [{ globPattern: '**/klaviyo-workspace.json' }, { globPattern: '**/data/**/*.{json,jsonl,gz}' }, { globPattern: '**/*.json' }],
        })
        .catch((error: Error) => connection.console.warn(`file watching unavailable: ${error.message}`));
    }
  });
  connection.onDidChangeConfiguration((change) => session.configurationChanged(change.settings).catch(settingsFailed));
  connection.onDidChangeWatchedFiles((change) => session.filesChanged(change.changes));
  session.documents.onDidOpen((event) => session.opened(event.document));
  session.documents.onDidChangeContent((event) => session.changed(event.document));
  session.documents.onDidClose((event) => session.closed(event.document.uri));
  connection.onShutdown(() => session.dispose());
}

/** The features that read a document: hover, completion, navigation and structure. */
function wireReadingFeatures(connection: Connection, session: ServerSession): void {
  const { language, counts } = session;
  const withDocument = session.withDocument.bind(session);

  connection.onHover((params, token) =>
    guard(connection.console, 'hover', token, null, () =>
      withDocument(params.textDocument.uri, null, (document, segment) => {
        const workspace = session.summaryOf(document.uri);
        return hover(document, segment, document.offsetAt(params.position), {
          schema: language.schema,
          workspace,
          names: summaryNames(workspace),
          counts: counts.get(document.uri, document.version),
        });
      }),
    ),
  );

  connection.onCompletion((params, token) =>
    guard(connection.console, 'completion', token, null, () =>
      withDocument(params.textDocument.uri, null, (document, segment) =>
        completion(document, segment, document.offsetAt(params.position), { schema: language.schema, workspace: session.summaryOf(document.uri) }),
      ),
    ),
  );

  connection.onDefinition((params, token) =>
    guard(connection.console, 'definition', token, [], () =>
      withDocument(params.textDocument.uri, [], (document, segment) =>
        definition(segment, document.offsetAt(params.position), session.summaryOf(document.uri)),
      ),
    ),
  );

  connection.onReferences((params, token) =>
    guard(connection.console, 'references', token, [], async () => {
      await session.settingsRead; // which files are segment files is a setting
      return withDocument(params.textDocument.uri, [], (document, segment) =>
        references(
          document,
          segment,
          document.offsetAt(params.position),
          session.segmentIndex.segments(session.segmentFolders(document.uri), session.openSegments()),
          params.context.includeDeclaration,
          session.summaryOf(document.uri),
        ),
      );
    }),
  );

  connection.onDocumentSymbol((params, token) =>
    guard(connection.console, 'documentSymbol', token, [], () =>
      withDocument(params.textDocument.uri, [], (document, segment) => documentSymbols(document, segment, summaryNames(session.summaryOf(document.uri)))),
    ),
  );

  connection.onFoldingRanges((params, token) =>
    guard(connection.console, 'foldingRange', token, [], () =>
      withDocument(params.textDocument.uri, [], (document, segment) => foldingRanges(document, segment)),
    ),
  );

  connection.onSelectionRanges((params, token) =>
    guard(connection.console, 'selectionRange', token, [], () =>
      withDocument(params.textDocument.uri, [], (document, segment) =>
        selectionRanges(
          document,
          segment,
          params.positions.map((p) => document.offsetAt(p)),
        ),
      ),
    ),
  );
}

/** The features that propose edits or annotate: formatting, code actions, code lenses, inlay hints. */
function wireEditingFeatures(connection: Connection, session: ServerSession): void {
  const { counts, headDiffs } = session;
  const withDocument = session.withDocument.bind(session);

  /** Formats within FORMAT_LIMITS; a declined document gets no edits and the log says why. */
  const formatted = (document: TextDocument, options: FormattingOptions, range?: Range): TextEdit[] => {
    const outcome = formatWithinLimits(document, options, range);
    if (outcome.declined) connection.console.info(`formatting ${document.uri}: not formatted, ${outcome.declined}`);
    return outcome.edits;
  };

  connection.onDocumentFormatting((params, token) =>
    guard(connection.console, 'formatting', token, [], () => withDocument(params.textDocument.uri, [], (document) => formatted(document, params.options))),
  );

  connection.onDocumentRangeFormatting((params, token) =>
    guard(connection.console, 'rangeFormatting', token, [], () =>
      withDocument(params.textDocument.uri, [], (document) => formatted(document, params.options, params.range)),
    ),
  );

  connection.onCodeAction((params, token) =>
    guard(connection.console, 'codeAction', token, [], () =>
      withDocument(params.textDocument.uri, [], (document, segment) => {
        const only = params.context.only;
        const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
        return [
          ...(wants(CodeActionKind.QuickFix) ? quickFixes(document, params.context.diagnostics) : []),
          ...(wants(CodeActionKind.RefactorRewrite) ? shapeConversions(document, segment) : []),
        ];
      }),
    ),
  );

  connection.onCodeLens((params, token) =>
    guard(connection.console, 'codeLens', token, [], () =>
      !session.settings.codeLens.enabled
        ? []
        : withDocument(params.textDocument.uri, [], (document, segment) =>
            codeLenses(document, segment, counts.shown(document.uri, document.version), headDiffs.get(document.uri, document.version)),
          ),
    ),
  );

  connection.languages.inlayHint.on((params, token) =>
    guard(connection.console, 'inlayHint', token, [], () =>
      !session.settings.inlayHints.enabled
        ? []
        : withDocument(params.textDocument.uri, [], (document, segment) =>
            inlayHints(document, segment, counts.shown(document.uri, document.version), params.range),
          ),
    ),
  );
}

/** The custom requests of docs/protocol.md (the SQL ones are in host/sqlRequests.ts). */
function wireCustomRequests(connection: Connection, session: ServerSession): void {
  connection.onRequest(Methods.counts, (params: { uri: string }, token) =>
    guard<CountsReport | null>(connection.console, 'counts', token, null, async () => {
      const document = session.documents.get(params.uri);
      if (!document) return null;
      // Only a version without counts yet needs work now; asking must never recompute (the preview
      // asks whenever counts change, and recomputing would notify it again).
      if (!session.counts.get(document.uri, document.version)) session.scheduler.schedule(document.uri, 0);
      return session.counts.wait(document.uri, document.version);
    }),
  );

  connection.onRequest(Methods.profiles, (params: ProfilesParams, token) =>
    guard<ProfilesResult | null>(connection.console, 'profiles', token, null, () => session.requests.profiles(params, token)),
  );
  connection.onRequest(Methods.explain, (params: ExplainParams, token) =>
    guard<ExplainResult | null>(connection.console, 'explain', token, null, () => session.requests.explain(params, token)),
  );
  connection.onRequest(Methods.history, (params: HistoryParams, token) =>
    guard<HistoryResult | null>(connection.console, 'history', token, null, async () => {
      // Progress while the days are evaluated: on the client's token (the preview shows it), else the editor's (a client that refuses it sees none).
      const reporter =
        params.workDoneToken !== undefined
          ? connection.window.attachWorkDoneProgress(params.workDoneToken)
          : session.abilities.reportProgress
            ? await connection.window.createWorkDoneProgress().catch(() => undefined)
            : undefined;
      reporter?.begin('Segment Lens: size over time', 0, `${params.days} days`, false);
      try {
        return await session.requests.history(params, token, (done, total) => reporter?.report(Math.round((100 * done) / total), `${done} of ${total} days`));
      } finally {
        reporter?.done();
      }
    }),
  );
  connection.onRequest(Methods.overlap, (params: OverlapParams, token) =>
    guard<OverlapReport | null>(connection.console, 'overlap', token, null, () => session.overlaps.overlap(params, token)),
  );
  connection.onRequest(Methods.overlapProfiles, (params: OverlapProfilesParams, token) =>
    guard<ProfilesResult | null>(connection.console, 'overlapProfiles', token, null, () => session.overlaps.overlapProfiles(params, token)),
  );
  connection.onRequest(Methods.headDiff, (params: HeadDiffParams, token) =>
    guard<HeadDiffResult | null>(connection.console, 'headDiff', token, null, () => session.headDiffs.request(params)),
  );
  connection.onRequest(Methods.headDiffProfiles, (params: HeadDiffProfilesParams, token) =>
    guard<ProfilesResult | null>(connection.console, 'headDiffProfiles', token, null, () => session.headDiffs.profiles(params, token)),
  );
  connection.onRequest(Methods.compare, (params: CompareParams, token) =>
    guard<CompareResult | null>(connection.console, 'compare', token, null, () => session.requests.compare(params, token)),
  );
  connection.onRequest(Methods.exportProfiles, (params: ExportParams, token) =>
    guard<ExportResult>(connection.console, 'export', token, { written: 0 }, () => session.requests.exportProfiles(params, token)),
  );
  const coverageFailed: CoverageResult = { state: 'failed', message: 'The coverage review was cancelled or failed; see the Segment Lens output.' };
  connection.onRequest<CoverageResult, void>(CoverageMethods.coverage, (params: CoverageParams, token): Promise<CoverageResult> =>
    guard<CoverageResult>(connection.console, 'coverage', token, coverageFailed, () => session.requests.coverage(params, token)),
  );
  connection.onRequest(Methods.memory, async (): Promise<MemoryReport> => {
    collectGarbage();
    const ready = session.registry.allHosts().filter((host) => host.state.kind === 'ready');
    const workers = await Promise.all(
      ready.map((host) =>
        host.request('memory', {}).then(
          (reply) => reply.heapUsed,
          () => 0,
        ),
      ),
    );
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed, workers };
  });
  connection.onRequest(Methods.reloadWorkspace, (params: { uri?: string }) => session.requests.reload(params));
  connection.onRequest(Methods.workspaceStatusOf, (params: { uri: string }) => session.requests.status(params));
}
