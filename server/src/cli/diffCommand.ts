import type { Command } from 'commander';
import { SegmentLanguage } from '../segment/languageService';
import { MARKER_FILE } from '../workspace/loadWorkspace';
import { diffSegments } from '../review/diff';
import { diffAsMarkdown, diffAsText } from '../review/diffReport';
import { WorkspaceCache } from './evaluateCommand';
import type { CliIo } from './io';
import { asUsageErrors, chooseFormat, parseLimit } from './reviewSupport';

interface DiffCommandOptions {
  base: string;
  workspace?: string;
  limit: string;
  json?: boolean;
  format?: string;
}

const FORMATS = ['text', 'markdown', 'json'] as const;

export function registerDiffCommand(program: Command, io: CliIo): void {
  program
    .command('diff')
    .description('compare segment files with a git revision: what changed, in plain English, and who enters and leaves each segment')
    .argument('[paths...]', 'segment files or folders to compare (default: the whole repository)')
    .option('--base <git-ref>', 'the revision to compare the working tree with', 'HEAD')
    .option('--workspace <dir>', `folder holding ${MARKER_FILE} (default: the nearest one above each segment file)`)
    .option('--limit <n>', 'how many added and removed profiles to list per file (text and markdown)', '10')
    .option('--json', 'print the result as JSON (same as --format json; every profile ID)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`)
    .action(async (paths: string[], options: DiffCommandOptions) => {
      const limit = parseLimit(options.limit);
      const format = chooseFormat(options, FORMATS, 'text');
      const workspaces = new WorkspaceCache(io, undefined);
      const report = await asUsageErrors(() =>
        diffSegments(
          { cwd: process.cwd(), base: options.base, paths, workspaceRoot: options.workspace, limit },
          { language: new SegmentLanguage(), loadWorkspace: async (root) => (await workspaces.get(root)).workspace },
        ),
      );
      if (format === 'json') io.out(JSON.stringify(report, null, 2));
      else io.out(format === 'markdown' ? diffAsMarkdown(report) : diffAsText(report));
      // Like validate: a definition that is invalid now fails the run; one that was invalid before does not.
      io.exitCode(report.files.some((f) => f.after?.outcome.kind === 'invalid') ? 1 : 0);
    });
}
