import { relative, sep } from 'node:path';
import { CancellationTokenSource, type CancellationToken } from 'vscode-languageserver';
import { MAX_HISTORY_DAYS } from '../engine/history';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { CoverageParams, CoverageResult } from '../coverage/types';
import type { CountsService } from './countsService';
import { workspaceInfo } from './countsService';
import { RequestCancelled, type WorkspaceHost } from './workspaceHost';
import type { WorkspaceRegistry } from './workspaceRegistry';
import type { ParsedDocuments } from './parsedDocuments';
import type {
  CompareParams,
  CompareResult,
  ExplainParams,
  ExplainResult,
  ExportParams,
  ExportResult,
  HistoryParams,
  HistoryResult,
  ProfilesParams,
  ProfilesResult,
  WorkspaceStatus,
} from '../protocol';
import { parseInstant } from '../engine/time';
import type { SegmentLanguage } from '../segment/languageService';
import { definitionValue } from '../segment/parse';
import type { SegmentFileIndex } from './segmentIndex';
import { readTextFile } from '../workspace/textFiles';

export interface WorkspaceRequestServices {
  documents: { get(uri: string): TextDocument | undefined; all(): TextDocument[] };
  parsed: ParsedDocuments;
  language: SegmentLanguage;
  registry: WorkspaceRegistry;
  counts: CountsService;
  allowComments: () => boolean;
  segmentIndex: SegmentFileIndex;
}

/** An `asOf` parameter as an instant (undefined: the workspace's now). */
const asOf = (text: string | undefined): number | undefined => (text === undefined ? undefined : parseInstant(text));

const NOT_COMPARED = { total: 0, a: null, b: null, both: null, onlyA: null, onlyB: null, neither: null };

/**
 * The custom requests that work on a data workspace (docs/protocol.md): each finds the
 * document's workspace and asks its evaluation worker.
 */
export class WorkspaceRequests {
  constructor(private readonly services: WorkspaceRequestServices) {}

  /** The definition of an open document, or of a file on disk (comparing with a closed file). */
  private definitionOf(uri: string): Record<string, unknown> | undefined {
    const document = this.services.documents.get(uri);
    if (document) return definitionValue(this.services.parsed.get(document));
    try {
      return definitionValue(this.services.language.parse(readTextFile(URI.parse(uri).fsPath)));
    } catch {
      return undefined;
    }
  }

  private readyHost(uri: string): WorkspaceHost | undefined {
    const root = this.services.registry.rootFor(uri);
    const host = root ? this.services.registry.host(root) : undefined;
    return host?.state.kind === 'ready' ? host : undefined;
  }

  async profiles(params: ProfilesParams, token: CancellationToken): Promise<ProfilesResult> {
    const document = this.services.documents.get(params.uri);
    const report = document ? await this.services.counts.wait(document.uri, document.version) : undefined;
    const host = this.readyHost(params.uri);
    const definition = this.definitionOf(params.uri);
    if (!host || !definition || report?.state !== 'ok') {
      return { version: document?.version ?? 0, total: 0, rows: [], propertyColumns: [], state: report?.state ?? 'no-workspace', message: report?.message };
    }
    const reply = await host.request(
      'rows',
      { definition, now: asOf(params.asOf), offset: params.offset, limit: params.limit, sort: params.sort, filter: params.filter },
      token,
    );
    return { version: report.version, state: 'ok', ...reply };
  }

  async explain(params: ExplainParams, token: CancellationToken): Promise<ExplainResult | null> {
    const host = this.readyHost(params.uri);
    const definition = this.definitionOf(params.uri);
    if (!host || !definition) return null;
    const unsupported = host.unsupported('explain');
    if (unsupported !== undefined) return { profile: null, matched: false, conditions: [], message: unsupported };
    return host.request('explain', { definition, profileId: params.profileId, now: asOf(params.asOf) }, token);
  }

  /** Cancels the size-over-time series in flight for a document (it was edited: the series is stale). */
  private readonly historyInFlight = new Map<string, () => void>();

  documentChanged(uri: string): void {
    this.historyInFlight.get(uri)?.();
  }

  /**
   * The segment's size over the last `days` days, evaluated in the worker (progress reported
   * through `progress`), cancelled by the client or by the next edit of the document.
   */
  async history(params: HistoryParams, token: CancellationToken, progress?: (done: number, total: number) => void): Promise<HistoryResult> {
    const document = this.services.documents.get(params.uri);
    const version = document?.version ?? 0;
    const empty = { version, points: [], notEvaluable: [], elapsedMs: 0 };
    const cancelled = new CancellationTokenSource();
    const listener = token.onCancellationRequested(() => cancelled.cancel());
    const cancel = () => cancelled.cancel();
    // A newer request for the same document replaces this one; an edit cancels it (documentChanged).
    this.historyInFlight.get(params.uri)?.();
    this.historyInFlight.set(params.uri, cancel);
    try {
      const report = document ? await this.services.counts.wait(document.uri, document.version) : undefined;
      const host = this.readyHost(params.uri);
      const definition = this.definitionOf(params.uri);
      if (cancelled.token.isCancellationRequested) return { ...empty, state: 'cancelled', message: 'Cancelled: the segment changed.' };
      if (!host || !definition || (report && report.state !== 'ok')) return { ...empty, state: report?.state ?? 'no-workspace', message: report?.message };
      const unsupported = host.unsupported('history');
      if (unsupported !== undefined) return { ...empty, state: 'failed', message: unsupported };
      const days = Math.max(1, Math.min(MAX_HISTORY_DAYS, Math.floor(params.days)));
      const reply = await host.request('history', { definition, days }, cancelled.token, progress);
      return {
        version,
        state: 'ok',
        elapsedMs: reply.elapsedMs,
        notEvaluable: reply.notEvaluable,
        points: reply.points.map((p) => ({ day: p.day, asOf: new Date(p.now).toISOString(), matched: p.matched, total: p.total })),
      };
    } catch (error) {
      if (error instanceof RequestCancelled) return { ...empty, state: 'cancelled', message: 'Cancelled: the segment changed.' };
      throw error;
    } finally {
      listener.dispose();
      if (this.historyInFlight.get(params.uri) === cancel) this.historyInFlight.delete(params.uri);
      cancelled.dispose();
    }
  }

  async compare(params: CompareParams, token: CancellationToken): Promise<CompareResult> {
    const rootA = this.services.registry.rootFor(params.uriA);
    const rootB = this.services.registry.rootFor(params.uriB);
    if (!rootA || rootA !== rootB) return { ...NOT_COMPARED, message: 'Both segments must use the same data workspace.' };
    const host = this.services.registry.host(rootA);
    await host.ready();
    const a = this.definitionOf(params.uriA);
    const b = this.definitionOf(params.uriB);
    if (!a || !b) return { ...NOT_COMPARED, message: 'Both files must hold a segment definition.' };
    const unsupported = host.unsupported('compare');
    if (unsupported !== undefined) return { ...NOT_COMPARED, message: unsupported };
    return host.request('compare', { a, b }, token);
  }

  async exportProfiles(params: ExportParams, token: CancellationToken): Promise<ExportResult> {
    const host = this.readyHost(params.uri);
    const definition = this.definitionOf(params.uri);
    if (!host || !definition) return { written: 0 };
    const unsupported = host.unsupported('export');
    if (unsupported !== undefined) return { written: 0, message: unsupported };
    return host.request('export', { definition, path: params.path, format: params.format }, token);
  }

  async coverage(params: CoverageParams, token: CancellationToken): Promise<CoverageResult> {
    const root = this.services.registry.rootFor(params.uri);
    if (!root) return { state: 'no-workspace', message: 'No klaviyo-workspace.json found for this folder.' };
    const host = this.services.registry.host(root);
    await host.ready();
    if (host.state.kind !== 'ready') return { state: 'failed', message: host.state.kind === 'failed' ? host.state.message : 'The workspace is not loaded.' };
    const unsupported = host.unsupported('coverage');
    if (unsupported !== undefined) return { state: 'failed', message: unsupported };
    const { language, parsed } = this.services;
    const open = new Map(this.services.documents.all().map((d) => [URI.parse(d.uri).fsPath, d]));
    const paths = this.services.segmentIndex.paths([root]);
    const segments = paths.map((path) => {
      const document = open.get(path);
      const segment = document ? parsed.get(document) : language.parse(readTextFile(path));
      const errors = language
        .validate(segment, { allowComments: this.services.allowComments() })
        .filter((p) => p.severity === 'error')
        .map((p) => p.message);
      return { file: relative(root, path).split(sep).join('/'), text: segment.text, errors };
    });
    const reply = await host.request('coverage', { segments, options: { root } }, token);
    const newFiles: Record<string, string> = {};
    for (const finding of reply.report.findings) {
      if (!finding.proposal) continue;
      const path = this.services.segmentIndex.rules.newFilePath(root, root, paths, finding.proposal.fileName.replace(/\.json$/, ''));
      newFiles[finding.proposal.fileName] = relative(root, path).split(sep).join('/');
    }
    return { state: 'ok', newFiles, ...reply };
  }

  reload(params: { uri?: string }): null {
    const root = params.uri ? this.services.registry.rootFor(params.uri) : undefined;
    this.services.registry.reload(root);
    return null;
  }

  status(params: { uri: string }): WorkspaceStatus {
    const root = this.services.registry.rootFor(params.uri);
    return workspaceStatus(root ? this.services.registry.host(root) : undefined);
  }
}

/** What the status bar shows for a workspace host (or none). */
export function workspaceStatus(host: WorkspaceHost | undefined): WorkspaceStatus {
  if (!host) return { state: 'none', message: 'No klaviyo-workspace.json found for the open segment files.' };
  const state = host.state;
  switch (state.kind) {
    case 'ready':
      return {
        state: 'ready',
        workspace: workspaceInfo(host),
        message: state.warnings.length
          ? `${state.warnings.length} data warning(s): ${state.warnings
              .slice(0, 3)
              .map((w) => w.message)
              .join(' ')}`
          : undefined,
      };
    case 'failed':
      return { state: 'error', message: state.message };
    case 'loading': {
      const p = state.progress;
      return {
        state: 'loading',
        message: host.root,
        progress: p ? { phase: p.phase, records: p.records, percent: p.totalBytes ? Math.round((100 * p.bytes) / p.totalBytes) : 0 } : undefined,
      };
    }
  }
}
