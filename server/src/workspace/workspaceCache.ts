import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Bitset } from '../engine/bitset';
import type { WorkspaceSummary } from '../engine/catalog';
import { Column, type SerializedColumn } from '../engine/column';
import { SharedIdIndex } from '../engine/sharedIdIndex';
import { Workspace, type ListInfo, type MetricEvents, type MetricInfo, type WorkspaceIssues } from '../engine/workspace';
import type { InstantFormat } from '../engine/time';
import type { LoadWarning } from './loadWorkspace';

/**
 * The engine's on-disk cache of a loaded workspace: columns and typed arrays written as binary
 * blobs, so a later load skips parsing JSONL. It lives outside the user's folders (the
 * extension writes nothing there) and is keyed by every data file's path, size and modification
 * time: any change to the data makes a new key. A key starts with a hash of the workspace's root,
 * so writing an entry removes the older entries of the same workspace (a 1M-profile workspace's
 * entry is about 1 GB).
 */
const MAGIC = 0x43574c53; // "SLWC"
const FORMAT_VERSION = 6;

export function cacheDirectory(): string {
  return process.env.SEGMENT_LENS_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'segment-lens', 'workspaces');
}

/**
 * The cache key of a workspace: its root and each data file's identity, and the `version` of what
 * is stored under it (this cache's format by default; the DuckDB engine's databases pass theirs).
 */
export function cacheKey(root: string, files: readonly string[], version = `v${FORMAT_VERSION}`): string | undefined {
  const rootHash = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const hash = createHash('sha256').update(`${version}\0${root}`);
  for (const file of [...files].sort()) {
    try {
      const stats = statSync(file);
      hash.update(`\0${file}\0${stats.size}\0${stats.mtimeMs}`);
    } catch {
      return undefined;
    }
  }
  return `${rootHash}-${hash.digest('hex').slice(0, 32)}`;
}

/** Removes the other entries of the workspace `key` belongs to, and its writes abandoned an hour ago. */
function removeOlderEntries(dir: string, key: string): void {
  const prefix = key.slice(0, key.indexOf('-') + 1);
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || name === `${key}.bin`) continue;
    const path = join(dir, name);
    try {
      if (name.endsWith('.bin') || Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

type BlobKind = 'json' | 'utf8' | 'i32' | 'f64' | 'u32' | 'u16' | 'u8';
interface BlobRef {
  kind: BlobKind;
  offset: number;
  length: number;
}
type ColumnRef =
  | { kind: 'dict'; rows: number; present: number; codes: BlobRef; dict: BlobRef }
  | { kind: 'strings'; rows: number; present: number; text: BlobRef; offsets: BlobRef; flags: BlobRef }
  | { kind: 'numbers'; rows: number; present: number; values: BlobRef }
  | { kind: 'instants'; rows: number; present: number; values: BlobRef; format: InstantFormat }
  | { kind: 'raw'; rows: number; present: number; values: BlobRef };

interface Header {
  version: number;
  name: string;
  files: string[];
  warnings: LoadWarning[];
  issues: WorkspaceIssues;
  /** The profile IDs' table (`SharedIdIndex`): units (u8 or u16), offsets, hash slots. */
  profileIds: { units: BlobRef; offsets: BlobRef; slots: BlobRef };
  profileColumns: { key: string; column: ColumnRef }[];
  metrics: MetricInfo[];
  events: { offsets: BlobRef; times: BlobRef; count: number; firstTime?: number; lastTime?: number; properties: { name: string; column: ColumnRef }[] }[];
  lists: ListInfo[];
  memberships: { members: BlobRef; joinedAt: BlobRef }[];
  /** What the language features know of the workspace (computing it reads every column). */
  summary: WorkspaceSummary;
}

/** Writes blobs to a file, 8-byte aligned, remembering where each one is. */
function* jsonArrayParts(values: readonly unknown[]): Generator<Uint8Array> {
  const batch = 4096;
  yield Buffer.from('[');
  for (let start = 0; start < values.length; start += batch) {
    const json = JSON.stringify(values.slice(start, start + batch));
    yield Buffer.from(`${start > 0 ? ',' : ''}${json.slice(1, -1)}`, 'utf8');
  }
  yield Buffer.from(']');
}

function* utf8Parts(text: string): Generator<Uint8Array> {
  const piece = 1 << 20;
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + piece);
    // Never between the two halves of a character outside the BMP (each half alone encodes as U+FFFD).
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield Buffer.from(text.slice(start, end), 'utf8');
    start = end;
  }
}

class BlobWriter {
  private position = 0;
  constructor(private readonly fd: number) {}

  write(kind: BlobKind, data: Uint8Array): BlobRef {
    return this.writeParts(kind, [data]);
  }

  /** One blob written piece by piece: a blob of a million values is never held whole as text and as bytes. */
  private writeParts(kind: BlobKind, parts: Iterable<Uint8Array>): BlobRef {
    let length = 0;
    for (const part of parts) {
      writeSync(this.fd, part);
      length += part.byteLength;
    }
    const ref = { kind, offset: this.position, length };
    const padding = (8 - (length % 8)) % 8;
    if (padding) writeSync(this.fd, new Uint8Array(padding));
    this.position += length + padding;
    return ref;
  }

  /** `JSON.stringify(values)` (undefined as null), written 4,096 values at a time. */
  json(values: readonly unknown[]): BlobRef {
    return this.writeParts('json', jsonArrayParts(values));
  }

  /** A text as UTF-8, written a million characters at a time. */
  text(text: string): BlobRef {
    return this.writeParts('utf8', utf8Parts(text));
  }

  typed(kind: 'i32' | 'f64' | 'u32' | 'u16' | 'u8', array: Int32Array | Float64Array | Uint32Array | Uint16Array | Uint8Array): BlobRef {
    return this.write(kind, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  column(column: Column): ColumnRef {
    const data = column.serialize();
    const base = { rows: data.rows, present: data.present };
    switch (data.kind) {
      case 'dict':
        return {
          ...base,
          kind: 'dict',
          codes: this.typed(data.codes instanceof Uint8Array ? 'u8' : data.codes instanceof Uint16Array ? 'u16' : 'u32', data.codes),
          dict: this.json(data.dict),
        };
      // One UTF-8 blob for all texts: decoding it is one call, not a JSON parse of a million strings.
      case 'strings':
        return {
          ...base,
          kind: 'strings',
          text: this.text(data.text),
          offsets: this.typed('i32', data.offsets),
          flags: this.typed('u8', data.flags),
        };
      case 'numbers':
        return { ...base, kind: 'numbers', values: this.typed('f64', data.values) };
      case 'instants':
        return { ...base, kind: 'instants', values: this.typed('f64', data.values), format: data.format };
      case 'raw':
        return { ...base, kind: 'raw', values: this.json(data.values) };
    }
  }
}

/** The blobs of the profile IDs' table. */
function idTable(blobs: BlobWriter, ids: SharedIdIndex): Header['profileIds'] {
  const { units, offsets, slots } = ids.arrays();
  return { units: blobs.typed(units instanceof Uint16Array ? 'u16' : 'u8', units), offsets: blobs.typed('i32', offsets), slots: blobs.typed('i32', slots) };
}

/** Saves a loaded workspace under `key`. Failures only cost the next load its speed. */
export function writeWorkspaceCache(
  key: string,
  workspace: Workspace,
  files: readonly string[],
  warnings: readonly LoadWarning[],
  summary: WorkspaceSummary,
): void {
  const dir = cacheDirectory();
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `${key}.bin`);
  const temp = join(dir, `${key}.${process.pid}.${Date.now()}.tmp`);
  const blobsPath = `${temp}.blobs`;
  const fd = openSync(blobsPath, 'w');
  let header: Header;
  try {
    const blobs = new BlobWriter(fd);
    header = {
      version: FORMAT_VERSION,
      name: workspace.name,
      files: [...files],
      warnings: [...warnings],
      issues: { ...workspace.issues },
      profileIds: idTable(blobs, workspace.profileIds),
      profileColumns: [...workspace.profileColumns].map(([key, column]) => ({ key, column: blobs.column(column) })),
      metrics: [...workspace.metrics],
      events: workspace.events.map((e) => ({
        offsets: blobs.typed('i32', e.offsets),
        times: blobs.typed('f64', e.times),
        count: e.count,
        firstTime: e.firstTime,
        lastTime: e.lastTime,
        properties: [...e.properties].map(([name, column]) => ({ name, column: blobs.column(column) })),
      })),
      lists: [...workspace.lists],
      memberships: workspace.memberships.map((m) => ({ members: blobs.typed('u32', m.members.words), joinedAt: blobs.typed('f64', m.joinedAt) })),
      summary,
    };
  } finally {
    closeSync(fd);
  }
  // Final file: magic, version, header length, header, then the blobs (copied in chunks).
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const out = openSync(temp, 'w');
  try {
    const prefix = Buffer.alloc(16);
    prefix.writeUInt32LE(MAGIC, 0);
    prefix.writeUInt32LE(FORMAT_VERSION, 4);
    prefix.writeUInt32LE(headerBytes.length, 8);
    writeSync(out, prefix);
    writeSync(out, headerBytes);
    const padding = (8 - ((16 + headerBytes.length) % 8)) % 8;
    if (padding) writeSync(out, new Uint8Array(padding));
    const source = openSync(blobsPath, 'r');
    try {
      const chunk = Buffer.alloc(8 << 20);
      for (let read = readSync(source, chunk); read > 0; read = readSync(source, chunk)) writeSync(out, chunk, 0, read);
    } finally {
      closeSync(source);
    }
  } finally {
    closeSync(out);
    rmSync(blobsPath, { force: true });
  }
  renameSync(temp, target);
  removeOlderEntries(dir, key);
}

/**
 * An open cache file that lazy columns read from. The columns' loaders hold it, so it is closed
 * (by the registry below) only once no column can load any more: every column has loaded, or
 * the workspace is gone. Holding the file open keeps its content readable when a newer entry
 * replaces it (POSIX keeps an open file's data after it is removed).
 */
interface OpenCacheFile {
  fd: number;
}
const openCacheFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/** Every blob reference of a header, with the column it belongs to. */
function headerBlobs(header: Header): BlobRef[] {
  const refs: BlobRef[] = [header.profileIds.units, header.profileIds.offsets, header.profileIds.slots];
  const column = (ref: ColumnRef) => {
    for (const value of Object.values(ref)) if (typeof value === 'object' && value !== null) refs.push(value as BlobRef);
  };
  for (const c of header.profileColumns) column(c.column);
  for (const e of header.events) {
    refs.push(e.offsets, e.times);
    for (const p of e.properties) column(p.column);
  }
  for (const m of header.memberships) refs.push(m.members, m.joinedAt);
  return refs;
}

/**
 * Reads a cached workspace, or undefined when there is none (or it is unreadable). Profile IDs,
 * event times and list memberships are read now; every column (profile properties, event
 * properties: most of the file) is read from the still open file when a condition first reads
 * it, so a load from the cache reads a fifth of the file. A file shorter than its header says is
 * ignored like a damaged one.
 */
export function readWorkspaceCache(
  key: string,
  now: number,
): { workspace: Workspace; files: string[]; warnings: LoadWarning[]; summary: WorkspaceSummary } | undefined {
  const path = join(cacheDirectory(), `${key}.bin`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  const file: OpenCacheFile = { fd };
  let keepOpen = false;
  try {
    const prefix = Buffer.alloc(16);
    readSync(fd, prefix, 0, 16, 0);
    if (prefix.readUInt32LE(0) !== MAGIC || prefix.readUInt32LE(4) !== FORMAT_VERSION) return undefined;
    const headerLength = prefix.readUInt32LE(8);
    const headerBytes = Buffer.alloc(headerLength);
    readSync(fd, headerBytes, 0, headerLength, 16);
    const header = JSON.parse(headerBytes.toString('utf8')) as Header;
    const base = 16 + headerLength + ((8 - ((16 + headerLength) % 8)) % 8);
    const end = Math.max(base, ...headerBlobs(header).map((ref) => base + ref.offset + ref.length));
    if (fstatSync(fd).size < end) return undefined;
    const bytes = (ref: BlobRef): Buffer => {
      const buffer = Buffer.allocUnsafeSlow(ref.length);
      let done = 0;
      while (done < ref.length) {
        const read = readSync(file.fd, buffer, done, ref.length - done, base + ref.offset + done);
        if (read <= 0) throw new Error(`the workspace cache file ${path} ended early`);
        done += read;
      }
      return buffer;
    };
    const json = (ref: BlobRef): unknown => JSON.parse(bytes(ref).toString('utf8'));
    const SIZES: Record<BlobKind, number> = { json: 1, utf8: 1, i32: 4, f64: 8, u32: 4, u16: 2, u8: 1 };
    const typed = <T extends Int32Array | Float64Array | Uint32Array | Uint16Array | Uint8Array>(
      ref: BlobRef,
      make: (buffer: ArrayBuffer, offset: number, length: number) => T,
    ): T => {
      const buffer = bytes(ref);
      return make(buffer.buffer as ArrayBuffer, buffer.byteOffset, ref.length / SIZES[ref.kind]);
    };
    const i32 = (ref: BlobRef) => typed(ref, (b, o, l) => new Int32Array(b, o, l));
    const f64 = (ref: BlobRef) => typed(ref, (b, o, l) => new Float64Array(b, o, l));
    const u32 = (ref: BlobRef) => typed(ref, (b, o, l) => new Uint32Array(b, o, l));
    const codes = (ref: BlobRef) =>
      ref.kind === 'u8' ? typed(ref, (b, o, l) => new Uint8Array(b, o, l)) : ref.kind === 'u16' ? typed(ref, (b, o, l) => new Uint16Array(b, o, l)) : u32(ref);
    const stored = (ref: ColumnRef): Exclude<SerializedColumn, { kind: 'lazy' }> => {
      switch (ref.kind) {
        case 'dict':
          return { ...ref, codes: codes(ref.codes), dict: json(ref.dict) as unknown[] };
        case 'strings':
          return { ...ref, text: bytes(ref.text).toString('utf8'), offsets: i32(ref.offsets), flags: typed(ref.flags, (b, o, l) => new Uint8Array(b, o, l)) };
        case 'numbers':
          return { ...ref, values: f64(ref.values) };
        case 'instants':
          return { ...ref, values: f64(ref.values) };
        case 'raw':
          return { ...ref, values: (json(ref.values) as unknown[]).map((v) => (v === null ? undefined : v)) };
      }
    };
    // Read and decoded when a condition first reads the column (see Column).
    const column = (ref: ColumnRef): Column => Column.deserialize({ kind: 'lazy', rows: ref.rows, present: ref.present, load: () => stored(ref) });
    const ids = header.profileIds;
    const profileIds = new SharedIdIndex({
      units: ids.units.kind === 'u16' ? typed(ids.units, (b, o, l) => new Uint16Array(b, o, l)) : typed(ids.units, (b, o, l) => new Uint8Array(b, o, l)),
      offsets: i32(ids.offsets),
      slots: i32(ids.slots),
    });
    const events: MetricEvents[] = header.events.map((e) => ({
      offsets: i32(e.offsets),
      times: f64(e.times),
      count: e.count,
      firstTime: e.firstTime ?? undefined,
      lastTime: e.lastTime ?? undefined,
      properties: new Map(e.properties.map((p) => [p.name, column(p.column)])),
    }));
    const memberships = header.memberships.map((m) => ({ members: new Bitset(profileIds.length, u32(m.members)), joinedAt: f64(m.joinedAt) }));
    const workspace = new Workspace(
      header.name,
      now,
      profileIds,
      new Map(header.profileColumns.map((c) => [c.key, column(c.column)])),
      header.metrics,
      events,
      header.lists,
      memberships,
      header.issues,
    );
    keepOpen = true;
    openCacheFiles.register(file, fd);
    return { workspace, files: header.files, warnings: header.warnings, summary: { ...header.summary, now: new Date(now).toISOString() } };
  } catch {
    // A damaged or half-written cache file is ignored: the data is loaded from the JSONL again.
    return undefined;
  } finally {
    if (!keepOpen) closeSync(fd);
  }
}
