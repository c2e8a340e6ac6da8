import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { LineText } from '../engine/eventLine';
import type { RecordProblem } from '../engine/workspace';
import { describeJsonError, openRegularFile } from './textFiles';

/** A problem with one line of a file: not JSON, or a record (or a value in it) the builder did not keep. */
export interface LineProblem {
  line: number;
  code: 'broken-line' | RecordProblem['code'];
  message: string;
}

export const LINE_PROBLEM_CODES = ['broken-line', 'not-a-resource', 'wrong-type', 'dropped-event'] as const satisfies readonly LineProblem['code'][];

/** How many problems of each kind are reported one by one per file; the rest are summarised. */
export const REPORTED_LINES = 20;

/** `LineProblems` as plain data, as a load thread posts it (see `LineProblems.merge`). */
export interface LineProblemsReport {
  first: LineProblem[];
  counts: Record<LineProblem['code'], number>;
}

/**
 * Problems with the lines of one file, kept in order of line: the first `REPORTED_LINES` of each
 * kind individually and a count of the rest, so a corrupt file cannot flood the editor. Parts of
 * a file read on other threads merge with `merge`. The builder reports into it directly.
 */
export class LineProblems {
  readonly first: LineProblem[] = [];
  readonly counts: Record<LineProblem['code'], number> = { 'broken-line': 0, 'not-a-resource': 0, 'wrong-type': 0, 'dropped-event': 0 };

  add(problem: LineProblem): void {
    if (this.counts[problem.code]++ < REPORTED_LINES) this.first.push(problem);
  }

  merge(other: LineProblemsReport): void {
    this.first.push(...other.first);
    for (const code of LINE_PROBLEM_CODES) this.counts[code] += other.counts[code];
  }

  /** As plain data, to post to another thread. */
  toReport(): LineProblemsReport {
    return { first: this.first, counts: this.counts };
  }

  /**
   * The problems to report in order of line (several on one line in the order they were found),
   * at most `REPORTED_LINES` of each kind, and how many more of each kind there were.
   */
  report(): { lines: LineProblem[]; more: { code: LineProblem['code']; count: number }[] } {
    const sorted = [...this.first].sort((a, b) => a.line - b.line);
    const shown: Record<LineProblem['code'], number> = { 'broken-line': 0, 'not-a-resource': 0, 'wrong-type': 0, 'dropped-event': 0 };
    // Each part of a file read on another thread kept its own first ones: keep the file's first.
    const lines = sorted.filter((problem) => {
      if (shown[problem.code] === REPORTED_LINES) return false;
      shown[problem.code]++;
      return true;
    });
    const more = LINE_PROBLEM_CODES.map((code) => ({ code, count: this.counts[code] - shown[code] })).filter(({ count }) => count > 0);
    return { lines, more };
  }
}

/**
 * Takes a line from its bytes [start, end) of `block` without `JSON.parse` when it can (see
 * `WorkspaceBuilder.addEventLine`): true when it took it, false to leave it to `JSON.parse` and
 * `onRecord`. `text` decodes bytes of the block.
 */
export type LineReader = (block: Buffer, start: number, end: number, line: number, text: LineText) => boolean;

/**
 * Parses the lines of a block of whole lines. `firstLine` is the 1-based line of its first byte.
 * Returns the number of lines (newlines, plus a last line without one). `read`, when given, is
 * offered each line first.
 */
export function parseLines(
  block: Buffer,
  firstLine: number,
  onRecord: (value: unknown, line: number) => void,
  problems: LineProblems,
  read?: LineReader,
): number {
  let line = firstLine - 1;
  let start = 0;
  const text: LineText = (from, to, ascii) => block.toString(ascii ? 'latin1' : 'utf8', from, to);
  while (start < block.length) {
    let end = block.indexOf(10, start);
    if (end === -1) end = block.length;
    line++;
    // Tolerate Windows line ends.
    const stop = end > start && block[end - 1] === 13 ? end - 1 : end;
    if (stop > start && !read?.(block, start, stop, line, text)) {
      const lineText = block.toString('utf8', start, stop);
      let value: unknown;
      let parsed = true;
      try {
        value = JSON.parse(lineText);
      } catch {
        parsed = false;
        // The parser's own message quotes the line: describe the error without it.
        if (lineText.trim() !== '') {
          const { problem, offset } = describeJsonError(lineText);
          problems.add({ line, code: 'broken-line', message: `Line ${line} is not valid JSON (${problem} at column ${offset + 1}); skipped.` });
        }
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
  /** Offered each line parsed on this thread first (see `parseLines`). */
  read?: LineReader;
}

/**
 * Streams a JSONL file (or .jsonl.gz) in blocks of whole lines cut from the stream's byte chunks
 * (faster than readline): never holds the whole file in memory. Returns undefined when the file
 * cannot be read at all (`unreadable`) or stops part way (`stopped`: the records before are kept).
 */
export async function readJsonl(
  path: string,
  onRecord: (value: unknown, line: number) => void,
  problems: LineProblems,
  options: JsonlReadOptions = {},
): Promise<{ unreadable?: string; stopped?: { line: number; message: string } }> {
  let file: { fd: number; size: number };
  try {
    file = openRegularFile(path);
  } catch (error) {
    return { unreadable: (error as Error).message };
  }
  const totalBytes = file.size;
  const raw = createReadStream(path, { fd: file.fd, highWaterMark: 1 << 20 });
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
      nextLine += parseLines(block, nextLine, onRecord, problems, options.read);
      options.parsedHere?.(index);
    }
  };
  let rest: Buffer | undefined;
  try {
    for await (const chunk of withoutLeadingBom(stream as AsyncIterable<Buffer>)) {
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

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The chunks of a file without the UTF-8 byte order mark at its very start (and only there: the
 * blocks cut from the chunks later are lines, where those bytes are a broken line).
 */
async function* withoutLeadingBom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of chunks) {
    if (!head) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    // Fewer bytes than a mark that could still become one: wait for more.
    if (head.length < UTF8_BOM.length && UTF8_BOM.subarray(0, head.length).equals(head)) continue;
    const rest = head.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? head.subarray(UTF8_BOM.length) : head;
    head = undefined;
    if (rest.length > 0) yield rest;
  }
  if (head && head.length > 0) yield head;
}
