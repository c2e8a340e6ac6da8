import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventsContext, EventsTransfer } from '../engine/workspace';
import type { SkippedLine } from './jsonl';

/** Messages from the loader to an events thread. */
export type ToEventsThread = { type: 'lines'; bytes: Uint8Array; firstLine: number } | { type: 'finish' };

/** What an events thread answers `finish` with. */
export interface EventsThreadResult {
  events: EventsTransfer;
  skipped: { first: SkippedLine[]; counts: Record<SkippedLine['code'], number> };
}

/** What an events thread is started with. */
export interface EventsThreadData {
  context: EventsContext;
  /** Int32 counters the thread adds to: [blocks parsed, records read]. */
  counters: SharedArrayBuffer;
}

/** Below this (uncompressed) size, starting a thread costs more than it saves. */
const MIN_BYTES = 32 * 1024 * 1024;

/** Blocks a thread may have waiting before this thread parses the next one itself. */
const MAX_QUEUED_BLOCKS = 2;

/**
 * Helper threads that parse blocks of events.jsonl alongside the loading thread: each has its own
 * `WorkspaceBuilder` for events (`WorkspaceBuilder.forEvents`) and hands back what it read at the
 * end (`importEvents` merges it). A block goes to a thread with fewer than `MAX_QUEUED_BLOCKS`
 * waiting, otherwise the loading thread parses it, so neither side waits on the other.
 */
export class EventThreads {
  private readonly threads: { worker: Worker; counters: Int32Array; sent: number; failed?: Error }[];

  private constructor(script: string, count: number, context: EventsContext) {
    this.threads = Array.from({ length: count }, () => {
      const counters = new SharedArrayBuffer(8);
      const data: EventsThreadData = { context, counters };
      const worker = new Worker(script, { workerData: data });
      const thread: (typeof this.threads)[number] = { worker, counters: new Int32Array(counters), sent: 0 };
      worker.on('error', (error) => (thread.failed = error));
      return thread;
    });
  }

  /**
   * Threads for a file of about `bytes` bytes of JSONL, or undefined when it is small, the machine
   * has one core, the worker script is missing, or `SEGMENT_LENS_LOAD_THREADS=0`. `threads` forces
   * a count whatever the size (tests).
   */
  static start(bytes: number, context: EventsContext, threads?: number): EventThreads | undefined {
    const script = join(__dirname, 'eventsWorker.js');
    if (!existsSync(script)) return undefined;
    const fromEnv = process.env.SEGMENT_LENS_LOAD_THREADS;
    let count = threads ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : Math.min(3, availableParallelism() - 1));
    if (threads === undefined && bytes < MIN_BYTES) count = 0;
    if (!Number.isInteger(count) || count <= 0) return undefined;
    return new EventThreads(script, count, context);
  }

  /** Records the threads have read so far. */
  get records(): number {
    return this.threads.reduce((sum, thread) => sum + Atomics.load(thread.counters, 1), 0);
  }

  /** Hands a block of whole lines to a thread that is keeping up; false when none is. */
  offer(block: Buffer, firstLine: number): boolean {
    for (const thread of this.threads) {
      if (thread.failed || thread.sent - Atomics.load(thread.counters, 0) >= MAX_QUEUED_BLOCKS) continue;
      const bytes = new Uint8Array(block); // a copy the thread owns
      const message: ToEventsThread = { type: 'lines', bytes, firstLine };
      thread.worker.postMessage(message, [bytes.buffer]);
      thread.sent++;
      return true;
    }
    return false;
  }

  /** Waits for every thread's events. Rejects when a thread failed (its blocks are lost). */
  async finish(): Promise<EventsThreadResult[]> {
    try {
      return await Promise.all(
        this.threads.map(
          (thread) =>
            new Promise<EventsThreadResult>((resolve, reject) => {
              if (thread.failed) return reject(thread.failed);
              thread.worker.once('message', resolve);
              thread.worker.once('error', reject);
              thread.worker.once('exit', (code) => reject(new Error(`an events thread stopped (exit code ${code})`)));
              const message: ToEventsThread = { type: 'finish' };
              thread.worker.postMessage(message);
            }),
        ),
      );
    } finally {
      this.stop();
    }
  }

  stop(): void {
    for (const thread of this.threads) void thread.worker.terminate();
  }
}
