/**
 * Regular-expression limits and the per-condition time budget (issue 16, docs/semantics.md
 * "Limits"): a pattern or a value too large to match in reasonable time, and a condition that runs
 * past its budget, are "not evaluable locally", never a wrong count and never a stalled worker.
 */
import assert from 'node:assert/strict';
import { canonicalJson } from '../../server/src/engine/canonical';
import { Evaluator } from '../../server/src/engine/evaluator';
import { WorkspaceBuilder, type Workspace } from '../../server/src/engine/workspace';

const NOW = Date.parse('2026-11-01T12:00:00Z');

/** Profiles p0, p1, … whose custom property Notes holds the given texts. */
function notesWorkspace(notes: string[]): Workspace {
  const builder = new WorkspaceBuilder('budget', NOW);
  notes.forEach((text, i) => builder.addProfile({ type: 'profile', id: `p${i}`, attributes: { properties: { Notes: text } } }));
  return builder.build();
}

const regex = (pattern: string, operator = 'regex') => ({
  type: 'profile-property',
  property: "properties['Notes']",
  filter: { type: 'string', operator, value: pattern },
});

function outcomeOf(workspace: Workspace, condition: unknown, evaluator = new Evaluator(workspace)): { matched?: string[]; notEvaluable?: string } {
  const { outcome } = evaluator.evaluateCondition(condition);
  return outcome.kind === 'matched' ? { matched: outcome.set.toArray().map((i) => workspace.profileIds.at(i)) } : { notEvaluable: outcome.reason };
}

describe('engine: regular-expression limits', () => {
  const workspace = notesWorkspace(['vinyl only', 'cassettes', 'vinyl and cds']);

  it('an ordinary pattern still counts (p0 and p2 mention vinyl)', () => {
    assert.deepEqual(outcomeOf(workspace, regex('^vinyl')), { matched: ['p0', 'p2'] });
    assert.deepEqual(outcomeOf(workspace, regex('^vinyl', 'nregex')), { matched: ['p1'] });
  });

  it('a pattern over 1,000 characters is not evaluable locally', () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join('|');
    assert.ok(long.length > 1_000);
    assert.match(outcomeOf(workspace, regex(long)).notEvaluable ?? '', /longer than 1,000 characters/);
  });

  it('a short pattern that compiles to more than 5,000 instructions is not evaluable locally', () => {
    // Each `.{1000}` is a thousand instructions: six of them in 42 characters.
    assert.match(outcomeOf(workspace, regex('.{1000}'.repeat(6))).notEvaluable ?? '', /too complex/);
  });

  it('a value too long for the pattern makes the condition too slow to evaluate locally, not a wrong count', () => {
    // (.*a){25} compiles to about 127 instructions: over a 1 MB value that is 127 million steps at worst.
    const big = notesWorkspace(['short', `${'ab'.repeat(500_000)}`]);
    assert.match(outcomeOf(big, regex('(.*a){25}')).notEvaluable ?? '', /too slow to evaluate locally/);
  });
});

describe('engine: the per-condition time budget', () => {
  const workspace = notesWorkspace(['vinyl only', 'cassettes', 'vinyl and cds']);

  it('a condition that runs past its budget is too slow to evaluate locally; its group and segment say so too', () => {
    // A clock on which every reading is ten seconds after the last one: the first check is past any budget.
    let time = 0;
    const evaluator = new Evaluator(workspace, { clock: () => (time += 10_000), conditionBudgetMs: 5_000 });
    const result = evaluator.evaluateDefinition({ condition_groups: [{ conditions: [regex('^vinyl')] }] });
    assert.equal(result.matched, null);
    assert.equal(result.groups[0].conditions[0].matched, null);
    assert.match(result.groups[0].conditions[0].notEvaluable ?? '', /too slow to evaluate locally \(more than 5 s\)/);
  });

  it('within the budget the same condition counts', () => {
    const evaluator = new Evaluator(workspace, { conditionBudgetMs: 5_000 });
    assert.deepEqual(outcomeOf(workspace, regex('^vinyl'), evaluator), { matched: ['p0', 'p2'] });
  });
});

describe('engine: canonical JSON of any depth', () => {
  it('a value nested 100,000 levels deep has a canonical text (no stack overflow), and keys are still sorted', () => {
    let deep: unknown = { b: 1, a: [2, 'x'] };
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const text = canonicalJson(deep);
    assert.equal(text, `${'['.repeat(100_000)}{"a":[2,"x"],"b":1}${']'.repeat(100_000)}`);
    assert.equal(canonicalJson({ z: { y: null, x: [true, { d: 1, c: undefined }] }, a: 'é' }), '{"a":"é","z":{"x":[true,{"d":1}],"y":null}}');
  });
});
