import type { Condition, ConditionOutcome, EvaluationContext } from '../outcome';
import type { SqlBuilder, SqlPredicate, SqlResult } from './sqlBuilder';
import type { ReferenceTime } from '../time';

/** What a kind's series evaluation gets: the workspace and the cancellation checkpoint, for many instants. */
export type SeriesContext = Omit<EvaluationContext, 'ref'>;

/** Names for opaque IDs, from the workspace when there is one. */
export interface NameLookup {
  metricName?(id: string): string | undefined;
  listName?(id: string): string | undefined;
}

/** Why a condition holds (or not) for one profile, for the preview's "why it matched". */
export interface Evidence {
  /** What the data says for this profile, in plain language. */
  text: string;
  /** For conditions on events: the instants (ISO, UTC) of the events that counted. */
  events?: string[];
}

/** A JSON path inside a condition: `['filter', 'value']`, `['steps', 2, 'metric_filters']`. */
export type ConditionPath = readonly (string | number)[];

/**
 * A problem a kind finds in a condition that JSON Schema cannot express (a documented API limit,
 * a code that is not a country...). The segment layer places it on the token at `at` and turns
 * `fixes` into text edits.
 */
export interface KindProblem {
  /** Where: the value at this path inside the condition (the condition itself when empty). */
  at: ConditionPath;
  severity: 'error' | 'warning';
  /** Documented in docs/diagnostics.md. */
  code: string;
  message: string;
  /** Quick fixes that replace the value at `at` with `value` (written as JSON). */
  fixes?: { title: string; value: unknown; isPreferred?: boolean }[];
}

/** What a kind's checks may use: a "did you mean" among candidates. */
export interface CheckContext {
  nearest(input: string, candidates: readonly string[]): string | undefined;
}

/** The completion template of a kind: a snippet that inserts a complete, valid condition. */
export interface ConditionTemplate {
  /** The completion's label ("What someone has done (metric)"). */
  title: string;
  description: string;
  /** A snippet (`${1:…}` tab stops, `${2|a,b|}` choices) of the whole condition object. */
  body: string;
}

/**
 * Everything Segment Lens knows about one condition `type`, in one place: how it is evaluated,
 * explained for one profile, read in plain English, annotated on hover, completed, checked
 * beyond the schema, and compiled to SQL. The evaluator, the reader, hover, completion, the rules
 * and the SQL compiler iterate `CONDITION_KINDS` (conditions/index.ts) and know no kind by name.
 */
export interface ConditionKind {
  /** The condition's `type` value. */
  readonly type: string;
  readonly template: ConditionTemplate;
  /**
   * The kind reads things that happen over time (events, list joins, suppressions), so its
   * result depends on `now` even without a relative date filter (the evaluator caches by it).
   */
  readonly readsHistory?: boolean;
  /** The profiles matching the condition, or why the workspace cannot tell. */
  evaluate(ctx: EvaluationContext, condition: Condition): ConditionOutcome;
  /**
   * The condition as of each of several instants at once (a size-over-time series, `refs` in
   * increasing order), when the kind can do better than one evaluation per instant: one outcome
   * per ref, each exactly what `evaluate` gives as of it. Undefined: evaluate instant by instant.
   */
  evaluateSeries?(ctx: SeriesContext, condition: Condition, refs: readonly ReferenceTime[]): ConditionOutcome[] | undefined;
  /** The evidence for one profile ("why it matched"). */
  explain(ctx: EvaluationContext, condition: Condition, profile: number, names: NameLookup): Evidence;
  /** A plain-English reading ("Placed Order at least once in the last 30 days"). */
  describe(condition: Condition, names: NameLookup): string;
  /** The evaluation rules of docs/semantics.md specific to this kind that surprise people (hover). */
  notes(condition: Condition): string[];
  /**
   * The condition as a SQL predicate on one profile, built through `builder` (server/src/sql/
   * implements it for each dialect and table layout), with the evaluator's rules; or why it is
   * not evaluable (the evaluator's reasons).
   */
  sql(condition: Condition, builder: SqlBuilder): SqlResult<SqlPredicate>;
  /** Checks beyond the schema; reports each problem found. */
  check?(condition: Condition, report: (problem: KindProblem) => void, ctx: CheckContext): void;
}
