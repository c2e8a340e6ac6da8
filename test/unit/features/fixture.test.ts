/**
 * The fixture markers themselves (./fixture.ts): the other feature tests read their expected
 * ranges from annotations, so a marker misread would make them assert the wrong thing.
 */
import assert from 'node:assert/strict';
import { parseMarkers } from './fixture';

describe('feature fixtures: markers', () => {
  it('the | cursor is removed and its offset kept', () => {
    assert.deepEqual(parseMarkers('{ "a": |1 }'), { text: '{ "a": 1 }', cursor: 7, annotations: [] });
    assert.deepEqual(parseMarkers('{}'), { text: '{}', cursor: undefined, annotations: [] });
  });

  it('an annotation line marks the columns of the line above and is removed', () => {
    const { text, annotations } = parseMarkers('{\n  "key": "value"\n//       ^^^^^^^ the value\n}');
    assert.equal(text, '{\n  "key": "value"\n}');
    assert.deepEqual(annotations, [
      { label: 'the value', offset: 11, length: 7, range: { start: { line: 1, character: 9 }, end: { line: 1, character: 16 } } },
    ]);
    assert.equal(text.slice(11, 18), '"value"');
  });

  it('several annotation lines mark the same line; a | on it counts in the source, not in the document', () => {
    const { text, cursor, annotations } = parseMarkers('{ "k": "va|lue" }\n//     ^^^^^^^^ value\n//^^^ key');
    assert.equal(text, '{ "k": "value" }');
    assert.equal(cursor, 10);
    assert.deepEqual(
      annotations.map((a) => [a.label, text.slice(a.offset, a.offset + a.length)]),
      [
        ['value', '"value"'],
        ['key', '"k"'],
      ],
    );
  });

  it('a comment that is not carets stays in the document', () => {
    assert.equal(parseMarkers('{\n  // a note\n}').text, '{\n  // a note\n}');
  });

  it('mistakes are errors: two cursors, an annotation first, carets past the end of the line', () => {
    assert.throws(() => parseMarkers('{ "a": |1, "b": |2 }'), /more than one \| cursor/);
    assert.throws(() => parseMarkers('//^^ x\n{}'), /annotation before any line/);
    assert.throws(() => parseMarkers('{}\n//^^^^ x'), /past the end/);
  });
});
