import type { WorkspaceSummary } from '../engine/catalog';
import { openWorkspaceDatabase } from '../duckdb/engineChoice';
import type { DuckDbEvaluator } from '../duckdb/evaluate';
import { duckDbPreviewPage } from '../duckdb/preview';
import { duckDbProfileWorkspace } from '../duckdb/profileWorkspace';
import type { DuckDbSession } from '../duckdb/session';
import { duckDbWorkspaceSummary } from '../duckdb/summary';
import { workspaceFiles, type LoadProgress, type WorkspaceConfig } from '../workspace/loadWorkspace';
import type { CompareResult } from '../protocol';
import { compareResult, explainReply } from './explainReply';
import type { EvaluateReply, ExplainReply, RowsReply } from './messages';
import { previewPropertyColumns, ProfileTable } from './profileTable';

/**
 * A workspace evaluated by DuckDB in the evaluation worker (segmentLens.engine): converted into
 * the engine cache (duckdb/convert.ts), opened read-only, counted and paged through the SQL
 * compiler (and "why it matched" and Compare Two Segments with it); its summary is built from the
 * converted tables (duckdb/summary.ts).
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

  /**
   * "Why it matched": whether the profile matches each condition, from the compiled SQL's flags
   * (as of `now`, default the workspace's); its row and each condition's evidence from the
   * profile's own data, read into a workspace of that one profile and explained by the memory
   * engine's code (duckdb/profileWorkspace.ts).
   */
  async explain(definition: unknown, profileId: string, now: number | undefined): Promise<ExplainReply> {
    const one = await duckDbProfileWorkspace(this.session, profileId, this.summary.name, this.evaluator.info.now);
    if (!one) return { profile: null, matched: false, conditions: [] };
    const outcome = await this.evaluator.profileOutcome(definition, profileId, now);
    const condition = (g: number, c: number) => outcome.conditions[g]?.[c] ?? null;
    return explainReply(one, new ProfileTable(one, this.summary), 0, definition, { matched: outcome.matched, condition }, this.evaluator.names, now);
  }

  /** Compare Two Segments, counted in one query over both definitions' flags. */
  async compare(a: unknown, b: unknown): Promise<CompareResult> {
    const counts = await this.evaluator.compare(a, b);
    return compareResult(this.evaluator.info.profiles, counts.a, counts.b, counts.both);
  }
}
