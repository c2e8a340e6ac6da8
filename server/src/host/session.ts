import {
  CodeLensRefreshRequest,
  FileChangeType,
  InlayHintRefreshRequest,
  MessageType,
  ShowMessageRequest,
  TextDocuments,
  type Connection,
  type FileEvent,
  type InitializeParams,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { WorkspaceSummary } from '../engine/catalog';
import type { EngineDecision } from '../evaluation/messages';
import { toDiagnostics } from '../features/diagnostics';
import { Methods } from '../protocol';
import { SegmentLanguage, validationFailed } from '../segment/languageService';
import type { ParsedSegment } from '../segment/parse';
import type { Problem } from '../segment/problem';
import { CountsService } from './countsService';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { HeadDiffService } from './headDiff';
import { OverlapRequests } from './overlapRequests';
import { ParsedDocuments } from './parsedDocuments';
import { SegmentFileIndex } from './segmentIndex';
import { DEFAULT_SETTINGS, readSettings, type SegmentLensSettings } from './settings';
import type { WorkspaceHost } from './workspaceHost';
import { WorkspaceRegistry } from './workspaceRegistry';
import { WorkspaceRequests, workspaceStatus, type WorkspaceRequestServices } from './workspaceRequests';

export interface ServerOptions {
  /** Evaluate every workspace as of this instant (tests). */
  now?: number;
}

/** What the client said it can do, read once at initialize. */
export interface ClientAbilities {
  pullConfiguration: boolean;
  refreshCodeLens: boolean;
  refreshInlayHints: boolean;
  watchFiles: boolean;
  reportProgress: boolean;
}

/**
 * The language server's state and its document life cycle: open documents and their parses,
 * settings, the workspaces and their counts, diagnostics. server.ts wires LSP requests to
 * features through it; nothing here registers a handler.
 */
export class ServerSession {
  readonly documents = new TextDocuments(TextDocument);
  readonly language = new SegmentLanguage();
  readonly parsed = new ParsedDocuments(this.language);
  settings: SegmentLensSettings = DEFAULT_SETTINGS;
  abilities: ClientAbilities = { pullConfiguration: false, refreshCodeLens: false, refreshInlayHints: false, watchFiles: false, reportProgress: false };
  workspaceFolders: string[] = [];
  /** Settles once the client's settings have been read the first time. */
  settingsRead: Promise<void> = Promise.resolve();

  readonly registry: WorkspaceRegistry;
  readonly counts: CountsService;
  readonly segmentIndex: SegmentFileIndex;
  readonly requests: WorkspaceRequests;
  readonly overlaps: OverlapRequests;
  readonly headDiffs: HeadDiffService;
  readonly scheduler: DiagnosticsScheduler;
  /** What host request modules need (`registerSqlRequests`, the request classes). */
  readonly services: WorkspaceRequestServices;

  private readonly progress = new Map<string, Promise<WorkDoneProgressServerReporter | undefined> | undefined>();
  /** Opening a document validates it at once; the content event that follows the open (same version) must not push that back by the typing delay. */
  private readonly openedVersions = new Map<string, number>();
  /** Engine fallbacks already shown to the user (each once a session). */
  private readonly fallbacksShown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    options: ServerOptions,
  ) {
    this.registry = new WorkspaceRegistry({
      explicitRoot: () => this.settings.workspace,
      workspaceFolders: () => this.workspaceFolders,
      onHostState: (host) => this.hostStateChanged(host),
      engine: () => this.settings.engine,
      now: options.now,
    });
    this.counts = new CountsService(this.registry, (uri) => this.countsChanged(uri));
    this.segmentIndex = new SegmentFileIndex(this.language, () => this.abilities.watchFiles);
    this.services = {
      documents: this.documents,
      parsed: this.parsed,
      language: this.language,
      registry: this.registry,
      counts: this.counts,
      allowComments: () => this.settings.allowComments,
      segmentIndex: this.segmentIndex,
    };
    this.requests = new WorkspaceRequests(this.services);
    this.overlaps = new OverlapRequests(this.services);
    this.headDiffs = new HeadDiffService(this.services, () => this.refreshCodeLenses());
    this.scheduler = new DiagnosticsScheduler(this.settings.debounceMs, (uri) => this.validate(uri));
  }

  /** Reads the client's abilities and workspace folders from the initialize request. */
  initialize(params: InitializeParams): void {
    const capabilities = params.capabilities;
    this.abilities = {
      pullConfiguration: Boolean(capabilities.workspace?.configuration),
      refreshCodeLens: Boolean(capabilities.workspace?.codeLens?.refreshSupport),
      refreshInlayHints: Boolean(capabilities.workspace?.inlayHint?.refreshSupport),
      watchFiles: Boolean(capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration),
      reportProgress: Boolean(capabilities.window?.workDoneProgress),
    };
    this.workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
    if (this.workspaceFolders.length === 0 && params.rootUri) this.workspaceFolders = [URI.parse(params.rootUri).fsPath];
  }

  /** The client's configuration changed; a client that cannot be asked for settings sends them with the change. */
  async configurationChanged(pushed: unknown): Promise<void> {
    if (!this.abilities.pullConfiguration) this.settings = readSettings((pushed as { segmentLens?: unknown } | undefined)?.segmentLens);
    await this.refreshSettings();
  }

  /** Reads the settings (pulled from the client when it can) and revalidates every open document. */
  async refreshSettings(): Promise<void> {
    if (this.abilities.pullConfiguration) {
      const [raw] = await this.connection.workspace.getConfiguration([{ section: 'segmentLens' }]);
      this.settings = readSettings(raw);
    }
    this.segmentIndex.setRules(this.settings.files);
    this.registry.engineChanged();
    for (const document of this.documents.all()) this.scheduler.schedule(document.uri, 0);
  }

  opened(document: TextDocument): void {
    this.openedVersions.set(document.uri, document.version);
    this.scheduler.schedule(document.uri, 0);
  }

  changed(document: TextDocument): void {
    if (this.openedVersions.get(document.uri) === document.version) return;
    this.requests.documentChanged(document.uri);
    this.openedVersions.delete(document.uri);
    this.scheduler.schedule(document.uri, this.settings.debounceMs);
  }

  closed(uri: string): void {
    this.openedVersions.delete(uri);
    this.scheduler.cancel(uri);
    this.parsed.forget(uri);
    this.counts.forget(uri);
    this.headDiffs.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Workspace data or segment files changed on disk. */
  filesChanged(events: FileEvent[]): void {
    const changes = events.map((c) => ({
      path: URI.parse(c.uri).fsPath,
      kind: c.type === FileChangeType.Created ? ('created' as const) : c.type === FileChangeType.Deleted ? ('deleted' as const) : ('changed' as const),
    }));
    this.segmentIndex.filesChanged(changes);
    this.registry.filesChanged(changes.map((c) => c.path));
  }

  /** The loaded workspace summary for a document, starting its load if needed. */
  workspaceOf(uri: string): { root: string; summary: WorkspaceSummary | undefined } | undefined {
    const root = this.registry.rootFor(uri);
    if (!root) return undefined;
    const state = this.registry.host(root).state;
    return { root, summary: state.kind === 'ready' ? state.summary : undefined };
  }

  summaryOf(uri: string): WorkspaceSummary | undefined {
    return this.workspaceOf(uri)?.summary;
  }

  /** Runs `run` on an open document and its parse; `fallback` when the document is not open. */
  withDocument<T>(uri: string, fallback: T, run: (document: TextDocument, segment: ParsedSegment) => T): T {
    const document = this.documents.get(uri);
    return document ? run(document, this.parsed.get(document)) : fallback;
  }

  /** The open documents' parses, for segment-ID checks; a document whose parse fails is left out (its own diagnostics say so). */
  openSegments(): Map<string, ParsedSegment> {
    const segments = new Map<string, ParsedSegment>();
    for (const document of this.documents.all()) {
      try {
        segments.set(document.uri, this.parsed.get(document));
      } catch (error) {
        this.logFailure('parsing', document.uri, error);
      }
    }
    return segments;
  }

  /** The workspace root of a document (if any) and the editor's folders, each once: where segment files are looked for. */
  segmentFolders(uri: string): string[] {
    const ws = this.workspaceOf(uri);
    return [...new Set([...(ws ? [ws.root] : []), ...this.workspaceFolders])];
  }

  async dispose(): Promise<void> {
    this.scheduler.dispose();
    await this.registry.dispose();
  }

  /** Logs a failure inside one document's work, with its stack. */
  private logFailure(what: string, uri: string, error: unknown): void {
    this.connection.console.error(`${what} of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  /** A document's problems; a failure anywhere in its validation becomes one validation-failed error on it alone. */
  private problemsOf(document: TextDocument): Problem[] {
    const uri = document.uri;
    const onFailure = (error: unknown) => this.logFailure('validation', uri, error);
    try {
      const ws = this.workspaceOf(uri);
      const report = this.counts.get(uri, document.version);
      return this.language.validate(this.parsed.get(document), {
        allowComments: this.settings.allowComments,
        workspace: ws?.summary
          ? { summary: ws.summary, segmentIds: this.segmentIndex.segmentIds([ws.root, ...this.workspaceFolders], this.openSegments()) }
          : undefined,
        matched: report?.state === 'ok' ? report.matched : undefined,
        fileName: URI.parse(uri).path.split('/').pop(),
        consentHint: this.settings.consentHint,
        reuse: this.parsed.conditionMemo(uri),
        onFailure,
      });
    } catch (error) {
      onFailure(error);
      return [validationFailed(error)];
    }
  }

  /** Validates a document and publishes its diagnostics; returns whether it has errors. */
  private publishDiagnostics(uri: string): boolean | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const version = document.version;
    const problems = this.problemsOf(document);
    // A newer edit may have arrived while we worked: publish only the newest version's result.
    if (this.documents.get(uri)?.version !== version) return undefined;
    void this.connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(document, problems) });
    return problems.some((p) => p.severity === 'error');
  }

  private async validate(uri: string): Promise<void> {
    // The first diagnostics of a session use the user's settings (allowComments, files), not the defaults.
    await this.settingsRead;
    const errors = this.publishDiagnostics(uri);
    const document = this.documents.get(uri);
    if (errors === undefined || !document) return;
    try {
      this.counts.update(uri, document.version, this.parsed.get(document), errors);
    } catch (error) {
      this.logFailure('counting', uri, error);
    }
  }

  private hostStateChanged(host: WorkspaceHost): void {
    void this.connection.sendNotification(Methods.workspaceStatus, workspaceStatus(host));
    if (host.state.kind === 'ready') this.reportEngine(host.root, host.state.engine);
    this.reportLoadProgress(host);
    // The workspace finished loading (or reloaded): ID checks and counts change for its documents.
    if (host.state.kind !== 'loading') {
      for (const document of this.documents.all()) if (this.registry.rootFor(document.uri) === host.root) this.scheduler.schedule(document.uri, 0);
    }
  }

  /** Logs which engine evaluates a workspace and why; tells the user once when it is not the one asked for. */
  private reportEngine(root: string, engine: EngineDecision): void {
    this.connection.console.info(`Engine: ${engine.engine} for ${root} (${engine.reason})`);
    if (!engine.fallback) return;
    this.connection.console.warn(engine.fallback);
    if (this.fallbacksShown.has(engine.fallback)) return;
    this.fallbacksShown.add(engine.fallback);
    // A client that cannot show it still has the log line above.
    void this.connection
      .sendRequest(ShowMessageRequest.type, { type: MessageType.Warning, message: `Segment Lens: ${engine.fallback}.` })
      .catch(() => undefined);
  }

  private countsChanged(uri: string): void {
    // Counts only add the "matches no one" hint: republish when there are counts to base it on.
    const document = this.documents.get(uri);
    if (document && this.counts.get(uri, document.version)?.state === 'ok') this.publishDiagnostics(uri);
    void this.connection.sendNotification(Methods.countsChanged, { uri });
    this.headDiffs.countsReady(uri);
    this.refreshCodeLenses();
    if (this.abilities.refreshInlayHints && this.settings.inlayHints.enabled)
      void this.connection.sendRequest(InlayHintRefreshRequest.type).catch(() => undefined);
  }

  private refreshCodeLenses(): void {
    if (this.abilities.refreshCodeLens && this.settings.codeLens.enabled) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  /** Work-done progress in the editor while a workspace loads. */
  private reportLoadProgress(host: WorkspaceHost): void {
    if (!this.abilities.reportProgress) return;
    const state = host.state;
    let reporter = this.progress.get(host.root);
    if (state.kind === 'loading') {
      if (!reporter) {
        // A client that refuses progress tokens just gets no progress; nothing else depends on it.
        reporter = this.connection.window.createWorkDoneProgress().then(
          (r) => {
            r.begin('Segment Lens: loading workspace', 0, host.root, false);
            return r;
          },
          () => undefined,
        );
        this.progress.set(host.root, reporter);
      }
      const p = state.progress;
      if (p)
        void reporter.then((r) =>
          r?.report(p.totalBytes ? Math.round((100 * p.bytes) / p.totalBytes) : 0, `${p.phase}: ${p.records.toLocaleString('en-US')} records`),
        );
    } else if (reporter) {
      this.progress.delete(host.root);
      void reporter.then((r) => r?.done());
    }
  }
}
