import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkspaceSummary } from '../engine/catalog';
import type { LoadProgress, LoadWarning } from '../workspace/loadWorkspace';
import type { HostToWorker, WorkerMethod, WorkerParams, WorkerReply, WorkerRequest, WorkerResult, WorkerToHost } from '../evaluation/messages';
import { DUCKDB_METHODS, unsupportedByDuckDb, type EngineDecision, type EngineSetting } from '../evaluation/messages';

/** Something that can be cancelled (an LSP CancellationToken fits). */
export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export class RequestCancelled extends Error {
  constructor() {
    super('request cancelled');
  }
}

export type HostState =
  | { kind: 'loading'; progress?: LoadProgress }
  | { kind: 'ready'; summary: WorkspaceSummary; warnings: LoadWarning[]; files: string[]; loadMs: number; engine: EngineDecision }
  | { kind: 'failed'; message: string };

/**
 * Owns the evaluation worker of one workspace folder: starts it, loads the workspace in it, and
 * forwards requests with cancellation (a shared flag the worker's evaluator polls).
 */
export class WorkspaceHost {
  private worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: WorkerReply) => void; reject: (e: Error) => void; progress?: (done: number, total: number) => void }
  >();
  private stateValue: HostState = { kind: 'loading' };
  private readyWaiters: (() => void)[] = [];
  /** Why this workspace is evaluated with DuckDB under `auto`: its load in memory ran out of memory. */
  private outOfMemory: string | undefined;
  /** The engine of the load under way, once the worker has chosen it. */
  private loadingEngine: 'memory' | 'duckdb' | undefined;

  constructor(
    readonly root: string,
    private readonly now: number | undefined,
    private readonly onState: (host: WorkspaceHost) => void,
    private engineSetting: EngineSetting = 'auto',
  ) {
    this.worker = this.spawn();
  }

  /** `segmentLens.engine` this workspace was loaded with. */
  get engine(): EngineSetting {
    return this.engineSetting;
  }

  /**
   * Why the engine of the loaded workspace does not answer `method` (the DuckDB engine answers
   * counts and preview pages only, so far), or undefined when it does.
   */
  unsupported(method: WorkerMethod): string | undefined {
    const state = this.stateValue;
    return state.kind === 'ready' && state.engine.engine === 'duckdb' && !DUCKDB_METHODS.has(method) ? unsupportedByDuckDb(method) : undefined;
  }

  get state(): HostState {
    return this.stateValue;
  }

  /** Resolves when the workspace has loaded (or failed). */
  ready(): Promise<void> {
    if (this.stateValue.kind !== 'loading') return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends one request to the worker; a cancelled token sets the flag its evaluation polls. */
  request<M extends WorkerMethod>(
    method: M,
    params: WorkerParams<M>,
    token?: CancellationSignal,
    progress?: (done: number, total: number) => void,
  ): Promise<WorkerResult<M>> {
    if (this.stateValue.kind !== 'ready') return Promise.reject(new Error('the workspace is not loaded'));
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const subscription = token?.onCancellationRequested(() => Atomics.store(flag, 0, 1));
    if (token?.isCancellationRequested) Atomics.store(flag, 0, 1);
    return new Promise<WorkerResult<M>>((resolve, reject) => {
      this.pending.set(id, {
        progress,
        resolve: (r) => {
          subscription?.dispose();
          // The worker answers request `id` with the result of the method asked (evaluationWorker.ts).
          resolve(r as WorkerResult<M>);
        },
        reject: (e) => {
          subscription?.dispose();
          reject(e);
        },
      });
      this.post({ type: 'request', id, request: { method, params } as WorkerRequest, cancel });
    });
  }

  /** Loads the workspace again in a fresh worker (data changed on disk, or another `segmentLens.engine`). */
  reload(engine: EngineSetting = this.engineSetting): void {
    // A workspace that ran out of memory stays with DuckDB under `auto` (its data changing would not
    // make it fit); another setting starts afresh.
    if (engine !== this.engineSetting) this.outOfMemory = undefined;
    this.engineSetting = engine;
    this.restart();
  }

  private restart(): void {
    void this.worker.terminate();
    this.failAll(new RequestCancelled());
    this.stateValue = { kind: 'loading' };
    this.loadingEngine = undefined;
    this.worker = this.spawn();
    this.onState(this);
  }

  /**
   * The worker ran out of JS heap (a load at a size the memory engine cannot hold). Under `auto`
   * a workspace that ran out in memory is loaded again with DuckDB, once, and the user is told why
   * (the engine decision's `fallback`); otherwise the state says what happened and what to set.
   */
  private ranOutOfMemory(error: Error): void {
    const engine = this.stateValue.kind === 'ready' ? this.stateValue.engine.engine : this.loadingEngine;
    if (engine === 'memory' && this.engineSetting === 'auto' && this.outOfMemory === undefined) {
      this.outOfMemory = `the in-memory engine ran out of memory (${error.message})`;
      this.restart();
      return;
    }
    const message =
      engine === 'memory'
        ? `the in-memory engine ran out of memory (${error.message}); set segmentLens.engine to "auto" or "duckdb" to evaluate this workspace with DuckDB`
        : `the evaluation worker ran out of memory (${error.message})${engine === 'duckdb' ? ' with the DuckDB engine' : ''}; raise its heap limit (SEGMENT_LENS_WORKER_HEAP_MB)`;
    this.setState({ kind: 'failed', message });
    this.failAll(error);
  }

  async dispose(): Promise<void> {
    this.failAll(new RequestCancelled());
    await this.worker.terminate();
  }

  private spawn(): Worker {
    // The server runs from its bundle, which has the worker beside it (dist/evaluationWorker.js).
    const heapMb = workerHeapLimitMb();
    const worker = new Worker(join(__dirname, 'evaluationWorker.js'), heapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    worker.on('message', (message: WorkerToHost) => this.receive(worker, message));
    worker.on('error', (error) => {
      if (worker !== this.worker) return;
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') return this.ranOutOfMemory(error);
      this.setState({ kind: 'failed', message: error.message });
      this.failAll(error);
    });
    worker.on('exit', (code) => {
      // After 'error' (which set the state with its own message) the worker exits too.
      if (worker !== this.worker || code === 0 || this.stateValue.kind === 'failed') return;
      this.setState({ kind: 'failed', message: `the evaluation worker stopped (exit code ${code})` });
      this.failAll(new Error('the evaluation worker stopped'));
    });
    worker.postMessage({ type: 'load', root: this.root, now: this.now, engine: this.engineSetting, outOfMemory: this.outOfMemory } satisfies HostToWorker);
    return worker;
  }

  private post(message: HostToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(worker: Worker, message: WorkerToHost): void {
    if (worker !== this.worker) return;
    switch (message.type) {
      case 'progress':
        this.setState({ kind: 'loading', progress: message.progress });
        break;
      case 'loaded':
        this.setState({
          kind: 'ready',
          summary: message.summary,
          warnings: message.warnings,
          files: message.files,
          loadMs: message.loadMs,
          engine: message.engine,
        });
        break;
      case 'engine':
        this.loadingEngine = message.engine.engine;
        break;
      case 'load-failed':
        this.setState({ kind: 'failed', message: message.message });
        break;
      case 'progress-of':
        this.pending.get(message.id)?.progress?.(message.done, message.total);
        break;
      case 'reply':
        this.pending.get(message.id)?.resolve(message.result);
        this.pending.delete(message.id);
        break;
      case 'failed':
        this.pending.get(message.id)?.reject(message.cancelled ? new RequestCancelled() : new Error(message.message));
        this.pending.delete(message.id);
        break;
    }
  }

  private setState(state: HostState): void {
    this.stateValue = state;
    if (state.kind !== 'loading') for (const wake of this.readyWaiters.splice(0)) wake();
    this.onState(this);
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

/**
 * SEGMENT_LENS_WORKER_HEAP_MB: a cap on the evaluation worker's JS heap (V8's old generation), for
 * a language server that must stay within a memory budget. Unset: V8's default for the machine.
 */
function workerHeapLimitMb(text = process.env.SEGMENT_LENS_WORKER_HEAP_MB): number | undefined {
  const value = Number(text);
  return text && Number.isInteger(value) && value > 0 ? value : undefined;
}
