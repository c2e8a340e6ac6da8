import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CodeActionRequest, CompletionRequest, HoverRequest, InsertTextFormat, type CodeAction, type Command, type CompletionItem, type Diagnostic,
  type Range, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { cursor, positionAt, REPO, TestClient } from './lspClient';
import type { CountsReport } from '../../server/src/protocol';

export const SAMPLE = join(REPO, 'sample-workspace');
export const TINY = join(REPO, 'test', 'fixtures', 'workspaces', 'tiny');

/** A fresh copy of a workspace folder in a temp directory (tests may add files to it). */
export function copyWorkspace(source: string, into?: string): string {
  const target = into ?? mkdtempSync(join(tmpdir(), 'segment-lens-features-'));
  cpSync(source, target, { recursive: true });
  return target;
}

export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export function removeDir(path: string | undefined): void {
  if (path) rmSync(path, { recursive: true, force: true });
}

/** Offset of an LSP position in `text` (LF line ends). */
export function offsetAt(text: string, position: { line: number; character: number }): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

/** The range of the `occurrence`-th (0-based) occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence + 1} times`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/** The range of the JSON value (object/array) that starts at the `occurrence`-th `needle`, up to its matching bracket. */
export function blockRange(text: string, needle: string, occurrence = 0): Range {
  const start = offsetAt(text, rangeOf(text, needle, occurrence).start);
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { start: positionAt(text, start), end: positionAt(text, i + 1) };
    }
  }
  throw new Error(`unbalanced block at ${JSON.stringify(needle)}`);
}

/**
 * Expands an LSP snippet the way an editor does when the user accepts every default: a choice
 * becomes its first option, a placeholder its text, an empty tab stop nothing; escapes are
 * resolved. Throws on a malformed snippet (an unterminated placeholder or choice).
 */
export function expandSnippet(snippet: string): string {
  let i = 0;
  const fail = (why: string) => new Error(`malformed snippet (${why}) at ${i}: ${snippet}`);
  const parse = (inPlaceholder: boolean): string => {
    let out = '';
    while (i < snippet.length) {
      const c = snippet[i];
      if (c === '\\' && i + 1 < snippet.length && '$}\\'.includes(snippet[i + 1])) {
        out += snippet[i + 1];
        i += 2;
        continue;
      }
      if (inPlaceholder && c === '}') return out;
      if (c === '$') {
        const simple = /^\$(\d+|[A-Za-z_]\w*)/.exec(snippet.slice(i));
        if (simple) {
          i += simple[0].length;
          continue;
        }
        const head = /^\$\{(\d+|[A-Za-z_]\w*)/.exec(snippet.slice(i));
        if (head) {
          i += head[0].length;
          if (snippet[i] === '}') {
            i++;
            continue;
          }
          if (snippet[i] === ':') {
            i++;
            out += parse(true);
            if (snippet[i] !== '}') throw fail('unterminated placeholder');
            i++;
            continue;
          }
          if (snippet[i] === '|') {
            i++;
            const options: string[] = [''];
            for (;;) {
              if (i >= snippet.length) throw fail('unterminated choice');
              const d = snippet[i];
              if (d === '\\' && i + 1 < snippet.length && '$}\\,|'.includes(snippet[i + 1])) {
                options[options.length - 1] += snippet[i + 1];
                i += 2;
              } else if (d === ',') {
                options.push('');
                i++;
              } else if (d === '|' && snippet[i + 1] === '}') {
                i += 2;
                break;
              } else {
                options[options.length - 1] += d;
                i++;
              }
            }
            out += options[0];
            continue;
          }
          throw fail('unexpected character after ${');
        }
      }
      out += c;
      i++;
    }
    if (inPlaceholder) throw fail('unterminated placeholder');
    return out;
  };
  return parse(false);
}

/** Applies LSP text edits (non-overlapping) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let result = text;
  for (const e of sorted) result = result.slice(0, e.start) + e.newText + result.slice(e.end);
  return result;
}

/** The text edit of a completion item (insert range of an InsertReplaceEdit), or an error. */
export function editOf(item: CompletionItem): TextEdit {
  const edit = item.textEdit;
  assert.ok(edit, `item ${item.label} has a textEdit`);
  return 'range' in edit ? edit : { range: edit.insert, newText: edit.newText };
}

/** The document after accepting `item`, snippet tab stops expanded to their defaults. */
export function applyCompletion(text: string, item: CompletionItem): string {
  const edit = editOf(item);
  const newText = item.insertTextFormat === InsertTextFormat.Snippet ? expandSnippet(edit.newText) : edit.newText;
  return applyEdits(text, [{ range: edit.range, newText }]);
}

/**
 * What an editor keeps after the user typed `typed` (the text between the start of the item's
 * range and the cursor): items whose filterText (else label) starts with it, case-insensitively.
 */
export function editorFilter(items: readonly CompletionItem[], text: string, offset: number): CompletionItem[] {
  return items.filter((item) => {
    const typed = text.slice(offsetAt(text, editOf(item).range.start), offset).toLowerCase();
    return (item.filterText ?? item.label).toLowerCase().startsWith(typed);
  });
}

/** Items in the order an editor shows them (by sortText, else label). */
export function sorted(items: readonly CompletionItem[]): CompletionItem[] {
  const key = (i: CompletionItem) => i.sortText ?? i.label;
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function item(items: readonly CompletionItem[], label: string): CompletionItem {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `no completion ${JSON.stringify(label)} among ${JSON.stringify(items.map((i) => i.label))}`);
  return found;
}

export const ERROR = 1;
export const WARNING = 2;
export const INFORMATION = 3;

/** A test session: one server, one copy of a workspace, unique document names. */
export class Session {
  private n = 0;
  constructor(readonly client: TestClient, readonly root: string) {}

  /** A fresh path for a segment file under the workspace. */
  path(name?: string): string {
    return join(this.root, 'segments', name ?? `case-${++this.n}.json`);
  }

  /** Opens `text` at a fresh path (or `name`), runs `run`, closes the document. */
  async with<T>(text: string, run: (uri: string) => Promise<T>, name?: string): Promise<T> {
    const uri = this.client.uriOf(this.path(name ?? `case-${++this.n}.json`));
    await this.client.open(uri, text);
    try {
      return await run(uri);
    } finally {
      await this.client.close(uri);
    }
  }

  /** Waits until the workspace is loaded: counts of a real segment file. */
  async ready(file = 'repeat-buyers.json'): Promise<CountsReport> {
    const path = join(this.root, 'segments', file);
    const uri = this.client.uriOf(path);
    await this.client.open(uri, readFileSync(path, 'utf8'));
    const report = await this.client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
    await this.client.close(uri);
    return report;
  }

  /** Completion at the `|` of `textWithCursor`. */
  async complete(textWithCursor: string, name?: string): Promise<{ text: string; offset: number; items: CompletionItem[] }> {
    const { text, offset } = cursor(textWithCursor);
    const items = await this.with(text, async (uri) => {
      const result = await this.client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAt(text, offset) });
      return Array.isArray(result) ? result : (result?.items ?? []);
    }, name);
    return { text, offset, items };
  }

  /** Hover markdown at the `|`; with `counts`, the counts are computed first. */
  async hover(textWithCursor: string, options: { counts?: boolean; name?: string } = {}): Promise<{ markdown: string; range: Range | undefined; text: string; counts?: CountsReport }> {
    const { text, offset } = cursor(textWithCursor);
    return this.with(text, async (uri) => {
      const counts = options.counts ? await this.client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri }) : undefined;
      const result = await this.client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionAt(text, offset) });
      const contents = result?.contents;
      const markdown = typeof contents === 'object' && contents !== null && 'value' in contents ? contents.value : '';
      return { markdown, range: result?.range, text, counts };
    }, options.name);
  }

  /** The diagnostics the server publishes for `text` opened at a fresh path (or `name`). */
  async problems(text: string, name?: string): Promise<Diagnostic[]> {
    return this.with(text, async (uri) => (await this.client.diagnostics(uri, 1)).diagnostics, name);
  }

  /** Asserts `text` is strict JSON and the server reports no error for it (codes in `allow` excepted). */
  async assertValid(text: string, allow: string[] = []): Promise<Diagnostic[]> {
    assert.doesNotThrow(() => JSON.parse(text), `not strict JSON:\n${text}`);
    const diagnostics = await this.problems(text);
    const errors = diagnostics.filter((d) => d.severity === ERROR && !allow.includes(String(d.code)));
    assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], `errors in the result:\n${text}`);
    return diagnostics;
  }

  /** Code actions for one diagnostic (what an editor asks for the lightbulb). */
  async actions(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    const result = await this.client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    return (result ?? []).filter((a: CodeAction | Command): a is CodeAction => 'edit' in a || 'kind' in a);
  }
}

// ---------------------------------------------------------------------------------------------
// Oracles: facts computed straight from the workspace files, independently of the server.

export interface EventFacts {
  count: number;
  profiles: number;
  first: string | undefined;
  last: string | undefined;
  withValue: number;
}

const factsByRoot = new Map<string, Map<string, EventFacts>>();

/** Events of a metric in a workspace: count, distinct profiles, first and last day (UTC), events with a numeric $value. */
export function metricFacts(root: string, metricId: string): EventFacts {
  let all = factsByRoot.get(root);
  if (!all) {
    all = new Map();
    const acc = new Map<string, { count: number; withValue: number; profiles: Set<string>; min: number; max: number }>();
    for (const line of gunzipSync(readFileSync(join(root, 'data', 'events.jsonl.gz'))).toString('utf8').split('\n')) {
      let event: { attributes?: { timestamp?: number; datetime?: string; event_properties?: Record<string, unknown> }; relationships?: { metric?: { data?: { id?: string } }; profile?: { data?: { id?: string } } } };
      try {
        event = JSON.parse(line);
      } catch {
        continue;
      }
      const id = event.relationships?.metric?.data?.id;
      if (typeof id !== 'string') continue;
      let a = acc.get(id);
      if (!a) acc.set(id, (a = { count: 0, withValue: 0, profiles: new Set(), min: Infinity, max: -Infinity }));
      a.count++;
      a.profiles.add(String(event.relationships?.profile?.data?.id));
      const t = typeof event.attributes?.timestamp === 'number' ? event.attributes.timestamp * 1000 : Date.parse(String(event.attributes?.datetime));
      if (Number.isFinite(t)) {
        a.min = Math.min(a.min, t);
        a.max = Math.max(a.max, t);
      }
      if (typeof event.attributes?.event_properties?.$value === 'number') a.withValue++;
    }
    const day = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : undefined);
    for (const [id, a] of acc) all.set(id, { count: a.count, profiles: a.profiles.size, first: day(a.min), last: day(a.max), withValue: a.withValue });
    factsByRoot.set(root, all);
  }
  return all.get(metricId) ?? { count: 0, profiles: 0, first: undefined, last: undefined, withValue: 0 };
}

/** Members of a list: lines of its member file. */
export function listMemberCount(root: string, listId: string): number {
  return readFileSync(join(root, 'data', 'list-members', `${listId}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).length;
}

/** Profiles whose location city is exactly `city`. */
export function profilesInCity(root: string, city: string): number {
  let n = 0;
  for (const line of readFileSync(join(root, 'data', 'profiles.jsonl'), 'utf8').split('\n')) {
    if (!line.includes(city)) continue;
    try {
      if (JSON.parse(line).attributes?.location?.city === city) n++;
    } catch {
      // not a profile line
    }
  }
  return n;
}

/** Every segment file under `root` (same rule as the extension's default globs). */
export function segmentFilesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string, inSegments: boolean): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path, inSegments || entry.name === 'segments');
      else if (entry.name.endsWith('.segment.json') || (inSegments && entry.name.endsWith('.json'))) found.push(path);
    }
  };
  walk(root, false);
  return found.sort();
}

export const fmt = (n: number) => n.toLocaleString('en-US');
