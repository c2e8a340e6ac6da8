import { findNodeAtLocation, parseTree, printParseErrorCode, createScanner, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import type { Problem } from './problem';

/** Which of the shapes people keep segment definitions in a file holds. */
export type SegmentFileShape =
  /** `{"condition_groups": [...]}` */
  | 'definition'
  /** `{"data": {"type": "segment", "attributes": {...}}}`, POST /api/segments */
  | 'create-body'
  /** `{"data": {"type": "segment", "id": ..., "attributes": {...}}}`, PATCH /api/segments/{id} */
  | 'update-body'
  /** `{"type": "segment", "id", "attributes": {...}}`, as headless-klaviyo saves segments/segment-<ID>.json */
  | 'resource'
  /** A single condition object, not a definition (a common paste from the docs). */
  | 'condition'
  | 'unknown';

/** A parsed segment file: an immutable value computed once per document version. */
export interface ParsedSegment {
  /** The text as parsed: the file's, with a leading byte order mark read as a space. */
  readonly text: string;
  /** The JSON tree; undefined only when the text holds no JSON value at all. */
  readonly root: Node | undefined;
  /** The JSON value of `root` (best effort when the text has syntax errors). */
  readonly value: unknown;
  readonly shape: SegmentFileShape;
  /** The node of the `{"condition_groups": ...}` object, wherever the shape keeps it. */
  readonly definition: Node | undefined;
  /** JSON path of `definition` from the root. */
  readonly definitionPath: (string | number)[];
  /** Syntax problems, comments and trailing commas included (severity decided later). */
  readonly syntaxProblems: readonly Problem[];
  /**
   * The text the tree was built from: `text` with every value nested deeper than
   * MAX_NESTING_DEPTH replaced by `0` and line breaks, and long runs of spaces by line breaks
   * (same length, same offsets; see boundNesting). jsonc-parser's functions that read text
   * (getLocation, visit) recurse once per level, so they read this one.
   */
  readonly boundedText: string;
  /** The parts of `text` left out for being nested too deep (empty for every real definition). */
  readonly tooDeep: readonly { readonly offset: number; readonly length: number }[];
}

/**
 * How deeply values may nest (the root value is level 1). A segment definition in a Segments API
 * body needs about 14 levels; the JSON parser, the schema validator and every walk over the tree
 * recurse once per level, so a deeper document could overflow the stack (docs/semantics.md).
 */
export const MAX_NESTING_DEPTH = 64;

const CONDITION_TYPE_PREFIX = 'profile-';

/** Parses a segment file. Never throws: syntax errors are data. */
export function parseSegment(fileText: string): ParsedSegment {
  // A byte order mark (U+FEFF) that an editor kept at the start is whitespace, not an error; a
  // space in its place keeps every offset where it is in the file.
  const text = fileText.charCodeAt(0) === 0xfeff ? ` ${fileText.slice(1)}` : fileText;
  // Strict JSON (what the API accepts, so nearly every file) gets the platform's parser for its
  // value and a tree built without the tolerant parser's error handling: the same tree, faster.
  // Nesting no deeper than the limit and no long run of blanks (which strictTree checks on its
  // way) leave nothing for boundNesting to rewrite, so its scan is needed only otherwise.
  const quick = strictValue(text);
  const quickTree = quick !== NOT_STRICT ? strictTree(text) : undefined;
  const { boundedText, tooDeep } = quickTree ? { boundedText: text, tooDeep: [] } : boundNesting(text);
  const errors: ParseError[] = [];
  const strict = quickTree ? quick : strictValue(boundedText);
  const tolerant = () => parseTree(boundedText, errors, { disallowComments: false, allowTrailingComma: true, allowEmptyContent: true });
  const root = quickTree ?? (strict !== NOT_STRICT ? (strictTree(boundedText) ?? tolerant()) : tolerant());
  const value = strict !== NOT_STRICT ? strict : root ? nodeValue(root) : undefined;
  const { shape, definitionPath } = detectShape(value);
  const definition = root && shape !== 'condition' && shape !== 'unknown' ? findNodeAtLocation(root, definitionPath) : undefined;
  // Text that JSON.parse accepts has no comment and no trailing comma: no need to look for them.
  const problems = [...syntaxProblems(boundedText, errors, strict === NOT_STRICT)];
  // One problem for the whole file, at the first value past the limit: the others are the same mistake.
  if (tooDeep.length > 0) problems.push(tooDeepProblem(tooDeep[0].offset));
  return {
    text,
    root,
    value,
    shape,
    definition: definition?.type === 'object' ? definition : undefined,
    definitionPath,
    syntaxProblems: problems,
    boundedText,
    tooDeep,
  };
}

function tooDeepProblem(offset: number): Problem {
  return {
    offset,
    length: 1,
    severity: 'error',
    code: 'too-deep',
    message: `This value is nested more than ${MAX_NESTING_DEPTH} levels deep. A segment definition needs about 14; Segment Lens reads no deeper, so what is inside is not checked.`,
  };
}

/**
 * The JSON value of a tree node, built as JSON.parse builds it: ordinary objects, where a
 * `"__proto__"` key is an own property like any other and a repeated key keeps its last value.
 * (jsonc-parser's getNodeValue makes objects without a prototype, which String() and template
 * texts cannot print: a condition `"type": {}` in a file with a comment broke the outline.) The
 * tree is at most MAX_NESTING_DEPTH deep, so the recursion is too.
 */
export function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map(nodeValue);
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) Object.defineProperty(object, String(key.value), { value: nodeValue(value), enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/**
 * Where the text is broken: syntax errors and the parts left out for being too deep. The tree is
 * a guess around them, so checks say nothing about the nodes that contain one.
 */
export function textBreaks(parsed: ParsedSegment): number[] {
  return [...parsed.syntaxProblems.filter((p) => p.code === 'json-syntax').map((p) => p.offset), ...parsed.tooDeep.map((part) => part.offset)];
}

/** Whether `offset` lies in a part of the file left out for being nested too deep. */
export function isTooDeep(parsed: ParsedSegment, offset: number): boolean {
  return parsed.tooDeep.some((part) => offset >= part.offset && offset < part.offset + part.length);
}

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const COMMA = 0x2c;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Spaces and tabs in a row from which the text handed to jsonc-parser holds line breaks instead (see boundNesting). */
const LONG_BLANK_RUN = 256;

/** What one pass over a text's brackets finds (see scanNesting). */
export interface NestingScan {
  /** The values nested deeper than MAX_NESTING_DEPTH: from the opening bracket to the one that closes it, or the end of the text. */
  readonly tooDeep: { offset: number; length: number }[];
  /** Runs of at least LONG_BLANK_RUN spaces and tabs outside texts and comments (and outside `tooDeep`). */
  readonly longBlankRuns: { offset: number; length: number }[];
  /** The brackets and commas outside texts and comments: the places a formatter may break a line. */
  readonly breakPoints: number;
  /** The sum of the nesting depths at those places: what a formatter's indentation costs. */
  readonly depthSum: number;
}

/**
 * Finds the values nested deeper than MAX_NESTING_DEPTH and the long runs of spaces, and counts
 * what formatting the text would cost. One pass over the characters, no recursion. Texts and comments are skipped as jsonc-parser's scanner
 * reads them (a text ends at its closing quote or at a line break). A closing bracket only closes
 * the innermost open bracket of its kind, as in the parser, which skips a mismatched one; so the
 * depth counted here is never less than the parser's.
 */
export function scanNesting(text: string): NestingScan {
  const tooDeep: { offset: number; length: number }[] = [];
  const longBlankRuns: { offset: number; length: number }[] = [];
  let breakPoints = 0;
  let depthSum = 0;
  // The open brackets, innermost last (1: "[", 2: "{"); a byte per level, as deep as the text can nest.
  let open = new Uint8Array(256);
  let depth = 0;
  let blankFrom = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === QUOTE) break;
        if (s === BACKSLASH) i++;
        else if (s === LINE_FEED || s === CARRIAGE_RETURN) {
          i--; // the line break ends the text and is read again as what follows it
          break;
        }
      }
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      while (i + 1 < n && text.charCodeAt(i + 1) !== LINE_FEED && text.charCodeAt(i + 1) !== CARRIAGE_RETURN) i++;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (depth === open.length) {
        const grown = new Uint8Array(open.length * 2);
        grown.set(open);
        open = grown;
      }
      open[depth++] = c === OPEN_BRACKET ? 1 : 2;
      breakPoints++;
      depthSum += depth;
      if (depth > MAX_NESTING_DEPTH && blankFrom < 0) blankFrom = i;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      breakPoints++;
      depthSum += depth;
      if (depth > 0 && open[depth - 1] === (c === CLOSE_BRACKET ? 1 : 2)) {
        depth--;
        if (depth === MAX_NESTING_DEPTH && blankFrom >= 0) {
          tooDeep.push({ offset: blankFrom, length: i + 1 - blankFrom });
          blankFrom = -1;
        }
      }
    } else if (c === COMMA) {
      breakPoints++;
      depthSum += depth;
    } else if (c === SPACE || c === TAB) {
      let end = i + 1;
      while (end < n && (text.charCodeAt(end) === SPACE || text.charCodeAt(end) === TAB)) end++;
      if (end - i >= LONG_BLANK_RUN && blankFrom < 0) longBlankRuns.push({ offset: i, length: end - i });
      i = end - 1;
    }
  }
  if (blankFrom >= 0) tooDeep.push({ offset: blankFrom, length: n - blankFrom });
  return { tooDeep, longBlankRuns, breakPoints, depthSum };
}

/**
 * `text` rewritten for jsonc-parser, offsets unchanged: each value nested deeper than
 * MAX_NESTING_DEPTH becomes `0` followed by line breaks, and each long run of spaces and tabs
 * becomes line breaks. The parser's scanner builds a run of spaces into one token a character at a
 * time, which took a second for a megabyte of them; line breaks are a token each, ten times
 * faster. Outside texts and comments both are whitespace, so the tree is the same.
 */
function boundNesting(text: string): { boundedText: string; tooDeep: { offset: number; length: number }[] } {
  const { tooDeep, longBlankRuns } = scanNesting(text);
  if (tooDeep.length === 0 && longBlankRuns.length === 0) return { boundedText: text, tooDeep };
  const rewrites = [...tooDeep.map((part) => ({ ...part, value: true })), ...longBlankRuns.map((part) => ({ ...part, value: false }))].sort(
    (a, b) => a.offset - b.offset,
  );
  const pieces: string[] = [];
  let from = 0;
  for (const part of rewrites) {
    pieces.push(text.slice(from, part.offset), part.value ? `0${'\n'.repeat(part.length - 1)}` : '\n'.repeat(part.length));
    from = part.offset + part.length;
  }
  pieces.push(text.slice(from));
  return { boundedText: pieces.join(''), tooDeep };
}

/** The JSON value: the platform's parser when the text is strict JSON (much faster), else from the tree. */
const NOT_STRICT = Symbol('not strict JSON');

/** The value of strict JSON text (much faster than reading it from the tree), or NOT_STRICT. */
function strictValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_STRICT; // comments or trailing commas: the tolerant tree has the value
  }
}

const MINUS = 0x2d;

/**
 * The tree jsonc-parser's `parseTree` builds (same nodes, fields and offsets; a unit test holds
 * the two to each other), for text that `JSON.parse` accepts, so without error handling: half the
 * time on a large file. Undefined when the text holds no value, nests deeper than
 * MAX_NESTING_DEPTH or has a run of LONG_BLANK_RUN spaces and tabs: what boundNesting rewrites.
 */
export function strictTree(text: string): Node | undefined {
  try {
    return buildStrictTree(text);
  } catch (error) {
    if (error === NOT_BOUNDED) return undefined;
    throw error;
  }
}

/** Thrown by buildStrictTree at a value nested too deep or a long run of blanks. */
const NOT_BOUNDED = Symbol('needs boundNesting');

/** The strings of recent trees, by a hash of their characters (see buildStrictTree's `string`); shared by every parse, at most INTERNED_SLOTS short strings. */
const INTERNED_SLOTS = 4096;
const INTERNED_MAX_LENGTH = 64;
const interned: (string | undefined)[] = new Array<string | undefined>(INTERNED_SLOTS).fill(undefined);

function buildStrictTree(text: string): Node | undefined {
  type Built = { -readonly [K in keyof Node]: Node[K] };
  let pos = 0;
  let depth = 0;
  // The loops over characters keep the position in a local (`pos` lives in the closures' context,
  // a memory store at every step).
  const skipBlanks = () => {
    let run = 0;
    let at = pos;
    for (let c = text.charCodeAt(at); ; c = text.charCodeAt(++at)) {
      if (c === SPACE || c === TAB) {
        if (++run >= LONG_BLANK_RUN) throw NOT_BOUNDED;
      } else if (c !== LINE_FEED && c !== CARRIAGE_RETURN) break;
      else run = 0;
    }
    pos = at;
  };
  const string = (): string => {
    const start = pos;
    let escaped = false;
    let hash = 0;
    let at = start + 1;
    for (let c = text.charCodeAt(at); c !== QUOTE; c = text.charCodeAt(++at)) {
      if (c === BACKSLASH) {
        escaped = true;
        at++;
      }
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    pos = ++at;
    if (escaped) return JSON.parse(text.slice(start, at)) as string;
    const length = at - start - 2;
    if (length > INTERNED_MAX_LENGTH) return text.slice(start + 1, at - 1);
    // Keys and most values repeat ("type", "operator", "equals"): the text seen last with this
    // hash is reused when it is the same, so a file's tree holds a few hundred strings instead
    // of one per key and value (tens of thousands of young objects for each collection to copy).
    const slot = hash & (INTERNED_SLOTS - 1);
    const known = interned[slot];
    if (known !== undefined && known.length === length && text.startsWith(known, start + 1)) return known;
    // The table outlives the document, so it keeps copies: V8 makes a substring of 13 characters
    // or more a view of the whole text (which the table would keep alive), while JSON.parse
    // makes a string of its own.
    return (interned[slot] = length < 13 ? text.slice(start + 1, at - 1) : (JSON.parse(text.slice(start, at)) as string));
  };
  const value = (parent: Node | undefined): Node => {
    skipBlanks();
    const offset = pos;
    const c = text.charCodeAt(pos);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const node: Built = { type: c === OPEN_BRACE ? 'object' : 'array', offset, length: -1, parent, children: [] };
      const children = node.children as Node[];
      pos++;
      skipBlanks();
      const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      if (++depth > MAX_NESTING_DEPTH) throw NOT_BOUNDED;
      while (text.charCodeAt(pos) !== close) {
        if (c === OPEN_BRACE) children.push(property(node));
        else children.push(value(node));
        skipBlanks();
        if (text.charCodeAt(pos) === COMMA) pos++;
        skipBlanks();
      }
      pos++;
      depth--;
      node.length = pos - offset;
      return node;
    }
    if (c === QUOTE) {
      const content = string();
      return { type: 'string', offset, length: pos - offset, parent, value: content };
    }
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      for (pos++; isNumberChar(text.charCodeAt(pos)); pos++);
      return { type: 'number', offset, length: pos - offset, parent, value: Number(text.slice(offset, pos)) };
    }
    const literal = c === 0x74 ? true : c === 0x66 ? false : null;
    pos += literal === false ? 5 : 4;
    return { type: literal === null ? 'null' : 'boolean', offset, length: pos - offset, parent, value: literal };
  };
  const property = (parent: Node): Node => {
    skipBlanks();
    const offset = pos;
    // Every property node has one shape: colonOffset is in the literal (text JSON.parse accepted
    // has a colon after every key), and its two children are one array literal at the end (an
    // empty array grown by push reserves 17 slots: 2.5 MB of garbage per validation of a
    // 2,000-condition file).
    const node: Built = { type: 'property', offset, length: -1, parent, children: undefined, colonOffset: -1 };
    const name = string();
    const key: Node = { type: 'string', value: name, offset, length: pos - offset, parent: node };
    skipBlanks();
    node.colonOffset = pos++;
    const child = value(node);
    node.children = [key, child];
    node.length = child.offset + child.length - offset;
    return node;
  };
  skipBlanks();
  if (pos >= text.length) return undefined;
  const root: Built = value(undefined);
  delete root.parent;
  return root;
}

/** A character a JSON number may hold after its first (digits, ".", "e", "E", "+", "-"). */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function detectShape(value: unknown): { shape: SegmentFileShape; definitionPath: (string | number)[] } {
  if (!isObject(value)) return { shape: 'unknown', definitionPath: [] };
  if (isObject(value.data)) {
    return { shape: 'id' in value.data ? 'update-body' : 'create-body', definitionPath: ['data', 'attributes', 'definition'] };
  }
  if ('attributes' in value && !('condition_groups' in value)) return { shape: 'resource', definitionPath: ['attributes', 'definition'] };
  if ('condition_groups' in value) return { shape: 'definition', definitionPath: [] };
  if (typeof value.type === 'string' && value.type.startsWith(CONDITION_TYPE_PREFIX)) return { shape: 'condition', definitionPath: [] };
  return { shape: 'unknown', definitionPath: [] };
}

/**
 * jsonc-parser is tolerant: it reports comments and trailing commas as errors only when asked,
 * and its messages are terse. We parse permissively (so the tree is complete) and find comments
 * and trailing commas with the scanner, reporting each with its own code so a setting can allow
 * them.
 */
function* syntaxProblems(text: string, errors: ParseError[], scan: boolean): Generator<Problem> {
  // The parser may report several errors at one place (every unclosed bracket at the end): one is enough.
  const seen = new Set<number>();
  for (const error of errors) {
    const offset = Math.min(error.offset, Math.max(0, text.length - 1));
    if (seen.has(offset)) continue;
    seen.add(offset);
    yield {
      offset,
      length: Math.max(error.length, 1),
      severity: 'error',
      code: 'json-syntax',
      message: syntaxMessage(error),
    };
  }
  // Comments need a "/" and trailing commas a "," before a closing bracket: without either, the
  // scan below would find nothing (it costs as much as parsing on a large file).
  if (!scan || (!text.includes('/') && !/,\s*[\]}]/.test(text))) return;
  const scanner = createScanner(text, false);
  let pendingComma: { offset: number } | undefined;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    switch (kind) {
      case SyntaxKind.LineCommentTrivia:
      case SyntaxKind.BlockCommentTrivia:
        yield {
          offset: scanner.getTokenOffset(),
          length: scanner.getTokenLength(),
          severity: 'error',
          code: 'json-comment',
          message: 'Comments are not allowed: the Segments API accepts strict JSON only.',
          fixes: [{ title: 'Remove the comment', edits: [{ offset: scanner.getTokenOffset(), length: scanner.getTokenLength(), newText: '' }] }],
        };
        continue;
      case SyntaxKind.Trivia:
      case SyntaxKind.LineBreakTrivia:
        continue;
      case SyntaxKind.CommaToken:
        pendingComma = { offset: scanner.getTokenOffset() };
        continue;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        if (pendingComma) {
          yield {
            offset: pendingComma.offset,
            length: 1,
            severity: 'error',
            code: 'json-trailing-comma',
            message: 'Trailing comma: the Segments API accepts strict JSON only.',
            fixes: [{ title: 'Remove the trailing comma', edits: [{ offset: pendingComma.offset, length: 1, newText: '' }], isPreferred: true }],
          };
        }
        pendingComma = undefined;
        continue;
      default:
        pendingComma = undefined;
    }
  }
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character: JSON writes property names and texts in double quotes, and a file holds a single value.',
  InvalidNumberFormat: 'This is not a valid JSON number.',
  PropertyNameExpected: 'Expected a property name in double quotes.',
  ValueExpected: 'Expected a value.',
  ColonExpected: 'Expected a colon (:) after the property name.',
  CommaExpected: 'Expected a comma (,) between entries.',
  CloseBraceExpected: 'Expected a closing brace (}).',
  CloseBracketExpected: 'Expected a closing bracket (]).',
  EndOfFileExpected: 'Expected the end of the file: a JSON file holds a single value.',
  InvalidCommentToken: 'This comment is not closed.',
  UnexpectedEndOfComment: 'This comment is not closed.',
  UnexpectedEndOfString: 'This string is not closed: add the closing double quote.',
  UnexpectedEndOfNumber: 'This number is incomplete.',
  InvalidUnicode: 'Invalid unicode escape sequence.',
  InvalidEscapeCharacter: 'Invalid escape character in a string.',
  InvalidCharacter: 'Invalid character in a string (control characters must be escaped).',
};

function syntaxMessage(error: ParseError): string {
  const name = printParseErrorCode(error.error);
  return SYNTAX_MESSAGES[name] ?? `JSON syntax error (${name}).`;
}

/** The definition object (`{"condition_groups": [...]}`) of a parsed file, when it has one. */
export function definitionValue(parsed: ParsedSegment): Record<string, unknown> | undefined {
  let value: unknown = parsed.value;
  for (const key of parsed.definitionPath) value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined;
  return parsed.definition && typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The segment's name, where the file's shape carries one. */
export function segmentName(parsed: ParsedSegment): string | undefined {
  const value = parsed.value as { data?: { attributes?: { name?: unknown } }; attributes?: { name?: unknown } } | undefined;
  const name =
    parsed.shape === 'resource'
      ? value?.attributes?.name
      : parsed.shape === 'create-body' || parsed.shape === 'update-body'
        ? value?.data?.attributes?.name
        : undefined;
  return typeof name === 'string' ? name : undefined;
}
