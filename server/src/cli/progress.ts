import { SingleBar, Presets } from 'cli-progress';
import type { LoadProgress } from '../workspace/loadWorkspace';
import type { CliIo } from './io';

/** A progress bar on stderr while a workspace loads (only on a terminal; silent otherwise). */
export function progressReporter(_io: CliIo, title: string): { update: (progress: LoadProgress) => void; done: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  const bar = new SingleBar(
    { format: `${title} | {phase} | {bar} | {records} records`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  let phase = '';
  return {
    update: (progress) => {
      const total = Math.max(progress.totalBytes, 1);
      if (!started || phase !== progress.phase) {
        if (started) bar.stop();
        bar.start(total, 0, { phase: progress.phase, records: 0 });
        started = true;
        phase = progress.phase;
      }
      bar.update(Math.min(progress.bytes, total), { phase: progress.phase, records: progress.records });
    },
    done: () => {
      if (started) bar.stop();
    },
  };
}
