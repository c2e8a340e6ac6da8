import type { Bitset } from '../engine/bitset';
import { canonicalJson } from '../engine/canonical';
import { describeDefinition, type NameLookup } from '../engine/describe';
import type { Evaluator } from '../engine/evaluator';
import type { SegmentLanguage } from '../segment/languageService';
import { definitionValue, segmentName } from '../segment/parse';

/** An error that keeps a definition from being evaluated, with its 1-based position. */
export interface SegmentError {
  message: string;
  code: string;
  line: number;
  column: number;
}

/** What evaluating one segment file gave: a count, a reason it cannot be counted, or its errors. */
export type SegmentOutcome =
  { kind: 'counted'; matched: number; total: number } | { kind: 'not-evaluable'; reasons: string[] } | { kind: 'invalid'; errors: SegmentError[] };

/** One segment file's reading and count (plain data: the report formats and the editor use it). */
export interface SegmentEvaluation {
  name: string | null;
  /** The definition in plain English; null when the definition is invalid. */
  description: string | null;
  /** The definition's canonical JSON (keys sorted), to tell a changed definition from a reformatted file. */
  canonical: string | null;
  outcome: SegmentOutcome;
}

/** What a segment is evaluated with: one workspace's evaluator and the names of its IDs. */
export interface EvaluationContext {
  language: SegmentLanguage;
  evaluator: Evaluator;
  names: NameLookup;
}

/** 1-based line and column (UTF-16 code units, as editors count) of an offset; CR, LF and CRLF end lines. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

/**
 * Validates and evaluates the text of one segment file. The matched set comes back beside the
 * plain result, for callers that compare two sides or intersect several segments.
 */
export function evaluateSegmentText(text: string, context: EvaluationContext): { evaluation: SegmentEvaluation; set: Bitset | undefined } {
  const parsed = context.language.parse(text);
  const name = segmentName(parsed) ?? null;
  const errors = context.language.validate(parsed).filter((p) => p.severity === 'error');
  const definition = definitionValue(parsed);
  if (errors.length || !definition) {
    const listed = errors.length ? errors : [{ offset: 0, code: 'not-a-segment', message: 'The file holds no segment definition.' }];
    return {
      evaluation: {
        name,
        description: null,
        canonical: null,
        outcome: { kind: 'invalid', errors: listed.map((p) => ({ message: p.message, code: p.code, ...lineAndColumn(text, p.offset) })) },
      },
      set: undefined,
    };
  }
  const result = context.evaluator.evaluateDefinition(definition);
  const outcome: SegmentOutcome =
    result.matched === null || !result.set
      ? { kind: 'not-evaluable', reasons: [...result.notEvaluable] }
      : { kind: 'counted', matched: result.matched, total: result.total };
  return {
    evaluation: { name, description: describeDefinition(definition, context.names), canonical: canonicalJson(definition), outcome },
    set: outcome.kind === 'counted' ? result.set : undefined,
  };
}
