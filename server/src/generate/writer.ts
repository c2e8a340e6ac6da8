/**
 * A line writer for large JSONL files: lines are batched into chunks, written with backpressure
 * (waiting for 'drain'), optionally through gzip.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { constants as zlibConstants, createGzip } from 'node:zlib';

const CHUNK_BYTES = 1024 * 1024;

export class JsonlWriter {
  /** Lines are encoded straight into this buffer (no big string concatenations to flatten later). */
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private offset = 0;
  private readonly target: Writable;
  private readonly finished: Promise<void>;
  private failure: unknown;
  lines = 0;

  /** Writes to `path`; with `gzip`, the file is gzip-compressed (use a `.gz` name). */
  constructor(
    readonly path: string,
    gzip: boolean,
    gzipLevel = 6,
  ) {
    const file = createWriteStream(path, { highWaterMark: 1024 * 1024 });
    if (gzip) {
      const gz = createGzip({ level: gzipLevel, chunkSize: 64 * 1024, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
      this.target = gz;
      this.finished = pipeline(gz, file);
    } else {
      this.target = file;
      this.finished = once(file, 'finish').then(() => undefined);
      file.on('error', () => undefined);
    }
    this.finished.catch((e: unknown) => {
      this.failure = e;
    });
  }

  /**
   * Appends a line (without its newline). Returns true when a chunk is full and the caller
   * should `await flush()` before writing more.
   */
  push(line: string): boolean {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (this.offset + line.length * 3 + 1 > this.chunk.length) {
      this.rotate();
      if (line.length * 3 + 1 > this.chunk.length) this.chunk = Buffer.allocUnsafe(line.length * 3 + 1);
    }
    this.offset += this.chunk.write(line, this.offset, 'utf8');
    this.chunk[this.offset++] = 10;
    this.lines++;
    return this.full.length > 0;
  }

  /** Like `push`, for a line known to be pure ASCII (a faster copy). */
  pushAscii(line: string): boolean {
    if (this.offset + line.length + 1 > this.chunk.length) {
      this.rotate();
      if (line.length + 1 > this.chunk.length) this.chunk = Buffer.allocUnsafe(line.length + 1);
    }
    this.offset += this.chunk.write(line, this.offset, 'latin1');
    this.chunk[this.offset++] = 10;
    this.lines++;
    return this.full.length > 0;
  }

  private full: Buffer[] = [];

  private rotate(): void {
    if (this.offset > 0) this.full.push(this.chunk.subarray(0, this.offset));
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.offset = 0;
  }

  /** Hands the filled chunks to the stream and waits for 'drain' when it is full. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const chunks = this.full;
    this.full = [];
    for (const c of chunks) {
      if (!this.target.write(c)) await Promise.race([once(this.target, 'drain'), this.finished]);
      if (this.failure) throw this.failure;
    }
  }

  async close(): Promise<void> {
    this.rotate();
    await this.flush();
    this.target.end();
    await this.finished;
    if (this.failure) throw this.failure;
  }

  /** Stops writing after a failure elsewhere (the file is left incomplete). */
  destroy(): void {
    this.target.destroy();
  }
}
