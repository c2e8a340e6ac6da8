import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Resource } from '../klaviyo/client';
import { DEFAULT_BASE_URL } from '../klaviyo/endpoints';
import { writeFileAtomic } from '../klaviyo/files';
import { apiKeyFromEnvironment, type ApiKey } from '../klaviyo/secret';
import { describeRequest, executePush, fetchSegment, planPush, previewPush, textAfterPush } from '../klaviyo/segments';
import { SegmentLanguage } from '../segment/languageService';
import { readTextFile } from '../workspace/textFiles';
import { CliUsageError, type CliIo } from './io';
import { colorDiff, confirm, createCliClient, interruptSignal, reportFailure, requireApiKey } from './klaviyoSupport';
import { shownPath } from './paths';
import { formatProblem } from './validateCommand';

interface PushCommandOptions {
  dryRun?: boolean;
  yes?: boolean;
  name?: string;
  id?: string;
  writeBack: boolean;
  baseUrl: string;
  verbose?: boolean;
}

export function registerPushCommand(program: Command, io: CliIo): void {
  program
    .command('push')
    .description(
      'create (POST) or update (PATCH, when the file has an id) a segment in Klaviyo, after showing the diff and asking; the key comes from $KLAVIYO_API_KEY',
    )
    .argument('<file>', 'the segment file: a definition, a create/update body, or segments/segment-<ID>.json')
    .option('--dry-run', 'show the diff and the request without sending it')
    .option('-y, --yes', 'push without asking (required when stdin is not a terminal)')
    .option('--name <name>', 'the segment name (a bare definition has none)')
    .option('--id <id>', 'update this segment (a bare definition has no id)')
    .option('--no-write-back', 'do not write the new id / returned segment back into the file')
    .option('--base-url <url>', 'the Klaviyo API base URL (e.g. a proxy)', DEFAULT_BASE_URL)
    .option('--verbose', 'print every request and retry (never the key)')
    .action(async (file: string, options: PushCommandOptions) => {
      const path = resolve(file);
      const shown = shownPath(path);
      let text: string;
      try {
        text = readTextFile(path);
      } catch (error) {
        throw new CliUsageError(`cannot read ${shown}: ${(error as Error).message}`);
      }
      const outcome = planPush(text, { fileName: basename(path), name: options.name, id: options.id, language: new SegmentLanguage() });
      const document = TextDocument.create(`file://${path}`, 'json', 0, text);
      if (!outcome.ok) {
        for (const problem of outcome.problems) io.err(formatProblem(shown, document, problem));
        io.err(`segment-lens: not pushed: ${outcome.reason}`);
        io.exitCode(1);
        return;
      }
      const plan = outcome.plan;
      for (const problem of plan.notes) if (problem.severity === 'warning') io.err(formatProblem(shown, document, problem));

      let apiKey: ApiKey | undefined;
      if (options.dryRun) apiKey = apiKeyFromEnvironment();
      else apiKey = requireApiKey();
      const client = apiKey ? createCliClient(apiKey, options.baseUrl, io, options.verbose) : undefined;
      const interrupt = interruptSignal();
      try {
        let current: Resource | undefined;
        if (plan.action === 'update' && plan.id && client) current = await fetchSegment(client, plan.id, interrupt.signal);
        const preview = previewPush(plan, current);
        for (const line of preview.summary) io.out(line);
        if (plan.action === 'update' && !current) io.out(`(The account's current definition was not fetched: set KLAVIYO_API_KEY to see the diff.)`);
        if (preview.diff) io.out(colorDiff(preview.diff.trimEnd(), process.stdout.isTTY === true));
        if (!preview.changed) {
          io.exitCode(0);
          return;
        }
        if (options.dryRun) {
          io.out('');
          io.out(describeRequest(client?.baseUrl ?? options.baseUrl.replace(/\/+$/, ''), plan.request));
          io.out('');
          io.out('Dry run: nothing was sent.');
          io.exitCode(0);
          return;
        }
        if (!client || !apiKey) throw new CliUsageError('KLAVIYO_API_KEY is not set.');
        if (!options.yes) {
          if (!process.stdin.isTTY)
            throw new CliUsageError(
              'not pushed: confirmation needed, but stdin is not a terminal. Review the diff above and re-run with --yes to push without asking.',
            );
          if (!(await confirm(plan.action === 'create' ? 'Create this segment in Klaviyo?' : `Update segment ${plan.id} in Klaviyo?`))) {
            io.err('Not pushed.');
            io.exitCode(1);
            return;
          }
        }
        const response = await executePush(client, plan, { apiKey, signal: interrupt.signal });
        const name = typeof response.attributes?.name === 'string' ? ` "${response.attributes.name}"` : '';
        io.out(plan.action === 'create' ? `Created segment ${response.id}${name}.` : `Updated segment ${response.id}${name}.`);
        if (options.writeBack) {
          const updated = textAfterPush(text, plan, response);
          if (updated !== undefined && updated !== text) {
            await writeFileAtomic(path, updated);
            io.err(plan.action === 'create' ? `Wrote the new segment's id into ${shown}: the next push updates it.` : `Refreshed ${shown} from the account.`);
          } else if (plan.action === 'create' && plan.shape === 'definition') {
            io.err(`To update this segment later: segment-lens push ${shown} --id ${response.id}`);
          }
        }
        io.exitCode(0);
      } catch (error) {
        reportFailure(io, error);
      } finally {
        interrupt.dispose();
      }
    });
}
