/**
 * Quick fixes (server/src/features/codeActions.ts), in process: the lightbulb's actions for the
 * diagnostics an editor sends back, their edits applied as an editor applies them, and the
 * document validated again. Fixes of schema problems are checked edit by edit in
 * ../quickfix.test.ts; here they are checked as the LSP actions a user picks.
 */
import assert from 'node:assert/strict';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { quickFixes } from '../../../server/src/features/codeActions';
import { applyEdits } from '../../support/lspText';
import { countsOf, diagnose, fixture, plainFixture, type SegmentFixture } from './fixture';
import { PROBLEM_CASES } from './problemCases';

/** The problem a case marks, and the actions offered for it. */
function actionsFor(f: SegmentFixture, code: string, options: { counts?: boolean } = {}): { diagnostic: Diagnostic; actions: CodeAction[] } {
  const matched = options.counts ? countsOf(f).matched : undefined;
  const diagnostic = diagnose(f, { matched }).find((d) => d.code === code);
  assert.ok(diagnostic, `a ${code} problem`);
  return { diagnostic, actions: quickFixes(f.document, [diagnostic]) };
}

/** The document after an action's edits; they must touch this document only. */
function apply(f: SegmentFixture, action: CodeAction): string {
  const changes = action.edit?.changes ?? {};
  assert.deepEqual(Object.keys(changes), [f.document.uri], `${action.title} edits this document only`);
  return applyEdits(f.text, changes[f.document.uri]);
}

describe('code actions: quick fixes for workspace problems', () => {
  for (const c of PROBLEM_CASES.filter((p) => p.fix)) {
    const code = () => fixture(c.source).annotations[0].label;
    it(`${code()}: "${c.fix!.source.replace(/[\^$\\]/g, '')}" removes the problem and leaves valid JSON`, () => {
      const f = fixture(c.source, { uri: c.uri });
      const { diagnostic, actions } = actionsFor(f, code(), { counts: c.counts });
      const fix = actions.find((a) => c.fix!.test(a.title));
      assert.ok(fix, `${c.fix} among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(fix.kind, CodeActionKind.QuickFix);
      assert.deepEqual(fix.diagnostics, [diagnostic]);
      const fixed = apply(f, fix);
      assert.doesNotThrow(() => JSON.parse(fixed), `valid JSON after the fix:\n${fixed}`);
      const after = diagnose(plainFixture(fixed, { uri: c.uri }));
      assert.deepEqual(
        after.filter((d) => d.code === code() || d.severity === DiagnosticSeverity.Error).map((d) => `${d.code}: ${d.message}`),
        [],
        `after the fix:\n${fixed}`,
      );
    });
  }

  it('"did you mean": each close ID is a fix, the closest one preferred', () => {
    const f = fixture(PROBLEM_CASES[0].source.replace('"VwxT3b"', '"Ls5hWr"'));
    const { actions } = actionsFor(f, 'unknown-metric-id');
    assert.equal(actions[0].title, 'Change to Clicked Email (Ls5hWq)');
    assert.equal(actions[0].isPreferred, true);
    assert.ok(
      actions.slice(1).every((a) => !a.isPreferred),
      JSON.stringify(actions.map((a) => [a.title, a.isPreferred])),
    );
  });

  it('removing a duplicate condition takes its comma along', () => {
    const c = PROBLEM_CASES.find((p) => p.title.startsWith('duplicate-condition'))!;
    const f = fixture(c.source);
    const { actions } = actionsFor(f, 'duplicate-condition');
    const fixed = JSON.parse(apply(f, actions[0])) as { condition_groups: { conditions: { type: string }[] }[] };
    assert.deepEqual(
      fixed.condition_groups[0].conditions.map((x) => x.type),
      ['profile-region', 'profile-metric'],
    );
  });
});

describe('code actions: what is not ours gets no action', () => {
  it('diagnostics of another source, and ours without fixes, offer nothing', () => {
    const f = fixture(PROBLEM_CASES[0].source);
    const ours = diagnose(f).find((d) => d.code === 'unknown-metric-id')!;
    assert.deepEqual(quickFixes(f.document, [{ ...ours, source: 'json' }]), []);
    assert.deepEqual(quickFixes(f.document, [{ ...ours, data: undefined }]), []);
    const contradiction = PROBLEM_CASES.find((p) => p.title.startsWith('contradiction'))!;
    assert.deepEqual(actionsFor(fixture(contradiction.source), 'contradiction').actions, []);
  });
});

describe('code actions: quick fixes for schema problems', () => {
  it('a legacy region_id is renamed to region', () => {
    const f = fixture(`{ "condition_groups": [ { "conditions": [
  { "type": "profile-region", "in_region": true, "region_id": "european_union" }
] } ] }`);
    const diagnostic = diagnose(f, { workspace: false }).find((d) => d.code === 'legacy-region-id');
    assert.ok(diagnostic);
    const [fix] = quickFixes(f.document, [diagnostic]);
    assert.equal(fix.kind, CodeActionKind.QuickFix);
    const fixed = apply(f, fix);
    assert.match(fixed, /"in_region": true, "region": "european_union"/);
    assert.deepEqual(diagnose(plainFixture(fixed), { workspace: false }), []);
  });
});
