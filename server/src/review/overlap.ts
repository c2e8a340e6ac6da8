import { readFileSync } from 'node:fs';
import type { Bitset } from '../engine/bitset';
import { intersectionOf, overlapOfSets, type OverlapCell } from '../engine/overlap';
import type { Workspace } from '../engine/workspace';
import { profileSummary, type ProfileSummary } from './profiles';
import { evaluateSegmentText, type EvaluationContext, type SegmentOutcome } from './segmentEvaluation';

export type { OverlapCell } from '../engine/overlap';

export interface OverlapSegment {
  file: string;
  name: string | null;
  /** Profiles the segment matches. */
  count: number;
}

/** A segment file that could not be counted, and so is left out of the overlap. */
export interface LeftOutSegment {
  file: string;
  name: string | null;
  outcome: Exclude<SegmentOutcome, { kind: 'counted' }>;
}

export interface OverlapResult {
  /** Profiles in the workspace. */
  total: number;
  /** Profiles in at least one segment (the sum of the cells' counts). */
  union: number;
  segments: OverlapSegment[];
  /** `pairwise[i][j]`: profiles in both segment i and segment j; the diagonal is each segment's count. */
  pairwise: number[][];
  /** Every non-empty exclusive intersection, largest first (ties: fewer segments, then by index). */
  cells: OverlapCell[];
  leftOut: LeftOutSegment[];
}

/**
 * The overlap of counted segments: pairwise intersections and the exclusive cells of an UpSet
 * chart. Keeps the matched sets, so a cell's profiles can be listed afterwards.
 */
export class SegmentOverlap {
  readonly result: OverlapResult;

  constructor(
    private readonly workspace: Workspace,
    segments: readonly OverlapSegment[],
    private readonly sets: readonly Bitset[],
    leftOut: readonly LeftOutSegment[],
  ) {
    const { union, pairwise, cells } = overlapOfSets(sets, workspace.profileCount);
    this.result = { total: workspace.profileCount, union, segments: [...segments], pairwise, cells, leftOut: [...leftOut] };
  }

  /** The profiles (workspace indexes, increasing) in exactly the segments `members` and no other. */
  cellProfiles(members: readonly number[]): number[] {
    const inside = new Set(members);
    const set = intersectionOf(
      members.map((s) => this.sets[s]),
      this.sets.filter((_, s) => !inside.has(s)),
    );
    return set ? set.toArray() : [];
  }

  /** The IDs of a cell's profiles. */
  cellProfileIds(members: readonly number[]): string[] {
    return this.cellProfiles(members).map((p) => this.workspace.profileIds.at(p));
  }

  /** The first `limit` profiles of a cell, with email, name and location. */
  cellProfileSummaries(members: readonly number[], limit: number): ProfileSummary[] {
    return this.cellProfiles(members)
      .slice(0, limit)
      .map((p) => profileSummary(this.workspace, p));
  }
}

/**
 * Evaluates segment files on one workspace and computes their overlap. Files that are invalid or
 * not evaluable locally are left out (and listed). `file` is how each file is shown.
 */
export function overlapOfFiles(files: readonly { path: string; file: string }[], workspace: Workspace, context: EvaluationContext): SegmentOverlap {
  const segments: OverlapSegment[] = [];
  const sets: Bitset[] = [];
  const leftOut: LeftOutSegment[] = [];
  for (const { path, file } of files) {
    const { evaluation, set } = evaluateSegmentText(readFileSync(path, 'utf8'), context);
    if (evaluation.outcome.kind === 'counted' && set) {
      segments.push({ file, name: evaluation.name, count: evaluation.outcome.matched });
      sets.push(set);
    } else if (evaluation.outcome.kind !== 'counted') {
      leftOut.push({ file, name: evaluation.name, outcome: evaluation.outcome });
    }
  }
  return new SegmentOverlap(workspace, segments, sets, leftOut);
}
