import { Bitset } from './bitset';
import { BoundedMemo } from './boundedMemo';
import { canonicalJson } from './canonical';
import { conditionKind } from './conditions';
import {
  ConditionTooSlow,
  EvaluationCancelled,
  isRecord,
  matched,
  notEvaluable,
  type Cancellation,
  type ConditionOutcome,
  type EvaluationContext,
} from './outcome';
import { quoted } from './phrases';
import { parseInstant, referenceTime, type ReferenceTime } from './time';
import { withCheckpoint } from './workBudget';
import { profileValueKey, type Workspace } from './workspace';

export interface ConditionResult {
  /** Matching profiles, or null when the condition is not evaluable locally. */
  readonly matched: number | null;
  readonly notEvaluable?: string;
  readonly set?: Bitset;
}

export interface GroupResult {
  /** Profiles matching any condition of the group (null: some condition is not evaluable). */
  readonly matched: number | null;
  /** Profiles matching this group and every group before it. */
  readonly afterAnd: number | null;
  readonly conditions: readonly ConditionResult[];
  readonly set?: Bitset;
}

export interface DefinitionResult {
  readonly total: number;
  readonly matched: number | null;
  readonly groups: readonly GroupResult[];
  /** Why the definition is not evaluable locally (empty when it is). */
  readonly notEvaluable: readonly string[];
  readonly set?: Bitset;
  /** Milliseconds spent, and how many conditions came from the cache. */
  readonly elapsedMs: number;
  readonly cachedConditions: number;
}

/**
 * Milliseconds one condition may take before it is "too slow to evaluate locally" (docs/semantics.md,
 * "Limits"): over ten times the slowest condition of the 1M-profile benchmark, so only a hostile
 * or broken condition reaches it, and the counts of other documents wait no longer than this.
 */
export const DEFAULT_CONDITION_BUDGET_MS = 5_000;

/** The profiles that exist as of each workspace's own `now` (see `Evaluator.candidatesAsOf`; undefined: all). */
const EXISTING_NOW = new WeakMap<Workspace, Bitset | undefined>();

/** Outcomes of conditions stopped by the time budget (never cached). */
const TOO_SLOW = new WeakSet<ConditionOutcome>();

export interface EvaluatorOptions {
  /** Milliseconds one condition may take (default DEFAULT_CONDITION_BUDGET_MS). */
  conditionBudgetMs?: number;
  /** The clock of the budget (tests pass their own). */
  clock?: () => number;
}

export interface EvaluateOptions {
  cancellation?: Cancellation;
  /**
   * Evaluate as of this instant instead of the workspace's `now` (a history, `--now`): relative
   * dates count from it, and events, list joins and profiles after it do not count yet.
   */
  now?: number;
}

/** Date operators whose window moves with `now`. */
const RELATIVE_OPERATORS = new Set(['in-the-last', 'at-least', 'in-the-next', 'anniversary', 'anniversary-month', 'anniversary-last', 'anniversary-next']);

/** Whether a condition holds a date filter relative to `now` (at any depth). */
function hasRelativeDate(value: unknown, depth = 0): boolean {
  if (depth > 16 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => hasRelativeDate(item, depth + 1));
  const record = value as Record<string, unknown>;
  const operator = record.operator;
  if (typeof operator === 'string' && (RELATIVE_OPERATORS.has(operator) || (operator === 'between' && record.type === 'date'))) return true;
  return Object.values(record).some((item) => hasRelativeDate(item, depth + 1));
}

/**
 * Evaluates segment definitions against one workspace. Each condition's result is cached by its
 * canonical JSON (and the instant, for a condition whose result depends on it), so after an edit
 * to one condition only that condition is evaluated again, and a history over many days
 * evaluates the conditions that do not depend on the day once.
 */
export class Evaluator {
  /**
   * Results by canonical JSON (and instant, see `cachedOutcome`), least recently used out first,
   * bounded by bytes: the key's text and the result's bitset (docs/performance.md, "Robustness").
   * A condition whose canonical JSON is over 64 KB (a megabyte value pasted into a filter) is
   * evaluated every time instead.
   */
  private readonly cache = new BoundedMemo<ConditionOutcome>({
    maxBytes: 64 * 1024 * 1024,
    maxKeyLength: 64 * 1024,
    sizeOf: (outcome) => (outcome.kind === 'matched' ? outcome.set.words.byteLength : 0),
  });
  private readonly candidates = new Map<number, Bitset | undefined>();

  constructor(
    readonly workspace: Workspace,
    private readonly options: EvaluatorOptions = {},
  ) {}

  /**
   * Evaluates one condition (cached): the profiles that exist as of `now` and match it. Throws
   * EvaluationCancelled when cancelled.
   */
  evaluateCondition(condition: unknown, options: EvaluateOptions = {}): { outcome: ConditionOutcome; cached: boolean } {
    const result = this.cachedOutcome(condition, options);
    const existing = this.candidatesAsOf(options.now ?? this.workspace.now);
    if (!existing || result.outcome.kind !== 'matched') return result;
    return { outcome: matched(result.outcome.set.and(existing)), cached: result.cached };
  }

  /** A condition's outcome over every profile of the workspace, from the cache when it is there. */
  private cachedOutcome(condition: unknown, options: EvaluateOptions): { outcome: ConditionOutcome; cached: boolean } {
    const ref = options.now === undefined || options.now === this.workspace.now ? this.workspace.ref : referenceTime(options.now);
    const kind = isRecord(condition) ? conditionKind(condition.type) : undefined;
    const dependsOnNow = ref !== this.workspace.ref && (kind?.readsHistory === true || hasRelativeDate(condition));
    const key = dependsOnNow ? `${canonicalJson(condition)}\n@${ref.now}` : canonicalJson(condition);
    const hit = this.cache.get(key);
    if (hit) return { outcome: hit.value, cached: true };
    const outcome = this.compute(condition, ref, options);
    // "Too slow" may be the machine's fault (a busy moment): the next evaluation tries again.
    if (!TOO_SLOW.has(outcome)) this.cache.set(key, outcome);
    return { outcome, cached: false };
  }

  /**
   * The profiles that exist as of `now`: those created after it do not (undefined: all of them,
   * as with the workspace's own `now`).
   */
  candidatesAsOf(now: number): Bitset | undefined {
    if (this.candidates.has(now)) return this.candidates.get(now);
    // The workspace's own instant is asked by every evaluator: found once per workspace.
    if (now === this.workspace.now && EXISTING_NOW.has(this.workspace)) return EXISTING_NOW.get(this.workspace);
    const n = this.workspace.profileCount;
    const created = this.workspace.column(profileValueKey.attribute('created'))?.instants(n, parseInstant);
    let later: Bitset | undefined;
    if (created) for (let p = 0; p < n; p++) if (created[p] > now) (later ??= new Bitset(n)).add(p);
    const existing = later ? Bitset.full(n).andNot(later) : undefined;
    if (this.candidates.size > 400) this.candidates.clear();
    this.candidates.set(now, existing);
    if (now === this.workspace.now) EXISTING_NOW.set(this.workspace, existing);
    return existing;
  }

  /** Evaluates a definition `{"condition_groups": [...]}`: groups ANDed, conditions ORed. */
  evaluateDefinition(definition: unknown, options: EvaluateOptions = {}): DefinitionResult {
    const started = Date.now();
    const n = this.workspace.profileCount;
    const existing = this.candidatesAsOf(options.now ?? this.workspace.now);
    const groupsJson = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
    const reasons: string[] = [];
    const groups: GroupResult[] = [];
    // Sets are never changed once made, so a group of one condition is that condition's set, and
    // the first group's result is the group's set: no copies of a million bits for nothing.
    let running: Bitset | undefined = existing;
    let runningCount: number | null = existing ? existing.count() : n;
    let evaluable = true;
    let cachedConditions = 0;
    for (const groupJson of groupsJson) {
      const conditionsJson = isRecord(groupJson) && Array.isArray(groupJson.conditions) ? groupJson.conditions : [];
      let groupSet: Bitset | undefined;
      let groupEvaluable = true;
      const conditions: ConditionResult[] = [];
      for (const conditionJson of conditionsJson) {
        const { outcome, cached } = this.evaluateCondition(conditionJson, options);
        if (cached) cachedConditions++;
        if (outcome.kind === 'matched') {
          const set = outcome.set;
          conditions.push({ matched: outcome.count, set });
          if (groupEvaluable) groupSet = groupSet ? groupSet.or(set) : set;
        } else {
          conditions.push({ matched: null, notEvaluable: outcome.reason });
          reasons.push(outcome.reason);
          groupEvaluable = false;
          groupSet = undefined;
        }
      }
      if (groupEvaluable) groupSet ??= new Bitset(n);
      const groupCount = groupSet ? groupSet.count() : null;
      evaluable &&= groupEvaluable;
      if (evaluable && groupSet) {
        running = running ? running.and(groupSet) : groupSet;
        runningCount = running === groupSet ? groupCount : running.count();
      } else {
        running = undefined;
        runningCount = null;
      }
      groups.push({ matched: groupCount, afterAnd: runningCount, conditions, set: groupSet });
    }
    if (evaluable && running === undefined) running = Bitset.full(n);
    return {
      total: existing ? existing.count() : n,
      matched: runningCount,
      groups,
      notEvaluable: [...new Set(reasons)],
      set: running,
      elapsedMs: Date.now() - started,
      cachedConditions,
    };
  }

  private compute(condition: unknown, ref: ReferenceTime, options: EvaluateOptions): ConditionOutcome {
    if (!isRecord(condition)) return notEvaluable('the condition is not an object');
    const kind = conditionKind(condition.type);
    if (!kind) return notEvaluable(`unknown condition type ${quoted(condition.type)}`);
    const cancellation = options.cancellation;
    const clock = this.options.clock ?? Date.now;
    const budgetMs = this.options.conditionBudgetMs ?? DEFAULT_CONDITION_BUDGET_MS;
    const deadline = clock() + budgetMs;
    const ctx: EvaluationContext = {
      workspace: this.workspace,
      ref,
      checkpoint: () => {
        if (cancellation?.isCancelled()) throw new EvaluationCancelled();
        if (clock() > deadline) throw new ConditionTooSlow(`more than ${budgetMs / 1000} s`);
      },
    };
    try {
      // Value tests and column loops reach the checkpoint through workBudget.ts.
      return withCheckpoint(ctx.checkpoint, () => kind.evaluate(ctx, condition));
    } catch (error) {
      if (error instanceof ConditionTooSlow) {
        const outcome = notEvaluable(error.message);
        TOO_SLOW.add(outcome);
        return outcome;
      }
      throw error;
    }
  }
}
