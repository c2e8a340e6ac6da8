/**
 * What the parts of the coverage analysis share (analyze.ts runs them in order): the segment files
 * as evaluated entries, the stage candidates and how each stage is covered, and small helpers for
 * the evidence text. One module per finding kind under findings/ reads a `Review` and returns its
 * findings.
 */
import type { Bitset } from '../engine/bitset';
import type { NameLookup } from '../engine/describe';
import type { Workspace } from '../engine/workspace';
import { MARKETING_WORDS } from '../segment/workspaceRules';
import type { StageCandidate } from './stages';
import { formatCount, formatShare, readableName } from './stats';
import type { CoverageSegmentInput, CoverageThresholds, Finding, IntendedUse, ListInventoryEntry, ListRef, MetricRef, StageCoverage } from './types';

/** A segment file as the analysis sees it. */
export interface Entry {
  input: CoverageSegmentInput;
  name: string;
  rule: string;
  definition?: Record<string, unknown>;
  set?: Bitset;
  matched: number | null;
  notEvaluable: string[];
  metrics: MetricRef[];
  lists: ListRef[];
  /** Stages read from the definition's shape. */
  shapeStages: string[];
  /** Stages covered, by shape or by membership. */
  stages: string[];
  /** definitionKey with and without consent-only groups (computed once). */
  key?: string;
  keyWithoutConsent?: string;
  consent?: boolean;
}

export interface Review {
  readonly workspace: Workspace;
  readonly names: NameLookup;
  readonly thresholds: CoverageThresholds;
  readonly entries: readonly Entry[];
  /** Lifecycle candidates and the product-interest groups kept, in report order. */
  readonly candidates: readonly StageCandidate[];
  readonly byStage: ReadonlyMap<string, StageCandidate>;
  readonly stages: readonly StageCoverage[];
  readonly lists: readonly ListInventoryEntry[];
}

/** A finding before the owner and cadence of its intended use are added. */
export type NewFinding = Omit<Finding, 'owner' | 'cadence'>;

/** A share of all profiles (0 in an empty workspace). */
export function shareOf(review: Review, n: number): number {
  const total = review.workspace.profileCount;
  return total === 0 ? 0 : n / total;
}

/** "1,234 profiles (5.6%)". */
export function audience(review: Review, n: number): string {
  return `${formatCount(n)} profiles (${formatShare(shareOf(review, n))})`;
}

/** "Name (ID)", or the ID. */
export function label(ref: { id: string; name?: string }): string {
  return ref.name ? `${ref.name} (${ref.id})` : ref.id;
}

/** The intended use of a file: its first stage's, else campaign targeting for marketing names, else reporting. */
export function useOf(entry: Entry, byStage: ReadonlyMap<string, StageCandidate>): IntendedUse {
  for (const stage of entry.stages) {
    const use = byStage.get(stage)?.use;
    if (use) return use;
  }
  return isMarketing(entry) ? 'campaign targeting' : 'reporting';
}

/** The file's name or file name says it is for marketing (the consent hint's word list). */
export function isMarketing(entry: Entry): boolean {
  return MARKETING_WORDS.test(entry.name) || MARKETING_WORDS.test(readableName(entry.input.file));
}
