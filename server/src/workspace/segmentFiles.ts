import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import picomatch from 'picomatch';
import { searchUpwards } from './folders';
import { readTextFile } from './textFiles';

/**
 * Which files hold segment definitions: the one answer the server, the CLI and the client share.
 * It is the `segmentLens.files` setting (globs), by default every `*.segment.json` and every
 * `.json` inside a folder named `segments`.
 */
export const DEFAULT_SEGMENT_GLOBS: readonly string[] = ['**/*.segment.json', '**/segments/**/*.json'];

/** Folders never searched for segment files (besides hidden ones). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'out', 'dist']);

/** The `segmentLens.files` globs, compiled. */
export class SegmentFileRules {
  static readonly default = new SegmentFileRules(DEFAULT_SEGMENT_GLOBS);
  private readonly test: (path: string) => boolean;

  /** Globs as VS Code matches them: against the path relative to a workspace folder, or the whole path (`**` patterns). */
  constructor(readonly globs: readonly string[]) {
    const usable = globs.filter((glob) => typeof glob === 'string' && glob.trim() !== '');
    this.test = usable.length
      ? picomatch(
          usable.map((glob) => glob.replace(/\\/g, '/')),
          { dot: true },
        )
      : () => false;
  }

  /** Rules from a settings value: the globs when it is a non-empty list of texts, else the default. */
  static from(value: unknown): SegmentFileRules {
    if (!Array.isArray(value) || value.length === 0 || !value.every((glob) => typeof glob === 'string')) return SegmentFileRules.default;
    return value.join('\n') === DEFAULT_SEGMENT_GLOBS.join('\n') ? SegmentFileRules.default : new SegmentFileRules(value);
  }

  /** Whether the file at `path` holds segment definitions, for a workspace folder `root` (default: none). */
  matches(path: string, root?: string): boolean {
    const whole = path.split(sep).join('/');
    if (this.test(whole) || this.test(whole.replace(/^\/+/, ''))) return true;
    if (root === undefined) return false;
    const inside = relative(root, path);
    return !inside.startsWith('..') && this.test(inside.split(sep).join('/'));
  }

  /** The segment files under `dir` (recursively, sorted): regular files only, skipping hidden and build folders. */
  find(dir: string, root = dir): string[] {
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
        } else if (entry.isFile() && this.matches(path, root)) {
          found.push(path);
        }
      }
    };
    walk(resolve(dir));
    return found.sort();
  }

  /**
   * CLI arguments: files as given, folders to the segment files inside them. `missing`: the
   * arguments that do not exist or are neither a folder nor a regular file.
   */
  expand(args: readonly string[]): { files: string[]; missing: string[] } {
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
      // A FIFO or a device given by name would block or never end: only regular files are read.
      if (stats.isDirectory()) files.push(...this.find(arg));
      else if (stats.isFile()) files.push(arg);
      else missing.push(arg);
    }
    return { files, missing };
  }

  /**
   * Where a new segment file named `<base>.json` goes so that these rules match it: the reviewed
   * folder when it is a segments folder, a `segments` folder in it or in the workspace, the folder
   * holding most of the existing segment files, else a new `segments` folder. A name that the
   * rules do not match there becomes `<base>.segment.json`.
   */
  newFilePath(dir: string, root: string, existing: readonly string[], base: string): string {
    const folders: string[] = [];
    if (basename(dir) === 'segments') folders.push(dir);
    for (const candidate of [join(dir, 'segments'), join(root, 'segments')])
      if (existsSync(candidate) && statSync(candidate).isDirectory()) folders.push(candidate);
    const byFolder = new Map<string, number>();
    for (const file of existing) byFolder.set(dirname(file), (byFolder.get(dirname(file)) ?? 0) + 1);
    folders.push(...[...byFolder.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length).map(([folder]) => folder));
    folders.push(join(dir, 'segments'), dir);
    for (const folder of folders) {
      for (const name of [`${base}.json`, `${base}.segment.json`]) {
        const path = join(folder, name);
        if (this.matches(path, root)) return path;
      }
    }
    return join(folders[0], `${base}.segment.json`);
  }
}

/** Whether `path` is a segment file by the default rules. */
export function isSegmentFilePath(path: string): boolean {
  return SegmentFileRules.default.matches(path);
}

/** Segment files under `dir` (recursively, sorted), by `rules`. */
export function findSegmentFiles(dir: string, rules: SegmentFileRules = SegmentFileRules.default): string[] {
  return rules.find(dir);
}

/** Expands CLI arguments: files as given, folders to the segment files inside them. */
export function expandSegmentArguments(args: readonly string[], rules: SegmentFileRules = SegmentFileRules.default): { files: string[]; missing: string[] } {
  return rules.expand(args);
}

/** Expands CLI arguments, each by the rules of the folder it is in (`segmentFileRulesFor`). */
export function expandWithSettings(args: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const arg of args) {
    const expanded = segmentFileRulesFor(arg).expand([arg]);
    files.push(...expanded.files);
    missing.push(...expanded.missing);
  }
  return { files, missing };
}

/**
 * The rules the editor would use for files under `start`: `segmentLens.files` from the nearest
 * `.vscode/settings.json` at or above it (the CLI reads it so that it agrees with VS Code), else
 * the default.
 */
export function segmentFileRulesFor(start: string): SegmentFileRules {
  const rules = searchUpwards(start, (dir) => {
    const settings = join(dir, '.vscode', 'settings.json');
    if (!existsSync(settings)) return undefined;
    try {
      const value: unknown = parseJsonc(readTextFile(settings));
      const files = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['segmentLens.files'] : undefined;
      return files === undefined ? undefined : SegmentFileRules.from(files);
    } catch {
      return undefined; // An unreadable settings file sets nothing: keep looking above it.
    }
  });
  return rules ?? SegmentFileRules.default;
}
