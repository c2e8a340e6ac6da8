/**
 * Documents nested deeper than any segment definition (issue 16): the nesting limit of
 * docs/semantics.md, the one `too-deep` diagnostic, and every language feature answering "nothing
 * here" inside the part that is too deep instead of overflowing the stack.
 */
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { completion } from '../../../server/src/features/completion';
import { hover } from '../../../server/src/features/hover';
import { documentSymbols, foldingRanges, formatDocument, selectionRanges } from '../../../server/src/features/structureFeatures';
import { diagnose, plainFixture, segmentLanguage } from './fixture';
import { tinyShop } from './tinyShop';

/** The nesting limit docs/semantics.md documents ("Limits"): the root object is level 1. */
const DOCUMENTED_LIMIT = 64;

/** `{"condition_groups": [[[…` with `arrays` arrays under the root object, closed or not. */
function nestedArrays(arrays: number, closed = true): { text: string; firstTooDeep: number | undefined } {
  const prefix = '{"condition_groups":';
  const text = prefix + '['.repeat(arrays) + (closed ? `${']'.repeat(arrays)}}` : '');
  // The root object is level 1, so array k (from 1) is level k + 1: the first past the limit is
  // array number DOCUMENTED_LIMIT, at offset prefix + DOCUMENTED_LIMIT - 1.
  return { text, firstTooDeep: arrays + 1 > DOCUMENTED_LIMIT ? prefix.length + DOCUMENTED_LIMIT - 1 : undefined };
}

const codes = (text: string, workspace = true) => diagnose(plainFixture(text), { workspace }).map((d) => String(d.code));

describe('nesting limit: one too-deep diagnostic, at the first value past the limit', () => {
  for (const [arrays, closed] of [
    [5_000, true],
    [5_000, false],
    [100_000, true],
    [200_000, false],
  ] as const) {
    it(`${arrays.toLocaleString('en-US')} nested arrays, ${closed ? 'closed' : 'never closed'}`, () => {
      const { text, firstTooDeep } = nestedArrays(arrays, closed);
      const f = plainFixture(text);
      const diagnostics = diagnose(f);
      const tooDeep = diagnostics.filter((d) => d.code === 'too-deep');
      assert.equal(tooDeep.length, 1, JSON.stringify(diagnostics.map((d) => d.code)));
      assert.equal(tooDeep[0].severity, DiagnosticSeverity.Error);
      assert.deepEqual(tooDeep[0].range.start, f.document.positionAt(firstTooDeep!));
      assert.match(String(tooDeep[0].message), new RegExp(`${DOCUMENTED_LIMIT} levels`));
      // Unclosed brackets are still a syntax error at the end; nothing else is said about the broken part.
      assert.deepEqual(
        diagnostics.filter((d) => d.code !== 'too-deep').map((d) => d.code),
        closed ? [] : ['json-syntax'],
      );
    });
  }

  it('the limit itself is allowed; one more level is not', () => {
    // The root object is level 1: DOCUMENTED_LIMIT - 1 arrays reach exactly the limit.
    assert.ok(!codes(nestedArrays(DOCUMENTED_LIMIT - 1).text).includes('too-deep'));
    assert.deepEqual(
      codes(nestedArrays(DOCUMENTED_LIMIT).text).filter((c) => c === 'too-deep'),
      ['too-deep'],
    );
  });

  it('brackets inside texts and comments are not nesting', () => {
    const deepText = JSON.stringify('['.repeat(10_000));
    const text = `{"condition_groups": [{"conditions": [{"type": "profile-property", "property": "first_name", "filter": {"type": "string", "operator": "equals", "value": ${deepText}}}]}]}`;
    assert.deepEqual(codes(text), []);
    const commented = `// ${'['.repeat(10_000)}\n/* ${'{'.repeat(10_000)} */\n{"condition_groups": []}`;
    assert.deepEqual(codes(commented, false), ['json-comment', 'json-comment', 'empty-condition-groups']);
  });

  it('the rest of the file is still checked', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    const text = `{"condition_groups": [{"conditions": [{"type": "profile-region", "in_region": "yes", "region": "european_union"}]}, {"conditions": [${deep}]}]}`;
    const found = codes(text, false);
    assert.ok(found.includes('too-deep'), JSON.stringify(found));
    assert.ok(found.includes('wrong-type'), `the wrong type in the first group is still reported: ${JSON.stringify(found)}`);
  });
});

describe('nesting limit: the language features answer "nothing here" past it', () => {
  const { text, firstTooDeep } = nestedArrays(100_000, false);
  let f: ReturnType<typeof plainFixture>;
  before(() => (f = plainFixture(text)));
  const inside = firstTooDeep! + 500;
  const services = { schema: segmentLanguage().schema, workspace: tinyShop().summary, names: tinyShop().names };

  it('hover and completion inside the part that is too deep', () => {
    assert.equal(hover(f.document, f.parsed, inside, services), null);
    assert.deepEqual(completion(f.document, f.parsed, inside, services).items, []);
  });

  it('outline, folding and smart selection stay bounded', () => {
    assert.doesNotThrow(() => documentSymbols(f.document, f.parsed));
    assert.ok(foldingRanges(f.document, f.parsed).length <= DOCUMENTED_LIMIT);
    const [selection] = selectionRanges(f.document, f.parsed, [inside]);
    let levels = 0;
    for (let s: typeof selection | undefined = selection; s; s = s.parent) levels++;
    assert.ok(levels <= DOCUMENTED_LIMIT + 2, `${levels} selection levels`);
  });

  it('formatting declines', () => {
    assert.deepEqual(formatDocument(f.document, { tabSize: 2, insertSpaces: true }), []);
  });
});

describe('long runs of spaces', () => {
  it('completion after 60,000 blank characters and a value answers at once (found by the fuzz test: /\\s+$/ took hours on a megabyte)', () => {
    const text = `{"condition_groups": [${' \u2028'.repeat(30_000)}1, `;
    const f = plainFixture(text);
    const started = Date.now();
    completion(f.document, f.parsed, text.length, { schema: segmentLanguage().schema });
    const ms = Date.now() - started;
    assert.ok(ms < 1_000, `${ms} ms`);
  });

  it('5 MB of spaces before a definition: the same tree, offsets unchanged, parsed in well under the 5 s it used to take', () => {
    const padding = ' '.repeat(5_000_000);
    const started = Date.now();
    const f = plainFixture(`${padding}{"condition_groups": []}\n${padding}`);
    const ms = Date.now() - started;
    assert.equal(f.parsed.root?.offset, padding.length);
    assert.equal(f.parsed.shape, 'definition');
    assert.deepEqual(
      diagnose(f, { workspace: false }).map((d) => d.code),
      ['empty-condition-groups'],
    );
    assert.ok(ms < 2_000, `${ms} ms`);
  });
});
