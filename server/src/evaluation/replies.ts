import type { NameLookup } from '../engine/describe';
import { describeCondition } from '../engine/describe';
import { explainCondition } from '../engine/explain';
import { isRecord } from '../engine/outcome';
import type { Workspace } from '../engine/workspace';
import type { CompareResult } from '../protocol';
import type { ExplainReply, OverlapReply } from './messages';
import type { ProfileTable } from './profileTable';

/*
 * The replies both engines assemble the same way (the memory engine from its sets, DuckDB from
 * its queries), so that the panels cannot tell them apart.
 */

/** The conditions of a definition, by group (what is not a list reads as none). */
export function conditionsOf(definition: unknown): unknown[][] {
  const groups = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  return groups.map((g) => (isRecord(g) && Array.isArray(g.conditions) ? g.conditions : []));
}

/** Whether a profile matched the definition and each of its conditions (null: the condition is not evaluable). */
export interface ProfileOutcome {
  matched: boolean;
  condition(group: number, condition: number): boolean | null;
}

/**
 * "Why it matched" for profile `p` of `workspace`: its row, and each condition's outcome with the
 * evidence the condition's kind finds in the profile's data. Both engines answer with it: the
 * memory engine with its whole workspace, DuckDB with a workspace of the one profile read from
 * the database (duckdb/profileWorkspace.ts), the outcomes coming from its SQL.
 */
export function explainReply(
  workspace: Workspace,
  table: ProfileTable,
  p: number,
  definition: unknown,
  outcome: ProfileOutcome,
  names: NameLookup,
  now: number | undefined,
): ExplainReply {
  const conditions = conditionsOf(definition).flatMap((group, g) =>
    group.map((condition, c) => {
      const evidence = explainCondition(workspace, condition, p, names, now);
      return {
        group: g,
        condition: c,
        description: describeCondition(condition, names),
        matched: outcome.condition(g, c),
        evidence: evidence.text,
        events: evidence.events,
      };
    }),
  );
  return { profile: table.row(p), matched: outcome.matched, conditions };
}

/** Compare Two Segments from the two counts and their intersection (null: one of them is not evaluable). */
export function compareResult(total: number, a: number | null, b: number | null, both: number | null): CompareResult {
  if (a === null || b === null || both === null)
    return { total, a, b, both: null, onlyA: null, onlyB: null, neither: null, message: 'One of the segments is not evaluable locally.' };
  return { total, a, b, both, onlyA: a - both, onlyB: b - both, neither: total - (a + b - both) };
}

/** One definition's outcome in Compare Segments in Folder: its count, or why it is not evaluable (the engine's reasons). */
export function overlapOutcome(matched: number | null, reasons: readonly string[]): OverlapReply['outcomes'][number] {
  return matched === null ? { notEvaluable: reasons.join('; ') || 'not evaluable locally' } : { matched };
}
