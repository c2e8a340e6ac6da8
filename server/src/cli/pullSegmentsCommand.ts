import type { Command } from 'commander';
import { DEFAULT_BASE_URL } from '../klaviyo/endpoints';
import { pullSegments } from '../klaviyo/segments';
import type { CliIo } from './io';
import { createCliClient, interruptSignal, reportFailure, requireApiKey } from './klaviyoSupport';
import { shownPath as shown } from './paths';

interface PullSegmentsCommandOptions {
  out: string;
  force?: boolean;
  baseUrl: string;
  verbose?: boolean;
  json?: boolean;
}

export function registerPullSegmentsCommand(program: Command, io: CliIo): void {
  program
    .command('pull-segments')
    .description('write every segment of the account as segments/segment-<ID>.json (headless-klaviyo layout); the key comes from $KLAVIYO_API_KEY')
    .requiredOption('--out <dir>', 'the folder to write segments/ into')
    .option('--force', 'overwrite local files that differ from the account')
    .option('--base-url <url>', 'the Klaviyo API base URL (e.g. a proxy)', DEFAULT_BASE_URL)
    .option('--verbose', 'print every request and retry (never the key)')
    .option('--json', 'print the result as JSON')
    .action(async (options: PullSegmentsCommandOptions) => {
      const apiKey = requireApiKey();
      const client = createCliClient(apiKey, options.baseUrl, io, options.verbose);
      const interrupt = interruptSignal();
      try {
        const result = await pullSegments({ out: options.out, client, force: options.force, signal: interrupt.signal });
        if (options.json) {
          io.out(JSON.stringify(result, null, 2));
        } else {
          for (const file of result.written) io.err(`  wrote ${shown(file)}`);
          for (const kept of result.kept)
            io.err(
              `  kept ${shown(kept.file)}: ${kept.reason === 'edited-locally' ? 'edited locally' : 'changed in Klaviyo since it was pulled'} (--force overwrites it)`,
            );
          for (const orphan of result.orphans) io.err(`  note: ${shown(orphan)} has no segment in the account (deleted in Klaviyo, or from another account)`);
          io.out(
            `${result.total} segment${result.total === 1 ? '' : 's'} in the account: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.kept.length} kept locally, into ${shown(result.dir)}.`,
          );
        }
        io.exitCode(0);
      } catch (error) {
        reportFailure(io, error);
      } finally {
        interrupt.dispose();
      }
    });
}
