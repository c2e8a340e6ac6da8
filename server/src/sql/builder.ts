import type { ConditionPath } from '../engine/conditions';
import type {
  SqlBuilder,
  SqlComparison,
  SqlEventRow,
  SqlEvents,
  SqlInstant,
  SqlNotEvaluable,
  SqlNumber,
  SqlNumericOperator,
  SqlPredicate,
  SqlResult,
  SqlText,
  SqlValue,
} from '../engine/conditions/sqlBuilder';
import { isSqlNotEvaluable } from '../engine/conditions/sqlBuilder';
import type { LatLon } from '../engine/geo';
import { documentedProfileTypes, JSON_ANY, JSON_ARRAY, JSON_BOOLEAN, JSON_NUMBER, JSON_OBJECT, JSON_STRING } from '../engine/recordShapes';
import type { ReferenceTime } from '../engine/time';
import { APPROXIMATIONS } from './approximations';
import type { CompileContext } from './context';
import type { JsonKind, SqlDialect } from './dialect';
import { afterNow, datePredicate, instantOf } from './dates';
import { compareJs, compareSql, valueFilterSql } from './filters';
import { columnSql, tableSql, type InstantImpl, type ValueImpl } from './layout';
import { distanceTest, profilePosition, type PositionImpl } from './position';
import { booleanOf, hoist, isPresent, numberOf, orFalse, scopeOf, textOf, trimJs } from './values';

/*
 * The engine's opaque SQL types are these objects at run time; only this module and its helpers
 * look inside them.
 */
interface EventsImpl {
  metricId: string;
  test: (row: SqlEventRow) => SqlResult<SqlPredicate>;
}
interface EventRowImpl {
  alias: string;
  time: InstantImpl;
}
type NumberImpl =
  | { kind: 'plain'; sql: string }
  | { kind: 'aggregate'; events: EventsImpl; value?: (row: SqlEventRow) => SqlValue; places?: number }
  | { kind: 'distance'; centre: LatLon; position: PositionImpl };

const predicate = (sql: string) => ({ sql }) as unknown as SqlPredicate;
const sqlOf = (p: SqlPredicate) => (p as unknown as { sql: string }).sql;
const valueImpl = (v: SqlValue) => v as unknown as ValueImpl;
const asValue = (v: ValueImpl) => v as unknown as SqlValue;
export const instantImpl = (i: SqlInstant) => i as unknown as InstantImpl;

const JSON_KINDS: [number, JsonKind][] = [
  [JSON_STRING, 'string'],
  [JSON_NUMBER, 'number'],
  [JSON_BOOLEAN, 'boolean'],
  [JSON_OBJECT, 'object'],
  [JSON_ARRAY, 'array'],
];

/**
 * A JSON value whose type the workspace format documents, as the loader keeps it: a value of
 * another type is missing (docs/workspace-format.md; `documentedProfileTypes`).
 */
function documentedTypeOnly(d: SqlDialect, value: ValueImpl, types: number): ValueImpl {
  // A container's fields and elements are missing anyway when it is not a container: only scalars need the test.
  if (value.kind !== 'json' || types === JSON_ANY || types === JSON_OBJECT || types === JSON_ARRAY) return value;
  const allowed = JSON_KINDS.filter(([bit]) => (types & bit) !== 0).map(([, kind]) => d.jsonIs(value.sql, kind));
  return { ...value, sql: `(CASE WHEN ${allowed.join(' OR ')} THEN ${value.sql} END)` };
}
const numberImpl = (n: SqlNumber) => n as unknown as NumberImpl;
const asNumber = (n: NumberImpl) => n as unknown as SqlNumber;
const textSql = (t: SqlText) => (t as unknown as { sql: string }).sql;
const asText = (sql: string) => ({ sql }) as unknown as SqlText;
const eventsImpl = (e: SqlEvents) => e as unknown as EventsImpl;
const rowImpl = (r: SqlEventRow) => r as unknown as EventRowImpl;

/**
 * The SqlBuilder of one condition (at `base` in the definition): what a kind asks for, in the
 * compile's dialect and table layout, with its approximations and preconditions recorded in the
 * compile context. The profile row is always `p`.
 */
export class ConditionSqlBuilder implements SqlBuilder {
  readonly ref: ReferenceTime;

  constructor(
    private readonly ctx: CompileContext,
    private readonly base: ConditionPath,
  ) {
    this.ref = ctx.ref;
  }

  private get d() {
    return this.ctx.dialect;
  }

  private at(path: ConditionPath): ConditionPath {
    return [...this.base, ...path];
  }

  and(...parts: SqlPredicate[]): SqlPredicate {
    const sql = parts.map(sqlOf).filter((s) => s !== 'TRUE');
    if (sql.includes('FALSE')) return predicate('FALSE');
    return predicate(sql.length === 0 ? 'TRUE' : sql.length === 1 ? sql[0] : `(${sql.join(' AND ')})`);
  }

  or(...parts: SqlPredicate[]): SqlPredicate {
    const sql = parts.map(sqlOf).filter((s) => s !== 'FALSE');
    if (sql.includes('TRUE')) return predicate('TRUE');
    return predicate(sql.length === 0 ? 'FALSE' : sql.length === 1 ? sql[0] : `(${sql.join(' OR ')})`);
  }

  not(part: SqlPredicate): SqlPredicate {
    const sql = sqlOf(part);
    return predicate(sql === 'TRUE' ? 'FALSE' : sql === 'FALSE' ? 'TRUE' : `(NOT ${sql})`);
  }

  constant(value: boolean): SqlPredicate {
    return predicate(value ? 'TRUE' : 'FALSE');
  }

  approximation(at: ConditionPath, rule: string): void {
    this.ctx.approximate(this.at(at), rule);
  }

  profileValue(path: readonly string[], at: ConditionPath): SqlResult<SqlValue> {
    const value = this.ctx.layout.profileValue('p', path, this.d);
    if ('notEvaluable' in value) return value;
    for (const note of this.ctx.layout.profileValueNotes(path)) this.approximation(at, note);
    return asValue(documentedTypeOnly(this.d, value, documentedProfileTypes(path)));
  }

  field(value: SqlValue, key: string): SqlValue {
    const v = valueImpl(value);
    return asValue(v.kind === 'json' ? { kind: 'json', sql: this.d.jsonField(v.sql, key), scope: v.scope, stage: v.stage } : { kind: 'missing' });
  }

  element(value: SqlValue, index: number): SqlValue {
    const v = valueImpl(value);
    return asValue(
      v.kind === 'json' && Number.isSafeInteger(index) && index >= 0
        ? { kind: 'json', sql: this.d.jsonElement(v.sql, index), scope: v.scope, stage: v.stage }
        : { kind: 'missing' },
    );
  }

  isPresent(value: SqlValue): SqlPredicate {
    return predicate(isPresent(this.d, valueImpl(value)));
  }

  equalsLiteral(value: SqlValue, literal: string | number | boolean): SqlPredicate {
    const v = valueImpl(value);
    if (typeof literal === 'string') return predicate(orFalse(`${textOf(this.d, v)} = ${this.d.stringLiteral(literal)}`));
    if (typeof literal === 'number') return predicate(orFalse(`${numberOf(this.d, v)} = ${this.d.numberLiteral(literal)}`));
    return predicate(orFalse(`${booleanOf(this.d, v)} = ${this.d.booleanLiteral(literal)}`));
  }

  lowerTextIn(value: SqlValue, lowerTexts: readonly string[], at: ConditionPath): SqlPredicate {
    if (lowerTexts.length === 0) return predicate('FALSE');
    this.approximation(at, APPROXIMATIONS.caseMapping);
    const text = this.d.lower(textOf(this.d, valueImpl(value)));
    return predicate(orFalse(`${text} IN (${lowerTexts.map((t) => this.d.stringLiteral(t)).join(', ')})`));
  }

  anyElement(value: SqlValue, test: (element: SqlValue) => SqlPredicate): SqlPredicate {
    const v = valueImpl(value);
    if (v.kind !== 'json') return predicate('FALSE');
    return predicate(
      this.d.jsonSomeElement(v.sql, this.ctx.alias('l'), (element) => sqlOf(test(asValue({ kind: 'json', sql: element, scope: 'row', stage: 0 })))),
    );
  }

  valueFilter(value: SqlValue, filter: unknown, at: ConditionPath): SqlResult<SqlPredicate> {
    const sql = valueFilterSql(this.ctx, valueImpl(value), filter, this.at(at));
    return typeof sql === 'string' ? predicate(sql) : sql;
  }

  instant(value: SqlValue): SqlInstant {
    return instantOf(this.ctx, valueImpl(value)) as unknown as SqlInstant;
  }

  dateFilter(instant: SqlInstant, filter: unknown, _at: ConditionPath): SqlResult<SqlPredicate> {
    const sql = datePredicate(this.ctx, instantImpl(instant), filter);
    return typeof sql === 'string' ? predicate(sql) : sql;
  }

  happenedFilter(instant: SqlInstant, filter: unknown, _at: ConditionPath): SqlResult<SqlPredicate> {
    const sql = datePredicate(this.ctx, instantImpl(instant), filter, true);
    return typeof sql === 'string' ? predicate(sql) : sql;
  }

  compareNumber(value: SqlNumber, operator: SqlNumericOperator, n: number): SqlPredicate {
    const number = numberImpl(value);
    if (number.kind === 'plain') return predicate(compareSql(this.ctx, number.sql, operator, n));
    if (number.kind === 'distance') return predicate(distanceTest(this.ctx, number.position, number.centre, operator, n));
    return predicate(this.aggregateTest(number, operator, n));
  }

  round(value: SqlNumber, places: number): SqlNumber {
    const number = numberImpl(value);
    if (number.kind === 'aggregate') return asNumber({ ...number, places });
    if (number.kind === 'plain') return asNumber({ kind: 'plain', sql: this.d.round(number.sql, places) });
    throw new Error('a distance is not rounded');
  }

  countryCode(value: SqlValue, at: ConditionPath): SqlText {
    this.approximation(at, APPROXIMATIONS.caseMapping);
    const v = valueImpl(value);
    if (v.kind === 'missing') return asText('NULL');
    const keys = this.ctx.reference('country_keys');
    const k = this.ctx.alias('k');
    const key = this.d.lower(trimJs(this.d, textOf(this.d, v)));
    const lookup = `(SELECT ${k}.alpha2 FROM ${keys} AS ${k} WHERE ${k}.country_key = ${key})`;
    return asText(hoist(this.ctx, lookup, scopeOf(v), v.stage).sql);
  }

  textIn(text: SqlText, texts: readonly string[]): SqlPredicate {
    if (texts.length === 0) return predicate('FALSE');
    return predicate(orFalse(`${textSql(text)} IN (${texts.map((t) => this.d.stringLiteral(t)).join(', ')})`));
  }

  hasText(text: SqlText): SqlPredicate {
    return predicate(`(${textSql(text)} IS NOT NULL)`);
  }

  profileDistanceKm(centre: LatLon, at: ConditionPath): SqlResult<SqlNumber> {
    this.approximation(at, APPROXIMATIONS.trigonometry);
    this.approximation(at, APPROXIMATIONS.coordinateText);
    const field = (name: string) => this.profileValue(['location', name], at);
    const [latitude, longitude, zip, country] = ['latitude', 'longitude', 'zip', 'country'].map(field);
    for (const value of [latitude, longitude, zip, country]) if (isSqlNotEvaluable(value)) return value;
    const code = this.countryCode(country as SqlValue, at);
    const position = profilePosition(this.ctx, valueImpl(latitude as SqlValue), valueImpl(longitude as SqlValue), valueImpl(zip as SqlValue), textSql(code));
    return asNumber({ kind: 'distance', centre, position });
  }

  events(metricId: string, at: ConditionPath, test: (row: SqlEventRow) => SqlResult<SqlPredicate>): SqlResult<SqlEvents> {
    const missing = this.requireRecord('metric', metricId, at);
    if (missing) return missing;
    // A trial on a placeholder row tells whether the test can be compiled at all.
    const trial = test(this.row('e0'));
    if (isSqlNotEvaluable(trial)) return trial;
    return { metricId, test } as unknown as SqlEvents;
  }

  eventProperty(row: SqlEventRow, name: string): SqlValue {
    // $event_id and $extra are not segmentable and not loaded (SL): never set.
    if (name === '$event_id' || name === '$extra') return asValue({ kind: 'missing' });
    for (const note of this.ctx.layout.eventPropertyNotes(name)) this.ctx.approximate(this.base, note);
    return asValue(this.ctx.layout.eventProperty(rowImpl(row).alias, name, this.d));
  }

  countEvents(events: SqlEvents): SqlNumber {
    return asNumber({ kind: 'aggregate', events: eventsImpl(events) });
  }

  sumEvents(events: SqlEvents, value: (row: SqlEventRow) => SqlValue): SqlNumber {
    return asNumber({ kind: 'aggregate', events: eventsImpl(events), value });
  }

  existsEvents(sets: readonly SqlEvents[], where: (rows: readonly SqlEventRow[]) => SqlPredicate): SqlPredicate {
    const aliases = sets.map(() => this.ctx.alias('e'));
    const rows = aliases.map((alias) => this.row(alias));
    const from = aliases.map((alias) => `${tableSql(this.d, this.ctx.layout.events.table)} AS ${alias}`).join(', ');
    const semi = this.semiJoinKey(aliases[0]);
    if (semi === undefined) {
      const conditions = sets.map((set, i) => this.eventWhere(eventsImpl(set), rows[i], this.profileMatch(aliases[i])));
      return predicate(`EXISTS (SELECT 1 FROM ${from} WHERE ${sqlOf(this.and(...conditions, where(rows)))})`);
    }
    // A semi-join on the profile key: the first row's events of every profile, the others matched to it.
    return this.within(semi, () => {
      const conditions = sets.map((set, i) => this.eventWhere(eventsImpl(set), rows[i], i === 0 ? null : this.profileMatch(aliases[i])));
      return predicate(`(${this.profileKey()} IN (SELECT ${semi} FROM ${from} WHERE ${sqlOf(this.and(...conditions, where(rows)))}))`);
    });
  }

  noEvent(events: SqlEvents, where: (row: SqlEventRow) => SqlPredicate): SqlPredicate {
    const row = this.row(this.ctx.alias('e'));
    const alias = rowImpl(row).alias;
    const table = tableSql(this.d, this.ctx.layout.events.table);
    const semi = this.semiJoinKey(alias);
    if (semi === undefined) {
      const condition = this.and(this.eventWhere(eventsImpl(events), row, this.profileMatch(alias)), where(row));
      return predicate(`(NOT EXISTS (SELECT 1 FROM ${table} AS ${alias} WHERE ${sqlOf(condition)}))`);
    }
    return this.within(semi, () => {
      const condition = this.and(this.eventWhere(eventsImpl(events), row, null), where(row));
      return predicate(`(${this.profileKey()} NOT IN (SELECT ${semi} FROM ${table} AS ${alias} WHERE ${sqlOf(condition)}))`);
    });
  }

  sameEvent(a: SqlEventRow, b: SqlEventRow): SqlPredicate {
    const key = this.ctx.layout.events.key;
    return predicate(`(${columnSql(this.d, rowImpl(a).alias, key)} = ${columnSql(this.d, rowImpl(b).alias, key)})`);
  }

  compareInstants(a: SqlInstant, operator: SqlComparison, b: SqlInstant, plusMs = 0): SqlPredicate {
    let left = instantImpl(a);
    let right = instantImpl(b);
    if (left.unit !== right.unit) {
      const toMs = (i: InstantImpl): InstantImpl => (i.unit === 'ms' ? i : { ...i, sql: this.d.timestampToEpochMs(i.sql), unit: 'ms' });
      left = toMs(left);
      right = toMs(right);
    }
    const shifted =
      plusMs === 0 ? right.sql : right.unit === 'ms' ? `(${right.sql} + ${this.d.numberLiteral(plusMs)})` : this.d.timestampPlusMs(right.sql, plusMs);
    return predicate(orFalse(`${left.sql} ${operator} ${shifted}`));
  }

  listMember(listId: string, at: ConditionPath, joined?: (joinedAt: SqlInstant) => SqlResult<SqlPredicate>): SqlResult<SqlPredicate> {
    const missing = this.requireRecord('list', listId, at);
    if (missing) return missing;
    const layout = this.ctx.layout;
    const m = this.ctx.alias('m');
    const joinedAt = layout.memberJoined(m, this.d);
    const joinedTest = joined?.(joinedAt as unknown as SqlInstant);
    if (joinedTest && isSqlNotEvaluable(joinedTest)) return joinedTest;
    const parts = [
      // As of now: someone who joined after it is not a member yet (an unknown join date is).
      predicate(`NOT ${afterNow(this.ctx, joinedAt)}`),
      predicate(`${columnSql(this.d, m, layout.members.listId)} = ${this.d.stringLiteral(listId)}`),
      predicate(`${columnSql(this.d, m, layout.members.profileId)} = ${columnSql(this.d, 'p', layout.profiles.id)}`),
      ...(layout.members.live ? [predicate(layout.members.live(m, this.d))] : []),
      ...(joinedTest ? [joinedTest] : []),
    ];
    return predicate(`EXISTS (SELECT 1 FROM ${tableSql(this.d, layout.members.table)} AS ${m} WHERE ${sqlOf(this.and(...parts))})`);
  }

  requireCarried(path: readonly string[], at: ConditionPath, reason: string): SqlNotEvaluable | undefined {
    const value = this.ctx.layout.profileValue('p', path, this.d);
    if ('notEvaluable' in value) return value;
    const known = this.ctx.catalog?.carries?.(path);
    if (known === false) return { notEvaluable: reason };
    if (known === undefined) {
      const profiles = this.ctx.layout.profiles;
      const live = profiles.live ? ` AND ${profiles.live('p', this.d)}` : '';
      this.ctx.require(
        this.at(at),
        reason,
        `SELECT EXISTS (SELECT 1 FROM ${tableSql(this.d, profiles.table)} AS p WHERE ${isPresent(this.d, value)}${live}) AS ok`,
      );
    }
    return undefined;
  }

  /** A metric or list must exist: known from the catalog, or a precondition of the query. */
  private requireRecord(kind: 'metric' | 'list', id: string, at: ConditionPath): SqlNotEvaluable | undefined {
    const catalog = this.ctx.catalog;
    const known = kind === 'metric' ? catalog?.hasMetric?.(id) : catalog?.hasList?.(id);
    const reason = `${kind} ${id} is not in the workspace`;
    if (known === false) return { notEvaluable: reason };
    if (known === undefined) {
      const source = kind === 'metric' ? this.ctx.layout.metrics : this.ctx.layout.lists;
      this.ctx.require(
        this.at(at),
        reason,
        `SELECT EXISTS (SELECT 1 FROM ${tableSql(this.d, source.table)} AS r WHERE ${columnSql(this.d, 'r', source.id)} = ${this.d.stringLiteral(id)}) AS ok`,
      );
    }
    return undefined;
  }

  private row(alias: string): SqlEventRow {
    return { alias, time: this.ctx.layout.eventTime(alias, this.d) } as unknown as SqlEventRow;
  }

  /** Whether the layout numbers its profiles with a key that every event row carries. */
  private get keyed(): boolean {
    const layout = this.ctx.layout;
    return layout.profiles.key !== undefined && layout.events.profileKey !== undefined;
  }

  /** The profile row's key (its ID where the layout has no key). */
  private profileKey(): string {
    const profiles = this.ctx.layout.profiles;
    return columnSql(this.d, 'p', profiles.key ?? profiles.id);
  }

  /**
   * Whether the event row `alias` is of the profile: by key to the row of the enclosing
   * semi-join (whose profile is the one tested), else to the profile row `p`; by ID without a key.
   */
  private profileMatch(alias: string): string {
    const layout = this.ctx.layout;
    if (this.keyed) return `${columnSql(this.d, alias, layout.events.profileKey as string)} = ${this.outerKey ?? this.profileKey()}`;
    return `${columnSql(this.d, alias, layout.events.profileId)} = ${columnSql(this.d, 'p', layout.profiles.id)}`;
  }

  /** The enclosing semi-join's profile key (events nested in it are matched to its row). */
  private outerKey: string | undefined;

  /**
   * The key column of the event row `alias` when an existence test on it is written as a
   * semi-join (`p.key IN (SELECT alias.key …)`): where the layout has a profile key, at the top
   * level (nested tests are matched to the enclosing row instead). Undefined: a correlated EXISTS.
   */
  private semiJoinKey(alias: string): string | undefined {
    if (!this.keyed || this.outerKey !== undefined) return undefined;
    return columnSql(this.d, alias, this.ctx.layout.events.profileKey as string);
  }

  private within<T>(key: string, build: () => T): T {
    this.outerKey = key;
    try {
      return build();
    } finally {
      this.outerKey = undefined;
    }
  }

  /**
   * An event row of the set: its metric, its test and `match` (the profile it must be of; null:
   * any profile's, for a query grouped or joined by profile).
   */
  private eventWhere(events: EventsImpl, row: SqlEventRow, match: string | null): SqlPredicate {
    const layout = this.ctx.layout;
    const alias = rowImpl(row).alias;
    const test = events.test(row);
    if (isSqlNotEvaluable(test)) throw new Error(`an event test failed after its trial: ${test.notEvaluable}`);
    // Without a key, the profile ID is tested even where any profile's will do (NOT NULL, as it always was).
    const any = this.keyed ? [] : [predicate(`${columnSql(this.d, alias, layout.events.profileId)} IS NOT NULL`)];
    return this.and(
      predicate(`${columnSql(this.d, alias, layout.events.metricId)} = ${this.d.stringLiteral(events.metricId)}`),
      ...(match === null ? any : [predicate(match)]),
      ...(layout.events.live ? [predicate(layout.events.live(alias, this.d))] : []),
      test,
    );
  }

  /**
   * A count or sum compared. The qualifying events are grouped by profile once (an uncorrelated
   * subquery); a profile without any measures 0, so when 0 passes the comparison the profiles
   * whose measure fails are excluded, otherwise the profiles whose measure passes are included.
   */
  private aggregateTest(number: Extract<NumberImpl, { kind: 'aggregate' }>, operator: SqlNumericOperator, n: number): string {
    const row = this.row(this.ctx.alias('e'));
    const alias = rowImpl(row).alias;
    const layout = this.ctx.layout;
    const zeroPasses = compareJs(0, operator, n);
    const events = `${tableSql(this.d, layout.events.table)} AS ${alias}`;
    if (this.keyed) {
      // By the profile key; a count that passes exactly from 1 on (or only at 0) needs no grouping.
      const key = columnSql(this.d, alias, layout.events.profileKey as string);
      const any = number.value === undefined ? countPassesFromOne(operator, n) : undefined;
      if (any !== undefined)
        return `(${this.profileKey()} ${any ? 'IN' : 'NOT IN'} (SELECT ${key} FROM ${events} WHERE ${sqlOf(this.eventWhere(number.events, row, null))}))`;
      const grouped = `SELECT ${key} FROM ${events} WHERE ${sqlOf(this.eventWhere(number.events, row, null))} GROUP BY ${key} HAVING ${this.measureTest(number, row, operator, n, zeroPasses)}`;
      return `(${this.profileKey()} ${zeroPasses ? 'NOT IN' : 'IN'} (${grouped}))`;
    }
    const profileId = columnSql(this.d, alias, layout.events.profileId);
    const grouped = `SELECT ${profileId} FROM ${events} WHERE ${sqlOf(this.eventWhere(number.events, row, null))} GROUP BY ${profileId} HAVING ${this.measureTest(number, row, operator, n, zeroPasses)}`;
    return `(${columnSql(this.d, 'p', layout.profiles.id)} ${zeroPasses ? 'NOT IN' : 'IN'} (${grouped}))`;
  }

  /** The HAVING test of a grouped count or sum: the comparison, or its negation when 0 passes it. */
  private measureTest(
    number: Extract<NumberImpl, { kind: 'aggregate' }>,
    row: SqlEventRow,
    operator: SqlNumericOperator,
    n: number,
    zeroPasses: boolean,
  ): string {
    let measure = 'COUNT(*)';
    if (number.value) {
      const value = valueImpl(number.value(row));
      measure = `SUM(CASE WHEN ${numberOf(this.d, value)} IS NOT NULL THEN ${numberOf(this.d, value)} ELSE 0 END)`;
    }
    if (number.places !== undefined) measure = this.d.round(measure, number.places);
    const test = compareSql(this.ctx, measure, operator, n);
    return zeroPasses ? `NOT ${test}` : test;
  }
}

/**
 * Whether a count passes `count <op> n` exactly when it is at least 1 (true), exactly when it is
 * 0 (false), or neither (undefined): then the profiles with an event are the answer or its
 * complement, and no count is needed.
 */
export function countPassesFromOne(operator: SqlNumericOperator, n: number): boolean | undefined {
  const zero = compareJs(0, operator, n);
  const one = compareJs(1, operator, n);
  // Counts are whole numbers: > and >= pass from some count on, < and <= up to some count.
  const upward = operator === 'greater-than' || operator === 'greater-than-or-equal' || (operator === 'not-equals' && n === 0);
  const downward = operator === 'less-than' || operator === 'less-than-or-equal' || (operator === 'equals' && n === 0);
  if (!zero && one && upward) return true;
  if (zero && !one && downward) return false;
  return undefined;
}
