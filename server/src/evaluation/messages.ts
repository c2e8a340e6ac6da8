import type { WorkspaceSummary } from '../engine/catalog';
import type { LoadProgress, LoadWarning } from '../workspace/loadWorkspace';
import type { CompareResult, ConditionEvidence, ProfileRow } from '../protocol';
import type { CoverageOptions, CoverageReply, CoverageSegmentSource } from '../coverage/types';
import type { EngineDecision, EngineSetting } from '../duckdb/engineChoice';

/**
 * What the evaluation worker answers: each method's parameters and result, shared by the host
 * (host/workspaceHost.ts, which sends) and the worker (evaluationWorker.ts, which handles), so
 * neither side casts a reply.
 */
export interface WorkerMethods {
  evaluate: { params: { definition: unknown }; result: EvaluateReply };
  rows: {
    params: { definition: unknown; now?: number; offset: number; limit: number; sort?: { column: string; descending?: boolean }; filter?: string };
    result: RowsReply;
  };
  explain: { params: { definition: unknown; now?: number; profileId: string }; result: ExplainReply };
  /** Size over time: posts `progress-of` messages while it works. */
  history: { params: { definition: unknown; days: number }; result: HistoryReply };
  compare: { params: { a: unknown; b: unknown }; result: CompareResult };
  /** How the audiences of several definitions intersect (the overlap panel). */
  overlap: { params: { definitions: unknown[] }; result: OverlapReply };
  /** A page of the profiles matched by every definition of `inside` and by none of `outside`. */
  setRows: {
    params: { inside: unknown[]; outside: unknown[]; offset: number; limit: number; sort?: { column: string; descending?: boolean }; filter?: string };
    result: RowsReply;
  };
  /** A definition against an earlier one (null: none, a new file): who enters and who leaves. */
  diff: { params: { before: unknown; after: unknown }; result: DiffReply };
  export: { params: { definition: unknown; path: string; format: 'csv' | 'ids' | 'emails' }; result: ExportReply };
  coverage: { params: { segments: CoverageSegmentSource[]; options?: CoverageOptions }; result: CoverageReply };
  /** The worker's V8 heap in use, after a full garbage collection when the process allows one (--expose-gc). */
  memory: { params: Record<string, never>; result: { heapUsed: number } };
}

export type WorkerMethod = keyof WorkerMethods;
export type WorkerParams<M extends WorkerMethod> = WorkerMethods[M]['params'];
export type WorkerResult<M extends WorkerMethod> = WorkerMethods[M]['result'];

/** One request as it travels: the method and its parameters. */
export type WorkerRequest = { [M in WorkerMethod]: { method: M; params: WorkerParams<M> } }[WorkerMethod];

/** `segmentLens.engine`, and the engine a workspace got (duckdb/engineChoice.ts). */
export type { EngineDecision, EngineSetting };

/** The worker methods the DuckDB engine answers; the others answer `unsupportedByDuckDb`. */
export const DUCKDB_METHODS: ReadonlySet<WorkerMethod> = new Set<WorkerMethod>([
  'evaluate',
  'rows',
  'explain',
  'history',
  'compare',
  'overlap',
  'setRows',
  'diff',
  'export',
  'memory',
]);

const FEATURE_NAMES: Partial<Record<WorkerMethod, string>> = {
  coverage: 'Review Segment Coverage',
};

/** Why the DuckDB engine does not answer `method` (yet), naming the setting that changes it. */
export function unsupportedByDuckDb(method: WorkerMethod): string {
  return `${FEATURE_NAMES[method] ?? method} is not available with the DuckDB engine yet: set segmentLens.engine to "memory" (or "auto" for a workspace below the DuckDB threshold) to use it.`;
}

/** Messages between the language server (host) and the evaluation worker that owns a workspace. */
export type HostToWorker =
  | {
      type: 'load';
      root: string;
      now?: number;
      engine: EngineSetting;
      /** Set when an earlier load in memory ran out of memory (under `auto`): load with DuckDB, saying why. */
      outOfMemory?: string;
    }
  | { type: 'request'; id: number; request: WorkerRequest; cancel: SharedArrayBuffer };

/** An export's result: how many profiles, and the text itself when no file was asked for. */
export interface ExportReply {
  written: number;
  text?: string;
}

export interface EvaluateReply {
  total: number;
  matched: number | null;
  notEvaluable: string[];
  groups: { matched: number | null; afterAnd: number | null; conditions: { matched: number | null; notEvaluable?: string }[] }[];
  elapsedMs: number;
  cachedConditions: number;
}

export interface RowsReply {
  total: number;
  rows: ProfileRow[];
  propertyColumns: string[];
}

export interface ExplainReply {
  profile: ProfileRow | null;
  matched: boolean;
  conditions: ConditionEvidence[];
}

export interface HistoryReply {
  points: { day: string; now: number; matched: number | null; total: number }[];
  notEvaluable: string[];
  elapsedMs: number;
}

export interface OverlapReply {
  total: number;
  /** Per definition: its count, or why it is not evaluable locally. */
  outcomes: ({ matched: number } | { notEvaluable: string })[];
  /** The definitions that were counted (indexes into `outcomes`); the cells' members index this list. */
  counted: number[];
  union: number;
  pairwise: number[][];
  cells: { members: number[]; count: number }[];
  elapsedMs: number;
}

export interface DiffSideReply {
  matched: number | null;
  notEvaluable: string[];
}

export interface DiffReply {
  total: number;
  before: DiffSideReply;
  after: DiffSideReply;
  /** Null when a side cannot be counted. */
  added: number | null;
  removed: number | null;
}

export type WorkerReply = WorkerResult<WorkerMethod>;

export type WorkerToHost =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'loaded'; summary: WorkspaceSummary; warnings: LoadWarning[]; files: string[]; loadMs: number; root: string; engine: EngineDecision }
  /** Which engine the load under way uses (before it is ready: a load that runs out of memory is blamed on it). */
  | { type: 'engine'; engine: EngineDecision }
  | { type: 'load-failed'; message: string }
  | { type: 'reply'; id: number; result: WorkerReply }
  /** How far a long request has got (history). */
  | { type: 'progress-of'; id: number; done: number; total: number }
  | { type: 'failed'; id: number; message: string; cancelled: boolean };
