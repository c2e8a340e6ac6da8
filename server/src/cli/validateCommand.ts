import { relative, sep } from 'node:path';
import type { Command } from 'commander';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SegmentLanguage, validationFailed } from '../segment/languageService';
import type { Problem } from '../segment/problem';
import { expandWithSettings } from '../workspace/segmentFiles';
import { readTextFile } from '../workspace/textFiles';
import { githubAnnotations, sarifLog, type FileProblems } from '../review/annotations';
import { CliUsageError, type CliIo } from './io';
import { printablePath, unusablePathsMessage } from './paths';
import { chooseFormat } from './reviewSupport';

const SEVERITY_NUMBERS = { error: 1, warning: 2, information: 3, hint: 4 } as const;

export interface FileValidation {
  file: string;
  document: TextDocument;
  problems: Problem[];
}

/** Validates segment files with the same code the language server uses. */
export function validateFiles(language: SegmentLanguage, files: readonly string[], options: { allowComments?: boolean } = {}): FileValidation[] {
  return files.map((file) => {
    let text: string;
    try {
      text = readTextFile(file);
    } catch (error) {
      const document = TextDocument.create(`file://${file}`, 'json', 0, '');
      return {
        file,
        document,
        problems: [{ offset: 0, length: 0, severity: 'error', code: 'unreadable-file', message: `Cannot read the file: ${(error as Error).message}` }],
      };
    }
    const document = TextDocument.create(`file://${file}`, 'json', 0, text);
    try {
      return { file, document, problems: language.validate(language.parse(text), options) };
    } catch (error) {
      // Reported on this file; the other files are still checked.
      return { file, document, problems: [validationFailed(error)] };
    }
  });
}

/** `path:line:col: severity: message [code]`, 1-based, as compilers print it (the path printable). */
export function formatProblem(file: string, document: TextDocument, problem: Problem): string {
  const { line, character } = document.positionAt(problem.offset);
  return `${printablePath(file)}:${line + 1}:${character + 1}: ${problem.severity}: ${problem.message} [${problem.code}]`;
}

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type ValidateFormat = (typeof FORMATS)[number];

/** The problems a report shows, with 1-based ranges: errors and warnings, and with --verbose everything. */
function locatedProblems(results: readonly FileValidation[], verbose: boolean, shown: (file: string) => string): FileProblems[] {
  return results.map(({ file, document, problems }) => ({
    file: shown(file).split(sep).join('/'),
    problems: problems
      .filter((p) => verbose || p.severity === 'error' || p.severity === 'warning')
      .map((p) => {
        const start = document.positionAt(p.offset);
        const end = document.positionAt(p.offset + p.length);
        return {
          severity: p.severity,
          code: p.code,
          message: p.message,
          start: { line: start.line + 1, column: start.character + 1 },
          end: { line: end.line + 1, column: end.character + 1 },
        };
      }),
  }));
}

function printJson(io: CliIo, results: readonly FileValidation[], shown: (file: string) => string): void {
  io.out(
    JSON.stringify(
      results.map(({ file, document, problems }) => ({
        file: shown(file),
        diagnostics: problems.map((p) => ({
          range: { start: document.positionAt(p.offset), end: document.positionAt(p.offset + p.length) },
          severity: SEVERITY_NUMBERS[p.severity],
          message: p.message,
          code: p.code,
        })),
      })),
      null,
      2,
    ),
  );
}

function printSummary(io: CliIo, results: readonly FileValidation[]): void {
  const errors = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'error').length, 0);
  const warnings = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'warning').length, 0);
  io.err(
    `${results.length} file${results.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`,
  );
}

export function registerValidateCommand(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('validate segment files (folders: every *.segment.json and every .json under a segments/ folder)')
    .argument('<paths...>', 'segment files or folders')
    .option('--json', 'print the result as JSON (same as --format json)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')} (sarif: SARIF 2.1.0 for code scanning; github: GitHub Actions annotations)`)
    .option('--allow-comments', 'accept comments and trailing commas')
    .option('--verbose', 'also print information-level hints')
    .action((paths: string[], options: { json?: boolean; format?: string; allowComments?: boolean; verbose?: boolean }) => {
      const format: ValidateFormat = chooseFormat(options, FORMATS, 'text');
      const { files, missing } = expandWithSettings(paths);
      if (missing.length) throw new CliUsageError(unusablePathsMessage(missing));
      const results = validateFiles(new SegmentLanguage(), files, { allowComments: options.allowComments });
      const shown = (file: string) => relative(process.cwd(), file) || file;
      const verbose = options.verbose ?? false;
      if (format === 'json') {
        printJson(io, results, shown);
      } else if (format === 'sarif') {
        io.out(
          JSON.stringify(sarifLog(locatedProblems(results, verbose, shown), { version: program.version() ?? '0.0.0', baseDirectory: process.cwd() }), null, 2),
        );
      } else if (format === 'github') {
        for (const line of githubAnnotations(locatedProblems(results, verbose, shown))) io.out(line);
        printSummary(io, results);
      } else {
        // Like a compiler: errors and warnings; information and hints only with --verbose.
        for (const { file, document, problems } of results) {
          for (const problem of problems)
            if (verbose || problem.severity === 'error' || problem.severity === 'warning') io.out(formatProblem(shown(file), document, problem));
        }
        printSummary(io, results);
      }
      io.exitCode(results.some((r) => r.problems.some((p) => p.severity === 'error')) ? 1 : 0);
    });
}
