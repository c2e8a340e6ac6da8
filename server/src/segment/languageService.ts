import type { ConditionMemo } from './conditionMemo';
import { parseSegment, segmentName, textBreaks, type ParsedSegment } from './parse';
import type { Problem } from './problem';
import { ruleProblems } from './rules';
import { SegmentSchema } from './schema';
import { schemaProblems } from './schemaProblems';
import { audienceProblems, workspaceProblems, type WorkspaceContext } from './workspaceRules';

export interface ValidationOptions {
  /** Accept comments and trailing commas (the API itself does not). */
  allowComments?: boolean;
  /** The data workspace, when the file has one: enables the ID, type and date checks. */
  workspace?: WorkspaceContext;
  /** The segment's match count in the workspace, when known (for "matches no one"). */
  matched?: number | null;
  /** The file's name, for segments that carry no name of their own. */
  fileName?: string;
  /** When to suggest a marketing-consent condition (setting segmentLens.consentHint). */
  consentHint?: 'marketing-names' | 'always' | 'off';
  /**
   * The memo of this document's last validated version (the language server keeps one per open
   * document): conditions whose text and place did not change reuse its problems, and it is
   * updated with this version's. The problems are the same with or without it.
   */
  reuse?: ConditionMemo;
  /** Called with the exception when a check fails (the document then gets one validation-failed error). */
  onFailure?: (error: unknown) => void;
}

/**
 * The segment language facade: parsing and every check that needs no data workspace. The
 * CLI and the language server both validate through here, so they report the same problems.
 */
export class SegmentLanguage {
  readonly schema = new SegmentSchema();

  parse(text: string): ParsedSegment {
    return parseSegment(text);
  }

  /**
   * Syntax, schema and rule problems, in document order. Never throws: a failure inside a check
   * becomes one `validation-failed` error on this document (and goes to `options.onFailure`, for
   * the log), so one document's failure never touches another's diagnostics.
   */
  validate(parsed: ParsedSegment, options: ValidationOptions = {}): Problem[] {
    const problems: Problem[] = parsed.syntaxProblems.filter(
      (p) => !(options.allowComments && (p.code === 'json-comment' || p.code === 'json-trailing-comma')),
    );
    if (!parsed.root) {
      problems.push({
        offset: 0,
        length: 0,
        severity: 'error',
        code: 'empty-file',
        message: 'The file is empty. A segment definition looks like {"condition_groups": [{"conditions": [...]}]}.',
      });
      return problems;
    }
    try {
      problems.push(...this.checks(parsed, problems, options));
    } catch (error) {
      options.onFailure?.(error);
      problems.push(validationFailed(error));
    }
    return problems.sort((a, b) => a.offset - b.offset || a.length - b.length);
  }

  /** The schema, rule and workspace problems of a file with a JSON value (`found`: the syntax problems). */
  private checks(parsed: ParsedSegment, found: readonly Problem[], options: ValidationOptions): Problem[] {
    const problems: Problem[] = [];
    const units = options.reuse?.unitsOf(parsed);
    const fromSchema = schemaProblems(parsed, this.schema, units);
    problems.push(...fromSchema);
    const breaks = textBreaks(parsed);
    const fromRules = ruleProblems(parsed, this.schema, new Set(fromSchema.map((p) => p.offset)), units);
    problems.push(...fromRules.filter((p) => !breaks.some((b) => b >= p.offset && b <= p.offset + p.length)));
    if (![...found, ...problems].some((p) => p.severity === 'error')) {
      if (options.workspace) problems.push(...workspaceProblems(parsed, options.workspace));
      problems.push(
        ...audienceProblems(parsed, {
          matched: options.matched,
          workspaceName: options.workspace?.summary.name,
          name: segmentName(parsed) ?? options.fileName?.replace(/\.(segment\.)?json$/, '').replace(/[-_]+/g, ' '),
          consentHint: options.consentHint ?? 'marketing-names',
        }),
      );
    }
    return problems;
  }
}

/** The one problem of a document whose validation failed: where nothing else can be said, at its start. */
export function validationFailed(error: unknown): Problem {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    offset: 0,
    length: 0,
    severity: 'error',
    code: 'validation-failed',
    message: `Segment Lens could not check this file (${reason}). This is a defect in Segment Lens, not in the file: the log has the details.`,
  };
}
