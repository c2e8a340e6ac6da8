import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InlayHintRefreshRequest,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type FormattingOptions,
  type InitializeResult,
  type Range,
  type TextEdit,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { DiagnosticsScheduler } from './host/diagnosticsScheduler';
import { CountsService } from './host/countsService';
import type { WorkspaceHost } from './host/workspaceHost';
import { WorkspaceRegistry } from './host/workspaceRegistry';
import { quickFixes } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { completion } from './features/completion';
import { definition, references } from './features/navigation';
import { shapeConversions } from './features/refactorings';
import { documentSymbols, foldingRanges, formatWithinLimits, selectionRanges } from './features/structureFeatures';
import { summaryNames } from './host/countsService';
import { SegmentFileIndex } from './host/segmentIndex';
import { WorkspaceRequests, workspaceStatus } from './host/workspaceRequests';
import { OverlapRequests } from './host/overlapRequests';
import { registerSqlRequests } from './host/sqlRequests';
import { HeadDiffService } from './host/headDiff';
import { CoverageMethods, type CoverageParams, type CoverageResult } from './coverage/types';
import type { WorkspaceSummary } from './engine/catalog';
import { toDiagnostics } from './features/diagnostics';
import { hover } from './features/hover';
import { inlayHints } from './features/inlayHints';
import { ParsedDocuments } from './host/parsedDocuments';
import {
  Methods,
  type CompareParams,
  type CompareResult,
  type CountsReport,
  type ExplainParams,
  type ExplainResult,
  type ExportParams,
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
import { collectGarbage } from './evaluation/memory';
import { guard } from './host/requestGuard';
import { SegmentLanguage, validationFailed } from './segment/languageService';
import type { Problem } from './segment/problem';
import type { ParsedSegment } from './segment/parse';
import { DEFAULT_SETTINGS, readSettings, type SegmentLensSettings } from './host/settings';

export interface ServerOptions {
  /** Evaluate every workspace as of this instant (tests). */
  now?: number;
}

/**
 * Starts the Segment Lens language server on `connection` (by default the transport named on
 * the command line: --stdio, --node-ipc or --socket). This file only wires requests to features.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all), options: ServerOptions = {}): Connection {
  const documents = new TextDocuments(TextDocument);
  const language = new SegmentLanguage();
  const parsed = new ParsedDocuments(language);
  const hasErrors = new Map<string, { version: number; errors: boolean }>();
  let settings: SegmentLensSettings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  let canRefreshCodeLens = false;
  let canRefreshInlayHints = false;
  let canWatchFiles = false;
  let canReportProgress = false;
  let workspaceFolders: string[] = [];

  const progress = new Map<string, Promise<WorkDoneProgressServerReporter | undefined> | undefined>();
  const onHostState = (host: WorkspaceHost): void => {
    void connection.sendNotification(Methods.workspaceStatus, workspaceStatus(host));
    reportLoadProgress(host);
    // The workspace finished loading (or reloaded): ID checks and counts change for its documents.
    if (host.state.kind !== 'loading') {
      for (const document of documents.all()) if (registry.rootFor(document.uri) === host.root) scheduler.schedule(document.uri, 0);
    }
  };
  const registry = new WorkspaceRegistry({
    explicitRoot: () => settings.workspace,
    workspaceFolders: () => workspaceFolders,
    onHostState,
    now: options.now,
  });
  const counts = new CountsService(registry, (uri) => {
    // Counts only add the "matches no one" hint: republish when there are counts to base it on.
    const document = documents.get(uri);
    if (document && counts.get(uri, document.version)?.state === 'ok') publishDiagnostics(uri);
    void connection.sendNotification(Methods.countsChanged, { uri });
    headDiffs.countsReady(uri);
    if (canRefreshCodeLens && settings.codeLens.enabled) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (canRefreshInlayHints && settings.inlayHints.enabled) void connection.sendRequest(InlayHintRefreshRequest.type).catch(() => undefined);
  });

  /** Work-done progress in the editor while a workspace loads. */
  function reportLoadProgress(host: WorkspaceHost): void {
    if (!canReportProgress) return;
    const state = host.state;
    let reporter = progress.get(host.root);
    if (state.kind === 'loading') {
      if (!reporter) {
        // A client that refuses progress tokens just gets no progress; nothing else depends on it.
        reporter = connection.window.createWorkDoneProgress().then(
          (r) => {
            r.begin('Segment Lens: loading workspace', 0, host.root, false);
            return r;
          },
          () => undefined,
        );
        progress.set(host.root, reporter);
      }
      const p = state.progress;
      if (p)
        void reporter.then((r) =>
          r?.report(p.totalBytes ? Math.round((100 * p.bytes) / p.totalBytes) : 0, `${p.phase}: ${p.records.toLocaleString('en-US')} records`),
        );
    } else if (reporter) {
      progress.delete(host.root);
      void reporter.then((r) => r?.done());
    }
  }

  const segmentIndex = new SegmentFileIndex(language, () => canWatchFiles);
  const services = { documents, parsed, language, registry, counts, allowComments: () => settings.allowComments, segmentIndex };
  const requests = new WorkspaceRequests(services);
  const overlaps = new OverlapRequests(services);
  const headDiffs = new HeadDiffService(services, () => {
    if (canRefreshCodeLens && settings.codeLens.enabled) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });

  /** The loaded workspace summary for a document, starting its load if needed. */
  function workspaceOf(uri: string): { root: string; summary: WorkspaceSummary | undefined } | undefined {
    const root = registry.rootFor(uri);
    if (!root) return undefined;
    const state = registry.host(root).state;
    return { root, summary: state.kind === 'ready' ? state.summary : undefined };
  }

  /** Logs a failure inside one document's work, with its stack. */
  const logFailure = (what: string, uri: string, error: unknown): void =>
    connection.console.error(`${what} of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);

  /** The open documents' parses, for segment-ID checks; a document whose parse fails is left out (its own diagnostics say so). */
  function openSegments(): Map<string, ParsedSegment> {
    const segments = new Map<string, ParsedSegment>();
    for (const document of documents.all()) {
      try {
        segments.set(document.uri, parsed.get(document));
      } catch (error) {
        logFailure('parsing', document.uri, error);
      }
    }
    return segments;
  }

  /** A document's problems; a failure anywhere in its validation becomes one validation-failed error on it alone. */
  const problemsOf = (document: TextDocument): Problem[] => {
    const uri = document.uri;
    const onFailure = (error: unknown) => logFailure('validation', uri, error);
    try {
      const ws = workspaceOf(uri);
      const report = counts.get(uri, document.version);
      return language.validate(parsed.get(document), {
        allowComments: settings.allowComments,
        workspace: ws?.summary ? { summary: ws.summary, segmentIds: segmentIndex.segmentIds([ws.root, ...workspaceFolders], openSegments()) } : undefined,
        matched: report?.state === 'ok' ? report.matched : undefined,
        fileName: URI.parse(uri).path.split('/').pop(),
        consentHint: settings.consentHint,
        onFailure,
      });
    } catch (error) {
      onFailure(error);
      return [validationFailed(error)];
    }
  };

  /** Validates a document and publishes its diagnostics; returns whether it has errors. */
  const publishDiagnostics = (uri: string): boolean | undefined => {
    const document = documents.get(uri);
    if (!document) return undefined;
    const version = document.version;
    const problems = problemsOf(document);
    // A newer edit may have arrived while we worked: publish only the newest version's result.
    if (documents.get(uri)?.version !== version) return undefined;
    void connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(document, problems) });
    const errors = problems.some((p) => p.severity === 'error');
    hasErrors.set(uri, { version, errors });
    return errors;
  };

  const validate = async (uri: string): Promise<void> => {
    // The first diagnostics of a session use the user's settings (allowComments, files), not the defaults.
    await settingsRead;
    const errors = publishDiagnostics(uri);
    const document = documents.get(uri);
    if (errors === undefined || !document) return;
    try {
      counts.update(uri, document.version, parsed.get(document), errors);
    } catch (error) {
      logFailure('counting', uri, error);
    }
  };
  const scheduler = new DiagnosticsScheduler(settings.debounceMs, validate);

  connection.onInitialize((params): InitializeResult => {
    const capabilities = params.capabilities;
    canPullConfiguration = Boolean(capabilities.workspace?.configuration);
    canRefreshCodeLens = Boolean(capabilities.workspace?.codeLens?.refreshSupport);
    canRefreshInlayHints = Boolean(capabilities.workspace?.inlayHint?.refreshSupport);
    canWatchFiles = Boolean(capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    canReportProgress = Boolean(capabilities.window?.workDoneProgress);
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [URI.parse(params.rootUri).fsPath];
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

  /** Settles once the client's settings have been read the first time. */
  let settingsRead: Promise<void> = Promise.resolve();
  const refreshSettings = async (): Promise<void> => {
    if (canPullConfiguration) {
      const [raw] = await connection.workspace.getConfiguration([{ section: 'segmentLens' }]);
      settings = readSettings(raw);
    }
    segmentIndex.setRules(settings.files);
    for (const document of documents.all()) scheduler.schedule(document.uri, 0);
  };
  connection.onInitialized(() => {
    settingsRead = refreshSettings().catch((error: Error) => connection.console.error(`settings: ${error.message}`));
    if (canWatchFiles) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          // Workspace data, and the segment files (any .json: the segmentLens.files globs decide which count, and may change).
          watchers: [{ globPattern: '**/klaviyo-workspace.json' }, { globPattern: '**/data/**/*.{json,jsonl,gz}' }, { globPattern: '**/*.json' }],
        })
        .catch((error: Error) => connection.console.warn(`file watching unavailable: ${error.message}`));
    }
  });
  connection.onDidChangeConfiguration((change) => {
    if (!canPullConfiguration) settings = readSettings((change.settings as { segmentLens?: unknown } | undefined)?.segmentLens);
    refreshSettings().catch((error: Error) => connection.console.error(`settings: ${error.message}`));
  });
  connection.onDidChangeWatchedFiles((change) => {
    const changes = change.changes.map((c) => ({
      path: URI.parse(c.uri).fsPath,
      kind: c.type === FileChangeType.Created ? ('created' as const) : c.type === FileChangeType.Deleted ? ('deleted' as const) : ('changed' as const),
    }));
    segmentIndex.filesChanged(changes);
    registry.filesChanged(changes.map((c) => c.path));
  });

  // Opening a document validates it at once; the content event that follows the open (same
  // version) must not push that back by the typing delay.
  const openedVersions = new Map<string, number>();
  documents.onDidOpen((event) => {
    openedVersions.set(event.document.uri, event.document.version);
    scheduler.schedule(event.document.uri, 0);
  });
  documents.onDidChangeContent((event) => {
    if (openedVersions.get(event.document.uri) === event.document.version) return;
    requests.documentChanged(event.document.uri);
    openedVersions.delete(event.document.uri);
    scheduler.schedule(event.document.uri, settings.debounceMs);
  });
  documents.onDidClose((event) => {
    openedVersions.delete(event.document.uri);
    scheduler.cancel(event.document.uri);
    parsed.forget(event.document.uri);
    counts.forget(event.document.uri);
    headDiffs.forget(event.document.uri);
    hasErrors.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  const withDocument = <T>(uri: string, fallback: T, run: (document: TextDocument, segment: ParsedSegment) => T): T => {
    const document = documents.get(uri);
    return document ? run(document, parsed.get(document)) : fallback;
  };

  const summaryOf = (uri: string) => workspaceOf(uri)?.summary;

  connection.onHover((params, token) =>
    guard(connection.console, 'hover', token, null, () =>
      withDocument(params.textDocument.uri, null, (document, segment) => {
        const workspace = summaryOf(document.uri);
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
        completion(document, segment, document.offsetAt(params.position), { schema: language.schema, workspace: summaryOf(document.uri) }),
      ),
    ),
  );

  connection.onDefinition((params, token) =>
    guard(connection.console, 'definition', token, [], () =>
      withDocument(params.textDocument.uri, [], (document, segment) => definition(segment, document.offsetAt(params.position), summaryOf(document.uri))),
    ),
  );

  connection.onReferences((params, token) =>
    guard(connection.console, 'references', token, [], async () => {
      await settingsRead; // which files are segment files is a setting
      return withDocument(params.textDocument.uri, [], (document, segment) => {
        const ws = workspaceOf(document.uri);
        const folders = [...new Set([...(ws ? [ws.root] : []), ...workspaceFolders])];
        return references(
          document,
          segment,
          document.offsetAt(params.position),
          segmentIndex.segments(folders, openSegments()),
          params.context.includeDeclaration,
          ws?.summary,
        );
      });
    }),
  );

  connection.onDocumentSymbol((params, token) =>
    guard(connection.console, 'documentSymbol', token, [], () =>
      withDocument(params.textDocument.uri, [], (document, segment) => documentSymbols(document, segment, summaryNames(summaryOf(document.uri)))),
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
      !settings.codeLens.enabled
        ? []
        : withDocument(params.textDocument.uri, [], (document, segment) =>
            codeLenses(document, segment, counts.get(document.uri, document.version), headDiffs.get(document.uri, document.version)),
          ),
    ),
  );

  connection.languages.inlayHint.on((params, token) =>
    guard(connection.console, 'inlayHint', token, [], () =>
      !settings.inlayHints.enabled
        ? []
        : withDocument(params.textDocument.uri, [], (document, segment) =>
            inlayHints(document, segment, counts.get(document.uri, document.version), params.range),
          ),
    ),
  );

  // Custom requests (docs/protocol.md).
  connection.onRequest(Methods.counts, (params: { uri: string }, token) =>
    guard<CountsReport | null>(connection.console, 'counts', token, null, async () => {
      const document = documents.get(params.uri);
      if (!document) return null;
      // Only a version without counts yet needs work now; asking must never recompute (the preview
      // asks whenever counts change, and recomputing would notify it again).
      if (!counts.get(document.uri, document.version)) scheduler.schedule(document.uri, 0);
      return counts.wait(document.uri, document.version);
    }),
  );

  connection.onRequest(Methods.profiles, (params: ProfilesParams, token) =>
    guard<ProfilesResult | null>(connection.console, 'profiles', token, null, () => requests.profiles(params, token)),
  );
  connection.onRequest(Methods.explain, (params: ExplainParams, token) =>
    guard<ExplainResult | null>(connection.console, 'explain', token, null, () => requests.explain(params, token)),
  );
  connection.onRequest(Methods.history, (params: HistoryParams, token) =>
    guard<HistoryResult | null>(connection.console, 'history', token, null, async () => {
      // Progress while the days are evaluated: on the client's token (the preview shows it), else the editor's (a client that refuses it sees none).
      const reporter =
        params.workDoneToken !== undefined
          ? connection.window.attachWorkDoneProgress(params.workDoneToken)
          : canReportProgress
            ? await connection.window.createWorkDoneProgress().catch(() => undefined)
            : undefined;
      reporter?.begin('Segment Lens: size over time', 0, `${params.days} days`, false);
      try {
        return await requests.history(params, token, (done, total) => reporter?.report(Math.round((100 * done) / total), `${done} of ${total} days`));
      } finally {
        reporter?.done();
      }
    }),
  );
  connection.onRequest(Methods.overlap, (params: OverlapParams, token) =>
    guard<OverlapReport | null>(connection.console, 'overlap', token, null, () => overlaps.overlap(params, token)),
  );
  connection.onRequest(Methods.overlapProfiles, (params: OverlapProfilesParams, token) =>
    guard<ProfilesResult | null>(connection.console, 'overlapProfiles', token, null, () => overlaps.overlapProfiles(params, token)),
  );
  connection.onRequest(Methods.headDiff, (params: HeadDiffParams, token) =>
    guard<HeadDiffResult | null>(connection.console, 'headDiff', token, null, () => headDiffs.request(params)),
  );
  connection.onRequest(Methods.headDiffProfiles, (params: HeadDiffProfilesParams, token) =>
    guard<ProfilesResult | null>(connection.console, 'headDiffProfiles', token, null, () => headDiffs.profiles(params, token)),
  );
  connection.onRequest(Methods.compare, (params: CompareParams, token) =>
    guard<CompareResult | null>(connection.console, 'compare', token, null, () => requests.compare(params, token)),
  );
  connection.onRequest(Methods.exportProfiles, (params: ExportParams, token) =>
    guard<{ written: number; text?: string }>(connection.console, 'export', token, { written: 0 }, () => requests.exportProfiles(params, token)),
  );
  const coverageFailed: CoverageResult = { state: 'failed', message: 'The coverage review was cancelled or failed; see the Segment Lens output.' };
  connection.onRequest<CoverageResult, void>(CoverageMethods.coverage, (params: CoverageParams, token): Promise<CoverageResult> =>
    guard<CoverageResult>(connection.console, 'coverage', token, coverageFailed, () => requests.coverage(params, token)),
  );
  connection.onRequest(Methods.memory, async (): Promise<MemoryReport> => {
    collectGarbage();
    const ready = registry.allHosts().filter((host) => host.state.kind === 'ready');
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
  registerSqlRequests(connection, services);
  connection.onRequest(Methods.reloadWorkspace, (params: { uri?: string }) => requests.reload(params));
  connection.onRequest(Methods.workspaceStatusOf, (params: { uri: string }) => requests.status(params));

  // Last line of defence: a failure in a notification handler or a worker reply must never take the server down.
  process.on('unhandledRejection', (reason) =>
    connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );
  process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${error.stack ?? error.message}`));

  connection.onShutdown(async () => {
    scheduler.dispose();
    await registry.dispose();
  });
  documents.listen(connection);
  connection.listen();
  return connection;
}
