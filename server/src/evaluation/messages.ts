import type { WorkspaceSummary } from '../engine/catalog';
import type { LoadProgress, LoadWarning } from '../workspace/loadWorkspace';
import type { CompareResult, ConditionEvidence, ProfileRow } from '../protocol';
import type { CoverageOptions, CoverageReply, CoverageSegmentSource } from '../coverage/types';

/** Messages between the language server (host) and the evaluation worker that owns a workspace. */
export type HostToWorker =
  | { type: 'load'; root: string; now?: number }
  | { type: 'request'; id: number; request: WorkerRequest; cancel: SharedArrayBuffer };

export type WorkerRequest =
  | { method: 'evaluate'; definition: unknown }
  | { method: 'rows'; definition: unknown; offset: number; limit: number; sort?: { column: string; descending?: boolean }; filter?: string }
  | { method: 'explain'; definition: unknown; profileId: string }
  | { method: 'compare'; a: unknown; b: unknown }
  | { method: 'export'; definition: unknown; path: string; format: 'csv' | 'ids' | 'emails' }
  | { method: 'coverage'; segments: CoverageSegmentSource[]; options?: CoverageOptions };

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

export type WorkerReply = EvaluateReply | RowsReply | ExplainReply | CompareResult | { written: number; text?: string } | CoverageReply;

export type WorkerToHost =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'loaded'; summary: WorkspaceSummary; warnings: LoadWarning[]; files: string[]; loadMs: number; root: string }
  | { type: 'load-failed'; message: string }
  | { type: 'reply'; id: number; result: WorkerReply }
  | { type: 'failed'; id: number; message: string; cancelled: boolean };
