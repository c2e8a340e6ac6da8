import { Bitset } from './bitset';

/**
 * How the audiences of several segments intersect (pure: matched sets in, plain numbers out).
 * The CLI's `overlap` (review/overlap.ts) and the evaluation worker's overlap panel both use it.
 */

/** An exclusive intersection: the profiles in exactly these segments and in no other. */
export interface OverlapCell {
  /** Indexes into the segments, increasing. */
  members: number[];
  count: number;
}

export interface SetOverlap {
  /** Profiles in at least one segment (the sum of the cells' counts). */
  union: number;
  /** `pairwise[i][j]`: profiles in both segment i and segment j; the diagonal is each segment's count. */
  pairwise: number[][];
  /** Every non-empty exclusive intersection, largest first (ties: fewer segments, then by index). */
  cells: OverlapCell[];
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

/** Pairwise intersections and the exclusive cells of an UpSet chart, of sets over `profileCount` profiles. */
export function overlapOfSets(sets: readonly Bitset[], profileCount: number): SetOverlap {
  let union = new Bitset(profileCount);
  for (const set of sets) union = union.or(set);
  return overlapOfCells(
    [...membershipKeys(sets, union)].map(([key, count]) => ({ members: membersOfKey(key), count })),
    sets.length,
  );
}

/**
 * The overlap of `segments` segments from their exclusive cells alone (counted elsewhere: the
 * DuckDB engine groups the profiles by the segments they are in): the union is the cells' sum,
 * and segments i and j share the profiles of every cell that holds both. Empty cells are left out.
 */
export function overlapOfCells(cells: readonly OverlapCell[], segments: number): SetOverlap {
  const kept = cells.filter((cell) => cell.count > 0 && cell.members.length > 0);
  const pairwise = Array.from({ length: segments }, () => new Array<number>(segments).fill(0));
  let union = 0;
  for (const { members, count } of kept) {
    union += count;
    for (const i of members) for (const j of members) pairwise[i][j] += count;
  }
  return { union, pairwise, cells: kept.map((cell) => ({ members: [...cell.members], count: cell.count })).sort(compareCells) };
}

/**
 * The profiles in every set of `inside` and in none of `outside` (an UpSet cell: `inside` its
 * members, `outside` the other segments; a matrix cell: two sets inside, none outside).
 * Undefined when `inside` is empty.
 */
export function intersectionOf(inside: readonly Bitset[], outside: readonly Bitset[]): Bitset | undefined {
  if (inside.length === 0) return undefined;
  let set = inside[0];
  for (const other of inside.slice(1)) set = set.and(other);
  for (const other of outside) set = set.andNot(other);
  return set;
}
