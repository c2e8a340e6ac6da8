/**
 * Types of the segment coverage report ("Segment Lens: Review Segment Coverage",
 * `segment-lens coverage`). Plain JSON: the report crosses from the evaluation worker to the
 * language server and on to the webview. How each finding is decided: docs/coverage.md.
 */

export type FindingKind = 'missing' | 'stale' | 'duplicated' | 'too-broad' | 'list-vs-segment';
export type Priority = 'high' | 'medium' | 'low';
export type IntendedUse = 'campaign targeting' | 'flow branching' | 'reactivation' | 'suppression' | 'reporting';
export type ReviewStatus = 'ready to create' | 'needs business review' | 'merge' | 'refresh' | 'retire' | 'leave alone';

export const REVIEW_STATUSES: readonly ReviewStatus[] = ['ready to create', 'needs business review', 'merge', 'refresh', 'retire', 'leave alone'];

/** One segment file as the analysis sees it. */
export interface CoverageSegmentInput {
  /** The file's path as it should be shown (relative to the folder reviewed, or absolute). */
  file: string;
  /** The segment's own name, when the file's shape carries one. */
  name?: string;
  /** The `{"condition_groups": [...]}` object; undefined when the file holds none. */
  definition?: Record<string, unknown>;
  /** Validation errors: a file with errors is listed but not evaluated. */
  errors?: string[];
}

/** A segment file as the language server or the CLI hands it to the worker. */
export interface CoverageSegmentSource {
  file: string;
  text: string;
  /** Validation errors found by the caller (the worker does not run the schema). */
  errors?: string[];
}

export interface CoverageOptions {
  /** The workspace folder, echoed in the report (the client puts created files under it). */
  root?: string;
  /** A file covers a stage by membership when Jaccard(file, stage audience) ≥ this. Default 0.8. */
  coverJaccard?: number;
  /** Two segments are near-duplicates when Jaccard ≥ this. Default 0.9. */
  duplicateJaccard?: number;
  /** A segment matching at least this share of all profiles is too broad. Default 0.8. */
  tooBroadShare?: number;
  /** A metric whose last event is older than this many days is silent (stale). Default 180. */
  staleMetricDays?: number;
  /** The smallest audience worth a segment. Default max(10, 0.5% of profiles). */
  minAudience?: number;
  /** How many product-interest groups to propose at most. Default 5. */
  productInterestGroups?: number;
  /** Refresh cadence of the tracker rows. Default "quarterly". */
  cadence?: string;
  /** Suggested owner per intended use (defaults in docs/coverage.md). */
  owners?: Partial<Record<IntendedUse, string>>;
}

export interface MetricRef {
  id: string;
  name?: string;
  /** False when the workspace has no metric with this ID. */
  found: boolean;
}

export interface ListRef {
  id: string;
  name?: string;
  found: boolean;
}

/** A row of the inventory: one segment file. */
export interface SegmentInventoryEntry {
  file: string;
  /** The segment's name, or the file name made readable. */
  name: string;
  /** Plain-English rule. */
  rule: string;
  matched: number | null;
  /** matched / profiles, 0..1 (null when not evaluated). */
  share: number | null;
  metrics: MetricRef[];
  lists: ListRef[];
  /** Lifecycle stages this file covers (by definition or by membership). */
  stages: string[];
  errors?: string[];
  notEvaluable?: string[];
}

/** A row of the inventory of the workspace's lists. */
export interface ListInventoryEntry {
  id: string;
  name: string;
  optInProcess?: string;
  members: number;
  share: number;
  /** Segment files that use the list. */
  usedBy: string[];
}

/** What `--create` and the "Create segment file" button write. */
export interface SegmentProposal {
  /** Suggested file name, e.g. "vip-customers.json". */
  fileName: string;
  definition: Record<string, unknown>;
  /** The exact text to write (2-space JSON and a final newline). */
  text: string;
  /** Profiles the definition matches in this workspace now. */
  matched: number;
}

export interface Finding {
  kind: FindingKind;
  /** For `missing`: the stage the proposal fills (also its file name without `.json`). */
  stage?: string;
  /** The segment files the finding is about. */
  files?: string[];
  /** Counts from the data that support the finding. */
  evidence: string;
  priority: Priority;
  recommendation: string;
  /** Short label: the recommended segment or the file. */
  title: string;
  /** Plain-English rule of the recommended or existing segment. */
  rule: string;
  use: IntendedUse;
  owner: string;
  status: ReviewStatus;
  cadence: string;
  /** For `missing`: the definition to create. */
  proposal?: SegmentProposal;
}

/** One row of the coverage tracker (Markdown and CSV). */
export interface TrackerRow {
  segment: string;
  files: string[];
  kind: FindingKind | 'covered';
  stage?: string;
  rule: string;
  evidence: string;
  use: IntendedUse;
  priority: Priority;
  owner: string;
  status: ReviewStatus;
  cadence: string;
  recommendation: string;
}

/** How a lifecycle stage is covered, for the report's stage table. */
export interface StageCoverage {
  stage: string;
  title: string;
  /** The audience the recommended definition matches now (null: the data cannot support the stage). */
  matched: number | null;
  supported: boolean;
  /** Why the stage is not proposed (unsupported) or how it was derived. */
  basis: string;
  coveredBy: { file: string; how: 'definition' | 'membership'; jaccard: number | null }[];
}

/** Thresholds derived from the data (null: not enough data to derive them). */
export interface CoverageThresholds {
  buyers: number;
  /** 90th percentile of orders per buyer, and the VIP order threshold (≥ 3). */
  ordersP90: number | null;
  vipOrders: number | null;
  /** 90th percentile of total order value per buyer, and the VIP spend threshold (rounded down). */
  spendP90: number | null;
  vipSpend: number | null;
  /** Days between consecutive orders of the same customer. */
  repeatGaps: number;
  medianGapDays: number | null;
  p75GapDays: number | null;
  p95GapDays: number | null;
  replenishmentDays: number | null;
  atRiskDays: number;
  atRiskEndDays: number;
  lapsedDays: number;
  engagedWindows: number[];
  coverJaccard: number;
  duplicateJaccard: number;
  tooBroadShare: number;
  staleMetricDays: number;
  minAudience: number;
}

export interface CoverageSummaryItem {
  status: ReviewStatus;
  count: number;
  items: string[];
}

export interface CoverageReport {
  workspace: { name: string; root?: string; now: string; profiles: number; events: number };
  thresholds: CoverageThresholds;
  stages: StageCoverage[];
  segments: SegmentInventoryEntry[];
  lists: ListInventoryEntry[];
  findings: Finding[];
  tracker: TrackerRow[];
  summary: CoverageSummaryItem[];
  elapsedMs: number;
}

/** The report with its Markdown and CSV renderings (what the worker returns). */
export interface CoverageReply {
  report: CoverageReport;
  markdown: string;
  csv: string;
}

/** `segmentLens/coverage` request: a file or folder inside the data workspace to review. */
export interface CoverageParams {
  uri: string;
}

export type CoverageResult =
  /** `newFiles`: where each proposal's file goes (by its `fileName`), relative to the workspace, so that `segmentLens.files` matches it. */
  ({ state: 'ok'; newFiles: Record<string, string> } & CoverageReply) | { state: 'no-workspace' | 'failed'; message: string };

export const CoverageMethods = {
  coverage: 'segmentLens/coverage',
} as const;

/** Headings of the finding kinds, in report order (Markdown report and webview). */
export const KIND_TITLES: Readonly<Record<FindingKind, string>> = {
  missing: 'Missing segments',
  stale: 'Stale segments',
  duplicated: 'Duplicated segments',
  'too-broad': 'Too broad',
  'list-vs-segment': 'Lists vs segments',
};
