/**
 * The review modules' pure parts (server/src/review): the diagnostic catalog against
 * docs/diagnostics.md, Markdown escaping, GitHub workflow-command escaping, and line/column
 * positions. The commands are tested as users run them in test/cli/ (diff, overlap, sarif).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { escapeWorkflowData, escapeWorkflowProperty, githubAnnotations } from '../../server/src/review/annotations';
import { DIAGNOSTIC_CODES } from '../../server/src/review/diagnosticCodes';
import { escapeMarkdown } from '../../server/src/review/markdown';
import { lineAndColumn } from '../../server/src/review/segmentEvaluation';

const REPO = join(__dirname, '..', '..', '..');

/** Rows of the tables in docs/diagnostics.md: code(s), severity, meaning, fix. */
function documentedCodes(): { code: string; severity: string; meaning: string; fix: string }[] {
  const rows: { code: string; severity: string; meaning: string; fix: string }[] = [];
  for (const line of readFileSync(join(REPO, 'docs', 'diagnostics.md'), 'utf8').split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 4 || !cells[0].startsWith('`')) continue;
    for (const code of cells[0].split('/').map((c) => c.trim().replace(/`/g, ''))) rows.push({ code, severity: cells[1], meaning: cells[2], fix: cells[3] });
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('review: diagnostic codes (SARIF rules)', () => {
  it('holds every row of docs/diagnostics.md with its severity, meaning and fix, and nothing else', () => {
    const documented = documentedCodes();
    assert.ok(documented.length > 40);
    assert.deepEqual(
      DIAGNOSTIC_CODES.map(({ code, severity, meaning, fix }) => ({ code, severity, meaning, fix })),
      documented,
    );
  });

  it('documents every code the validator and the CLI report', () => {
    const known = new Set(DIAGNOSTIC_CODES.map((c) => c.code));
    const used = new Set<string>();
    for (const file of [...sourceFiles(join(REPO, 'server', 'src', 'segment')), join(REPO, 'server', 'src', 'cli', 'validateCommand.ts')]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/code: '([a-z0-9-]+)'/g)) used.add(match[1]);
    }
    assert.ok(used.size > 30);
    assert.deepEqual(
      [...used].filter((code) => !known.has(code)),
      [],
    );
  });
});

describe('review: escapeMarkdown', () => {
  it('turns every ASCII punctuation character into a character reference', () => {
    assert.equal(escapeMarkdown('<script>alert(1)</script>'), '&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;');
    assert.equal(
      escapeMarkdown('a|b `c` [d](javascript:e) *f* _g_ ~h~ \\i &amp; @j #k !l'),
      'a&#124;b &#96;c&#96; &#91;d&#93;&#40;javascript&#58;e&#41; &#42;f&#42; &#95;g&#95; &#126;h&#126; &#92;i &#38;amp&#59; &#64;j &#35;k &#33;l',
    );
  });

  it('keeps letters, digits, spaces and other scripts; line breaks and bidi overrides become spaces', () => {
    assert.equal(escapeMarkdown('Zoë 42 東京'), 'Zoë 42 東京');
    assert.equal(escapeMarkdown('a\nb\r\nc\u2028d\u202ee'), 'a b  c d e');
  });

  it('clips long values', () => {
    assert.equal(escapeMarkdown('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
  });
});

describe('review: GitHub workflow commands', () => {
  it('escapes %, CR and LF in the message, and also : and , in properties', () => {
    assert.equal(escapeWorkflowData('100% sure:\r\nyes, really'), '100%25 sure:%0D%0Ayes, really');
    assert.equal(escapeWorkflowProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  });

  it('gives col and endColumn (the last column) on one line, only the lines for a range over several', () => {
    const lines = githubAnnotations([
      {
        file: 'dir/a:b,c.json',
        problems: [
          { severity: 'error', code: 'wrong-type', message: 'Expected 50%\nof it', start: { line: 2, column: 5 }, end: { line: 2, column: 9 } },
          { severity: 'warning', code: 'unknown-property', message: 'm', start: { line: 3, column: 1 }, end: { line: 5, column: 2 } },
          { severity: 'information', code: 'matches-no-one', message: 'n', start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
        ],
      },
    ]);
    assert.deepEqual(lines, [
      '::error file=dir/a%3Ab%2Cc.json,line=2,col=5,endLine=2,endColumn=8,title=wrong-type::Expected 50%25%0Aof it',
      '::warning file=dir/a%3Ab%2Cc.json,line=3,endLine=5,title=unknown-property::m',
      '::notice file=dir/a%3Ab%2Cc.json,line=1,col=1,endLine=1,endColumn=1,title=matches-no-one::n',
    ]);
  });
});

describe('review: lineAndColumn', () => {
  it('counts 1-based lines and columns across LF, CRLF and CR', () => {
    const text = 'ab\ncd\r\nef\rgh';
    assert.deepEqual(lineAndColumn(text, 0), { line: 1, column: 1 });
    assert.deepEqual(lineAndColumn(text, 4), { line: 2, column: 2 });
    assert.deepEqual(lineAndColumn(text, 7), { line: 3, column: 1 });
    assert.deepEqual(lineAndColumn(text, 10), { line: 4, column: 1 });
  });
});
