import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import type { SegmentLanguage } from '../segment/languageService';
import { segmentName, type ParsedSegment } from '../segment/parse';
import { SegmentFileRules } from '../workspace/segmentFiles';
import { readTextFile } from '../workspace/textFiles';

/** A change to a file on disk, as the editor's file watcher reports it. */
export interface FileChange {
  path: string;
  kind: 'created' | 'changed' | 'deleted';
}

interface IndexedFile {
  mtimeMs: number;
  /** Parsed on first use, then kept until the file changes. */
  parsed?: ParsedSegment;
}

/** How long a folder's listing is trusted when the editor cannot report file changes. */
const RESCAN_WITHOUT_WATCHER_MS = 2_000;

/**
 * The segment files under the workspace folders, found once and then kept current from file
 * events (`filesChanged`): for "find references" across files, for knowing which IDs are segment
 * IDs, and for the coverage review. Each file is parsed once per change. Open documents override
 * the files on disk. Which files count is `rules` (the `segmentLens.files` setting).
 */
export class SegmentFileIndex {
  private readonly folders = new Map<string, { files: Map<string, IndexedFile>; scannedAt: number }>();
  private rulesValue = SegmentFileRules.default;
  private version = 0;
  private idsMemo: { key: string; ids: Map<string, { id: string; name: string }> } | undefined;

  /** `watching`: the editor reports file changes, so a listing stays valid until one arrives. */
  constructor(
    private readonly language: SegmentLanguage,
    private readonly watching: () => boolean,
  ) {}

  get rules(): SegmentFileRules {
    return this.rulesValue;
  }

  /** New rules (the setting changed): every folder is listed again on next use. */
  setRules(rules: SegmentFileRules): void {
    if (rules.globs.join('\n') === this.rulesValue.globs.join('\n')) return;
    this.rulesValue = rules;
    this.folders.clear();
    this.version++;
  }

  /** Applies file events: created and changed segment files are read again on next use, deleted ones go. */
  filesChanged(changes: readonly FileChange[]): void {
    for (const change of changes) {
      for (const [root, folder] of this.folders) {
        const inside = change.path === root || change.path.startsWith(`${root}/`) || change.path.startsWith(`${root}\\`);
        if (!inside) continue;
        if (change.kind === 'deleted') {
          // A deleted folder takes its files with it.
          for (const path of [...folder.files.keys()])
            if (path === change.path || path.startsWith(`${change.path}/`) || path.startsWith(`${change.path}\\`)) folder.files.delete(path);
        } else if (this.rulesValue.matches(change.path, root)) {
          folder.files.set(change.path, { mtimeMs: NaN });
        }
        this.version++;
      }
    }
  }

  /** Every segment file under `folders`, as (uri, parsed) pairs, open documents taking precedence. */
  segments(folders: readonly string[], openDocuments: ReadonlyMap<string, ParsedSegment>): { uri: string; parsed: ParsedSegment }[] {
    const out = new Map<string, ParsedSegment>();
    for (const path of this.paths(folders)) {
      const uri = URI.file(path).toString();
      if (out.has(uri)) continue;
      const parsed = openDocuments.get(uri) ?? this.read(path);
      if (parsed) out.set(uri, parsed);
    }
    for (const [uri, parsed] of openDocuments) if (!out.has(uri)) out.set(uri, parsed);
    return [...out.entries()].map(([uri, parsed]) => ({ uri, parsed }));
  }

  /** The segment files under `folders` (paths, sorted, without duplicates). */
  paths(folders: readonly string[]): string[] {
    const paths = new Set<string>();
    for (const folder of folders) for (const path of this.folder(resolve(folder)).files.keys()) paths.add(path);
    return [...paths].sort();
  }

  /** Segment IDs (from resource files and update bodies) with the segment's name, open documents taking precedence. */
  segmentIds(folders: readonly string[], openDocuments: ReadonlyMap<string, ParsedSegment>): Map<string, string> {
    const ids = new Map<string, string>();
    for (const [uri, entry] of this.diskIds(folders)) if (!openDocuments.has(uri)) ids.set(entry.id, entry.name);
    for (const [uri, parsed] of openDocuments) {
      const entry = segmentIdOf(uri, parsed);
      if (entry) ids.set(entry.id, entry.name);
    }
    return ids;
  }

  /** The segment IDs of the files on disk by URI, computed again only after a file changed. */
  private diskIds(folders: readonly string[]): Map<string, { id: string; name: string }> {
    const paths = this.paths(folders);
    const key = `${this.version}\n${folders.join('\n')}`;
    if (this.idsMemo?.key === key) return this.idsMemo.ids;
    const ids = new Map<string, { id: string; name: string }>();
    for (const path of paths) {
      const uri = URI.file(path).toString();
      const parsed = this.read(path);
      const entry = parsed && segmentIdOf(uri, parsed);
      if (entry) ids.set(uri, entry);
    }
    this.idsMemo = { key, ids };
    return ids;
  }

  private folder(root: string): { files: Map<string, IndexedFile>; scannedAt: number } {
    let folder = this.folders.get(root);
    const stale = folder && !this.watching() && Date.now() - folder.scannedAt > RESCAN_WITHOUT_WATCHER_MS;
    if (!folder || stale) {
      const previous = folder?.files;
      const files = new Map<string, IndexedFile>();
      for (const path of this.rulesValue.find(root)) files.set(path, previous?.get(path) ?? { mtimeMs: NaN });
      folder = { files, scannedAt: Date.now() };
      this.folders.set(root, folder);
      this.version++;
    }
    return folder;
  }

  private read(path: string): ParsedSegment | undefined {
    const entry = this.entryOf(path);
    try {
      // With a watcher, a file's parse is kept until an event says it changed; without one, until its mtime changes.
      if (entry?.parsed && (this.watching() || statSync(path).mtimeMs === entry.mtimeMs)) return entry.parsed;
      const mtimeMs = statSync(path).mtimeMs;
      const parsed = this.language.parse(readTextFile(path));
      if (entry) {
        entry.mtimeMs = mtimeMs;
        entry.parsed = parsed;
      }
      return parsed;
    } catch {
      // A file that vanished between listing and reading is simply not indexed.
      for (const folder of this.folders.values()) folder.files.delete(path);
      return undefined;
    }
  }

  private entryOf(path: string): IndexedFile | undefined {
    for (const folder of this.folders.values()) {
      const entry = folder.files.get(path);
      if (entry) return entry;
    }
    return undefined;
  }
}

/** The segment ID a file declares (a resource file or an update body), with the segment's name. */
function segmentIdOf(uri: string, parsed: ParsedSegment): { id: string; name: string } | undefined {
  const value = parsed.value as { id?: unknown; data?: { id?: unknown } } | undefined;
  const id = parsed.shape === 'resource' ? value?.id : parsed.shape === 'update-body' ? value?.data?.id : undefined;
  return typeof id === 'string' ? { id, name: segmentName(parsed) ?? basename(URI.parse(uri).fsPath) } : undefined;
}
