import type { WorkspaceSummary } from '../engine/catalog';
import { openWorkspaceDatabase } from '../duckdb/engineChoice';
import type { DuckDbEvaluator, MembershipOutcome } from '../duckdb/evaluate';
import { duckDbMatchedRows, duckDbPreviewPage, duckDbSetPage, type DuckDbPageRequest } from '../duckdb/preview';
import { duckDbProfileWorkspace } from '../duckdb/profileWorkspace';
import type { DuckDbSession } from '../duckdb/session';
import { duckDbWorkspaceSummary } from '../duckdb/summary';
import { workspaceFiles, type LoadProgress, type WorkspaceConfig } from '../workspace/loadWorkspace';
import type { CompareResult } from '../protocol';
import { compareResult, explainReply, overlapOutcome } from './replies';
import { historyInstants } from '../engine/history';
import { EvaluationCancelled } from '../engine/outcome';
import { overlapOfCells, type OverlapCell } from '../engine/overlap';
import { referenceTime } from '../engine/time';
import { exportReply } from './exportReply';
import type { DiffReply, EvaluateReply, ExplainReply, ExportReply, HistoryReply, OverlapReply, RowsReply } from './messages';
import { previewPropertyColumns, ProfileTable } from './profileTable';

/**
 * A workspace evaluated by DuckDB in the evaluation worker (segmentLens.engine): converted into
 * the engine cache (duckdb/convert.ts), opened read-only, counted and paged through the SQL
 * compiler, as are "why it matched", size over time, the comparisons and exports; its summary is
 * built from the converted tables (duckdb/summary.ts).
 */
export class DuckDbWorkspace {
  private constructor(
    private readonly session: DuckDbSession,
    private readonly evaluator: DuckDbEvaluator,
    readonly summary: WorkspaceSummary,
    readonly files: string[],
    readonly loadMs: number,
    private readonly propertyColumns: string[],
  ) {}

  static async open(
    config: WorkspaceConfig,
    now: number | undefined,
    onProgress: (progress: LoadProgress) => void,
    limits: { convert?: string; evaluate?: string } = {},
  ): Promise<DuckDbWorkspace> {
    const started = Date.now();
    const at = now ?? config.now ?? Date.now();
    const { session, evaluator } = await openWorkspaceDatabase(config, at, { onProgress, memoryLimit: limits.convert, evaluateMemoryLimit: limits.evaluate });
    try {
      const summary = await duckDbWorkspaceSummary(session, config, at);
      return new DuckDbWorkspace(session, evaluator, summary, workspaceFiles(config), Date.now() - started, previewPropertyColumns(summary));
    } catch (error) {
      session.close();
      throw error;
    }
  }

  close(): void {
    this.session.close();
  }

  async evaluate(definition: unknown): Promise<EvaluateReply> {
    const result = await this.evaluator.evaluate(definition, { ids: false, limit: 0 });
    return {
      total: result.total,
      matched: result.matched,
      notEvaluable: result.notEvaluable,
      groups: result.groups.map((g) => ({
        matched: g.matched,
        afterAnd: g.afterAnd,
        conditions: g.conditions.map((c) => (c.notEvaluable === undefined ? { matched: c.matched } : { matched: c.matched, notEvaluable: c.notEvaluable })),
      })),
      elapsedMs: result.elapsedMs,
      cachedConditions: 0,
    };
  }

  async rows(definition: unknown, request: Parameters<typeof duckDbPreviewPage>[4]): Promise<RowsReply> {
    const page = await duckDbPreviewPage(this.session, this.evaluator, definition, this.propertyColumns, request);
    return { total: page?.total ?? 0, rows: page?.rows ?? [], propertyColumns: this.propertyColumns };
  }

  /** Export and Copy: every matched profile (in profile-ID order), as the memory engine writes them. */
  async export(definition: unknown, format: 'csv' | 'ids' | 'emails', path: string): Promise<ExportReply> {
    const rows = await duckDbMatchedRows(this.session, this.evaluator, definition, this.propertyColumns, format === 'ids');
    return exportReply(format, rows ?? [], this.propertyColumns, path);
  }

  /**
   * Size over time: the definition evaluated as of the end of each of the last `days` UTC days
   * (the instants of the memory engine's series, engine/history.ts), one evaluation per day;
   * `onPoint` hears after each, and `isCancelled` stops between them.
   */
  async history(definition: unknown, days: number, onPoint: (done: number, total: number) => void, isCancelled: () => boolean): Promise<HistoryReply> {
    const started = Date.now();
    const instants = historyInstants(referenceTime(this.evaluator.info.now), days);
    const points: HistoryReply['points'] = [];
    const reasons = new Set<string>();
    for (const now of instants) {
      if (isCancelled()) throw new EvaluationCancelled();
      const result = await this.evaluator.evaluate(definition, { ids: false, limit: 0, now });
      for (const reason of result.notEvaluable) reasons.add(reason);
      points.push({ day: new Date(now).toISOString().slice(0, 10), now, matched: result.matched, total: result.total });
      onPoint(points.length, instants.length);
    }
    return { points, notEvaluable: [...reasons], elapsedMs: Date.now() - started };
  }

  /**
   * "Why it matched": whether the profile matches each condition, from the compiled SQL's flags
   * (as of `now`, default the workspace's); its row and each condition's evidence from the
   * profile's own data, read into a workspace of that one profile and explained by the memory
   * engine's code (duckdb/profileWorkspace.ts).
   */
  async explain(definition: unknown, profileId: string, now: number | undefined): Promise<ExplainReply> {
    const one = await duckDbProfileWorkspace(this.session, profileId, this.summary, this.evaluator.info.now);
    if (!one) return { profile: null, matched: false, conditions: [] };
    const outcome = await this.evaluator.profileOutcome(definition, profileId, now);
    const condition = (g: number, c: number) => outcome.conditions[g]?.[c] ?? null;
    return explainReply(one, new ProfileTable(one, this.summary), 0, definition, { matched: outcome.matched, condition }, this.evaluator.names, now);
  }

  /** Compare Two Segments: both counts and the intersection, in one query over their flags (DuckDbEvaluator.membership). */
  async compare(a: unknown, b: unknown): Promise<CompareResult> {
    const { outcomes, cells } = await this.evaluator.membership([a, b]);
    const [first, second] = outcomes.map(countOf);
    const both = first === null || second === null ? null : sumOf(cells, (members) => members.length === 2);
    return compareResult(this.evaluator.info.profiles, first, second, both);
  }

  /** Compare Segments in Folder: the definitions' exclusive cells from one query, the rest from them (engine/overlap.ts). */
  async overlap(definitions: readonly unknown[]): Promise<Omit<OverlapReply, 'elapsedMs'>> {
    const { outcomes, cells } = await this.evaluator.membership(definitions);
    const counted = outcomes.flatMap((outcome, i) => ('matched' in outcome ? [i] : []));
    // The reply's cells name the counted definitions by their place among them, as the memory engine's do.
    const overlap = overlapOfCells(
      cells.map((cell) => ({ members: cell.members.map((i) => counted.indexOf(i)), count: cell.count })),
      counted.length,
    );
    return {
      total: this.evaluator.info.profiles,
      outcomes: outcomes.map((o) => ('matched' in o ? overlapOutcome(o.matched, []) : overlapOutcome(null, o.notEvaluable))),
      counted,
      ...overlap,
    };
  }

  /** A page of the profiles matched by every definition of `inside` and by none of `outside` (an overlap cell). */
  async setRows(inside: readonly unknown[], outside: readonly unknown[], request: DuckDbPageRequest): Promise<RowsReply> {
    const page = await duckDbSetPage(this.session, this.evaluator, inside, outside, this.propertyColumns, request);
    return { total: page?.total ?? 0, rows: page?.rows ?? [], propertyColumns: this.propertyColumns };
  }

  /** The change since HEAD: who enters and who leaves, from one query over both versions' flags (`before` null: a new file). */
  async diff(before: unknown, after: unknown): Promise<DiffReply> {
    const total = this.evaluator.info.profiles;
    const side = (outcome: MembershipOutcome) =>
      'matched' in outcome ? { matched: outcome.matched, notEvaluable: [] } : { matched: null, notEvaluable: outcome.notEvaluable };
    if (before === null) {
      // A new file matched no one before.
      const { outcomes } = await this.evaluator.membership([after]);
      const now = countOf(outcomes[0]);
      return { total, before: { matched: 0, notEvaluable: [] }, after: side(outcomes[0]), added: now, removed: now === null ? null : 0 };
    }
    const { outcomes, cells } = await this.evaluator.membership([before, after]);
    const counted = outcomes.every((o) => 'matched' in o);
    return {
      total,
      before: side(outcomes[0]),
      after: side(outcomes[1]),
      added: counted ? sumOf(cells, (members) => members.includes(1) && !members.includes(0)) : null,
      removed: counted ? sumOf(cells, (members) => members.includes(0) && !members.includes(1)) : null,
    };
  }
}

const countOf = (outcome: MembershipOutcome): number | null => ('matched' in outcome ? outcome.matched : null);

/** The profiles of the cells whose members `test` accepts. */
const sumOf = (cells: readonly OverlapCell[], test: (members: readonly number[]) => boolean): number =>
  cells.reduce((sum, cell) => sum + (test(cell.members) ? cell.count : 0), 0);
