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
    this.engineSetting = engine;
    void this.worker.terminate();
    this.failAll(new RequestCancelled());
    this.stateValue = { kind: 'loading' };
    this.worker = this.spawn();
    this.onState(this);
  }

  async dispose(): Promise<void> {
    this.failAll(new RequestCancelled());
    await this.worker.terminate();
  }

  private spawn(): Worker {
    // The server runs from its bundle, which has the worker beside it (dist/evaluationWorker.js).
    const worker = new Worker(join(__dirname, 'evaluationWorker.js'));
    worker.on('message', (message: WorkerToHost) => this.receive(worker, message));
    worker.on('error', (error) => {
      if (worker !== this.worker) return;
      this.setState({ kind: 'failed', message: error.message });
      this.failAll(error);
    });
    worker.on('exit', (code) => {
      if (worker !== this.worker || code === 0) return;
      this.setState({ kind: 'failed', message: `the evaluation worker stopped (exit code ${code})` });
      this.failAll(new Error('the evaluation worker stopped'));
    });
    worker.postMessage({ type: 'load', root: this.root, now: this.now, engine: this.engineSetting } satisfies HostToWorker);
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
