/**
 * The checkpoint of a pull: the hidden temporary folder beside the workspace and its state file,
 * which records per collection the next cursor, the pages and records fetched and the bytes
 * written, so a rerun after an interruption resumes where it stopped (docs/klaviyo-api.md,
 * "Nothing half-written, and resuming").
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseInstant } from '../engine/time';
import { writeFileAtomic } from './files';

/** The resume state of an unfinished pull, in the temporary folder. */
export const STATE_FILE = 'pull-state.json';

export interface StepState {
  done: boolean;
  /** The next page to fetch, relative to the base URL (null: no more). */
  next: string | null;
  pages: number;
  records: number;
  /** Bytes of the output file after the last page written. */
  bytes: number;
  /** The first page (to restart the step if a saved cursor has expired). */
  first: string;
}

export interface PullState {
  version: 1;
  /** The options the pull runs with (JSON): only a rerun with the same options resumes it. */
  fingerprint: string;
  startedAt: string;
  steps: Record<string, StepState>;
  /** Set when the lists step is done. */
  listIds?: string[];
  listNames?: Record<string, string>;
}

/** The folder an unfinished pull of `out` lives in: a hidden sibling, so the final rename stays on one file system. */
export function pullTempDir(out: string): string {
  const abs = resolve(out);
  return join(dirname(abs), `.${basename(abs)}.segment-lens-pull`);
}

/** The saved state of an unfinished pull of `out`, if there is a readable one. */
export function readSavedState(out: string): PullState | undefined {
  try {
    return JSON.parse(readFileSync(join(pullTempDir(out), STATE_FILE), 'utf8')) as PullState;
  } catch {
    return undefined;
  }
}

/** The state of the pull in progress, saved after every page. */
export class Checkpoint {
  private constructor(
    readonly dir: string,
    readonly state: PullState,
    readonly resumed: boolean,
  ) {}

  /**
   * Resumes the interrupted pull in `dir` when it ran with the same options (`fingerprint`) and
   * `fresh` is not set; otherwise empties `dir` and starts a new state. Notes say which.
   */
  static async open(dir: string, fingerprint: string, startedAt: number, fresh: boolean, notes: string[]): Promise<Checkpoint> {
    await mkdir(dirname(dir), { recursive: true });
    let state: PullState | undefined;
    if (existsSync(dir) && !fresh) {
      try {
        const saved = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as PullState;
        if (saved.version === 1 && saved.fingerprint === fingerprint && parseInstant(saved.startedAt) !== undefined) state = saved;
        else notes.push(`Discarded an interrupted pull started ${saved.startedAt} with different options.`);
      } catch {
        // No usable state: start over.
      }
    }
    if (state) {
      const done = Object.values(state.steps).filter((s) => s.done).length;
      notes.push(`Resumed the pull started ${state.startedAt} (${done} step${done === 1 ? '' : 's'} already done).`);
      return new Checkpoint(dir, state, true);
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return new Checkpoint(dir, { version: 1, fingerprint, startedAt: new Date(startedAt).toISOString(), steps: {} }, false);
  }

  /** When the pull (first) started, in epoch milliseconds: events are cut there. */
  get startedAt(): number {
    // Checked when a saved state is resumed; a new state writes it from a number.
    return parseInstant(this.state.startedAt) as number;
  }

  /** Writes the state file atomically (a temporary file and a rename). */
  save(): Promise<void> {
    return writeFileAtomic(join(this.dir, STATE_FILE), JSON.stringify(this.state, null, 1));
  }
}
