import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Walks from `start` (a folder, or the folder of a file) up to the file system's root and returns
 * the first answer `look` gives for a folder (undefined: none did).
 */
export function searchUpwards<T>(start: string, look: (dir: string) => T | undefined): T | undefined {
  let dir = resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    const found = look(dir);
    if (found !== undefined) return found;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
