import type { WorkspaceSummary } from '../engine/catalog';
import { describeCondition, describeDefinition, describeGroup, type NameLookup } from '../engine/describe';
import { isRecord } from '../engine/outcome';
import { definitionValue, type ParsedSegment } from '../segment/parse';
import type { CountsReport, WorkspaceInfo } from '../protocol';
import { RequestCancelled, type HostState, type WorkspaceHost } from './workspaceHost';
import type { WorkspaceRegistry } from './workspaceRegistry';

interface Entry {
  version: number;
  report: CountsReport | undefined;
  cancel: (() => void) | undefined;
  root: string | undefined;
  /** The last counts of this same version, shown while it is counted again (settings or data changed). */
  previous: CountsReport | undefined;
}

/** Names for IDs from a workspace summary. */
export function summaryNames(summary: WorkspaceSummary | undefined): NameLookup {
  if (!summary) return {};
  const metrics = new Map(summary.metrics.map((m) => [m.id, m.name]));
  const lists = new Map(summary.lists.map((l) => [l.id, l.name]));
  return { metricName: (id) => metrics.get(id), listName: (id) => lists.get(id) };
}

export function workspaceInfo(host: WorkspaceHost): WorkspaceInfo | undefined {
  const state = host.state;
  if (state.kind !== 'ready') return undefined;
  const s = state.summary;
  return {
    name: s.name,
    root: host.root,
    now: s.now,
    profiles: s.profileCount,
    events: s.eventCount,
    metrics: s.metrics.length,
    lists: s.lists.length,
    warnings: state.warnings.length,
    engine: { engine: state.engine.engine, reason: state.engine.reason },
  };
}

/**
 * Match counts for open segment documents: evaluated on the workspace's worker after each
 * (debounced) validation, one evaluation in flight per document (a newer version cancels the
 * older one), and kept per version so code lenses and inlay hints read them for free.
 */
export class CountsService {
  private readonly entries = new Map<string, Entry>();
  private readonly waiters = new Map<string, { version: number; wake: (report: CountsReport) => void }[]>();

  constructor(
    private readonly registry: WorkspaceRegistry,
    private readonly onChange: (uri: string) => void,
  ) {}

  /** The counts of `uri` at `version`, or undefined while they are being computed. */
  get(uri: string, version: number): CountsReport | undefined {
    const entry = this.entries.get(uri);
    return entry && entry.version === version ? entry.report : undefined;
  }

  /**
   * What code lenses and inlay hints show for `uri` at `version`: its counts, or while the very same
   * text is counted again (a settings change, a workspace reload) its last counts, so they do not
   * blink out. Never the counts of another version.
   */
  shown(uri: string, version: number): CountsReport | undefined {
    const entry = this.entries.get(uri);
    return entry && entry.version === version ? (entry.report ?? entry.previous) : undefined;
  }

  /** Waits for the counts of `uri` at `version` (for the Evaluate command and the CLI twin). */
  wait(uri: string, version: number): Promise<CountsReport> {
    const ready = this.get(uri, version);
    if (ready && ready.state !== 'loading') return Promise.resolve(ready);
    return new Promise((resolve) => {
      const list = this.waiters.get(uri) ?? [];
      list.push({ version, wake: (report) => (report.version >= version ? resolve(report) : undefined) });
      this.waiters.set(uri, list);
    });
  }

  rootOf(uri: string): string | undefined {
    return this.entries.get(uri)?.root;
  }

  /** Recomputes the counts of a document version (call after validation). */
  update(uri: string, version: number, parsed: ParsedSegment, hasErrors: boolean): void {
    const previous = this.entries.get(uri);
    previous?.cancel?.();
    const root = this.registry.rootFor(uri);
    const previousReport = previous?.version === version ? (previous.report ?? previous.previous) : undefined;
    const entry: Entry = { version, report: undefined, cancel: undefined, root, previous: previousReport?.state === 'ok' ? previousReport : undefined };
    this.entries.set(uri, entry);
    const base = { version, total: 0, matched: null, notEvaluable: [], groups: [], description: '', computedAt: new Date().toISOString(), elapsedMs: 0 };
    const settle = (report: CountsReport) => {
      if (this.entries.get(uri) !== entry) return;
      entry.report = report;
      entry.cancel = undefined;
      this.onChange(uri);
      if (report.state !== 'loading') {
        const waiting = this.waiters.get(uri) ?? [];
        this.waiters.delete(uri);
        for (const waiter of waiting) waiter.wake(report);
      }
    };
    const definition = definitionValue(parsed);
    if (hasErrors) return settle({ ...base, state: 'errors', message: 'The definition has errors: fix them to see counts.' });
    if (!definition) return settle({ ...base, state: 'not-a-definition', message: 'This file holds no segment definition.' });
    if (!root)
      return settle({
        ...base,
        state: 'no-workspace',
        message: 'No klaviyo-workspace.json above this file (or set segmentLens.workspace): IDs cannot be checked and counts are unavailable.',
      });
    const host = this.registry.host(root);
    const state: HostState = host.state;
    if (state.kind === 'loading') {
      const percent = state.progress && state.progress.totalBytes ? Math.round((100 * state.progress.bytes) / state.progress.totalBytes) : undefined;
      settle({ ...base, state: 'loading', message: `Loading the workspace${percent !== undefined ? ` (${state.progress?.phase} ${percent}%)` : ''}…` });
      void host.ready().then(() => {
        if (this.entries.get(uri) === entry) this.update(uri, version, parsed, hasErrors);
      });
      return;
    }
    if (state.kind === 'failed') return settle({ ...base, state: 'failed', message: `The workspace could not be loaded: ${state.message}` });
    let cancelled = false;
    const listeners: (() => void)[] = [];
    const token = {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested: (listener: () => void) => {
        listeners.push(listener);
        return { dispose: () => undefined };
      },
    };
    entry.cancel = () => {
      cancelled = true;
      for (const listener of listeners) listener();
    };
    const names = summaryNames(state.summary);
    const started = Date.now();
    host.request('evaluate', { definition }, token).then(
      (reply) => {
        const groups = Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
        settle({
          ...base,
          state: 'ok',
          total: reply.total,
          matched: reply.matched,
          notEvaluable: reply.notEvaluable,
          description: describeDefinition(definition, names),
          groups: reply.groups.map((group, g) => {
            const groupJson = groups[g];
            const conditions = isRecord(groupJson) && Array.isArray(groupJson.conditions) ? groupJson.conditions : [];
            return {
              matched: group.matched,
              afterAnd: group.afterAnd,
              description: describeGroup(groupJson, names),
              conditions: group.conditions.map((c, i) => ({ ...c, description: describeCondition(conditions[i], names) })),
            };
          }),
          workspace: workspaceInfo(host),
          computedAt: new Date().toISOString(),
          elapsedMs: Date.now() - started,
        });
      },
      (error: Error) => {
        if (error instanceof RequestCancelled) return;
        settle({ ...base, state: 'failed', message: `Evaluation failed: ${error.message}` });
      },
    );
  }

  /** The document closed: its counts, its evaluation in flight and anyone waiting for them go. */
  forget(uri: string): void {
    this.entries.get(uri)?.cancel?.();
    this.entries.delete(uri);
    const waiting = this.waiters.get(uri) ?? [];
    this.waiters.delete(uri);
    for (const { version, wake } of waiting) {
      wake({
        version,
        state: 'failed',
        message: 'The document was closed.',
        total: 0,
        matched: null,
        notEvaluable: [],
        groups: [],
        description: '',
        computedAt: new Date().toISOString(),
        elapsedMs: 0,
      });
    }
  }
}
