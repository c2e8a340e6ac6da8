/**
 * Validation while typing: with the memo of the document's previous version (what the language
 * server keeps per open document), every problem must be exactly the one a validation from scratch
 * finds (range, message, code, severity, fixes), after any edit. And the tree built for strict JSON
 * must be jsonc-parser's own.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTree, type Node } from 'jsonc-parser';
import { generateSegmentText, rng } from '../../bench/validationBench';
import { ConditionMemo } from '../../server/src/segment/conditionMemo';
import { SegmentLanguage, type ValidationOptions } from '../../server/src/segment/languageService';
import { strictTree } from '../../server/src/segment/parse';
import { declaredProperties, schemasAtPath } from '../../server/src/segment/schemaNavigator';

const REPO = join(__dirname, '..', '..', '..');

/** Texts a user might type into a segment file: values valid and not, keys, whole conditions, syntax mistakes. */
const SNIPPETS = [
  '"in-the-last"',
  '"in-the-lst"',
  '"greater-than"',
  '"profile-region"',
  '"profile-metrik"',
  '-3',
  '13',
  '"12"',
  '"2025-01-01"',
  'true',
  'null',
  '[]',
  '{}',
  ', "extra": 1',
  ', "metricId": "X"',
  '"quantity": 5, ',
  '{"type": "profile-region", "in_region": true, "region": "european_union"}, ',
  '{"type": "date", "operator": "between", "start": 9, "end": 2, "unit": "day"}',
  '// note\n',
  ',',
  '"',
  '}',
  ']',
  '\n',
];

/** One random edit of `text`, of the kinds typing makes (including repeated keys and syntax errors). */
function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  switch (Math.floor(next() * 6)) {
    case 0: {
      // A number changed.
      const found = /-?\d+/.exec(text.slice(at));
      if (!found) return text;
      const from = at + found.index;
      return `${text.slice(0, from)}${Math.floor(next() * 500) - 20}${text.slice(from + found[0].length)}`;
    }
    case 1: {
      // A text value or key replaced, or one letter of it changed.
      const found = /"[^"\n]*"/.exec(text.slice(at));
      if (!found) return text;
      const from = at + found.index;
      const replaced = next() < 0.5 ? pick(SNIPPETS.slice(0, 9)) : `${found[0].slice(0, -2)}${String.fromCharCode(97 + Math.floor(next() * 26))}"`;
      return `${text.slice(0, from)}${replaced}${text.slice(from + found[0].length)}`;
    }
    case 2:
      return `${text.slice(0, at)}${text.slice(at + 1 + Math.floor(next() * 30))}`;
    case 3:
      return `${text.slice(0, at)}${pick(SNIPPETS)}${text.slice(at)}`;
    case 4: {
      // A line repeated (a repeated key) or moved.
      const start = text.lastIndexOf('\n', at) + 1;
      const end = text.indexOf('\n', at);
      if (end < 0) return text;
      const line = text.slice(start, end + 1);
      if (next() < 0.5) return `${text.slice(0, start)}${line}${text.slice(start)}`;
      const rest = `${text.slice(0, start)}${text.slice(end + 1)}`;
      const to = rest.indexOf('\n', Math.floor(next() * rest.length)) + 1;
      return `${rest.slice(0, to)}${line}${rest.slice(to)}`;
    }
    default: {
      // A whole condition (a line starting an object in "conditions") removed or doubled.
      const start = text.indexOf('{\n', at);
      if (start < 0) return text;
      const indent = text.lastIndexOf('\n', start) + 1;
      const close = text.indexOf(`\n${' '.repeat(start - indent)}}`, start);
      if (close < 0) return text;
      const end = close + 2 + start - indent;
      return next() < 0.5 ? `${text.slice(0, start)}${text.slice(end)}` : `${text.slice(0, end)},${text.slice(start, end)}${text.slice(end)}`;
    }
  }
}

/** Edits `start` `steps` times in a row (now and then going back to `start`), checking each version with the memo against from scratch. */
function checkTyping(language: SegmentLanguage, start: string, steps: number, seed: number, name: string): void {
  const next = rng(seed);
  const memo = new ConditionMemo();
  let text = start;
  for (let step = 0; step <= steps; step++) {
    const options: ValidationOptions = next() < 0.2 ? { allowComments: true } : {};
    const withMemo = language.validate(language.parse(text), { ...options, reuse: memo });
    const fromScratch = language.validate(language.parse(text), options);
    assert.deepStrictEqual(withMemo, fromScratch, `${name}, edit ${step} (seed ${seed}): the problems differ from a validation from scratch`);
    text = next() < 0.1 ? start : edit(text, next);
  }
}

describe('validation with the previous version (ConditionMemo)', function () {
  this.timeout(300_000);
  const language = new SegmentLanguage();

  it('finds exactly the problems a validation from scratch finds, after random edits of small files', () => {
    const files = [
      ...readdirSync(join(REPO, 'sample-workspace', 'segments')).map((name) => join(REPO, 'sample-workspace', 'segments', name)),
      ...readdirSync(join(REPO, 'test', 'fixtures', 'validate', 'segments')).map((name) => join(REPO, 'test', 'fixtures', 'validate', 'segments', name)),
    ].filter((file) => file.endsWith('.json'));
    assert.ok(files.length >= 5, `small files: ${files.length}`);
    const texts = [...files.map((file) => readFileSync(file, 'utf8')), generateSegmentText(30)];
    texts.forEach((text, index) => checkTyping(language, text, 60, 100 + index, files[index] ?? 'a generated 30-condition file'));
  });

  it('finds exactly the problems a validation from scratch finds, after random edits of the 1 MB file', () => {
    checkTyping(language, generateSegmentText(), 12, 7, 'the 1 MB file');
  });

  it('follows the value, not the first of repeated keys, when a key outside the conditions is repeated', () => {
    // The value keeps the last "condition_groups", the tree's lookups find the first: only the second changes.
    const file = (region: string) =>
      `{"condition_groups": [{"conditions": [{"type": "profile-region", "in_region": true, "region": "european_union"}]}],\n "condition_groups": [{"conditions": [{"type": "profile-region", "in_region": true, "region": "${region}"}]}]}`;
    const memo = new ConditionMemo();
    const before = language.validate(language.parse(file('atlantis')), { reuse: memo });
    assert.ok(
      before.some((p) => p.code === 'invalid-value'),
      JSON.stringify(before),
    );
    const after = language.validate(language.parse(file('united_states')), { reuse: memo });
    assert.deepStrictEqual(after, language.validate(language.parse(file('united_states'))));
    assert.ok(!after.some((p) => p.code === 'invalid-value'), JSON.stringify(after));
  });

  it('reports the problems of a changed condition where it now is, and keeps those of unchanged ones', () => {
    const text = generateSegmentText(30).replace('"quantity": ', '"quantity": -');
    const memo = new ConditionMemo();
    const before = language.validate(language.parse(text), { reuse: memo });
    const negative = before.filter((p) => p.code === 'negative-quantity');
    assert.equal(negative.length, 1, JSON.stringify(before));
    // A key added in the first condition moves every later problem; the quantity's warning moves with it.
    const edited = text.replace('"type": "profile-', '"extra": 1, "type": "profile-');
    const after = language.validate(language.parse(edited), { reuse: memo });
    assert.deepStrictEqual(after, language.validate(language.parse(edited)));
    const moved = after.filter((p) => p.code === 'negative-quantity');
    assert.equal(moved.length, 1);
    assert.equal(edited.slice(moved[0].offset, moved[0].offset + moved[0].length), text.slice(negative[0].offset, negative[0].offset + negative[0].length));
    assert.ok(after.some((p) => p.code === 'unknown-property' && edited.slice(p.offset, p.offset + p.length) === '"extra"'));
  });
});

describe('unknown keys in a large file (conditions of one shape share a verdict)', () => {
  /** Every key the schemas do not declare, found by walking the tree with schemasAtPath alone (no memo): the oracle. */
  function undeclaredKeys(language: SegmentLanguage, text: string): number[] {
    const parsed = language.parse(text);
    const offsets: number[] = [];
    const walk = (node: Node, path: (string | number)[]): void => {
      const applicable = schemasAtPath(language.schema, parsed.value, path);
      if (node.type === 'array') (node.children ?? []).forEach((item, index) => walk(item, [...path, index]));
      if (node.type !== 'object' || applicable.unresolved) return;
      const declared = declaredProperties(applicable);
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (declared.size > 0 && !declared.has(String(keyNode.value))) offsets.push(keyNode.offset);
        else if (valueNode && (valueNode.type === 'object' || valueNode.type === 'array')) walk(valueNode, [...path, String(keyNode.value)]);
      }
    };
    if (parsed.root) walk(parsed.root, []);
    return offsets;
  }

  it('reports every undeclared key, in conditions whose shape an earlier condition had without it', () => {
    const next = rng(11);
    const language = new SegmentLanguage();
    let text = generateSegmentText(200);
    // Keys added inside conditions (valid JSON): unknown ones, and known ones in the wrong place.
    for (let i = 0; i < 60; i++) {
      const at = text.indexOf('{\n', Math.floor(next() * text.length));
      if (at < 0 || text.lastIndexOf('"conditions"', at) < 0) continue;
      const key = ['"extra"', '"metric_id"', '"operator"', '"unit"', '"quantity"'][Math.floor(next() * 5)];
      text = `${text.slice(0, at + 1)} ${key}: 1,${text.slice(at + 1)}`;
    }
    const reported = language
      .validate(language.parse(text))
      .filter((p) => p.code === 'unknown-property')
      .map((p) => p.offset);
    const expected = undeclaredKeys(language, text);
    assert.ok(expected.length >= 10, `undeclared keys: ${expected.length}`);
    // A key can be left unreported only where a schema problem already sits on it.
    const schemaOffsets = new Set(
      language
        .validate(language.parse(text))
        .filter((p) => p.code !== 'unknown-property')
        .map((p) => p.offset),
    );
    assert.deepEqual(
      reported,
      expected.filter((offset) => !schemaOffsets.has(offset)),
    );
  });
});

describe('the tree of strict JSON (strictTree)', () => {
  const tolerant = (text: string) => parseTree(text, [], { disallowComments: false, allowTrailingComma: true, allowEmptyContent: true });

  it('is the tree jsonc-parser builds, for segment files and random JSON', () => {
    const next = rng(3);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const blank = () => pick(['', ' ', '\n  ', '\t', '\r\n']);
    const value = (depth: number): string => {
      switch (Math.floor(next() * (depth > 4 ? 4 : 6))) {
        case 0:
          return pick(['0', '-0', '12', '-3.5', '1e3', '2E-2', '1.5e+400', '123456789012345678901']);
        case 1:
          return JSON.stringify(pick(['', 'a', 'é', 'line\nbreak', 'quote " and \\ slash', '\u2028', '😀', 'tab\t']));
        case 2:
          return pick(['true', 'false', 'null']);
        case 3:
          return pick(['"\\u0041\\/"', '"\\ud83d\\ude00"']);
        case 4:
          return `[${blank()}${Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1)).join(`${blank()},${blank()}`)}${blank()}]`;
        default:
          return `{${blank()}${Array.from({ length: Math.floor(next() * 4) }, () => `${value(1).startsWith('"') ? pick(['"a"', '"b"', '"__proto__"', '"k\\"ey"']) : '"c"'}${blank()}:${blank()}${value(depth + 1)}`).join(`${blank()},${blank()}`)}${blank()}}`;
      }
    };
    const texts = [
      generateSegmentText(40),
      readFileSync(join(REPO, 'sample-workspace', 'segments', readdirSync(join(REPO, 'sample-workspace', 'segments'))[0]), 'utf8'),
    ];
    for (let i = 0; i < 500; i++) texts.push(`${blank()}${value(0)}${blank()}`);
    for (const text of texts) {
      JSON.parse(text); // strict JSON only
      assert.deepStrictEqual(strictTree(text), tolerant(text), text);
    }
  });

  it('reuses the strings it has seen, and never another text that shares their hash', () => {
    // "Aa" and "BB" (and "AaAa", "BBBB", "AaBB") have the same 31-based hash, so they share a
    // slot of the table of seen strings; so do the 20-character texts built from them.
    const long = (parts: string[]) => parts.join('').padEnd(20, 'x');
    const texts = [
      '{"Aa": "BB", "BB": "Aa", "AaAa": ["BBBB", "AaBB", "BBAa"]}',
      JSON.stringify({ [long(['Aa', 'BB'])]: long(['BB', 'Aa']), [long(['BB', 'BB'])]: [long(['Aa', 'Aa']), long(['BB', 'Aa'])] }),
      '{"Aa": "Aa", "BB": "BB"}',
    ];
    for (let round = 0; round < 2; round++) for (const text of texts) assert.deepStrictEqual(strictTree(text), tolerant(text), text);
  });

  it('leaves to boundNesting what it would rewrite: nesting past the limit, long runs of blanks', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    assert.deepStrictEqual(strictTree(nested(64)), tolerant(nested(64)));
    assert.equal(strictTree(nested(65)), undefined);
    assert.deepStrictEqual(strictTree(`[1,${' '.repeat(255)}2]`), tolerant(`[1,${' '.repeat(255)}2]`));
    assert.equal(strictTree(`[1,${' \t'.repeat(128)}2]`), undefined);
    assert.deepStrictEqual(strictTree(`[1,${' \n'.repeat(300)}2]`), tolerant(`[1,${' \n'.repeat(300)}2]`));
  });
});
