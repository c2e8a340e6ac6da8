/**
 * What the Klaviyo commands of the CLI (pull, pull-segments, push) share: the key from the
 * environment, the client with --verbose logging, exit codes for failures, Ctrl+C, the pull's
 * progress on stderr, and terminal prompts. The klaviyo/ layer itself knows nothing of the CLI.
 */
import { createInterface } from 'node:readline';
import { Presets, SingleBar } from 'cli-progress';
import { KlaviyoClient, timingFromEnvironment, type ClientEvent } from '../klaviyo/client';
import { KlaviyoError } from '../klaviyo/errors';
import type { PullProgress } from '../klaviyo/pull';
import { API_KEY_ENV, apiKeyFromEnvironment, redactError, type ApiKey } from '../klaviyo/secret';
import { CliUsageError, type CliIo } from './io';

/** The key for the CLI: $KLAVIYO_API_KEY only, never a flag (flags land in shell history and `ps`). */
export function requireApiKey(): ApiKey {
  let key: ApiKey | undefined;
  try {
    key = apiKeyFromEnvironment();
  } catch (error) {
    throw new CliUsageError(`${API_KEY_ENV} is not usable: ${redactError(error)}`);
  }
  if (!key)
    throw new CliUsageError(`${API_KEY_ENV} is not set: export your Klaviyo private API key (pk_…) in the environment. The key is never accepted as a flag.`);
  return key;
}

export function createCliClient(apiKey: ApiKey, baseUrl: string | undefined, io: CliIo, verbose = false): KlaviyoClient {
  try {
    return new KlaviyoClient({
      apiKey,
      baseUrl,
      timing: timingFromEnvironment(),
      onEvent: verbose ? (event) => io.err(describeClientEvent(event)) : undefined,
    });
  } catch (error) {
    if (error instanceof KlaviyoError && error.kind === 'config') throw new CliUsageError(error.message);
    throw error;
  }
}

function describeClientEvent(event: ClientEvent): string {
  switch (event.type) {
    case 'request':
      return `→ ${event.method} ${event.path}${event.attempt ? ` (retry ${event.attempt})` : ''}`;
    case 'response':
      return `← ${event.status} ${event.method} ${event.path.split('?')[0]} (${Math.round(event.ms)} ms)`;
    case 'retry':
      return `… ${event.reason} on ${event.method} ${event.path.split('?')[0]}: retrying in ${(event.delayMs / 1000).toFixed(1)} s`;
  }
}

/**
 * Reports a failure of a Klaviyo command: configuration problems are usage errors (exit 2),
 * a cancellation exits 130, everything else 1. Messages are redacted.
 */
export function reportFailure(io: CliIo, error: unknown): void {
  if (error instanceof CliUsageError) throw error;
  if (error instanceof KlaviyoError && error.kind === 'config') throw new CliUsageError(error.message);
  io.err(`segment-lens: ${redactError(error)}`);
  io.exitCode(error instanceof KlaviyoError && error.kind === 'cancelled' ? 130 : 1);
}

/** An AbortSignal that fires on Ctrl+C (and stops listening when disposed). */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** A progress bar on stderr over the pull's steps (terminal only); elsewhere one line per finished step. */
export function pullProgressReporter(io: CliIo): { update: (p: PullProgress) => void; done: () => void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: 'Pulling | {bar} | {value}/{total} steps | {label}: {records} records', stream: process.stderr, hideCursor: true, clearOnComplete: true },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p) => {
        if (!started) {
          bar.start(p.stepsTotal, p.stepsDone, { label: p.label, records: p.records });
          started = true;
        }
        bar.setTotal(p.stepsTotal);
        bar.update(p.stepsDone, { label: p.label, records: p.records.toLocaleString('en-US') });
      },
      done: () => {
        if (started) bar.stop();
      },
    };
  }
  let lastDone = 0;
  return {
    update: (p) => {
      // Steps report once more when they finish, with the step's count.
      if (p.stepsDone > lastDone && p.step !== 'commit')
        io.err(
          `  ${p.label}: ${p.records} record${p.records === 1 ? '' : 's'}${p.step.startsWith('merge:') ? '' : ` (${p.pages} page${p.pages === 1 ? '' : 's'})`}`,
        );
      lastDone = Math.max(lastDone, p.stepsDone);
    },
    done: () => undefined,
  };
}

/** Asks a yes/no question on the terminal (stderr), default no. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Colours a unified diff for a terminal. */
export function colorDiff(diff: string, enabled: boolean): string {
  if (!enabled) return diff;
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+') && !line.startsWith('+++')
        ? `\x1b[32m${line}\x1b[0m`
        : line.startsWith('-') && !line.startsWith('---')
          ? `\x1b[31m${line}\x1b[0m`
          : line.startsWith('@@')
            ? `\x1b[36m${line}\x1b[0m`
            : line,
    )
    .join('\n');
}
