import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { DIAGNOSTIC_CODES, DIAGNOSTICS_DOC_URL, type DiagnosticCode } from './diagnosticCodes';

/** A problem with its range as people count: 1-based lines and columns, the end exclusive. */
export interface LocatedProblem {
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export interface FileProblems {
  /** The file as the report names it: relative to the current folder, with `/` separators. */
  file: string;
  problems: LocatedProblem[];
}

const SARIF_LEVELS = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** Markdown to plain text for SARIF's `text` fields: the table's code spans lose their backticks. */
const plainText = (markdown: string) => markdown.replace(/`([^`]*)`/g, '$1');

function rule(entry: DiagnosticCode): ReportingDescriptor {
  const fix = entry.fix ? ` Quick fix: ${entry.fix}.` : '';
  const meaning = entry.meaning.charAt(0).toUpperCase() + entry.meaning.slice(1);
  return {
    id: entry.code,
    shortDescription: { text: plainText(meaning) },
    help: { text: `${plainText(meaning)}.${plainText(fix)}`, markdown: `${meaning}.${fix}` },
    helpUri: `${DIAGNOSTICS_DOC_URL}#${entry.section}`,
    defaultConfiguration: { level: SARIF_LEVELS[entry.severity] },
  };
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `%` in names). */
function artifactUri(file: string): string {
  if (/^([a-zA-Z]:)?[\\/]/.test(file)) return pathToFileURL(file).href;
  return file
    .split('/')
    .map((part) => (part === '..' || part === '.' ? part : encodeURIComponent(part)))
    .join('/');
}

/**
 * A SARIF 2.1.0 log of validation problems: the tool `segment-lens` with one rule per documented
 * diagnostic code, and one result per problem with its physical location (URIs relative to
 * `baseDirectory`, the folder the names are relative to).
 */
export function sarifLog(files: readonly FileProblems[], tool: { version: string; baseDirectory: string }): Log {
  const rules = DIAGNOSTIC_CODES.map(rule);
  const ruleIndexes = new Map(DIAGNOSTIC_CODES.map((entry, i) => [entry.code, i]));
  const results: Result[] = [];
  for (const { file, problems } of files) {
    for (const problem of problems) {
      let ruleIndex = ruleIndexes.get(problem.code);
      if (ruleIndex === undefined) {
        // A code missing from docs/diagnostics.md still gets a rule, so every result points to one.
        ruleIndex = rules.push({ id: problem.code, defaultConfiguration: { level: SARIF_LEVELS[problem.severity] } }) - 1;
        ruleIndexes.set(problem.code, ruleIndex);
      }
      results.push({
        ruleId: problem.code,
        ruleIndex,
        level: SARIF_LEVELS[problem.severity],
        message: { text: problem.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: artifactUri(file), uriBaseId: '%SRCROOT%' },
              region: { startLine: problem.start.line, startColumn: problem.start.column, endLine: problem.end.line, endColumn: problem.end.column },
            },
          },
        ],
      });
    }
  }
  const base = pathToFileURL(tool.baseDirectory).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'segment-lens', version: tool.version, informationUri: DIAGNOSTICS_DOC_URL, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: base.endsWith('/') ? base : `${base}/` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** A workflow command's message: `%`, CR and LF escaped as GitHub's runner reads them. */
export function escapeWorkflowData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as data, and `:` and `,` too (they delimit properties). */
export function escapeWorkflowProperty(text: string): string {
  return escapeWorkflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const WORKFLOW_COMMANDS = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' } as const;

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`) that annotate each problem
 * on the pull request. GitHub takes `col` and `endColumn` only for a range on one line, and its
 * `endColumn` is the last column of the range (it defaults to `col`), so it is one less than the
 * exclusive end.
 */
export function githubAnnotations(files: readonly FileProblems[]): string[] {
  const lines: string[] = [];
  for (const { file, problems } of files) {
    for (const problem of problems) {
      const properties: [string, string | number][] = [
        ['file', file],
        ['line', problem.start.line],
      ];
      if (problem.start.line === problem.end.line) properties.push(['col', problem.start.column]);
      properties.push(['endLine', problem.end.line]);
      if (problem.start.line === problem.end.line) properties.push(['endColumn', Math.max(problem.start.column, problem.end.column - 1)]);
      properties.push(['title', problem.code]);
      const rendered = properties.map(([key, value]) => `${key}=${escapeWorkflowProperty(String(value))}`).join(',');
      lines.push(`::${WORKFLOW_COMMANDS[problem.severity]} ${rendered}::${escapeWorkflowData(problem.message)}`);
    }
  }
  return lines;
}
