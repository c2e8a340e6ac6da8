import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { Evaluator } from '../engine/evaluator';
import { SegmentLanguage } from '../segment/languageService';
import { expandWithSettings } from '../workspace/segmentFiles';
import { findWorkspaceRoot, MARKER_FILE } from '../workspace/loadWorkspace';
import { overlapOfFiles } from '../review/overlap';
import { overlapAsJson, overlapAsText } from '../review/overlapReport';
import { workspaceNames } from '../review/profiles';
import { WorkspaceCache } from './evaluateCommand';
import { CliUsageError, type CliIo } from './io';

interface OverlapCommandOptions {
  workspace?: string;
  json?: boolean;
}

/** The one workspace every file is evaluated on: --workspace, or the nearest above all of them. */
function commonWorkspaceRoot(files: readonly string[], given: string | undefined): string {
  if (given) return resolve(given);
  const roots = new Set(files.map((file) => findWorkspaceRoot(dirname(resolve(file)))));
  if (roots.has(undefined))
    throw new CliUsageError(`no ${MARKER_FILE} found above ${files.find((f) => !findWorkspaceRoot(dirname(resolve(f))))}; pass --workspace DIR`);
  if (roots.size > 1)
    throw new CliUsageError(`the segment files belong to different workspaces (${[...roots].join(', ')}); an overlap needs one: pass --workspace DIR`);
  return [...roots][0] as string;
}

export function registerOverlapCommand(program: Command, io: CliIo): void {
  program
    .command('overlap')
    .description('how segments overlap: pairwise counts and exclusive intersections (folders: every segment file inside)')
    .argument('<paths...>', 'segment files or folders')
    .option('--workspace <dir>', `folder holding ${MARKER_FILE} (default: the nearest one above the segment files)`)
    .option('--json', 'print the result as JSON (with the profile IDs of every intersection)')
    .action(async (paths: string[], options: OverlapCommandOptions) => {
      const { files, missing } = expandWithSettings(paths);
      if (missing.length) throw new CliUsageError(`no such file or folder: ${missing.join(', ')}`);
      if (files.length === 0) throw new CliUsageError(`no segment files in ${paths.join(', ')} (*.segment.json, or .json files in a segments/ folder)`);
      const root = commonWorkspaceRoot(files, options.workspace);
      const loaded = await new WorkspaceCache(io, undefined).get(root);
      const ws = loaded.workspace;
      const overlap = overlapOfFiles(
        files.map((path) => ({ path, file: relative(process.cwd(), path) || path })),
        ws,
        { language: new SegmentLanguage(), evaluator: new Evaluator(ws), names: workspaceNames(ws) },
      );
      if (options.json) io.out(JSON.stringify(overlapAsJson(overlap, { name: ws.name, root, now: new Date(ws.now).toISOString() }), null, 2));
      else io.out(overlapAsText(overlap.result, ws.name));
      // Like evaluate: a segment file with errors makes the exit code 1.
      io.exitCode(overlap.result.leftOut.some((s) => s.outcome.kind === 'invalid') ? 1 : 0);
    });
}
