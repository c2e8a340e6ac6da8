/**
 * The atomic commit of a pull: the new data/ replaces the old one by renames only once every
 * collection is complete, and the workspace marker is rewritten atomically; a crash between the
 * renames is repaired by the next pull. Also the lock that lets one pull at a time write a folder.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KlaviyoError } from './errors';
import { renameWithRetry, writeFileAtomic } from './files';
import { STATE_FILE } from './pullCheckpoint';
import { isProcessRunning } from '../workspace/processes';

/** The marker file of a workspace (see docs/workspace-format.md). */
export const MARKER = 'klaviyo-workspace.json';
/** What the last completed pull did, kept with the data it describes (`data/`). */
export const PULL_RECORD = 'segment-lens-pull.json';

/** The workspace marker of `out`: whether it exists, and its object when it parses as one. */
export function readMarker(out: string): { exists: boolean; value?: Record<string, unknown> } {
  const path = join(out, MARKER);
  if (!existsSync(path)) return { exists: false };
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return { exists: true, value: typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined };
  } catch {
    return { exists: true };
  }
}

const OLD_DATA_PREFIX = '.segment-lens-old-data-';

/** A commit stopped between its two renames: put the old data back (or drop it if the new one is in place). */
export function recoverInterruptedCommit(out: string): void {
  let names: string[];
  try {
    names = readdirSync(out);
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith(OLD_DATA_PREFIX))) {
    const path = join(out, name);
    if (!existsSync(join(out, 'data'))) renameSync(path, join(out, 'data'));
    else rmSync(path, { recursive: true, force: true });
  }
}

/** Files in data/ the pull writes; anything else found there is carried over to the new data/. */
const OWN_DATA_ENTRIES = new Set([
  'metrics.json',
  'lists.json',
  'profiles.jsonl',
  'profiles.jsonl.gz',
  'events.jsonl',
  'events.jsonl.gz',
  'list-members',
  PULL_RECORD,
]);

/** Puts the pulled workspace in place: a new folder by one rename; an existing one by swapping data/ and rewriting the marker. */
export async function commit(out: string, temp: string, marker: Record<string, unknown>, releaseLock: () => Promise<void>): Promise<void> {
  const newData = join(temp, 'data');
  await rm(join(temp, 'incoming'), { recursive: true, force: true });
  if (!existsSync(out)) {
    // A new workspace: the temporary folder becomes it, in one rename.
    await writeFile(join(temp, MARKER), `${JSON.stringify(marker, null, 2)}\n`, 'utf8');
    await rm(join(temp, STATE_FILE), { force: true });
    await releaseLock();
    await renameWithRetry(temp, out);
    return;
  }
  const oldData = join(out, 'data');
  const parked = join(out, `${OLD_DATA_PREFIX}${Date.now().toString(36)}`);
  if (existsSync(oldData)) {
    for (const name of readdirSync(oldData)) {
      if (!OWN_DATA_ENTRIES.has(name) && !existsSync(join(newData, name))) await renameWithRetry(join(oldData, name), join(newData, name));
    }
    await renameWithRetry(oldData, parked);
  }
  await renameWithRetry(newData, oldData);
  await writeFileAtomic(join(out, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  await rm(parked, { recursive: true, force: true });
  await releaseLock();
  await rm(temp, { recursive: true, force: true });
}

const activeLocks = new Set<string>();

/** One pull per output folder at a time (across processes: a lock file with the pid). */
export async function takeLock(temp: string, out: string): Promise<() => Promise<void>> {
  const lock = join(temp, 'lock');
  if (activeLocks.has(temp)) throw new KlaviyoError('config', `A pull into ${out} is already running.`);
  try {
    const pid = Number((await readFile(lock, 'utf8')).trim());
    if (Number.isInteger(pid) && pid !== process.pid && isProcessRunning(pid))
      throw new KlaviyoError('config', `A pull into ${out} is already running (process ${pid}).`);
  } catch (error) {
    if (error instanceof KlaviyoError) throw error;
  }
  await writeFile(lock, String(process.pid), 'utf8');
  activeLocks.add(temp);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    activeLocks.delete(temp);
    await rm(lock, { force: true });
  };
}
