import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { DEFAULT_NAME, DEFAULT_NOW, DEFAULT_SEED, GenerateOptionsError, generateWorkspace, type GenerateProgress, type GzipChoice } from '../generate';
import { CliUsageError, processIo, type CliIo } from './io';
import { instantOption } from './options';

interface GenerateCliOptions {
  profiles?: string;
  events?: string;
  seed?: string;
  now?: string;
  name?: string;
  out?: string;
  gzip?: string;
}

/**
 * Parses a count: digits, optionally grouped with `_` or `,` (1_000_000), or with a k/m suffix
 * (250k, 10m, 1.5m). Returns undefined when it is not a whole non-negative number.
 */
export function parseCount(text: string): number | undefined {
  const s = text.trim();
  if (/^\d{1,3}(?:[_,]\d{3})+$/.test(s) || /^\d+$/.test(s)) {
    const n = Number(s.replace(/[_,]/g, ''));
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const m = /^(\d+(?:\.\d+)?)([kKmM])$/.exec(s);
  if (m) {
    const n = Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1_000 : 1_000_000);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

function requireCount(name: string, value: string | undefined, min: number): number {
  if (value === undefined) throw new CliUsageError(`generate: --${name} is required`);
  const n = parseCount(value);
  if (n === undefined || n < min) throw new CliUsageError(`generate: --${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''} (got "${value}")`);
  return n;
}

/** A progress bar on stderr for big runs (only on a terminal). */
function progressBar(): { update: (p: GenerateProgress) => void; done: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  const bar = new SingleBar(
    { format: 'generate | {phase} | {bar} | {value}/{total} profiles | {events} events', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let phase = '';
  return {
    update: (p) => {
      if (phase !== p.phase) {
        if (phase) bar.stop();
        bar.start(p.profiles, 0, { phase: p.phase, events: 0 });
        phase = p.phase;
      }
      bar.update(p.profilesDone, { phase: p.phase, events: p.eventsWritten.toLocaleString('en-US') });
    },
    done: () => {
      if (phase) bar.stop();
    },
  };
}

/** Adds `generate`: writes a deterministic synthetic "Mint Vinyl" workspace. */
export function registerGenerateCommand(program: Command, io: CliIo = processIo): void {
  program
    .command('generate')
    .description('generate a synthetic Klaviyo workspace (a record shop, "Mint Vinyl") for demos, tests and benchmarks')
    .option('--profiles <n>', 'number of profiles (e.g. 3000, 1_000_000, 250k, 1m)')
    .option('--events <n>', 'exact number of events (e.g. 40000, 10m)')
    .option('--seed <s>', `random seed, an integer from 0 to 4294967295 (default ${DEFAULT_SEED})`)
    .option('--now <iso>', `the workspace's "now"; the data spans about three years before it (default ${DEFAULT_NOW})`)
    .option('--name <name>', `workspace name (default "${DEFAULT_NAME}")`)
    .option('--out <dir>', 'output folder (created if missing; its data/ files are replaced)')
    .option('--gzip <which>', 'which JSONL files to gzip: none, events or all (default events)')
    .action(async (options: GenerateCliOptions) => {
      const profiles = requireCount('profiles', options.profiles, 1);
      const events = requireCount('events', options.events, 0);
      let seed: number | undefined;
      if (options.seed !== undefined) {
        seed = /^\d+$/.test(options.seed.trim()) ? Number(options.seed.trim()) : NaN;
        if (!Number.isSafeInteger(seed) || seed > 0xffffffff)
          throw new CliUsageError(`generate: --seed must be an integer from 0 to 4294967295 (got "${options.seed}")`);
      }
      instantOption('--now', options.now);
      if (!options.out) throw new CliUsageError('generate: --out <dir> is required');
      const gzipModes: Record<string, GzipChoice> = { none: false, events: 'events', all: true };
      const gzip = gzipModes[options.gzip ?? 'events'];
      if (gzip === undefined) throw new CliUsageError(`generate: --gzip must be none, events or all (got "${options.gzip}")`);

      const bar = profiles >= 50_000 ? progressBar() : undefined;
      try {
        const summary = await generateWorkspace({
          profiles,
          events,
          seed,
          now: options.now,
          name: options.name,
          outDir: options.out,
          gzip,
          onProgress: bar?.update,
        });
        bar?.done();
        const members = Object.values(summary.listMembers).reduce((a, b) => a + b, 0);
        const fmt = (n: number): string => n.toLocaleString('en-US');
        io.out(
          `Generated "${summary.name}" in ${summary.outDir}: ${fmt(summary.profiles)} profiles, ${fmt(summary.events)} events, ` +
            `${Object.keys(summary.listMembers).length} lists (${fmt(members)} members), seed ${summary.seed}, now ${summary.now} ` +
            `(${(summary.elapsedMs / 1000).toFixed(1)}s)`,
        );
      } catch (error) {
        bar?.done();
        if (error instanceof GenerateOptionsError) throw new CliUsageError(`generate: ${error.message}`);
        throw error;
      }
    });
}
