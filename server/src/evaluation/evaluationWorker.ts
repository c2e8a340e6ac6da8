import { parentPort } from 'node:worker_threads';
import { coverageReply } from '../coverage';
import { summarizeWorkspace } from '../engine/catalog';
import { Evaluator } from '../engine/evaluator';
import { evaluateHistory, historyInstants } from '../engine/history';
import { EvaluationCancelled } from '../engine/outcome';
import { intersectionOf, overlapOfSets } from '../engine/overlap';
import { Bitset } from '../engine/bitset';
import type { Workspace } from '../engine/workspace';
import { collectGarbage, releaseNow } from './memory';
import { loadWorkspace, readWorkspaceConfig, type LoadProgress, type LoadWarning } from '../workspace/loadWorkspace';
import { decideEngine, DEFAULT_DUCKDB_THRESHOLD_BYTES, duckDbUnavailableReason, editorMemoryLimits, thresholdFromEnvironment } from '../duckdb/engineChoice';
import { DuckDbWorkspace } from './duckdbWorkspace';
import type { HostToWorker, WorkerMethod, WorkerParams, WorkerReply, WorkerRequest, WorkerResult, WorkerToHost } from './messages';
import { unsupportedByDuckDb, type EngineDecision, type EngineSetting } from './messages';
import { ProfileTable } from './profileTable';
import { compareResult, explainReply, overlapOutcome } from './replies';
import { exportReply } from './exportReply';

/**
 * The evaluation worker: owns one loaded workspace and its evaluator, off the language server's
 * main thread, so completion and hover stay fast while a segment is evaluated.
 */
const port = parentPort;
if (!port) throw new Error('evaluationWorker must run in a worker thread');

let state: { workspace: Workspace; evaluator: Evaluator; table: ProfileTable } | undefined;
/** The workspace when DuckDB evaluates it (segmentLens.engine); its requests run one at a time. */
let duck: { workspace: DuckDbWorkspace; queue: Promise<void> } | undefined;

const post = (message: WorkerToHost) => port.postMessage(message);

port.on('message', (message: HostToWorker) => {
  if (message.type === 'load') {
    void load(message.root, message.now, message.engine, message.outOfMemory);
    return;
  }
  const cancel = new Int32Array(message.cancel);
  if (duck) {
    const { workspace } = duck;
    duck.queue = duck.queue.then(() => answerWithDuckDb(workspace, message.id, message.request, cancel));
    return;
  }
  if (Atomics.load(cancel, 0) !== 0) {
    post({ type: 'failed', id: message.id, message: 'cancelled', cancelled: true });
    return;
  }
  try {
    if (!state) throw new Error('the workspace is not loaded');
    const result = handle(message.request, {
      isCancelled: () => Atomics.load(cancel, 0) !== 0,
      progress: (done, total) => post({ type: 'progress-of', id: message.id, done, total }),
    });
    post({ type: 'reply', id: message.id, result });
  } catch (error) {
    post({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error), cancelled: error instanceof EvaluationCancelled });
  }
});

/** Posts load progress at most every 100 ms. */
function progressPoster(): (progress: LoadProgress) => void {
  let lastPost = 0;
  return (progress) => {
    const time = Date.now();
    if (time - lastPost > 100) {
      lastPost = time;
      post({ type: 'progress', progress });
    }
  };
}

async function load(root: string, now: number | undefined, setting: EngineSetting, outOfMemory: string | undefined): Promise<void> {
  try {
    const warnings: LoadWarning[] = [];
    const config = readWorkspaceConfig(root, warnings);
    const threshold = thresholdFromEnvironment();
    const engine = outOfMemory
      ? await afterOutOfMemory(outOfMemory)
      : await decideEngine(setting, config, typeof threshold === 'number' ? threshold : DEFAULT_DUCKDB_THRESHOLD_BYTES);
    if (typeof threshold !== 'number') engine.reason += ` (${threshold.invalid}: the default threshold applies)`;
    post({ type: 'engine', engine });
    if (engine.engine === 'duckdb') {
      const memory = editorMemoryLimits();
      engine.reason += `; DuckDB memory limit ${memory.evaluate} to evaluate, ${memory.convert} to convert${memory.invalid.length > 0 ? ` (${memory.invalid.join('; ')}: the default applies)` : ''}`;
      const workspace = await DuckDbWorkspace.open(config, now, progressPoster(), memory);
      duck = { workspace, queue: Promise.resolve() };
      post({ type: 'loaded', summary: workspace.summary, warnings, files: workspace.files, loadMs: workspace.loadMs, root, engine });
      return;
    }
    await loadInMemory(root, now, engine);
  } catch (error) {
    post({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
  }
}

/** `auto` after the in-memory load ran out of memory: DuckDB, and a message saying so (or a clear failure without it). */
async function afterOutOfMemory(what: string): Promise<EngineDecision> {
  const unavailable = await duckDbUnavailableReason();
  if (unavailable !== undefined) throw new Error(`${what}, and DuckDB is not available here to evaluate it instead (${unavailable})`);
  return { engine: 'duckdb', reason: `segmentLens.engine is "auto" and ${what}`, fallback: `${what}; evaluating it with DuckDB instead` };
}

async function loadInMemory(root: string, now: number | undefined, engine: EngineDecision): Promise<void> {
  const cache = process.env.SEGMENT_LENS_NO_CACHE !== '1';
  let loaded = await loadWorkspace(root, { now, cache, onProgress: progressPoster() });
  if (loaded.cacheWritten) {
    // The first load wrote the engine's cache: evaluate on the cache's copy instead. It keeps
    // texts and lists packed until a condition reads them, so the garbage collector has far
    // fewer objects to trace (evaluations on the 1M-profile benchmark ran 2-3x faster).
    const { warnings, loadMs } = loaded;
    loaded = undefined as unknown as typeof loaded; // let the JSONL-loaded copy go first
    await new Promise((resolve) => setImmediate(resolve)); // past this job, so that nothing holds it
    releaseNow();
    const again = await loadWorkspace(root, { now, cache });
    loaded = { ...again, warnings, loadMs: loadMs + again.loadMs };
  }
  const evaluator = new Evaluator(loaded.workspace, { conditionBudgetMs: conditionBudgetMs() });
  const summary = loaded.summary ?? summarizeWorkspace(loaded.workspace);
  state = { workspace: loaded.workspace, evaluator, table: new ProfileTable(loaded.workspace, summary) };
  post({ type: 'loaded', summary, warnings: loaded.warnings, files: loaded.files, loadMs: loaded.loadMs, root, engine });
}

/** One request on the DuckDB engine: through SQL what it answers (DUCKDB_METHODS), the memory figure, and a clear refusal for the rest. */
async function answerWithDuckDb(workspace: DuckDbWorkspace, id: number, request: WorkerRequest, cancel: Int32Array): Promise<void> {
  // A request cancelled while it waited (a newer edit) is not run at all.
  if (Atomics.load(cancel, 0) !== 0) return post({ type: 'failed', id, message: 'cancelled', cancelled: true });
  try {
    const started = Date.now();
    let result: WorkerReply;
    if (request.method === 'evaluate') result = await workspace.evaluate(request.params.definition);
    else if (request.method === 'rows') result = await workspace.rows(request.params.definition, request.params);
    else if (request.method === 'explain') result = await workspace.explain(request.params.definition, request.params.profileId, request.params.now);
    else if (request.method === 'compare') result = await workspace.compare(request.params.a, request.params.b);
    else if (request.method === 'overlap') result = { ...(await workspace.overlap(request.params.definitions)), elapsedMs: Date.now() - started };
    else if (request.method === 'setRows') result = await workspace.setRows(request.params.inside, request.params.outside, request.params);
    else if (request.method === 'diff') result = await workspace.diff(request.params.before, request.params.after);
    else if (request.method === 'export') result = await workspace.export(request.params.definition, request.params.format, request.params.path);
    else if (request.method === 'history')
      result = await workspace.history(
        request.params.definition,
        request.params.days,
        (done, total) => post({ type: 'progress-of', id, done, total }),
        () => Atomics.load(cancel, 0) !== 0,
      );
    else if (request.method === 'memory') result = heapInUse();
    else throw new Error(unsupportedByDuckDb(request.method));
    post({ type: 'reply', id, result });
  } catch (error) {
    post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error), cancelled: error instanceof EvaluationCancelled });
  }
}

/** SEGMENT_LENS_CONDITION_BUDGET_MS overrides the time one condition may take (tests make it short). */
function conditionBudgetMs(): number | undefined {
  const value = Number(process.env.SEGMENT_LENS_CONDITION_BUDGET_MS);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The worker's V8 heap in use, after full collections where the process allows them. */
function heapInUse(): { heapUsed: number } {
  collectGarbage();
  return { heapUsed: process.memoryUsage().heapUsed };
}

type Cancellation = { isCancelled(): boolean; progress(done: number, total: number): void };
type Loaded = NonNullable<typeof state>;

/** One handler per worker method (evaluation/messages.ts), each returning that method's result. */
const HANDLERS: { [M in WorkerMethod]: (loaded: Loaded, params: WorkerParams<M>, cancellation: Cancellation) => WorkerResult<M> } = {
  evaluate({ evaluator }, { definition }, cancellation) {
    const result = evaluator.evaluateDefinition(definition, { cancellation });
    return {
      total: result.total,
      matched: result.matched,
      notEvaluable: [...result.notEvaluable],
      groups: result.groups.map((g) => ({
        matched: g.matched,
        afterAnd: g.afterAnd,
        conditions: g.conditions.map((c) => ({ matched: c.matched, notEvaluable: c.notEvaluable })),
      })),
      elapsedMs: result.elapsedMs,
      cachedConditions: result.cachedConditions,
    };
  },

  rows({ evaluator, table }, params, cancellation) {
    const result = evaluator.evaluateDefinition(params.definition, { cancellation, now: params.now });
    if (!result.set) return { total: 0, rows: [], propertyColumns: table.propertyColumns };
    return table.page(result.set, params);
  },

  explain({ workspace, evaluator, table }, { definition, profileId, now }, cancellation) {
    const p = workspace.profileIndexOf(profileId);
    if (p === undefined) return { profile: null, matched: false, conditions: [] };
    const result = evaluator.evaluateDefinition(definition, { cancellation, now });
    const outcome = {
      matched: result.set?.has(p) ?? false,
      condition: (g: number, c: number) => {
        const set = result.groups[g]?.conditions[c]?.set;
        return set ? set.has(p) : null;
      },
    };
    return explainReply(workspace, table, p, definition, outcome, table.names, now);
  },

  history({ workspace, evaluator }, { definition, days }, cancellation) {
    const { points, notEvaluable, elapsedMs } = evaluateHistory(evaluator, definition, historyInstants(workspace.ref, days), {
      cancellation,
      onProgress: cancellation.progress,
    });
    return { points: points.map(({ day, now, matched, total }) => ({ day, now, matched, total })), notEvaluable, elapsedMs };
  },

  compare({ workspace, evaluator }, params, cancellation) {
    const a = evaluator.evaluateDefinition(params.a, { cancellation });
    const b = evaluator.evaluateDefinition(params.b, { cancellation });
    if (!a.set || !b.set) return compareResult(workspace.profileCount, a.matched, b.matched, null);
    return compareResult(workspace.profileCount, a.set.count(), b.set.count(), a.set.and(b.set).count());
  },

  overlap({ workspace, evaluator }, { definitions }, cancellation) {
    const started = Date.now();
    const sets: Bitset[] = [];
    const counted: number[] = [];
    const outcomes = definitions.map((definition, i) => {
      const result = evaluator.evaluateDefinition(definition, { cancellation });
      if (!result.set || result.matched === null) return overlapOutcome(null, result.notEvaluable);
      sets.push(result.set);
      counted.push(i);
      return overlapOutcome(result.matched, []);
    });
    return { total: workspace.profileCount, outcomes, counted, ...overlapOfSets(sets, workspace.profileCount), elapsedMs: Date.now() - started };
  },

  setRows({ evaluator, table }, params, cancellation) {
    const setOf = (definition: unknown) => evaluator.evaluateDefinition(definition, { cancellation }).set;
    const inside = params.inside.map(setOf);
    const outside = params.outside.map(setOf);
    const set = inside.every(Boolean) && outside.every(Boolean) ? intersectionOf(inside as Bitset[], outside as Bitset[]) : undefined;
    if (!set) return { total: 0, rows: [], propertyColumns: table.propertyColumns };
    return table.page(set, params);
  },

  diff({ workspace, evaluator }, { before, after }, cancellation) {
    const side = (definition: unknown) => {
      // No definition before (a new file): it matched no one.
      if (definition === null) return { matched: 0, notEvaluable: [], set: new Bitset(workspace.profileCount) };
      const result = evaluator.evaluateDefinition(definition, { cancellation });
      return { matched: result.matched, notEvaluable: [...result.notEvaluable], set: result.set };
    };
    const old = side(before);
    const now = side(after);
    const count = (a: Bitset | undefined, b: Bitset | undefined) => (a && b ? a.andNot(b).count() : null);
    return {
      total: workspace.profileCount,
      before: { matched: old.matched, notEvaluable: old.notEvaluable },
      after: { matched: now.matched, notEvaluable: now.notEvaluable },
      added: count(now.set, old.set),
      removed: count(old.set, now.set),
    };
  },

  coverage({ workspace, evaluator }, { segments, options }, cancellation) {
    return coverageReply(workspace, segments, options, evaluator, cancellation);
  },

  memory: heapInUse,

  export({ workspace, evaluator, table }, params, cancellation) {
    const result = evaluator.evaluateDefinition(params.definition, { cancellation });
    const indexes = result.set ? result.set.toArray() : [];
    const rows = params.format === 'ids' ? indexes.map((p) => ({ id: workspace.profileIds.at(p) })) : indexes.map((p) => table.row(p));
    return exportReply(params.format, rows, table.propertyColumns, params.path);
  },
};

function handle(request: WorkerRequest, cancellation: Cancellation): WorkerReply {
  const loaded = state as Loaded;
  // Each request pairs a method with its own parameters (WorkerRequest), which TypeScript cannot
  // follow through the table lookup; the table's type checks each handler instead.
  const handler = HANDLERS[request.method] as (loaded: Loaded, params: unknown, cancellation: Cancellation) => WorkerReply;
  return handler(loaded, request.params, cancellation);
}
