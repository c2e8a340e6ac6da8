import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** The size of a file in bytes, 0 when it does not exist. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Writes a file whole or not at all: a temporary sibling, then a rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await writeFile(temp, text, 'utf8');
    await renameWithRetry(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * `rename`, retried briefly on the transient errors Windows gives while a watcher or indexer
 * has the file open.
 */
export async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 8 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}

/** `path` if it exists, else `path.gz`, else undefined (the loader's rule for .jsonl files). */
export function existingDataFile(path: string): string | undefined {
  if (existsSync(path)) return path;
  if (existsSync(`${path}.gz`)) return `${path}.gz`;
  return undefined;
}

/** The lines of a text file (gunzipped when it ends in .gz), streamed. */
export async function* readLines(path: string): AsyncGenerator<string> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
    raw.destroy();
  }
}

const ID_PREFIX = /^\{"type":"[^"\\]*","id":"([^"\\]*)"/;

/** The `id` of a JSONL resource line (fast path for lines as the API writes them). */
export function lineId(line: string): string | undefined {
  const match = ID_PREFIX.exec(line);
  if (match) return match[1];
  try {
    const value = JSON.parse(line) as { id?: unknown };
    return typeof value === 'object' && value !== null && typeof value.id === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}

/** The ids of every line of a JSONL file. */
export async function collectIds(path: string | undefined): Promise<Set<string>> {
  const ids = new Set<string>();
  if (!path) return ids;
  for await (const line of readLines(path)) {
    const id = line.trim() ? lineId(line) : undefined;
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/**
 * Writes `out` = the lines of `previous` whose id is not in `incoming`, then every line of
 * `incoming` (newer records replace older ones by id). Returns the number of records written.
 * `keep`, when given, drops lines of ids it rejects.
 */
export async function mergeById(
  previous: string | undefined,
  incoming: string | undefined,
  out: string,
  keep?: (id: string) => boolean,
): Promise<{ records: number; replaced: number; added: number }> {
  const replacing = await collectIds(incoming);
  await mkdir(dirname(out), { recursive: true });
  const stream = createWriteStream(out, { encoding: 'utf8' });
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  const write = async (text: string) => {
    if (!stream.write(text)) await new Promise<void>((r) => stream.once('drain', r));
  };
  let records = 0;
  let replaced = 0;
  let added = 0;
  try {
    if (previous) {
      for await (const line of readLines(previous)) {
        if (!line.trim()) continue;
        const id = lineId(line);
        if (id !== undefined && replacing.has(id)) {
          replaced++;
          continue;
        }
        if (id !== undefined && keep && !keep(id)) continue;
        await write(`${line}\n`);
        records++;
      }
    }
    if (incoming) {
      for await (const line of readLines(incoming)) {
        if (!line.trim()) continue;
        await write(`${line}\n`);
        records++;
      }
    }
  } finally {
    stream.end();
    await done;
  }
  added = replacing.size - replaced;
  return { records, replaced, added: Math.max(0, added) };
}

/**
 * Appends records to a collection file, so that a crash can resume exactly: the caller records
 * `bytes` after each page, and reopening truncates the file back to it.
 * - `jsonl`: one resource per line.
 * - `json-document`: `{"data": [ ... ]}` written as it goes, closed by `finish()`.
 */
export class RecordWriter {
  private constructor(
    private readonly handle: FileHandle,
    readonly format: 'jsonl' | 'json-document',
    public bytes: number,
    private count: number,
  ) {}

  static async open(path: string, format: 'jsonl' | 'json-document', resume: { bytes: number; records: number }): Promise<RecordWriter> {
    await mkdir(dirname(path), { recursive: true });
    let size = 0;
    try {
      size = (await stat(path)).size;
    } catch {
      size = 0;
    }
    // Bytes written after the last recorded page (a crash between the two) are cut off.
    if (size < resume.bytes) throw new Error(`${path} is shorter than recorded; the collection must start over`);
    if (size > resume.bytes) await truncate(path, resume.bytes);
    const handle = await open(path, resume.bytes === 0 ? 'w' : 'a');
    const writer = new RecordWriter(handle, format, resume.bytes, resume.bytes === 0 ? 0 : resume.records);
    if (resume.bytes === 0 && format === 'json-document') await writer.raw('{"data": [\n');
    return writer;
  }

  private async raw(text: string): Promise<void> {
    const buffer = Buffer.from(text, 'utf8');
    await this.handle.write(buffer);
    this.bytes += buffer.length;
  }

  async append(records: readonly unknown[]): Promise<void> {
    if (records.length === 0) return;
    let text = '';
    for (const record of records) {
      const json = JSON.stringify(record);
      if (this.format === 'jsonl') text += `${json}\n`;
      else text += `${this.count === 0 ? '' : ',\n'}  ${json}`;
      this.count++;
    }
    await this.raw(text);
  }

  async finish(): Promise<void> {
    if (this.format === 'json-document') await this.raw(`${this.count === 0 ? '' : '\n'}]}\n`);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
