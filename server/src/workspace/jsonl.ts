import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** A line that was skipped: not JSON, or not a resource. */
export interface SkippedLine {
  line: number;
  code: 'broken-line' | 'not-a-resource';
  message: string;
}

/** How many skipped lines are reported one by one per file; the rest are summarised. */
export const REPORTED_LINES = 20;

/**
 * Skipped lines of one file, kept in order of line: the first `REPORTED_LINES` of each kind
 * individually and a count of the rest, so a corrupt file cannot flood the editor. Parts of a
 * file read on other threads merge with `merge`.
 */
export class SkippedLines {
  readonly first: SkippedLine[] = [];
  readonly counts = { 'broken-line': 0, 'not-a-resource': 0 };

  add(skipped: SkippedLine): void {
    if (this.counts[skipped.code]++ < REPORTED_LINES) this.first.push(skipped);
  }

  merge(other: { first: SkippedLine[]; counts: Record<SkippedLine['code'], number> }): void {
    this.first.push(...other.first);
    this.counts['broken-line'] += other.counts['broken-line'];
    this.counts['not-a-resource'] += other.counts['not-a-resource'];
  }

  /** The lines to report in order, at most `REPORTED_LINES` of each kind, and summaries of the rest. */
  report(): { lines: SkippedLine[]; more: { code: SkippedLine['code']; count: number }[] } {
    const sorted = [...this.first].sort((a, b) => a.line - b.line);
    const shown = { 'broken-line': 0, 'not-a-resource': 0 };
    const lines = sorted.filter((skipped) => shown[skipped.code]++ < REPORTED_LINES);
    const more = (['broken-line', 'not-a-resource'] as const)
      .map((code) => ({ code, count: this.counts[code] - shown[code] }))
      .filter(({ count }) => count > 0);
    return { lines, more };
  }
}

/**
 * Parses the lines of a block of whole lines. `firstLine` is the 1-based line of its first byte.
 * Returns the number of lines (newlines, plus a last line without one).
 */
export function parseLines(block: Buffer, firstLine: number, onRecord: (value: unknown, line: number) => void, skipped: SkippedLines): number {
  let line = firstLine - 1;
  let start = 0;
  while (start < block.length) {
    let end = block.indexOf(10, start);
    if (end === -1) end = block.length;
    line++;
    // Tolerate Windows line ends.
    const stop = end > start && block[end - 1] === 13 ? end - 1 : end;
    if (stop > start) {
      const text = block.toString('utf8', start, stop);
      let value: unknown;
      let parsed = true;
      try {
        value = JSON.parse(text);
      } catch (error) {
        parsed = false;
        if (text.trim() !== '') skipped.add({ line, code: 'broken-line', message: `Line ${line} is not valid JSON (${(error as Error).message}); skipped.` });
      }
      if (parsed) onRecord(value, line);
    }
    start = end + 1;
  }
  return line - firstLine + 1;
}

/** Counts the lines of a block of whole lines (as `parseLines` numbers them). */
export function countLines(block: Buffer): number {
  let lines = 0;
  for (let at = block.indexOf(10); at !== -1; at = block.indexOf(10, at + 1)) lines++;
  return block.length > 0 && block[block.length - 1] !== 10 ? lines + 1 : lines;
}

export interface JsonlReadOptions {
  /** Checked between blocks; return true to abandon the read. */
  isCancelled?: () => boolean;
  onProgress?: (bytes: number, totalBytes: number) => void;
  /**
   * Offered each block of whole lines (numbered from 0) before it is parsed here; returns true
   * when it took the block (another thread parses it), false to parse it on this thread.
   */
  offer?: (block: Buffer, firstLine: number, index: number) => boolean;
  /** Called after a block was parsed on this thread. */
  parsedHere?: (index: number) => void;
}

/**
 * Streams a JSONL file (or .jsonl.gz) in blocks of whole lines cut from the stream's byte chunks
 * (faster than readline): never holds the whole file in memory. Returns undefined when the file
 * cannot be read at all (`unreadable`) or stops part way (`stopped`: the records before are kept).
 */
export async function readJsonl(path: string, onRecord: (value: unknown, line: number) => void, skipped: SkippedLines, options: JsonlReadOptions = {}): Promise<{ unreadable?: string; stopped?: { line: number; message: string } }> {
  let totalBytes = 0;
  try {
    totalBytes = statSync(path).size;
  } catch (error) {
    return { unreadable: (error as Error).message };
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = path.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  // pipe() does not forward errors: a file that vanishes mid-read must end the gunzip stream too.
  if (stream !== raw) raw.on('error', (error) => stream.destroy(error));
  let nextLine = 1;
  let blocks = 0;
  const handle = (block: Buffer): void => {
    const index = blocks++;
    if (options.offer?.(block, nextLine, index)) {
      nextLine += countLines(block);
    } else {
      nextLine += parseLines(block, nextLine, onRecord, skipped);
      options.parsedHere?.(index);
    }
  };
  let rest: Buffer | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      const last = buffer.lastIndexOf(10);
      if (last === -1) {
        rest = buffer;
        continue;
      }
      handle(buffer.subarray(0, last + 1));
      rest = last + 1 < buffer.length ? buffer.subarray(last + 1) : undefined;
      options.onProgress?.(raw.bytesRead, totalBytes);
      if (options.isCancelled?.()) {
        raw.destroy();
        return {};
      }
    }
    if (rest) handle(rest);
  } catch (error) {
    raw.destroy();
    return { stopped: { line: nextLine - 1, message: (error as Error).message } };
  }
  options.onProgress?.(totalBytes, totalBytes);
  return {};
}

/** Records a line that is JSON but not a resource of the expected kind. */
export function notAResource(kind: string, line: number, skipped: SkippedLines): void {
  skipped.add({ line, code: 'not-a-resource', message: `Line ${line} is not a ${kind} resource (an object with an "id"); skipped.` });
}
