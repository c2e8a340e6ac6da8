import { readFileSync } from 'node:fs';
import { Bitset } from '../engine/bitset';
import type { Workspace } from '../engine/workspace';
import { profileSummary, type ProfileSummary } from './profiles';
import { evaluateSegmentText, type EvaluationContext, type SegmentOutcome } from './segmentEvaluation';

export interface OverlapSegment {
  file: string;
  name: string | null;
  /** Profiles the segment matches. */
  count: number;
}

/** An exclusive intersection: the profiles in exactly these segments and in no other. */
export interface OverlapCell {
  /** Indexes into `segments`, increasing. */
  members: number[];
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

/** The membership key of one profile: a bit mask while there are few segments, else the member list. */
function membershipKeys(sets: readonly Bitset[], union: Bitset): Map<number | string, number> {
  const counts = new Map<number | string, number>();
  const small = sets.length <= 31;
  for (const p of union.indexes()) {
    let mask = 0;
    const members: number[] = [];
    for (let s = 0; s < sets.length; s++) {
      if (!sets[s].has(p)) continue;
      if (small) mask |= 1 << s;
      else members.push(s);
    }
    const key = small ? mask : members.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function membersOfKey(key: number | string): number[] {
  if (typeof key === 'string') return key.split(',').map(Number);
  const members: number[] = [];
  for (let s = 0; s < 31; s++) if (key & (1 << s)) members.push(s);
  return members;
}

function compareCells(a: OverlapCell, b: OverlapCell): number {
  if (a.count !== b.count) return b.count - a.count;
  if (a.members.length !== b.members.length) return a.members.length - b.members.length;
  for (let i = 0; i < a.members.length; i++) if (a.members[i] !== b.members[i]) return a.members[i] - b.members[i];
  return 0;
}

/**
 * The overlap of counted segments: pairwise intersections and the exclusive cells of an UpSet
 * chart. Keeps the matched sets, so a cell's profiles can be listed afterwards.
 */
export class SegmentOverlap {
  readonly result: OverlapResult;

  constructor(private readonly workspace: Workspace, segments: readonly OverlapSegment[], private readonly sets: readonly Bitset[], leftOut: readonly LeftOutSegment[]) {
    let union = new Bitset(workspace.profileCount);
    for (const set of sets) union = union.or(set);
    const pairwise = sets.map((a, i) => sets.map((b, j) => (i === j ? a.count() : a.and(b).count())));
    const cells = [...membershipKeys(sets, union)].map(([key, count]) => ({ members: membersOfKey(key), count })).sort(compareCells);
    this.result = { total: workspace.profileCount, union: union.count(), segments: [...segments], pairwise, cells, leftOut: [...leftOut] };
  }

  /** The profiles (workspace indexes, increasing) in exactly the segments `members` and no other. */
  cellProfiles(members: readonly number[]): number[] {
    if (members.length === 0) return [];
    const inside = new Set(members);
    let set = this.sets[members[0]];
    for (const s of members.slice(1)) set = set.and(this.sets[s]);
    this.sets.forEach((other, s) => {
      if (!inside.has(s)) set = set.andNot(other);
    });
    return set.toArray();
  }

  /** The IDs of a cell's profiles. */
  cellProfileIds(members: readonly number[]): string[] {
    return this.cellProfiles(members).map((p) => this.workspace.profileIds[p]);
  }

  /** The first `limit` profiles of a cell, with email, name and location. */
  cellProfileSummaries(members: readonly number[], limit: number): ProfileSummary[] {
    return this.cellProfiles(members).slice(0, limit).map((p) => profileSummary(this.workspace, p));
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
