import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SegmentLanguage } from '../segment/languageService';
import { segmentName, type ParsedSegment } from '../segment/parse';
import { findSegmentFiles } from '../workspace/segmentFiles';
import { readTextFile } from '../workspace/textFiles';

interface IndexedFile {
  mtimeMs: number;
  parsed: ParsedSegment;
}

/**
 * The segment files under a folder, parsed once per modification: for "find references" across
 * files and for knowing which IDs are segment IDs. Open documents override the files on disk.
 */
export class SegmentFileIndex {
  private readonly files = new Map<string, IndexedFile>();

  constructor(private readonly language: SegmentLanguage) {}

  /** Every segment file under `folders`, as (uri, parsed) pairs, open documents taking precedence. */
  segments(folders: readonly string[], openDocuments: ReadonlyMap<string, ParsedSegment>): { uri: string; parsed: ParsedSegment }[] {
    const out = new Map<string, ParsedSegment>();
    for (const folder of folders) {
      for (const path of findSegmentFiles(folder)) {
        const uri = pathToFileURL(path).toString();
        if (out.has(uri)) continue;
        const open = openDocuments.get(uri);
        if (open) {
          out.set(uri, open);
          continue;
        }
        const parsed = this.read(path);
        if (parsed) out.set(uri, parsed);
      }
    }
    for (const [uri, parsed] of openDocuments) if (!out.has(uri)) out.set(uri, parsed);
    return [...out.entries()].map(([uri, parsed]) => ({ uri, parsed }));
  }

  /** Segment IDs (from resource files and update bodies) with the segment's name. */
  segmentIds(folders: readonly string[], openDocuments: ReadonlyMap<string, ParsedSegment>): Map<string, string> {
    const ids = new Map<string, string>();
    for (const { uri, parsed } of this.segments(folders, openDocuments)) {
      const value = parsed.value as { id?: unknown; data?: { id?: unknown } } | undefined;
      const id = parsed.shape === 'resource' ? value?.id : parsed.shape === 'update-body' ? value?.data?.id : undefined;
      if (typeof id === 'string') ids.set(id, segmentName(parsed) ?? basename(decodeURIComponent(uri)));
    }
    return ids;
  }

  private read(path: string): ParsedSegment | undefined {
    try {
      const mtimeMs = statSync(path).mtimeMs;
      const cached = this.files.get(path);
      if (cached && cached.mtimeMs === mtimeMs) return cached.parsed;
      const parsed = this.language.parse(readTextFile(path));
      this.files.set(path, { mtimeMs, parsed });
      return parsed;
    } catch {
      // A file that vanished between listing and reading is simply not indexed.
      this.files.delete(path);
      return undefined;
    }
  }
}
