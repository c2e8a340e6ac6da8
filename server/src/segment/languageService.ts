import { parseSegment, segmentName, type ParsedSegment } from './parse';
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

  /** Syntax, schema and rule problems, in document order. */
  validate(parsed: ParsedSegment, options: ValidationOptions = {}): Problem[] {
    const problems: Problem[] = parsed.syntaxProblems.filter((p) => !(options.allowComments && (p.code === 'json-comment' || p.code === 'json-trailing-comma')));
    if (!parsed.root) {
      problems.push({
        offset: 0, length: 0, severity: 'error', code: 'empty-file',
        message: 'The file is empty. A segment definition looks like {"condition_groups": [{"conditions": [...]}]}.',
      });
      return problems;
    }
    const fromSchema = schemaProblems(parsed, this.schema);
    problems.push(...fromSchema);
    const breaks = parsed.syntaxProblems.filter((p) => p.code === 'json-syntax').map((p) => p.offset);
    const fromRules = ruleProblems(parsed, this.schema, new Set(fromSchema.map((p) => p.offset)));
    problems.push(...fromRules.filter((p) => !breaks.some((b) => b >= p.offset && b <= p.offset + p.length)));
    if (!problems.some((p) => p.severity === 'error')) {
      if (options.workspace) problems.push(...workspaceProblems(parsed, options.workspace));
      problems.push(...audienceProblems(parsed, {
        matched: options.matched,
        workspaceName: options.workspace?.summary.name,
        name: segmentName(parsed) ?? options.fileName?.replace(/\.(segment\.)?json$/, '').replace(/[-_]+/g, ' '),
        consentHint: options.consentHint ?? 'marketing-names',
      }));
    }
    return problems.sort((a, b) => a.offset - b.offset || a.length - b.length);
  }
}
