import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';

/**
 * Reading the workspace's and the user's text files the same way everywhere: UTF-8 without a
 * leading byte order mark (Windows editors write one; JSON.parse rejects it), and only regular
 * files (a FIFO would block the read forever, a device would never end).
 */

/** The byte order mark of UTF-8 as it reads in a decoded text. */
const BOM = 0xfeff;

/** The text without a leading byte order mark. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** The error for a path that exists but is not a regular file (a FIFO, a device, a folder). */
export class NotARegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor() {
    super('not a regular file');
  }
}

/**
 * Opens a regular file for reading, returning its descriptor and size; throws (and closes it)
 * when the path is something else. Opened non-blocking: opening a FIFO for reading would
 * otherwise wait for a writer before the check could run.
 */
export function openRegularFile(path: string): { fd: number; size: number } {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new NotARegularFileError();
    return { fd, size: stats.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads a regular UTF-8 text file without its byte order mark; throws like `readFileSync`. */
export function readTextFile(path: string): string {
  const { fd } = openRegularFile(path);
  try {
    return withoutBom(readFileSync(fd, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

/**
 * What is wrong with text that is not valid JSON, without quoting it (a warning must not echo a
 * file's contents): the first error in words ("property name expected") and its offset.
 */
export function describeJsonError(text: string): { problem: string; offset: number } {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return { problem: 'not JSON', offset: 0 };
  const words = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return { problem: words, offset: first.offset };
}
