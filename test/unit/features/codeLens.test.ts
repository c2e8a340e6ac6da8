/**
 * Code lenses (server/src/features/codeLens.ts), in process: the segment's count and an Evaluate
 * lens above the definition, one lens per group with the running AND, and what they say while
 * there are no counts to show.
 */
import assert from 'node:assert/strict';
import { codeLenses } from '../../../server/src/features/codeLens';
import type { CountsReport } from '../../../server/src/protocol';
import { COUNTED, EXPECTED } from './countsDocument';
import { countsOf, definition, fixture } from './fixture';
import { PROFILES } from './tinyShop';

const EVALUATE = 'segmentLens.evaluate';

describe('code lenses', () => {
  it("with counts: the segment's count and Evaluate above the definition, then each group with the running AND", () => {
    const f = fixture(COUNTED);
    const lenses = codeLenses(f.document, f.parsed, countsOf(f));
    const percent = ((100 * EXPECTED.both) / PROFILES.length).toFixed(1);
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      [
        `Matches ${EXPECTED.both} of ${PROFILES.length} profiles (${percent}%)`,
        'Evaluate',
        `group 1: ${EXPECTED.vip}`,
        `group 2: ${EXPECTED.group2} · after AND: ${EXPECTED.both}`,
      ],
    );
    for (const lens of lenses) assert.deepEqual([lens.command?.command, lens.command?.arguments], [EVALUATE, [f.document.uri]]);
    const top = { line: 0, character: 0 };
    assert.deepEqual(
      lenses.map((l) => l.range.start),
      [top, top, f.range('group 1').start, f.range('group 2').start],
    );
  });

  it('a single group gets no group lens', () => {
    const f = fixture(definition('{ "type": "profile-region", "in_region": true, "region": "united_states" }'));
    assert.deepEqual(
      codeLenses(f.document, f.parsed, countsOf(f)).map((l) => l.command?.title),
      [`Matches ${EXPECTED.us} of ${PROFILES.length} profiles (${((100 * EXPECTED.us) / PROFILES.length).toFixed(1)}%)`, 'Evaluate'],
    );
  });

  it('in a create body, above the definition object, not the top of the file', () => {
    const f = fixture(`{ "data": { "type": "segment", "attributes": { "name": "US",
  "definition": { "condition_groups": [ { "conditions": [ { "type": "profile-region", "in_region": true, "region": "united_states" } ] } ] } } } }
//              ^ definition`);
    const lenses = codeLenses(f.document, f.parsed, countsOf(f));
    assert.deepEqual(lenses[0].range.start, f.range('definition').start);
  });

  it('while counting, with errors, when not evaluable, and without a workspace: says so, never a stale number', () => {
    const f = fixture(COUNTED);
    const report = countsOf(f);
    const headline = (r: CountsReport | undefined) => codeLenses(f.document, f.parsed, r).map((l) => l.command?.title);
    assert.deepEqual(headline(undefined), ['Counting…', 'Evaluate']);
    assert.deepEqual(headline({ ...report, state: 'errors', matched: null }), ['Definition has errors: not evaluated', 'Evaluate']);
    assert.deepEqual(headline({ ...report, state: 'no-workspace', message: 'No klaviyo-workspace.json above this file.' }), [
      'No klaviyo-workspace.json above this file.',
      'Evaluate',
    ]);

    const unknownList = fixture(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NOPE00"] }'));
    assert.deepEqual(
      codeLenses(unknownList.document, unknownList.parsed, countsOf(unknownList))[0].command?.title,
      'Not evaluable locally: list NOPE00 is not in the workspace',
    );
  });

  it('none for a file that holds no definition', () => {
    const f = fixture('{ "name": "not a segment" }');
    assert.deepEqual(codeLenses(f.document, f.parsed, undefined), []);
  });
});
