/**
 * In-process fixtures for the language features (server/src/features/), in the style of
 * vscode-json-languageservice's `src/test/<feature>.test.ts` and rust-analyzer's fixtures: each
 * case writes its segment file inline and calls the feature function directly, with the document
 * parsed by `SegmentLanguage` and the summary of the tiny workspace in ./tinyShop.ts. No build,
 * no server process: a case takes milliseconds.
 *
 * A fixture's source is the file's text with two kinds of markers, both removed from the document:
 *
 * - `|` is the cursor (at most one per fixture).
 *
 * - An annotation line marks a range of the line above it with carets and gives it a label:
 *
 *       { "type": "profile-metric", "metric_id": "VwxT3b" }
 *       //                                       ^^^^^^^^ unknown-metric-id
 *
 *   It is a line whose first non-blank characters are `//` followed by spaces and carets. The
 *   carets stand under the characters they mark, column for column as the source is written (a
 *   `|` on the annotated line takes a column in the source, none in the document). The text after
 *   the carets is the label: a diagnostic code, or any name the test looks the range up by.
 *   Several annotation lines may follow one line; all of them mark that line. A range cannot span
 *   lines: write the marked value on one line.
 *
 * Everything else is the document, so a fixture without markers is the file exactly as written.
 */
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic, type Position, type Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { describeCondition, describeDefinition, describeGroup } from '../../../server/src/engine/describe';
import { Evaluator } from '../../../server/src/engine/evaluator';
import { toDiagnostics } from '../../../server/src/features/diagnostics';
import type { CountsReport } from '../../../server/src/protocol';
import { SegmentLanguage, type ValidationOptions } from '../../../server/src/segment/languageService';
import { definitionValue, type ParsedSegment } from '../../../server/src/segment/parse';
import { positionAt } from '../../support/lspText';
import { SEGMENT_IDS, SHOP_NAME, tinyShop } from './tinyShop';

/** A range of the document marked by an annotation line. */
export interface Annotation {
  label: string;
  offset: number;
  length: number;
  range: Range;
}

/** The default file of a fixture: a segment file inside the tiny shop's `segments/` folder. */
export const FIXTURE_URI = 'file:///tiny-vinyl/segments/fixture.json';

export interface SegmentFixture {
  /** The document's text: the source without its markers. */
  readonly text: string;
  readonly document: TextDocument;
  readonly parsed: ParsedSegment;
  readonly annotations: readonly Annotation[];
  /** Offset of the `|` (throws when the fixture has none). */
  readonly offset: number;
  /** Position of the `|` (throws when the fixture has none). */
  readonly position: Position;
  /** The range of the one annotation with this label. */
  range(label: string): Range;
}

const ANNOTATION = /^(\s*\/\/\s*)(\^+)(?:\s+(.*))?$/;

/** Splits a fixture's source into the document's text, the cursor and the annotations. */
export function parseMarkers(source: string): { text: string; cursor: number | undefined; annotations: Annotation[] } {
  const lines: string[] = [];
  const marks: { line: number; start: number; end: number; label: string }[] = [];
  for (const line of source.split('\n')) {
    const m = ANNOTATION.exec(line);
    if (!m) {
      lines.push(line);
      continue;
    }
    const target = lines.length - 1;
    if (target < 0) throw new Error(`annotation before any line: ${line}`);
    const start = m[1].length;
    const end = start + m[2].length;
    if (end > lines[target].length) throw new Error(`annotation reaches past the end of ${JSON.stringify(lines[target])}`);
    marks.push({ line: target, start, end, label: (m[3] ?? '').trim() });
  }
  const raw = lines.join('\n');
  const at = raw.indexOf('|');
  if (at >= 0 && raw.indexOf('|', at + 1) >= 0) throw new Error('more than one | cursor marker');
  const cursor = at >= 0 ? at : undefined;
  const text = cursor === undefined ? raw : raw.slice(0, cursor) + raw.slice(cursor + 1);
  // Offsets in the source become offsets in the document: one less after the cursor marker.
  const clean = (offset: number) => (cursor !== undefined && offset > cursor ? offset - 1 : offset);
  const lineStarts: number[] = [];
  lines.reduce((offset, line) => (lineStarts.push(offset), offset + line.length + 1), 0);
  const annotations = marks.map(({ line, start, end, label }): Annotation => {
    const from = clean(lineStarts[line] + start);
    const to = clean(lineStarts[line] + end);
    return { label, offset: from, length: to - from, range: { start: positionAt(text, from), end: positionAt(text, to) } };
  });
  return { text, cursor, annotations };
}

let shared: SegmentLanguage | undefined;

/** One `SegmentLanguage` for every fixture of the test run: compiling the schema takes a second. */
export function segmentLanguage(): SegmentLanguage {
  shared ??= new SegmentLanguage();
  return shared;
}

/** A document and its parse from a fixture's source (see the markers at the top of this file). */
export function fixture(source: string, options: { uri?: string } = {}): SegmentFixture {
  const { text, cursor, annotations } = parseMarkers(source);
  return segmentFixture(text, cursor, annotations, options.uri);
}

/** A document and its parse from a text taken as it is, markers or not (an edit's result). */
export function plainFixture(text: string, options: { uri?: string } = {}): SegmentFixture {
  return segmentFixture(text, undefined, [], options.uri);
}

function segmentFixture(text: string, cursor: number | undefined, annotations: Annotation[], uri = FIXTURE_URI): SegmentFixture {
  const document = TextDocument.create(uri, 'json', 1, text);
  const parsed = segmentLanguage().parse(text);
  const offset = () => {
    if (cursor === undefined) throw new Error('the fixture has no | cursor marker');
    return cursor;
  };
  return {
    text,
    document,
    parsed,
    annotations,
    get offset() {
      return offset();
    },
    get position() {
      return document.positionAt(offset());
    },
    range(label: string): Range {
      const found = annotations.filter((a) => a.label === label);
      assert.equal(found.length, 1, `one annotation labelled ${JSON.stringify(label)}; have ${JSON.stringify(annotations.map((a) => a.label))}`);
      return found[0].range;
    },
  };
}

/** Tests write bare definitions with this helper (test/support/segmentText.ts). */
export { definition } from '../../support/segmentText';

export interface DiagnoseOptions {
  /** Validate inside the tiny shop (default) or outside any data workspace. */
  workspace?: boolean;
  /** The segment's match count, as the counts would report it. */
  matched?: number | null;
  allowComments?: boolean;
  consentHint?: ValidationOptions['consentHint'];
}

/** The diagnostics the server publishes for a document: validation, then the conversion to LSP. */
export function diagnose(f: SegmentFixture, options: DiagnoseOptions = {}): Diagnostic[] {
  const problems = segmentLanguage().validate(f.parsed, {
    allowComments: options.allowComments,
    workspace: options.workspace === false ? undefined : { summary: tinyShop().summary, segmentIds: SEGMENT_IDS },
    matched: options.matched,
    fileName: URI.parse(f.document.uri).path.split('/').pop(),
    consentHint: options.consentHint,
  });
  return toDiagnostics(f.document, problems);
}

/**
 * Asserts that `text` is strict JSON and has no error in the tiny shop (codes in `allow`
 * excepted); returns every diagnostic, for assertions on warnings and hints.
 */
export function assertValid(text: string, allow: readonly string[] = []): Diagnostic[] {
  assert.doesNotThrow(() => JSON.parse(text), `not strict JSON:\n${text}`);
  const diagnostics = diagnose(plainFixture(text));
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error && !allow.includes(String(d.code)));
  assert.deepEqual(
    errors.map((d) => `${d.code}: ${d.message}`),
    [],
    `errors in:\n${text}`,
  );
  return diagnostics;
}

/**
 * The counts of a fixture's definition in the tiny shop, shaped as the server's counts report.
 * The server computes them in its evaluation worker (host/countsService.ts needs a
 * worker-backed workspace host); here the engine evaluates in this thread and the same
 * descriptions are attached.
 */
export function countsOf(f: SegmentFixture): CountsReport {
  const { workspace, names } = tinyShop();
  const definitionJson = definitionValue(f.parsed);
  assert.ok(definitionJson, 'the fixture holds a definition');
  const result = new Evaluator(workspace).evaluateDefinition(definitionJson);
  const groupsJson = Array.isArray(definitionJson.condition_groups) ? (definitionJson.condition_groups as { conditions?: unknown[] }[]) : [];
  return {
    version: f.document.version,
    state: 'ok',
    total: result.total,
    matched: result.matched,
    notEvaluable: [...result.notEvaluable],
    description: describeDefinition(definitionJson, names),
    groups: result.groups.map((group, g) => ({
      matched: group.matched,
      afterAnd: group.afterAnd,
      description: describeGroup(groupsJson[g], names),
      conditions: group.conditions.map((c, i) => ({
        matched: c.matched,
        notEvaluable: c.notEvaluable,
        description: describeCondition(groupsJson[g]?.conditions?.[i], names),
      })),
    })),
    workspace: {
      name: SHOP_NAME,
      root: '/tiny-vinyl',
      now: tinyShop().summary.now,
      profiles: workspace.profileCount,
      events: workspace.eventCount,
      metrics: workspace.metrics.length,
      lists: workspace.lists.length,
      warnings: 0,
    },
    computedAt: tinyShop().summary.now,
    elapsedMs: result.elapsedMs,
  };
}
