import type { LatLon } from '../geo';
import type { ReferenceTime } from '../time';
import type { ConditionPath } from './kind';

/*
 * What a condition kind may ask for when it is compiled to SQL (`ConditionKind.sql`). The
 * implementation lives in server/src/sql/ (dependency inversion: the engine never imports it);
 * it knows the SQL dialect and where the data is (the table layout). A kind only combines what
 * the builder hands out: it never writes SQL text, so one kind works for every dialect and layout.
 *
 * Every predicate a builder returns is two-valued (never SQL NULL): a kind may negate it safely.
 */

declare const sqlBrand: unique symbol;

/** A boolean SQL expression, TRUE or FALSE for every profile (never NULL). */
export interface SqlPredicate {
  readonly [sqlBrand]: 'predicate';
}

/** A stored value of a profile or an event (JSON, or a typed column); missing when NULL or JSON null. */
export interface SqlValue {
  readonly [sqlBrand]: 'value';
}

/** The instant a value denotes (semantics §2), NULL when it denotes none. */
export interface SqlInstant {
  readonly [sqlBrand]: 'instant';
}

/** A number, possibly NULL (a NULL number passes no comparison). */
export interface SqlNumber {
  readonly [sqlBrand]: 'number';
}

/** A text, possibly NULL (a NULL text is in no set). */
export interface SqlText {
  readonly [sqlBrand]: 'text';
}

/** A profile's events of one metric that pass a test on each event (see `SqlBuilder.events`). */
export interface SqlEvents {
  readonly [sqlBrand]: 'events';
}

/** One event of an `SqlEvents` inside `existsEvents` / `noEvent`: its instant and its properties. */
export interface SqlEventRow {
  readonly [sqlBrand]: 'event';
  readonly time: SqlInstant;
}

/** Why a condition (or part of it) cannot be compiled: the same reasons the evaluator gives. */
export interface SqlNotEvaluable {
  readonly notEvaluable: string;
}

export type SqlResult<T> = T | SqlNotEvaluable;

export function isSqlNotEvaluable(value: unknown): value is SqlNotEvaluable {
  return typeof value === 'object' && value !== null && 'notEvaluable' in value;
}

export type SqlComparison = '<' | '<=' | '>' | '>=';

/** The operators of a numeric filter (`numericComparison` in valueFilter.ts). */
export type SqlNumericOperator = 'equals' | 'not-equals' | 'greater-than' | 'greater-than-or-equal' | 'less-than' | 'less-than-or-equal';

export interface SqlBuilder {
  /** "Now" of the compile (a parameter, written into the SQL as literals): D0, year, month, day. */
  readonly ref: ReferenceTime;

  and(...parts: SqlPredicate[]): SqlPredicate;
  or(...parts: SqlPredicate[]): SqlPredicate;
  not(part: SqlPredicate): SqlPredicate;
  constant(value: boolean): SqlPredicate;
  /** Records a rule of docs/semantics.md that SQL reproduces only approximately for the value at `at`. */
  approximation(at: ConditionPath, rule: string): void;

  /** A profile value by its path in the profile resource's `attributes` (`['location', 'city']`); a layout may not hold it. */
  profileValue(path: readonly string[], at: ConditionPath): SqlResult<SqlValue>;
  /** The member `key` of an object value (missing for anything else). */
  field(value: SqlValue, key: string): SqlValue;
  /** The element at 0-based `index` of a list value (missing for anything else, or out of range). */
  element(value: SqlValue, index: number): SqlValue;
  /** Whether the value is present (not missing, not null). */
  isPresent(value: SqlValue): SqlPredicate;
  /** Whether the value is this text, number or boolean exactly (same type, same value). */
  equalsLiteral(value: SqlValue, literal: string | number | boolean): SqlPredicate;
  /** Whether the value is a text whose lower case is one of `lowerTexts` (already lower case). */
  lowerTextIn(value: SqlValue, lowerTexts: readonly string[], at: ConditionPath): SqlPredicate;
  /** Whether some element of a list value passes `test`. */
  anyElement(value: SqlValue, test: (element: SqlValue) => SqlPredicate): SqlPredicate;
  /** A filter of semantics §3 on one value (`profile-property`'s `filter`, a metric filter, a consent filter). */
  valueFilter(value: SqlValue, filter: unknown, at: ConditionPath): SqlResult<SqlPredicate>;
  /** The instant a value denotes (parseInstant in time.ts). */
  instant(value: SqlValue): SqlInstant;
  /** A date filter of semantics §2 on an instant (a missing instant passes none). */
  dateFilter(instant: SqlInstant, filter: unknown, at: ConditionPath): SqlResult<SqlPredicate>;
  /** A date filter on the instant of something that happens (an event, a list join, a suppression): as of now, later ones have not happened yet (`compileEventWindow`). */
  happenedFilter(instant: SqlInstant, filter: unknown, at: ConditionPath): SqlResult<SqlPredicate>;
  /** Compares a number (a missing number passes nothing). */
  compareNumber(value: SqlNumber, operator: SqlNumericOperator, n: number): SqlPredicate;
  /** `value` rounded to `places` decimal places (sums of money, semantics §4). */
  round(value: SqlNumber, places: number): SqlNumber;

  /** The ISO alpha-2 code of a country value (a name, an alpha-2 or alpha-3 code), NULL when it names no country. */
  countryCode(value: SqlValue, at: ConditionPath): SqlText;
  /** Whether a text is one of `texts` (a NULL text is not). */
  textIn(text: SqlText, texts: readonly string[]): SqlPredicate;
  /** Whether a text is not NULL. */
  hasText(text: SqlText): SqlPredicate;
  /** Great-circle distance in km from `centre` to the profile's position (semantics §4), NULL without a position. */
  profileDistanceKm(centre: LatLon, at: ConditionPath): SqlResult<SqlNumber>;

  /**
   * The profile's events of a metric that pass `test` (timeframe, metric filters). Not evaluable
   * when the workspace has no such metric (known from a catalog, or checked by a precondition).
   */
  events(metricId: string, at: ConditionPath, test: (row: SqlEventRow) => SqlResult<SqlPredicate>): SqlResult<SqlEvents>;
  /** A top-level property of an event (`$event_id` and `$extra` are never set: not segmentable). */
  eventProperty(row: SqlEventRow, name: string): SqlValue;
  /** How many of the events there are (0 without any). */
  countEvents(events: SqlEvents): SqlNumber;
  /** The sum of `value` over the events: numbers add, anything else adds 0 (0 without any event). */
  sumEvents(events: SqlEvents, value: (row: SqlEventRow) => SqlValue): SqlNumber;
  /** Whether there are events e1 … ek, one of each set, for which `where` holds. */
  existsEvents(sets: readonly SqlEvents[], where: (rows: readonly SqlEventRow[]) => SqlPredicate): SqlPredicate;
  /** Whether no event of the set passes `where` (inside `existsEvents`: may compare with its rows). */
  noEvent(events: SqlEvents, where: (row: SqlEventRow) => SqlPredicate): SqlPredicate;
  /** Whether two rows are the same event. */
  sameEvent(a: SqlEventRow, b: SqlEventRow): SqlPredicate;
  /** `a <op> b + plusMs` on instants. */
  compareInstants(a: SqlInstant, operator: SqlComparison, b: SqlInstant, plusMs?: number): SqlPredicate;

  /**
   * Whether the profile is in a list as of now (a member who joined after now is not one yet),
   * and (with `joined`) whether its join instant passes a test. Not evaluable when the workspace
   * has no such list.
   */
  listMember(listId: string, at: ConditionPath, joined?: (joinedAt: SqlInstant) => SqlResult<SqlPredicate>): SqlResult<SqlPredicate>;

  /**
   * A condition that needs some profile to carry a value (a workspace extension): not evaluable
   * with `reason` when none does (known from a catalog, or checked by a precondition).
   */
  requireCarried(path: readonly string[], at: ConditionPath, reason: string): SqlNotEvaluable | undefined;
}
