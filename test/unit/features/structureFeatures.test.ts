/**
 * Outline, folding, smart selection and formatting (server/src/features/structureFeatures.ts), in
 * process. Single-line ranges are `^^^` annotations (markers: ./fixture.ts); ranges of whole
 * objects are found from their first characters with `blockRange`.
 */
import assert from 'node:assert/strict';
import { SymbolKind, type Range, type SelectionRange } from 'vscode-languageserver';
import {
  documentSymbols,
  foldingRanges,
  formatDocument,
  FORMAT_LIMITS,
  formatWithinLimits,
  selectionRanges,
} from '../../../server/src/features/structureFeatures';
import { applyEdits, blockRange } from '../../support/lspText';
import { assertValid, definition, fixture, plainFixture } from './fixture';
import { tinyShop } from './tinyShop';

const PLACED_ORDER_30_DAYS = `{ "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count",
                "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 },
                "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 } }`;

describe('structure: document symbols (outline)', () => {
  const createBody = `{
  "data": {
    "type": "segment",
    "attributes": {
      "name": "Recent buyers in the US or on the newsletter",
      "definition": {
        "condition_groups": [
          {
            "conditions": [
              ${PLACED_ORDER_30_DAYS}
            ]
          },
          {
            "conditions": [
              { "type": "profile-region", "in_region": true, "region": "united_states" },
              { "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kQ"] }
            ]
          }
        ]
      }
    }
  }
}`;

  it('the segment by its name, its groups and conditions named in plain English, each over its JSON', () => {
    const f = fixture(createBody);
    const symbols = documentSymbols(f.document, f.parsed, tinyShop().names);
    assert.equal(symbols.length, 1);
    const [segment] = symbols;
    assert.equal(segment.name, 'Recent buyers in the US or on the newsletter');
    assert.equal(segment.kind, SymbolKind.Object);
    assert.deepEqual(segment.range, blockRange(f.text, '{\n        "condition_groups"'));
    assert.deepEqual(
      segment.children?.map((g) => [g.name, g.detail]),
      [
        ['Group 1', 'Placed Order at least once in the last 30 days'],
        ['Group 2 (AND)', 'is in the US OR is in list Newsletter'],
      ],
    );
    assert.deepEqual(segment.children?.[1].range, blockRange(f.text, '{\n            "conditions"', 1));
    assert.deepEqual(
      segment.children?.flatMap((g) => g.children?.map((c) => [c.name, c.detail])),
      [
        ['Placed Order at least once in the last 30 days', 'profile-metric'],
        ['is in the US', 'profile-region'],
        ['is in list Newsletter', 'profile-group-membership'],
      ],
    );
    assert.deepEqual(segment.children?.[1].children?.[0].range, blockRange(f.text, '{ "type": "profile-region"'));
    assert.deepEqual(segment.children?.[1].children?.[1].range, blockRange(f.text, '{ "type": "profile-group-membership"'));
  });

  it('a bare definition is "Segment definition"; without workspace names, IDs stand in for names', () => {
    const f = fixture(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kQ"] }'));
    const [segment] = documentSymbols(f.document, f.parsed);
    assert.equal(segment.name, 'Segment definition');
    const [condition] = segment.children?.[0].children ?? [];
    assert.match(condition.name, /NwS7kQ/);
    assert.doesNotMatch(condition.name, /Newsletter/);
  });

  it('a file that is not a segment has no outline', () => {
    const f = fixture('{ "name": "not a segment" }');
    assert.deepEqual(documentSymbols(f.document, f.parsed), []);
  });
});

describe('structure: folding ranges', () => {
  it('every object and array spanning lines, up to the line before its closing bracket', () => {
    const f = fixture(`{
  "condition_groups": [
    {
      "conditions": [
        { "type": "profile-region", "in_region": true, "region": "united_states" },
        {
          "type": "profile-property",
          "property": "email",
          "filter": { "type": "string", "operator": "ends-with", "value": "@example.com" }
        }
      ]
    }
  ]
}`);
    // Lines: the file 0–13, condition_groups 1–12, the group 2–11, conditions 3–10, the second
    // condition 5–9; the one-line condition and filter do not fold.
    const ranges = foldingRanges(f.document, f.parsed).map((r) => `${r.startLine}-${r.endLine}`);
    assert.deepEqual(ranges.sort(), ['0-12', '1-11', '2-10', '3-9', '5-8'].sort());
  });
});

describe('structure: selection ranges (smart select)', () => {
  const source = `{
  "condition_groups": [
    {
      "conditions": [
        {
          "type": "profile-property",
          "property": "location['city']",
          "filter": {
            "type": "string",
            "operator": "equals",
            "value": "Bos|ton"
//                   ^^^^^^^^^ value
//          ^^^^^^^^^^^^^^^^^^ property
          }
        }
      ]
    }
  ]
}
`;

  it('value, property, filter, …, condition, …, the whole file; each step strictly larger', () => {
    const f = fixture(source);
    const [selection] = selectionRanges(f.document, f.parsed, [f.offset]);
    const chain: Range[] = [];
    for (let r: SelectionRange | undefined = selection; r; r = r.parent) chain.push(r.range);
    assert.deepEqual(chain[0], f.range('value'));
    assert.deepEqual(chain[1], f.range('property'));
    assert.deepEqual(chain[2], blockRange(f.text, '{\n            "type": "string"'));
    const offsets = (r: Range) => [f.document.offsetAt(r.start), f.document.offsetAt(r.end)];
    for (let i = 1; i < chain.length; i++) {
      const [outerStart, outerEnd] = offsets(chain[i]);
      const [innerStart, innerEnd] = offsets(chain[i - 1]);
      assert.ok(
        outerStart <= innerStart && outerEnd >= innerEnd && outerEnd - outerStart > innerEnd - innerStart,
        `range ${i} strictly contains range ${i - 1}`,
      );
    }
    assert.ok(
      chain.some((r) => JSON.stringify(r) === JSON.stringify(blockRange(f.text, '{\n          "type": "profile-property"'))),
      'the condition is one step',
    );
    assert.deepEqual(chain[chain.length - 1], { start: { line: 0, character: 0 }, end: f.document.positionAt(f.text.trimEnd().length) });
  });

  it('one chain per requested position', () => {
    const f = fixture(source);
    const other = f.text.indexOf('"equals"') + 2;
    const chains = selectionRanges(f.document, f.parsed, [f.offset, other]);
    assert.equal(chains.length, 2);
    assert.deepEqual(chains[1].range, { start: f.document.positionAt(other - 2), end: f.document.positionAt(other - 2 + '"equals"'.length) });
  });
});

describe('structure: formatting', () => {
  const compact =
    '{"condition_groups":[{"conditions":[{"type":"profile-group-membership","is_member":true,"group_ids":["NwS7kQ"]},{"type":"profile-region","in_region":false,"region":"european_union"}]},{"conditions":[{"type":"profile-property","property":"properties[\'Tags\']","filter":{"type":"list","operator":"length-equals","value":0}}]}]}';

  it('2-space indent, "key": value, a final newline; the document stays valid', () => {
    const f = plainFixture(compact);
    const formatted = applyEdits(f.text, formatDocument(f.document, { tabSize: 2, insertSpaces: true }));
    assert.equal(formatted, `${JSON.stringify(JSON.parse(compact), null, 2)}\n`);
    assert.deepEqual(assertValid(formatted), []);
  });

  it('tabs when the editor indents with tabs; CRLF kept in a CRLF file', () => {
    const f = plainFixture(`${JSON.stringify(JSON.parse(compact), null, 1).replace(/\n/g, '\r\n')}\r\n`);
    const formatted = applyEdits(f.text, formatDocument(f.document, { tabSize: 4, insertSpaces: false }));
    assert.equal(formatted, `${JSON.stringify(JSON.parse(compact), null, '\t').replace(/\n/g, '\r\n')}\r\n`);
  });

  it('a range: only the lines of the range change', () => {
    const text = [
      '{',
      '  "condition_groups": [',
      '    { "conditions": [ {"type":"profile-region","in_region":true,"region":"united_states"} ] },',
      '    { "conditions": [ {"type":"profile-region","in_region":false,"region":"european_union"} ] }',
      '  ]',
      '}',
      '',
    ].join('\n');
    const f = plainFixture(text);
    const range = { start: { line: 2, character: 0 }, end: { line: 2, character: text.split('\n')[2].length } };
    const edits = formatDocument(f.document, { tabSize: 2, insertSpaces: true }, range);
    assert.ok(edits.length > 0, 'the compact condition is formatted');
    const formatted = applyEdits(text, edits);
    assert.deepEqual(JSON.parse(formatted), JSON.parse(text));
    const lines = formatted.split('\n');
    assert.deepEqual(lines.slice(0, 2), text.split('\n').slice(0, 2), 'the lines before the range are untouched');
    assert.ok(lines.includes('          "type": "profile-region",'), `the range's condition is laid out one key a line:\n${formatted}`);
    assert.ok(lines.includes(text.split('\n')[3]), `the line after the range is untouched:\n${formatted}`);
  });
});

describe('structure: formatting within its limits (docs/semantics.md, "Limits")', () => {
  const options = { tabSize: 2, insertSpaces: true };
  const timed = <T>(run: () => T): { result: T; ms: number } => {
    const started = Date.now();
    const result = run();
    return { result, ms: Date.now() - started };
  };

  it('declines nesting past the limit at once: 5,000 nested arrays, 4,600 unclosed brackets', () => {
    for (const text of ['['.repeat(5_000) + ']'.repeat(5_000), '['.repeat(4_600)]) {
      const { result, ms } = timed(() => formatWithinLimits(plainFixture(text).document, options));
      assert.deepEqual(result.edits, []);
      assert.match(result.declined ?? '', /nested more than 64 levels/);
      assert.ok(ms < 1_000, `${ms} ms`);
    }
  });

  it('declines a document over the size limit, and one whose indentation would outgrow the limit', () => {
    const big = plainFixture(`{"condition_groups": [], "padding": "${'x'.repeat(FORMAT_LIMITS.maxLength)}"}`);
    assert.match(formatWithinLimits(big.document, options).declined ?? '', /characters; formatting stops at/);
    // 64 levels of arrays, over and over: each bracket would go on its own line, indented by its depth.
    const level64 = `${'['.repeat(63)}${']'.repeat(63)}`;
    const deepMany = plainFixture(`[${Array.from({ length: 3_000 }, () => level64).join(',')}]`);
    assert.ok(deepMany.text.length < FORMAT_LIMITS.maxLength);
    assert.match(formatWithinLimits(deepMany.document, options).declined ?? '', /indentation/);
  });

  it('many changes come back as one edit of the formatted part, with the same result', () => {
    const conditions = Array.from(
      { length: 400 },
      (_, i) => `{"type":"profile-property","property":"properties['Score ${i}']","filter":{"type":"numeric","operator":"greater-than","value":${i}}}`,
    );
    const compactBig = `{"condition_groups":[{"conditions":[${conditions.join(',')}]}]}`;
    const f = plainFixture(compactBig);
    const { edits } = formatWithinLimits(f.document, options);
    assert.equal(edits.length, 1);
    assert.equal(applyEdits(f.text, edits), `${JSON.stringify(JSON.parse(compactBig), null, 2)}\n`);
  });

  it('gives up past its time budget', () => {
    // Every reading of this clock is two seconds after the previous one.
    let clock = 0;
    const slowClock = () => (clock += 2_000);
    const f = plainFixture('{"condition_groups":[{"conditions":[{"type":"profile-region","in_region":true,"region":"united_states"}]}]}');
    const outcome = formatWithinLimits(f.document, options, undefined, { ...FORMAT_LIMITS, budgetMs: 1_000 }, slowClock);
    assert.deepEqual(outcome.edits, []);
    assert.match(outcome.declined ?? '', /took more than 1,000 ms/);
  });
});

describe('structure: values of files that are not strict JSON (found by the fuzz test)', () => {
  it('an object where the condition type belongs, in a file with a comment: the outline still comes', () => {
    const f = plainFixture('// a note\n{"condition_groups": [{"conditions": [{"type": {}, "in_region": true}]}]}');
    const [root] = documentSymbols(f.document, f.parsed);
    assert.equal(root.children?.[0].children?.length, 1);
  });

  it('a "__proto__" key is an ordinary key, as JSON.parse reads it: nothing is polluted', () => {
    const f = plainFixture('{"__proto__": {"polluted": true}, "condition_groups": [], /* tolerant parse */ "x": 1}');
    const value = f.parsed.value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__', 'condition_groups', 'x']);
    assert.equal((value as { polluted?: unknown }).polluted, undefined);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });
});
