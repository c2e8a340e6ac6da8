import { statSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Paths as the CLI prints them. A file name may hold any character but "/" and NUL: a newline in
 * one would print as a line of its own and could forge a `path:line:col: error: ...` diagnostic,
 * and other control characters could move the cursor or recolour the terminal.
 */

/** The JSON escapes of the common control characters; the others print as \uXXXX. */
const NAMED_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

/** Whether a character code is a control character (C0, DEL, C1) or a Unicode line or paragraph separator. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/**
 * A path with its control characters written as JSON-style escapes (`bad\nname.json`), so it
 * prints on one line and moves no cursor. Applying it twice changes nothing, so a caller may pass
 * on a path that is printable already.
 */
export function printablePath(path: string): string {
  let printable = '';
  let from = 0;
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (!isControl(code)) continue;
    printable += path.slice(from, i) + (NAMED_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`);
    from = i + 1;
  }
  return from === 0 ? path : printable + path.slice(from);
}

/** A path relative to the current folder (as given when it is the folder itself), printable. */
export function shownPath(path: string): string {
  return printablePath(relative(process.cwd(), path) || path);
}

/**
 * The usage error for paths given on the command line that cannot be read: missing, or not a
 * regular file or folder (a FIFO would block the read forever).
 */
export function unusablePathsMessage(paths: readonly string[]): string {
  const exists = (path: string): boolean => {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  };
  const notFiles = paths.filter(exists);
  const missing = paths.filter((path) => !notFiles.includes(path));
  return [
    missing.length ? `no such file or folder: ${missing.map(printablePath).join(', ')}` : '',
    notFiles.length ? `not a regular file: ${notFiles.map(printablePath).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
