import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseInstant } from '../engine/time';
import { SegmentLanguage } from '../segment/languageService';
import { definitionValue } from '../segment/parse';
import { compileSegment, DIALECT_NAMES, sqlText, layoutFromConfig, NAMED_LAYOUTS, type DialectName, type TableLayout } from '../sql';
import { findWorkspaceRoot, readWorkspaceConfig } from '../workspace/loadWorkspace';
import { CliUsageError, type CliIo } from './io';
import { formatProblem } from './validateCommand';

interface SqlCommandOptions {
  dialect: string;
  layout: string;
  count?: boolean;
  now?: string;
  json?: boolean;
  setup?: boolean;
}

/** `--layout`: a layout name or a layout file (docs/sql.md). */
export function layoutOption(value: string): TableLayout {
  if (value === 'workspace' || value === 'fivetran') return NAMED_LAYOUTS[value]();
  if (!existsSync(value)) throw new CliUsageError(`--layout is workspace, fivetran or a layout file; ${JSON.stringify(value)} is none of them`);
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(value, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`${value} is not JSON: ${(error as Error).message}`);
  }
  const result = layoutFromConfig(config);
  if ('errors' in result) throw new CliUsageError(`${value}: ${result.errors.join('; ')}`);
  return result.layout;
}

/** --now, else the workspace's "now" (the nearest klaviyo-workspace.json above the file), else the wall clock. */
function nowOption(given: string | undefined, file: string): number {
  if (given !== undefined) {
    const now = parseInstant(given);
    if (now === undefined || Number.isNaN(now)) throw new CliUsageError(`--now must be an ISO 8601 date or instant, not ${JSON.stringify(given)}`);
    return now;
  }
  const root = findWorkspaceRoot(dirname(resolve(file)));
  return (root ? readWorkspaceConfig(root).now : undefined) ?? Date.now();
}

export function registerSqlCommand(program: Command, io: CliIo): void {
  program
    .command('sql')
    .description('compile a segment to SQL: the matching profile IDs (or their count) over your tables (docs/sql.md)')
    .argument('<file>', 'a segment file')
    .requiredOption('--dialect <name>', DIALECT_NAMES.join(' | '))
    .option('--layout <layout>', 'workspace | fivetran | a layout file (JSON)', 'workspace')
    .option('--count', 'print the count form (SELECT COUNT(*))')
    .option('--now <iso>', 'measure relative dates from this instant (default: the workspace\'s "now", else the clock)')
    .option('--json', 'print { sql, countSql, countsSql, flagsSql, approximations, notEvaluable, preconditions, setup } as JSON')
    .option('--setup', 'print the statements that create the reference tables the query joins')
    .action((file: string, options: SqlCommandOptions) => {
      if (!(DIALECT_NAMES as readonly string[]).includes(options.dialect))
        throw new CliUsageError(`--dialect is ${DIALECT_NAMES.join(', ')}, not ${JSON.stringify(options.dialect)}`);
      if (!existsSync(file)) throw new CliUsageError(`no such file: ${file}`);
      const layout = layoutOption(options.layout);
      const now = nowOption(options.now, file);
      const shown = relative(process.cwd(), file) || file;
      const text = readFileSync(file, 'utf8');
      const language = new SegmentLanguage();
      const parsed = language.parse(text);
      const errors = language.validate(parsed).filter((p) => p.severity === 'error');
      if (errors.length) {
        const document = TextDocument.create(`file://${resolve(file)}`, 'json', 0, text);
        for (const problem of errors) io.err(formatProblem(shown, document, problem));
        io.exitCode(1);
        return;
      }
      const definition = definitionValue(parsed);
      if (!definition) throw new CliUsageError(`${shown} holds no segment definition`);
      const compiled = compileSegment(definition, { dialect: options.dialect as DialectName, layout, now });
      if (options.json) {
        const { sql, countSql, countsSql, flagsSql, approximations, notEvaluable, preconditions, setup } = compiled;
        io.out(
          JSON.stringify(
            {
              dialect: compiled.dialect,
              layout: compiled.layout,
              now: compiled.now,
              sql,
              countSql,
              countsSql,
              flagsSql,
              approximations,
              notEvaluable,
              preconditions,
              setup,
            },
            null,
            2,
          ),
        );
      } else if (options.setup) {
        io.out(compiled.setup.map((statement) => `${statement};`).join('\n'));
      } else {
        // Not evaluable: the header says why (as SQL comments), and there is no query.
        io.out(sqlText(compiled, options.count ? 'count' : 'select'));
      }
      if (compiled.notEvaluable.length) {
        for (const { pointer, reason } of compiled.notEvaluable) io.err(`${shown}: not evaluable at ${pointer}: ${reason}`);
        io.exitCode(1);
      }
    });
}
