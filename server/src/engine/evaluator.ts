import { Bitset } from './bitset';
import { BoundedMemo } from './boundedMemo';
import { canonicalJson } from './canonical';
import { conditionKind } from './conditions';
import { ConditionTooSlow, EvaluationCancelled, isRecord, notEvaluable, type Cancellation, type ConditionOutcome, type EvaluationContext } from './outcome';
import { quoted } from './phrases';
import { withCheckpoint } from './workBudget';
import type { Workspace } from './workspace';

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

export interface EvaluatorOptions {
  /** Milliseconds one condition may take (default DEFAULT_CONDITION_BUDGET_MS). */
  conditionBudgetMs?: number;
  /** The clock of the budget (tests pass their own). */
  clock?: () => number;
}

export interface EvaluateOptions {
  cancellation?: Cancellation;
}

/**
 * Evaluates segment definitions against one workspace. Each condition's result is cached by its
 * canonical JSON, so after an edit to one condition only that condition is evaluated again.
 */
export class Evaluator {
  /**
   * Results by canonical JSON, least recently used out first, bounded by bytes: the key's text
   * and the result's bitset (docs/performance.md, "Robustness"). A condition whose canonical
   * JSON is over 64 KB (a megabyte value pasted into a filter) is evaluated every time instead.
   */
  private readonly cache = new BoundedMemo<ConditionOutcome>({
    maxBytes: 64 * 1024 * 1024,
    maxKeyLength: 64 * 1024,
    sizeOf: (outcome) => (outcome.kind === 'matched' ? outcome.set.words.byteLength : 0),
  });

  constructor(readonly workspace: Workspace, private readonly options: EvaluatorOptions = {}) {}

  /** Evaluates one condition (cached). Throws EvaluationCancelled when cancelled. */
  evaluateCondition(condition: unknown, options: EvaluateOptions = {}): { outcome: ConditionOutcome; cached: boolean } {
    const key = canonicalJson(condition);
    const hit = this.cache.get(key);
    if (hit) return { outcome: hit.value, cached: true };
    const outcome = this.compute(condition, options);
    this.cache.set(key, outcome);
    return { outcome, cached: false };
  }

  /** Evaluates a definition `{"condition_groups": [...]}`: groups ANDed, conditions ORed. */
  evaluateDefinition(definition: unknown, options: EvaluateOptions = {}): DefinitionResult {
    const started = Date.now();
    const n = this.workspace.profileCount;
    const groupsJson = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
    const reasons: string[] = [];
    const groups: GroupResult[] = [];
    let running: Bitset | undefined = Bitset.full(n);
    let cachedConditions = 0;
    for (const groupJson of groupsJson) {
      const conditionsJson = isRecord(groupJson) && Array.isArray(groupJson.conditions) ? groupJson.conditions : [];
      let groupSet: Bitset | undefined = new Bitset(n);
      const conditions: ConditionResult[] = [];
      for (const conditionJson of conditionsJson) {
        const { outcome, cached } = this.evaluateCondition(conditionJson, options);
        if (cached) cachedConditions++;
        if (outcome.kind === 'matched') {
          conditions.push({ matched: outcome.count, set: outcome.set });
          if (groupSet) groupSet = groupSet.or(outcome.set);
        } else {
          conditions.push({ matched: null, notEvaluable: outcome.reason });
          reasons.push(outcome.reason);
          groupSet = undefined;
        }
      }
      running = running && groupSet ? running.and(groupSet) : undefined;
      groups.push({ matched: groupSet ? groupSet.count() : null, afterAnd: running ? running.count() : null, conditions, set: groupSet });
    }
    return {
      total: n,
      matched: running ? running.count() : null,
      groups,
      notEvaluable: [...new Set(reasons)],
      set: running,
      elapsedMs: Date.now() - started,
      cachedConditions,
    };
  }

  private compute(condition: unknown, options: EvaluateOptions): ConditionOutcome {
    if (!isRecord(condition)) return notEvaluable('the condition is not an object');
    const kind = conditionKind(condition.type);
    if (!kind) return notEvaluable(`unknown condition type ${quoted(condition.type)}`);
    const cancellation = options.cancellation;
    const clock = this.options.clock ?? Date.now;
    const budgetMs = this.options.conditionBudgetMs ?? DEFAULT_CONDITION_BUDGET_MS;
    const deadline = clock() + budgetMs;
    const ctx: EvaluationContext = {
      workspace: this.workspace,
      ref: this.workspace.ref,
      checkpoint: () => {
        if (cancellation?.isCancelled()) throw new EvaluationCancelled();
        if (clock() > deadline) throw new ConditionTooSlow(`more than ${budgetMs / 1000} s`);
      },
    };
    try {
      // Value tests and column loops reach the checkpoint through workBudget.ts.
      return withCheckpoint(ctx.checkpoint, () => kind.evaluate(ctx, condition));
    } catch (error) {
      if (error instanceof ConditionTooSlow) return notEvaluable(error.message);
      throw error;
    }
  }
}
