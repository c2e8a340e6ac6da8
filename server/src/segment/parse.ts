import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, createScanner, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
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
}

const CONDITION_TYPE_PREFIX = 'profile-';

/** Parses a segment file. Never throws: syntax errors are data. */
export function parseSegment(fileText: string): ParsedSegment {
  // A byte order mark (U+FEFF) that an editor kept at the start is whitespace, not an error; a
  // space in its place keeps every offset where it is in the file.
  const text = fileText.charCodeAt(0) === 0xfeff ? ` ${fileText.slice(1)}` : fileText;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: false, allowTrailingComma: true, allowEmptyContent: true });
  const strict = root !== undefined && errors.length === 0 ? strictValue(text) : NOT_STRICT;
  const value = strict !== NOT_STRICT ? strict : root ? getNodeValue(root) : undefined;
  const { shape, definitionPath } = detectShape(value);
  const definition = root && shape !== 'condition' && shape !== 'unknown' ? findNodeAtLocation(root, definitionPath) : undefined;
  return {
    text,
    root,
    value,
    shape,
    definition: definition?.type === 'object' ? definition : undefined,
    definitionPath,
    // Text that JSON.parse accepts has no comment and no trailing comma: no need to look for them.
    syntaxProblems: [...syntaxProblems(text, errors, strict === NOT_STRICT)],
  };
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
  const name = parsed.shape === 'resource' ? value?.attributes?.name : parsed.shape === 'create-body' || parsed.shape === 'update-body' ? value?.data?.attributes?.name : undefined;
  return typeof name === 'string' ? name : undefined;
}
