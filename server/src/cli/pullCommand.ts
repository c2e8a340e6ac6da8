import { relative } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_BASE_URL } from '../klaviyo/endpoints';
import { pullWorkspace, type PullResult } from '../klaviyo/pull';
import { CliUsageError, type CliIo } from './io';
import { createCliClient, interruptSignal, pullProgressReporter, reportFailure, requireApiKey } from './klaviyoSupport';
import { instantOption } from './options';
import { printablePath } from './paths';

interface PullCommandOptions {
  out: string;
  since?: string;
  maxProfiles?: string;
  incremental?: boolean;
  fresh?: boolean;
  name?: string;
  baseUrl: string;
  verbose?: boolean;
  json?: boolean;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function describePullResult(result: PullResult): string {
  const c = result.counts;
  const where = printablePath(relative(process.cwd(), result.out) || '.');
  const seconds = (result.ms / 1000).toFixed(1);
  const head =
    result.mode === 'incremental' && result.changed
      ? `Updated ${where}: ${plural(result.changed.profiles, 'changed profile')}, ${plural(result.changed.events, 'new event')}, ${plural(result.changed.memberships, 'new list membership')}.`
      : `Pulled ${where}.`;
  return `${head} The workspace now has ${plural(c.metrics, 'metric')}, ${plural(c.lists, 'list')} (${plural(c.memberships, 'membership')}), ${plural(c.profiles, 'profile')} and ${plural(c.events, 'event')} (${plural(result.requests, 'request')}, ${seconds} s).`;
}

export function registerPullCommand(program: Command, io: CliIo): void {
  program
    .command('pull')
    .description('pull a Klaviyo account (metrics, lists, members, profiles, events) into a workspace folder; the key comes from $KLAVIYO_API_KEY')
    .requiredOption('--out <dir>', 'the workspace folder to write (created when missing)')
    .option('--since <date>', 'full pull: only events at or after this date (e.g. 2025-01-01)')
    .option('--max-profiles <n>', 'full pull: at most this many profiles (and only their memberships and events)')
    .option('--incremental', 'only fetch what changed since the last pull into --out, and merge it in')
    .option('--fresh', 'discard an interrupted pull instead of resuming it')
    .option('--name <name>', 'the workspace name for klaviyo-workspace.json')
    .option('--base-url <url>', 'the Klaviyo API base URL (e.g. a proxy)', DEFAULT_BASE_URL)
    .option('--verbose', 'print every request and retry (never the key)')
    .option('--json', 'print the result as JSON')
    .action(async (options: PullCommandOptions) => {
      // Checked here too, so a bad date is a usage error before the key is even looked at.
      instantOption('--since', options.since);
      let maxProfiles: number | undefined;
      if (options.maxProfiles !== undefined) {
        maxProfiles = Number(options.maxProfiles);
        if (!Number.isInteger(maxProfiles) || maxProfiles < 1)
          throw new CliUsageError(`--max-profiles must be a positive whole number, not "${options.maxProfiles}".`);
      }
      const apiKey = requireApiKey();
      const client = createCliClient(apiKey, options.baseUrl, io, options.verbose);
      const progress = pullProgressReporter(io);
      const interrupt = interruptSignal();
      try {
        const result = await pullWorkspace({
          out: options.out,
          client,
          since: options.since,
          maxProfiles,
          incremental: options.incremental,
          fresh: options.fresh,
          name: options.name,
          signal: interrupt.signal,
          onProgress: progress.update,
        });
        progress.done();
        for (const note of result.notes) io.err(`note: ${note}`);
        io.out(options.json ? JSON.stringify(result, null, 2) : describePullResult(result));
        io.exitCode(0);
      } catch (error) {
        progress.done();
        reportFailure(io, error);
      } finally {
        interrupt.dispose();
      }
    });
}
