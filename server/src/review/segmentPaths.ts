import type { SegmentFileRules } from '../workspace/segmentFiles';

/**
 * Folders that `validate` and `evaluate` do not walk into (see findSegmentFiles in
 * segmentFiles.ts): the same rule applies to the paths git reports, so `diff` sees the same
 * segment files in a folder as `validate` does.
 */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'out', 'dist']);

/** What the user asked about: files by name, or every segment file under a folder. */
export interface PathSelection {
  /** Repository-relative paths (with `/`) of the files named explicitly. */
  files: string[];
  /** Repository-relative folders (`.` for the whole repository) to take segment files from. */
  folders: string[];
}

function isUnderFolder(path: string, folder: string): string | undefined {
  if (folder === '.') return path;
  return path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : undefined;
}

/**
 * Whether a repository-relative path is selected: named as a file, or a segment file (by `rules`,
 * relative to the repository) under a named folder that is not inside a skipped or hidden folder
 * below it.
 */
export function isSelectedSegmentPath(path: string, selection: PathSelection, rules: SegmentFileRules): boolean {
  if (selection.files.includes(path)) return true;
  if (!rules.matches(path)) return false;
  return selection.folders.some((folder) => {
    const inside = isUnderFolder(path, folder);
    if (inside === undefined) return false;
    const folders = inside.split('/').slice(0, -1);
    return !folders.some((name) => SKIPPED_FOLDERS.has(name) || name.startsWith('.'));
  });
}
