import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The default rule for which files hold segment definitions (the extension's default
 * `segmentLens.files` globs): `*.segment.json` anywhere, and any `.json` inside a folder
 * named `segments`.
 */
export function isSegmentFilePath(path: string): boolean {
  const name = basename(path);
  if (name.endsWith('.segment.json')) return true;
  return name.endsWith('.json') && path.split(/[\\/]/).slice(0, -1).includes('segments');
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'out', 'dist']);

/** Segment files under `dir` (recursively, sorted), by `isSegmentFilePath`. */
export function findSegmentFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return; // A folder that vanished or cannot be read holds no segment files.
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) walk(path);
      } else if (entry.isFile() && isSegmentFilePath(path)) {
        found.push(path);
      }
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * Expands CLI arguments: files as given, folders to the segment files inside them. `missing`:
 * the arguments that do not exist or are neither a folder nor a regular file (reading a FIFO or a
 * device would block or never end).
 */
export function expandSegmentArguments(args: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const arg of args) {
    let stats;
    try {
      stats = statSync(arg);
    } catch {
      missing.push(arg);
      continue;
    }
    if (stats.isDirectory()) files.push(...findSegmentFiles(arg));
    else if (stats.isFile()) files.push(arg);
    else missing.push(arg);
  }
  return { files, missing };
}

