/**
 * The checkpoint of the condition being evaluated, for code that gets no EvaluationContext: the
 * value tests (a regular expression over one profile's value) and the loops over a column run
 * deep inside the condition kinds. The evaluator installs the running condition's checkpoint
 * (cancellation and time budget) here for the synchronous duration of its evaluation; they call
 * it as they go. Outside an evaluation (explanations, tests of a value filter) nothing is checked.
 */
let activeCheckpoint: (() => void) | undefined;
let unchecked = 0;

/** Work units (about one step of a matcher over one character) between two checkpoints. */
const WORK_PER_CHECK = 1_000_000;

/** Runs `run` with `check` as the checkpoint of everything it calls. */
export function withCheckpoint<T>(check: () => void, run: () => T): T {
  const previous = activeCheckpoint;
  const previousUnchecked = unchecked;
  activeCheckpoint = check;
  unchecked = 0;
  try {
    return run();
  } finally {
    activeCheckpoint = previous;
    unchecked = previousUnchecked;
  }
}

/** Calls the running condition's checkpoint: throws when it is cancelled or past its budget. */
export function checkpoint(): void {
  activeCheckpoint?.();
}

/** Counts `units` of work, calling the checkpoint every WORK_PER_CHECK units. */
export function spendWork(units: number): void {
  unchecked += units;
  if (unchecked >= WORK_PER_CHECK) {
    unchecked = 0;
    activeCheckpoint?.();
  }
}
