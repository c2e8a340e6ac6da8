import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventsContext, EventsTransfer, ProfilesTransfer } from '../engine/workspace';
import type { LineProblemsReport } from './jsonl';

/** Messages from the loader to a load thread. */
export type ToLoadThread = { type: 'lines'; bytes: Uint8Array; firstLine: number; block: number } | { type: 'finish' };

/**
 * Messages from a load thread: a block of profiles read; the events read since the last such
 * message, every `EVENTS_PER_MESSAGE` or so; and (after `finish`) the last events.
 */
export type FromLoadThread =
  | { type: 'profiles'; block: number; profiles: ProfilesTransfer; problems: LineProblemsReport }
  | { type: 'events'; events: EventsTransfer }
  | { type: 'done'; events?: EventsTransfer; problems: LineProblemsReport };

/**
 * Events a load thread hands over at a time: holding them all until the end held half the events
 * of the file twice (on the thread, then in the message) at the moment of the handover.
 */
export const EVENTS_PER_MESSAGE = 500_000;

/** The nice value a load thread gives itself on Linux (see loadWorker.ts): background work. */
export const LOAD_THREAD_NICE = 10;

/** What a load thread is started with. */
export interface LoadThreadData {
  /** profiles: each block is read into its own builder and posted back at once, to merge in order; events: one builder, its events posted every `EVENTS_PER_MESSAGE` and on `finish`. */
  kind: 'profiles' | 'events';
  /** Events only: the profiles and metrics loaded before. */
  context?: EventsContext;
  /** Events only: how many a thread reads before it hands them over (`EVENTS_PER_MESSAGE`). */
  eventsPerMessage?: number;
  /** Int32 counters the thread adds to: [blocks parsed, records read]. */
  counters: SharedArrayBuffer;
}

/** Below this (uncompressed) size, starting a thread costs more than it saves. */
const MIN_BYTES = 32 * 1024 * 1024;

/** Blocks a thread may have waiting before the loading thread parses the next one itself. */
const MAX_QUEUED_BLOCKS = 2;

/**
 * Helper threads that parse blocks of a big JSONL file (profiles.jsonl, events.jsonl) alongside
 * the loading thread. A block goes to a thread with fewer than `MAX_QUEUED_BLOCKS` waiting,
 * otherwise the loading thread parses it, so neither side waits on the other. Each thread fills
 * `WorkspaceBuilder`s of its own (`loadWorker.ts`); the loader merges what they read.
 */
export class LoadThreads {
  private readonly threads: { worker: Worker; counters: Int32Array; sent: number; failed?: Error }[];

  private constructor(script: string, count: number, data: Omit<LoadThreadData, 'counters'>, onMessage: (message: FromLoadThread) => void) {
    this.threads = Array.from({ length: count }, () => {
      const counters = new SharedArrayBuffer(8);
      const worker = new Worker(script, { workerData: { ...data, counters } satisfies LoadThreadData });
      const thread: (typeof this.threads)[number] = { worker, counters: new Int32Array(counters), sent: 0 };
      worker.on('error', (error) => (thread.failed ??= error));
      // A thread that stops early (before `finish`) has lost the blocks it was given.
      worker.on('exit', (code) => (thread.failed ??= new Error(`a load thread stopped (exit code ${code})`)));
      worker.on('message', onMessage);
      return thread;
    });
  }

  /**
   * Threads for a file of about `bytes` bytes of JSONL, or undefined when it is small, the machine
   * has one core, the worker script is missing, or `SEGMENT_LENS_LOAD_THREADS=0`. `threads`
   * forces a count whatever the size (tests). `data` is asked for only when threads start (the
   * events' context is a table of every profile ID). `onMessage` receives messages as they come.
   */
  static start(
    bytes: number,
    data: () => Omit<LoadThreadData, 'counters'>,
    threads: number | undefined,
    onMessage: (message: FromLoadThread) => void = () => undefined,
  ): LoadThreads | undefined {
    const script = join(__dirname, 'loadWorker.js');
    if (!existsSync(script)) return undefined;
    const fromEnv = process.env.SEGMENT_LENS_LOAD_THREADS;
    let count = threads ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : Math.min(3, availableParallelism() - 1));
    if (threads === undefined && bytes < MIN_BYTES) count = 0;
    if (!Number.isInteger(count) || count <= 0) return undefined;
    return new LoadThreads(script, count, data(), onMessage);
  }

  /** Blocks handed to threads so far. */
  get blocksSent(): number {
    return this.threads.reduce((sum, thread) => sum + thread.sent, 0);
  }

  /** Records the threads have read so far. */
  get records(): number {
    return this.threads.reduce((sum, thread) => sum + Atomics.load(thread.counters, 1), 0);
  }

  /** Hands block number `block` (of whole lines) to a thread that is keeping up; false when none is. */
  offer(bytes: Buffer, firstLine: number, block: number): boolean {
    for (const thread of this.threads) {
      if (thread.failed || thread.sent - Atomics.load(thread.counters, 0) >= MAX_QUEUED_BLOCKS) continue;
      const copy = new Uint8Array(bytes); // a copy the thread owns
      const message: ToLoadThread = { type: 'lines', bytes: copy, firstLine, block };
      thread.worker.postMessage(message, [copy.buffer]);
      thread.sent++;
      return true;
    }
    return false;
  }

  /**
   * Waits until every thread has read all it was given and answered `done` (after any profile
   * blocks, which `onMessage` has received by then). Rejects when a thread failed.
   */
  async finish(): Promise<Extract<FromLoadThread, { type: 'done' }>[]> {
    try {
      return await Promise.all(
        this.threads.map(
          (thread) =>
            new Promise<Extract<FromLoadThread, { type: 'done' }>>((resolve, reject) => {
              if (thread.failed) return reject(thread.failed);
              thread.worker.on('message', (message: FromLoadThread) => {
                if (message.type === 'done') resolve(message);
              });
              thread.worker.once('error', reject);
              thread.worker.once('exit', (code) => reject(new Error(`a load thread stopped (exit code ${code})`)));
              const message: ToLoadThread = { type: 'finish' };
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
