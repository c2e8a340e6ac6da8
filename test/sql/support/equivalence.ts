import assert from 'node:assert/strict';
import type { Bitset } from '../../../server/src/engine/bitset';
import { Evaluator } from '../../../server/src/engine/evaluator';
import type { Workspace } from '../../../server/src/engine/workspace';
import { workspaceCatalog } from '../../../server/src/sql/catalog';
import { compileSegment, type CompiledSegment } from '../../../server/src/sql/compile';
import type { TestDatabase } from './databases';

/**
 * One definition evaluated by the in-memory engine and, compiled to SQL, by a database: every
 * condition, every group, the running AND and the definition must give the same profile IDs (or
 * both say "not evaluable"). A condition may differ only where the compiler listed an
 * approximation for it; such a condition is counted as excluded, with the rules, and its group
 * and the definition are not compared.
 */
export interface EquivalenceStats {
  scenarios: number;
  conditions: number;
  notEvaluable: number;
  /** Conditions compared and equal. */
  agreed: number;
  /** Conditions with listed approximations whose results differed: excluded, by rule. */
  excluded: Map<string, number>;
}

export function newStats(): EquivalenceStats {
  return { scenarios: 0, conditions: 0, notEvaluable: 0, agreed: 0, excluded: new Map() };
}

export function statsReport(name: string, stats: EquivalenceStats): string {
  const excluded = [...stats.excluded].map(([rule, n]) => `\n      ${n} × ${rule}`).join('');
  const total = [...stats.excluded.values()].reduce((a, b) => a + b, 0);
  return `${name}: ${stats.scenarios} definitions, ${stats.conditions} conditions (${stats.agreed} equal, ${stats.notEvaluable} not evaluable in both, ${total} excluded as listed approximations)${excluded}`;
}

export interface Scenario {
  workspace: Workspace;
  definition: unknown;
  /** Compile without the workspace's catalog: evaluability comes from running the preconditions. */
  withPreconditions?: boolean;
  label: string;
}

const ids = (workspace: Workspace, set: Bitset | undefined) =>
  set
    ? set
        .toArray()
        .map((i) => workspace.profileIds.at(i))
        .sort()
    : null;
const sorted = (values: unknown[]) => values.map(String).sort();

/** Runs the preconditions; the reasons of those that fail. */
async function failedPreconditions(db: TestDatabase, compiled: CompiledSegment): Promise<{ pointer: string; reason: string }[]> {
  const failed: { pointer: string; reason: string }[] = [];
  for (const p of compiled.preconditions) {
    const rows = await db.query(p.sql);
    if (rows[0][0] !== true) failed.push(p);
  }
  return failed;
}

export async function checkEquivalence(db: TestDatabase, scenario: Scenario, stats: EquivalenceStats): Promise<void> {
  const { workspace, definition, label } = scenario;
  const engine = new Evaluator(workspace).evaluateDefinition(definition);
  const compiled = compileSegment(definition, {
    dialect: db.dialect,
    layout: db.layout,
    now: workspace.now,
    catalog: scenario.withPreconditions ? undefined : workspaceCatalog(workspace),
  });
  const failed = scenario.withPreconditions ? await failedPreconditions(db, compiled) : [];
  if (!scenario.withPreconditions) assert.deepEqual(compiled.preconditions, [], `${label}: a catalog leaves no precondition`);
  stats.scenarios++;
  const flags = await db.query(compiled.flagsSql);
  const columns = compiled.groups.flatMap((g) => g.conditions).filter((c) => c.predicate !== null);
  const sqlIds = (column: string) => sorted(flags.filter((row) => row[1 + columns.findIndex((c) => c.column === column)] === true).map((row) => row[0]));
  let anyExcluded = false;
  compiled.groups.forEach((group, g) => {
    group.conditions.forEach((condition, c) => {
      stats.conditions++;
      const expected = engine.groups[g].conditions[c];
      const context = `${label}: ${db.dialect}, condition ${condition.pointer} ${JSON.stringify((definition as { condition_groups: { conditions: unknown[] }[] }).condition_groups[g].conditions[c])}`;
      const failedHere = failed.filter((p) => p.pointer.startsWith(`${condition.pointer}/`));
      const sqlNotEvaluable = condition.notEvaluable !== null || failedHere.length > 0;
      if (expected.matched === null || sqlNotEvaluable) {
        assert.equal(
          sqlNotEvaluable,
          expected.matched === null,
          `${context}: engine says ${expected.notEvaluable ?? 'evaluable'}, SQL says ${condition.notEvaluable ?? (failedHere.map((p) => p.reason).join('; ') || 'evaluable')}`,
        );
        stats.notEvaluable++;
        return;
      }
      const want = ids(workspace, expected.set);
      const got = sqlIds(condition.column);
      if (JSON.stringify(want) === JSON.stringify(got)) {
        stats.agreed++;
        return;
      }
      const rules = compiled.approximations.filter((a) => a.pointer === condition.pointer || a.pointer.startsWith(`${condition.pointer}/`)).map((a) => a.rule);
      if (rules.length === 0) assert.deepEqual(got, want, `${context}\n${condition.predicate}`);
      anyExcluded = true;
      for (const rule of rules) stats.excluded.set(rule, (stats.excluded.get(rule) ?? 0) + 1);
    });
  });
  if (anyExcluded || failed.length > 0) return;
  // The whole definition: the IDs form and the counts form.
  assert.equal(compiled.sql === null, engine.matched === null, `${label}: evaluable in one and not the other`);
  if (compiled.sql === null) return;
  const rows = await db.query(compiled.sql);
  assert.deepEqual(sorted(rows.map((r) => r[0])), ids(workspace, engine.set), `${label}: ${db.dialect}, the definition's profiles`);
  const counts = (await db.query(compiled.countsSql))[0].map(Number);
  const countColumns = ['total', ...columns.map((c) => c.column), ...compiled.groups.flatMap((g) => [g.column, g.afterAndColumn]), 'matched'];
  const expectedCounts = [
    engine.total,
    ...columns.map((c) => {
      const [, gi, ci] = /^c(\d+)_(\d+)$/.exec(c.column)!.map(Number);
      return engine.groups[gi - 1].conditions[ci - 1].matched;
    }),
    ...engine.groups.flatMap((g) => [g.matched, g.afterAnd]),
    engine.matched,
  ];
  assert.deepEqual(counts, expectedCounts, `${label}: ${db.dialect}, counts ${countColumns.join(', ')}`);
  const countOnly = await db.query(compiled.countSql as string);
  assert.equal(Number(countOnly[0][0]), engine.matched, `${label}: ${db.dialect}, the count form`);
}
