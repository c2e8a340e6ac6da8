import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import {
  analyzeCoverage,
  coverageCsv,
  coverageJson,
  coverageMarkdown,
  coverageText,
  type CoverageReport,
  type CoverageSegmentInput,
  type Finding,
} from '../coverage';
import { Evaluator } from '../engine/evaluator';
import { summarizeWorkspace } from '../engine/catalog';
import type { Workspace } from '../engine/workspace';
import { SegmentLanguage } from '../segment/languageService';
import { definitionValue, segmentName } from '../segment/parse';
import { segmentFileRulesFor } from '../workspace/segmentFiles';
import { findWorkspaceRoot, MARKER_FILE } from '../workspace/loadWorkspace';
import { readTextFile } from '../workspace/textFiles';
import { printablePath, shownPath } from './paths';
import { WorkspaceCache } from './evaluateCommand';
import { CliUsageError, type CliIo } from './io';
import { instantOption } from './options';

interface CoverageCommandOptions {
  workspace?: string;
  json?: boolean;
  md?: boolean;
  csv?: boolean;
  out?: string;
  create?: string[];
  now?: string;
}

const shown = shownPath;

/** A path as the report shows it: relative to the workspace folder, with forward slashes, printable. */
export const reportPath = (root: string, path: string) => printablePath(relative(root, path).split(sep).join('/') || path);

/** Reads and validates every segment file under `dir` (files with errors are listed, not evaluated). */
function readSegments(dir: string, root: string, language: SegmentLanguage): { inputs: CoverageSegmentInput[]; paths: string[] } {
  const paths = segmentFileRulesFor(dir).find(dir, root);
  const inputs = paths.map((path): CoverageSegmentInput => {
    const parsed = language.parse(readTextFile(path));
    const errors = language
      .validate(parsed)
      .filter((p) => p.severity === 'error')
      .map((p) => p.message);
    return { file: reportPath(root, path), name: segmentName(parsed), definition: definitionValue(parsed), ...(errors.length ? { errors } : {}) };
  });
  return { inputs, paths };
}

/** A path that does not exist yet: name.json, name-2.json, ... (name-2.segment.json for segment-suffixed names). */
function freePath(wanted: string): string {
  let path = wanted;
  for (let i = 2; existsSync(path); i++) path = wanted.replace(/(\.segment)?\.json$/, `-${i}$&`);
  return path;
}

export function registerCoverageCommand(program: Command, io: CliIo): void {
  program
    .command('coverage')
    .description('review lifecycle segment coverage: what is missing, stale, duplicated or too broad (nothing is written unless --out or --create)')
    .argument('[dir]', `folder with the segment files, inside a data workspace (${MARKER_FILE}); the report shows paths relative to the workspace`, '.')
    .option('--workspace <dir>', `folder holding ${MARKER_FILE} (default: the nearest one at or above DIR)`)
    .option('--json', 'print the inventory and findings as JSON')
    .option('--md', 'print the report and coverage tracker as Markdown')
    .option('--csv', 'print the coverage tracker as CSV')
    .option('--out <dir>', 'write coverage.md and coverage.csv into this folder')
    .option('--create <stages...>', 'write the recommended segment files for these missing stages ("all": every one) into the segments folder')
    .option('--now <iso>', 'review as of this instant instead of the workspace\'s "now"')
    .action(async (dirArg: string, options: CoverageCommandOptions) => {
      const formats = [options.json && 'json', options.md && 'md', options.csv && 'csv'].filter(Boolean);
      if (formats.length > 1) throw new CliUsageError('choose one of --json, --md and --csv');
      const now = instantOption('--now', options.now);
      const dir = resolve(dirArg);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliUsageError(`no such folder: ${printablePath(dirArg)}`);
      const root = options.workspace ? resolve(options.workspace) : findWorkspaceRoot(dir);
      if (!root || !existsSync(join(root, MARKER_FILE)))
        throw new CliUsageError(
          `no ${MARKER_FILE} found ${options.workspace ? `in ${printablePath(options.workspace)}` : `at or above ${printablePath(dirArg)}`}; pass --workspace DIR`,
        );

      const language = new SegmentLanguage();
      const loaded = await new WorkspaceCache(io, now).get(root);
      const workspace = loaded.workspace;
      const evaluator = new Evaluator(workspace);
      const analyze = () => {
        const { inputs, paths } = readSegments(dir, root, language);
        return { report: analyzeCoverage(workspace, inputs, { root: shown(root) }, evaluator), paths };
      };
      let { report, paths } = analyze();

      if (options.create?.length) {
        const created = createSegmentFiles(
          io,
          report,
          options.create,
          (fileName) => segmentFileRulesFor(dir).newFilePath(dir, root, paths, fileName.replace(/\.json$/, '')),
          language,
          workspace,
        );
        if (!created) {
          io.exitCode(1);
          return;
        }
        // The outputs asked for along with --create describe the folder as it is now.
        if (formats.length || options.out) ({ report, paths } = analyze());
      }
      if (options.out) {
        const out = resolve(options.out);
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, 'coverage.md'), coverageMarkdown(report));
        writeFileSync(join(out, 'coverage.csv'), coverageCsv(report));
        io.err(`wrote ${shown(join(out, 'coverage.md'))} and ${shown(join(out, 'coverage.csv'))}`);
      }
      if (options.json) io.out(JSON.stringify(coverageJson(report), null, 2));
      else if (options.md) io.out(coverageMarkdown(report));
      else if (options.csv) io.out(coverageCsv(report).trimEnd());
      else if (!options.out && !options.create?.length) io.out(coverageText(report));
      io.exitCode(0);
    });
}

/** Writes the proposals of the named missing stages; returns false when a file could not be written. */
function createSegmentFiles(
  io: CliIo,
  report: CoverageReport,
  requested: string[],
  pathFor: (fileName: string) => string,
  language: SegmentLanguage,
  workspace: Workspace,
): boolean {
  const missing = report.findings.filter(
    (f): f is Finding & { stage: string; proposal: NonNullable<Finding['proposal']> } =>
      f.kind === 'missing' && f.stage !== undefined && f.proposal !== undefined,
  );
  const names = requested
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const chosen = names.includes('all')
    ? missing
    : names.map((name) => {
        const finding = missing.find((f) => f.stage === name);
        if (!finding) {
          const available = missing.map((f) => f.stage);
          throw new CliUsageError(
            `${JSON.stringify(name)} is not a missing stage of this workspace. ${available.length ? `Missing: ${available.join(', ')}` : 'Nothing is missing.'}`,
          );
        }
        return finding;
      });
  if (!chosen.length) {
    io.err('nothing to create: no segment is missing');
    return true;
  }
  const context = { summary: summarizeWorkspace(workspace) };
  let ok = true;
  for (const finding of chosen) {
    const text = finding.proposal.text;
    // Proposals are built from the workspace's own IDs; check anyway before writing.
    const errors = language.validate(language.parse(text), { workspace: context }).filter((p) => p.severity === 'error');
    if (errors.length) {
      io.err(`segment-lens: the proposal for ${finding.stage} does not validate (${errors[0].message}); not written`);
      ok = false;
      continue;
    }
    const path = freePath(pathFor(finding.proposal.fileName));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
    io.out(`created ${shown(path)}: ${finding.title}, ${finding.proposal.matched.toLocaleString('en-US')} profiles`);
  }
  return ok;
}
