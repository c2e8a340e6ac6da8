/**
 * Text helpers shared by the in-process feature fixtures (test/unit/features/) and the protocol
 * tests (test/protocol/): cursor markers, offsets and positions, ranges of needles, and applying
 * what an editor applies (text edits, completion items with their snippets expanded).
 */
import assert from 'node:assert/strict';
import { InsertTextFormat, type CompletionItem, type Range, type TextEdit } from 'vscode-languageserver-protocol';

/** Splits a text with a `|` cursor marker into the text and the cursor offset. */
export function cursor(textWithCursor: string): { text: string; offset: number } {
  const offset = textWithCursor.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker');
  return { text: textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1), offset };
}

/** Line/character of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
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
  const sorted = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
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
