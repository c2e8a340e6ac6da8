import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeCondition, describeDefinition, type NameLookup } from '../engine/describe';
import { Evaluator, type DefinitionResult } from '../engine/evaluator';
import { evaluateHistory, historyInstants, MAX_HISTORY_DAYS, parseHistorySpan } from '../engine/history';
import type { Workspace } from '../engine/workspace';
import { SegmentLanguage } from '../segment/languageService';
import { definitionValue, segmentName } from '../segment/parse';
import { expandWithSettings } from '../workspace/segmentFiles';
import { findWorkspaceRoot, loadWorkspace, MARKER_FILE, type LoadedWorkspace } from '../workspace/loadWorkspace';
import { readTextFile } from '../workspace/textFiles';
import { CliUsageError, type CliIo } from './io';
import { instantOption } from './options';
import { printablePath, shownPath, unusablePathsMessage } from './paths';
import { printHistories, type FileHistory } from './historyOutput';
import { formatProblem } from './validateCommand';
import { progressReporter } from './progress';
import { profileSummary, workspaceNames, type ProfileSummary } from '../review/profiles';
import { DuckDbEngine, engineOptions, type EngineOptions } from './duckdbEngine';

interface EvaluateOptions {
  cache?: boolean;
  workspace?: string;
  json?: boolean;
  ids?: boolean;
  limit?: string;
  now?: string;
  history?: string;
  csv?: boolean;
}

/** One evaluation as the output shows it, whichever engine counted it. */
export interface ShownResult {
  total: number;
  matched: number | null;
  groups: readonly { matched: number | null; afterAnd: number | null; conditions: readonly { matched: number | null; notEvaluable?: string }[] }[];
  notEvaluable: readonly string[];
  /** Matched profile IDs: all of them with --ids, else the first `limit`. */
  ids: string[];
  /** The first `limit` matched profiles. */
  profiles: ProfileSummary[];
  elapsedMs: number;
}

/** The data an evaluation read, as the output shows it. */
export interface ShownWorkspace {
  name: string;
  root: string;
  now: number;
  profiles: number;
  events: number;
  names: NameLookup;
}

function memoryResult(result: DefinitionResult, loaded: LoadedWorkspace, ids: boolean, limit: number): ShownResult {
  const ws = loaded.workspace;
  const matched = result.set ? result.set.toArray(ids ? Infinity : limit) : [];
  return {
    total: result.total,
    matched: result.matched,
    groups: result.groups,
    notEvaluable: result.notEvaluable,
    ids: matched.map((p) => ws.profileIds.at(p)),
    profiles: matched.slice(0, limit).map((p) => profileSummary(ws, p)),
    elapsedMs: result.elapsedMs,
  };
}

function memoryWorkspace(loaded: LoadedWorkspace): ShownWorkspace {
  const ws = loaded.workspace;
  return { name: ws.name, root: loaded.config.root, now: ws.now, profiles: ws.profileCount, events: ws.eventCount, names: workspaceNames(ws) };
}

const number = (n: number) => n.toLocaleString('en-US');
const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`);

/** Loads each workspace once, however many segment files use it. */
export class WorkspaceCache {
  private readonly loaded = new Map<string, Promise<LoadedWorkspace>>();
  constructor(
    private readonly io: CliIo,
    private readonly now: number | undefined,
    private readonly cache = true,
  ) {}

  get(root: string): Promise<LoadedWorkspace> {
    let pending = this.loaded.get(root);
    if (!pending) {
      const progress = progressReporter(this.io, `Loading ${printablePath(root)}`);
      pending = loadWorkspace(root, { now: this.now, onProgress: progress.update, cache: this.cache }).then((loaded) => {
        progress.done();
        for (const warning of loaded.warnings)
          this.io.err(`${shownPath(warning.file)}${warning.line ? `:${warning.line}` : ''}: warning: ${warning.message} [${warning.code}]`);
        return loaded;
      });
      this.loaded.set(root, pending);
    }
    return pending;
  }
}

export function registerEvaluateCommand(program: Command, io: CliIo): void {
  program
    .command('evaluate')
    .description('count the profiles a segment matches in a local workspace (folders: every segment file inside)')
    .argument('<paths...>', 'segment files or folders')
    .option('--workspace <dir>', `folder holding ${MARKER_FILE} (default: the nearest one above each segment file)`)
    .option('--json', 'print the result as JSON')
    .option('--ids', 'with --json, include the IDs of every matched profile')
    .option('--limit <n>', 'how many matched profiles to list', '10')
    .option('--now <iso>', 'evaluate as of this instant instead of the workspace\'s "now"')
    .option('--history <span>', 'the size over time instead: the count as of the end of each of the last N UTC days (90d, 12w), today as of now')
    .option('--csv', 'with --history, print CSV (day, as_of, matched, total)')
    .option('--no-cache', "read the JSONL files even when the engine's on-disk cache is current")
    .option(
      '--engine <engine>',
      'auto | memory | duckdb: auto takes DuckDB when the data files reach SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES (default 4 GiB) or loading them in memory would not fit in the memory available',
      'auto',
    )
    .option(
      '--database <path>',
      'with the DuckDB engine: evaluate over this DuckDB file (opened read-only) or folder of Parquet files instead of a workspace folder',
    )
    .option('--layout <layout>', 'with --database: workspace | fivetran | a layout file (JSON), as for `sql` (default workspace)')
    .option('--memory-limit <size>', "DuckDB's memory limit (e.g. 2GB)")
    .option('--threads <n>', "DuckDB's threads")
    .action(async (paths: string[], options: EvaluateOptions & EngineOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new CliUsageError(`--limit must be a whole number, not ${JSON.stringify(options.limit)}`);
      const now = instantOption('--now', options.now);
      const historyDays = options.history === undefined ? undefined : parseHistorySpan(options.history);
      if (options.history !== undefined && historyDays === undefined)
        throw new CliUsageError(
          `--history: expected a number of days or weeks such as 90d or 12w (at most ${MAX_HISTORY_DAYS} days), not ${JSON.stringify(options.history)}`,
        );
      if (options.csv && historyDays === undefined) throw new CliUsageError('--csv needs --history');
      const engineChoice = engineOptions(options, { history: historyDays !== undefined });
      const histories: FileHistory[] = [];
      const { files, missing } = expandWithSettings(paths);
      if (missing.length) throw new CliUsageError(unusablePathsMessage(missing));
      if (files.length === 0)
        throw new CliUsageError(`no segment files in ${paths.map(printablePath).join(', ')} (*.segment.json, or .json files in a segments/ folder)`);
      // A folder without the marker would load as an empty workspace and count "0 of 0".
      if (options.workspace !== undefined && !existsSync(join(options.workspace, MARKER_FILE))) {
        throw new CliUsageError(
          `--workspace ${printablePath(options.workspace)}: ${existsSync(options.workspace) ? `holds no ${MARKER_FILE}` : 'no such folder'}`,
        );
      }
      const language = new SegmentLanguage();
      const workspaces = new WorkspaceCache(io, now, options.cache !== false);
      const duckdb = new DuckDbEngine(io, engineChoice, now);
      const evaluators = new Map<Workspace, Evaluator>();
      const results: unknown[] = [];
      let anyErrors = false;
      try {
        for (const file of files) {
          // JSON output escapes the path its own way; text output prints `shown`.
          const path = relative(process.cwd(), file) || file;
          const shown = printablePath(path);
          const text = readTextFile(file);
          const parsed = language.parse(text);
          const problems = language.validate(parsed);
          const errors = problems.filter((p) => p.severity === 'error');
          const root =
            engineChoice.database !== undefined
              ? resolve(engineChoice.database)
              : options.workspace
                ? resolve(options.workspace)
                : findWorkspaceRoot(dirname(resolve(file)));
          if (!root) throw new CliUsageError(`no ${MARKER_FILE} found above ${shown}; pass --workspace DIR`);
          if (errors.length) {
            anyErrors = true;
            if (options.json) {
              results.push({ file: path, errors: errors.map((p) => ({ message: p.message, code: p.code })) });
            } else {
              const document = TextDocument.create(`file://${file}`, 'json', 0, text);
              io.out(`${shown}: INVALID, not evaluated (${errors.length} error${errors.length === 1 ? '' : 's'}):`);
              for (const problem of errors) io.out(`  ${formatProblem(shown, document, problem)}`);
            }
            continue;
          }
          const definition = definitionValue(parsed);
          if (!definition) throw new CliUsageError(`${shown} holds no segment definition`);
          let shownResult: ShownResult;
          let shownWorkspace: ShownWorkspace;
          const evaluator = historyDays === undefined ? await duckdb.evaluatorFor(root) : undefined;
          if (evaluator) {
            const result = await evaluator.evaluate(definition, { ids: options.ids ?? false, limit });
            for (const a of result.approximations) io.err(`${shown}: warning: the DuckDB engine approximates ${a.pointer}: ${a.rule}`);
            shownResult = result;
            shownWorkspace = { ...evaluator.info, names: evaluator.names };
          } else {
            const loaded = await workspaces.get(root);
            let memory = evaluators.get(loaded.workspace);
            if (!memory) evaluators.set(loaded.workspace, (memory = new Evaluator(loaded.workspace)));
            if (historyDays !== undefined) {
              const history = evaluateHistory(memory, definition, historyInstants(loaded.workspace.ref, historyDays));
              histories.push({ file: path, shown, name: segmentName(parsed), history });
              continue;
            }
            shownResult = memoryResult(memory.evaluateDefinition(definition), loaded, options.ids ?? false, limit);
            shownWorkspace = memoryWorkspace(loaded);
          }
          const warnings = problems.filter((p) => p.severity === 'warning').length;
          if (options.json) {
            results.push({ ...jsonResult(path, segmentName(parsed), definition, shownResult, shownWorkspace, options.ids ?? false, limit), warnings });
          } else if (files.length > 1) {
            printSummaryLine(io, shown, segmentName(parsed), shownResult, warnings);
          } else {
            printResult(io, shown, segmentName(parsed), definition, shownResult, shownWorkspace, limit);
          }
        }
      } finally {
        duckdb.close();
      }
      if (historyDays !== undefined) printHistories(io, histories, options.json ? 'json' : options.csv ? 'csv' : 'text');
      else if (options.json) io.out(JSON.stringify(files.length === 1 ? results[0] : results, null, 2));
      io.exitCode(anyErrors ? 1 : 0);
    });
}

function conditionsOf(definition: Record<string, unknown>, group: number): unknown[] {
  const groups = definition.condition_groups as { conditions?: unknown[] }[];
  return groups[group]?.conditions ?? [];
}

function jsonResult(
  file: string,
  name: string | undefined,
  definition: Record<string, unknown>,
  result: ShownResult,
  ws: ShownWorkspace,
  ids: boolean,
  limit: number,
) {
  return {
    file,
    name: name ?? null,
    description: describeDefinition(definition, ws.names),
    workspace: { name: ws.name, root: ws.root, now: new Date(ws.now).toISOString(), profiles: ws.profiles, events: ws.events },
    total: result.total,
    matched: result.matched,
    not_evaluable: result.notEvaluable,
    groups: result.groups.map((group, g) => ({
      matched: group.matched,
      after_and: group.afterAnd,
      conditions: group.conditions.map((condition, c) => ({
        matched: condition.matched,
        description: describeCondition(conditionsOf(definition, g)[c], ws.names),
        ...(condition.notEvaluable ? { not_evaluable: condition.notEvaluable } : {}),
      })),
    })),
    ...(ids ? { profile_ids: result.ids } : {}),
    profiles: result.profiles.slice(0, limit),
    elapsed_ms: Math.round(result.elapsedMs),
  };
}

/** One line per segment when evaluating a folder: validation result and match count. */
function printSummaryLine(io: CliIo, file: string, name: string | undefined, result: ShownResult, warnings: number): void {
  const valid = warnings ? `valid, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'valid';
  const count =
    result.matched === null
      ? `not evaluable locally (${result.notEvaluable[0]})`
      : `matches ${number(result.matched).padStart(6)} of ${number(result.total)} (${percent(result.matched, result.total)})`;
  io.out(`${file}${name ? ` (${name})` : ''}: ${valid}; ${count}`);
}

function printResult(
  io: CliIo,
  file: string,
  name: string | undefined,
  definition: Record<string, unknown>,
  result: ShownResult,
  ws: ShownWorkspace,
  limit: number,
): void {
  const names = ws.names;
  io.out(`${file}${name ? ` — ${name}` : ''}`);
  io.out(`  ${describeDefinition(definition, names)}`);
  const count =
    result.matched === null
      ? 'not evaluable locally'
      : `${number(result.matched)} of ${number(result.total)} profiles (${percent(result.matched, result.total)})`;
  io.out(`  Matches ${count} in ${ws.name}, as of ${new Date(ws.now).toISOString()} (UTC)`);
  result.groups.forEach((group, g) => {
    const groupCount = group.matched === null ? 'not evaluable' : number(group.matched);
    const after = group.afterAnd === null ? '' : result.groups.length > 1 ? ` · after AND: ${number(group.afterAnd)}` : '';
    io.out(`  group ${g + 1}: ${groupCount}${after}`);
    group.conditions.forEach((condition, c) => {
      const text = describeCondition(conditionsOf(definition, g)[c], names);
      io.out(`    ${condition.matched === null ? `not evaluable locally (${condition.notEvaluable})` : number(condition.matched).padStart(7)}  ${text}`);
    });
  });
  if (limit > 0 && result.matched) {
    io.out(`  First ${Math.min(limit, result.matched)} matched profile(s):`);
    for (const s of result.profiles.slice(0, limit)) {
      io.out(`    ${s.id}  ${s.email ?? '(no email)'}  ${s.name ?? ''}${s.location ? `  ${s.location}` : ''}`.trimEnd());
    }
  }
}
