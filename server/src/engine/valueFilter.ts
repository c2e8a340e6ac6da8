import { RE2JS } from 're2js';
import { ConditionTooSlow } from './outcome';
import { phoneRegion } from './phoneCountry';
import { compileDateFilter, parseInstant, type ReferenceTime } from './time';
import { spendWork } from './workBudget';
import type { NumberInterval, TextPattern } from './column';

/**
 * A filter on one stored value (a profile property, an event property, a consent field), compiled
 * once per evaluation. `test` is only called for a value that is present (not undefined, not
 * null); `matchesMissing` says whether a missing value matches, which is true for `not-set` only
 * (semantics §3: missing values never match, not even negated operators).
 */
export type CompiledValueFilter = { test: (value: unknown) => boolean; matchesMissing: boolean } | { notEvaluable: string };

interface FilterJson {
  type?: unknown;
  operator?: unknown;
  value?: unknown;
  start?: unknown;
  end?: unknown;
}

const NEVER: CompiledValueFilter = { test: () => false, matchesMissing: false };

function stringValue(value: unknown): string {
  // A null filter value compares as the empty text (SL).
  return typeof value === 'string' ? value : '';
}

export function compileValueFilter(filter: unknown, ref: ReferenceTime): CompiledValueFilter {
  if (typeof filter !== 'object' || filter === null) return { notEvaluable: 'the filter is missing' };
  const f = filter as FilterJson;
  const operator = f.operator;
  switch (f.type) {
    case 'existence':
      if (operator === 'is-set') return { test: () => true, matchesMissing: false };
      if (operator === 'not-set') return { test: () => false, matchesMissing: true };
      break;
    case 'boolean':
      if (operator === 'equals' && typeof f.value === 'boolean') {
        const expected = f.value;
        return { test: (v) => v === expected, matchesMissing: false };
      }
      break;
    case 'numeric': {
      const n = f.value;
      const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
      if (operator === 'between' && typeof f.start === 'number' && typeof f.end === 'number') {
        const lo = f.start;
        const hi = f.end;
        const interval = { lo, loInclusive: true, hi, hiInclusive: true, inside: true };
        return { test: Object.assign((v: unknown) => isNumber(v) && v >= lo && v <= hi, { interval }), matchesMissing: false };
      }
      if (typeof n !== 'number') break;
      const compare = numericComparison(operator, n);
      const interval = numericInterval(operator, n);
      if (compare && interval) return { test: Object.assign((v: unknown) => isNumber(v) && compare(v), { interval }), matchesMissing: false };
      break;
    }
    case 'string':
      return compileStringFilter(operator, f.value);
    case 'list':
      return compileListFilter(operator, f.value);
    case 'date': {
      const window = compileDateFilter(filter, ref);
      if ('notEvaluable' in window) return window;
      return {
        test: (v) => {
          const t = parseInstant(v);
          return t !== undefined && window.test(t);
        },
        matchesMissing: false,
      };
    }
  }
  return { notEvaluable: `the filter ${JSON.stringify(filter)} is not a filter the evaluator knows` };
}

/** `numericComparison(operator, n)` as an interval of the numbers that pass it (see ValueTest.interval). */
function numericInterval(operator: unknown, n: number): NumberInterval | undefined {
  switch (operator) {
    case 'equals':
    case 'not-equals':
      return { lo: n, loInclusive: true, hi: n, hiInclusive: true, inside: operator === 'equals' };
    case 'greater-than':
    case 'greater-than-or-equal':
      return { lo: n, loInclusive: operator === 'greater-than-or-equal', hi: Infinity, hiInclusive: true, inside: true };
    case 'less-than':
    case 'less-than-or-equal':
      return { lo: -Infinity, loInclusive: true, hi: n, hiInclusive: operator === 'less-than-or-equal', inside: true };
    default:
      return undefined;
  }
}

/** A numeric comparison `value <op> n`. */
export function numericComparison(operator: unknown, n: number): ((v: number) => boolean) | undefined {
  switch (operator) {
    case 'equals':
      return (v) => v === n;
    case 'not-equals':
      return (v) => v !== n;
    case 'greater-than':
      return (v) => v > n;
    case 'greater-than-or-equal':
      return (v) => v >= n;
    case 'less-than':
      return (v) => v < n;
    case 'less-than-or-equal':
      return (v) => v <= n;
    default:
      return undefined;
  }
}

function compileStringFilter(operator: unknown, filterValue: unknown): CompiledValueFilter {
  const isString = (v: unknown): v is string => typeof v === 'string';
  if (operator === 'in' || operator === 'not-in') {
    if (!Array.isArray(filterValue)) return { notEvaluable: `"${String(operator)}" needs a list of texts` };
    const set = new Set(filterValue.filter(isString));
    const wanted = operator === 'in';
    return { test: (v) => isString(v) && set.has(v) === wanted, matchesMissing: false };
  }
  if (operator === 'phone-country-code-in' || operator === 'phone-country-code-not-in') {
    if (!Array.isArray(filterValue)) return { notEvaluable: `"${operator}" needs a list of country codes` };
    const set = new Set(filterValue.filter(isString).map((c) => c.toUpperCase()));
    const wanted = operator === 'phone-country-code-in';
    return {
      test: (v) => {
        if (!isString(v)) return false;
        const region = phoneRegion(v);
        // A number whose country cannot be determined matches neither operator (like a missing value).
        return region !== undefined && set.has(region) === wanted;
      },
      matchesMissing: false,
    };
  }
  const text = stringValue(filterValue);
  // Each test also runs in place on a column's joined texts (see ValueTest.inText), and a
  // comparison at one place as data (ValueTest.textPattern).
  const textTest = (
    test: (v: string) => boolean,
    inText: (all: string, start: number, end: number) => boolean,
    negate: boolean,
    at?: TextPattern['at'],
  ): CompiledValueFilter => ({
    test: Object.assign((v: unknown) => isString(v) && test(v) !== negate, {
      inText: (all: string, start: number, end: number) => inText(all, start, end) !== negate,
      textPattern: at ? { needle: text, at, negate } : undefined,
    }),
    matchesMissing: false,
  });
  const n = text.length;
  const at = textAt(text);
  const equals = textTest(
    (v) => v === text,
    (all, start, end) => end - start === n && at(all, start),
    false,
    'whole',
  );
  const startsWith = (negate: boolean) =>
    textTest(
      (v) => v.startsWith(text),
      (all, start, end) => end - start >= n && at(all, start),
      negate,
      'start',
    );
  const endsWith = (negate: boolean) =>
    textTest(
      (v) => v.endsWith(text),
      (all, start, end) => end - start >= n && at(all, end - n),
      negate,
      'end',
    );
  switch (operator) {
    case 'equals':
      return equals;
    case 'not-equals':
      return textTest(
        (v) => v === text,
        (all, start, end) => end - start === n && all.startsWith(text, start),
        true,
        'whole',
      );
    case 'contains':
      return textTest((v) => v.includes(text), containsIn(text), false);
    case 'not-contains':
      return textTest((v) => v.includes(text), containsIn(text), true);
    case 'starts-with':
      return startsWith(false);
    case 'not-starts-with':
      return startsWith(true);
    case 'ends-with':
      return endsWith(false);
    case 'not-ends-with':
      return endsWith(true);
    case 'regex':
    case 'nregex': {
      const pattern = compileRegex(text);
      if (typeof pattern === 'string') return { notEvaluable: pattern };
      const wanted = operator === 'regex';
      const size = pattern.programSize();
      return {
        test: (v) => {
          if (!isString(v)) return false;
          // RE2's slowest path costs about one step per instruction and character: refuse a match
          // that could take seconds, and count the work towards the condition's time budget.
          const work = size * v.length;
          if (work > REGEX_LIMITS.maxMatchWork)
            throw new ConditionTooSlow(
              `a value of ${v.length.toLocaleString('en-US')} characters is too long for a regular expression of ${size.toLocaleString('en-US')} instructions`,
            );
          spendWork(work);
          // test() needs no match positions, so RE2 can answer with its DFA: much faster than find().
          return pattern.test(v) === wanted;
        },
        matchesMissing: false,
      };
    }
  }
  return { notEvaluable: `unknown text operator ${JSON.stringify(operator)}` };
}

/**
 * Whether `needle` occurs in `all` at `position` (which the caller keeps in range), compared code
 * unit by code unit as `startsWith` does, first code unit first: over a column's texts most rows
 * differ there (an e-mail's `@` rarely sits where the needle's does), and a loop of `charCodeAt`
 * costs less per row than a call to `startsWith` / `endsWith` on a long string.
 */
function textAt(needle: string): (all: string, position: number) => boolean {
  const n = needle.length;
  if (n === 0) return () => true;
  const codes = Uint16Array.from({ length: n }, (_, i) => needle.charCodeAt(i));
  const head = codes[0];
  return (all, position) => {
    if (all.charCodeAt(position) !== head) return false;
    for (let i = n - 1; i > 0; i--) if (all.charCodeAt(position + i) !== codes[i]) return false;
    return true;
  };
}

/**
 * "Contains" on ranges of one long string, remembering the next occurrence: rows are mostly asked
 * in order, so the whole column is scanned about once instead of once per row.
 */
function containsIn(needle: string): (all: string, start: number, end: number) => boolean {
  let scanned: string | undefined;
  let from = -1; // `next` is the first occurrence at or after `from` in `scanned`
  let next = -1;
  return (all, start, end) => {
    if (all !== scanned || start < from || (next !== -1 && start > next)) {
      scanned = all;
      from = start;
      next = all.indexOf(needle, start);
    }
    return next !== -1 && next + needle.length <= end;
  };
}

/**
 * User patterns run over every profile, so they go through RE2 (linear time, no catastrophic
 * backtracking). Klaviyo does not document its dialect (SL); RE2 lacks look-around and
 * back-references, and a pattern using them is "not evaluable locally".
 */
export function compileRegex(pattern: string): RE2JS | string {
  const count = (n: number) => n.toLocaleString('en-US');
  if (pattern.length > REGEX_LIMITS.maxPatternLength)
    return `the regular expression is longer than ${count(REGEX_LIMITS.maxPatternLength)} characters (${count(pattern.length)}): too long to evaluate locally`;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    return `the regular expression ${JSON.stringify(pattern)} cannot be evaluated locally (${(error as Error).message})`;
  }
  const size = compiled.programSize();
  if (size > REGEX_LIMITS.maxProgramSize)
    return `the regular expression ${JSON.stringify(pattern)} is too complex to evaluate locally (${count(size)} instructions; at most ${count(REGEX_LIMITS.maxProgramSize)})`;
  return compiled;
}

/**
 * Limits on user patterns (docs/semantics.md, "Limits"). RE2 runs in time linear in the value,
 * but the factor is the compiled program's size: both are bounded so that one match never takes
 * seconds, and the matches of one condition count towards its time budget.
 */
export const REGEX_LIMITS = {
  /** Characters of a pattern. */
  maxPatternLength: 1_000,
  /** Instructions of the compiled program (re2js programSize; `.{1000}` alone is a thousand). */
  maxProgramSize: 5_000,
  /** Program size × value length of one match: about a second on RE2's slowest path. */
  maxMatchWork: 10_000_000,
};

function compileListFilter(operator: unknown, filterValue: unknown): CompiledValueFilter {
  const isList = Array.isArray;
  switch (operator) {
    case 'contains':
      return { test: (v) => isList(v) && v.some((e) => e === filterValue || (filterValue === null && e === '')), matchesMissing: false };
    case 'not-contains':
      return { test: (v) => isList(v) && !v.some((e) => e === filterValue || (filterValue === null && e === '')), matchesMissing: false };
    case 'contains-any':
    case 'contains-all':
    case 'not-contains-any':
    case 'not-contains-all': {
      if (!Array.isArray(filterValue)) return NEVER;
      const wanted = filterValue;
      const any = (v: unknown[]) => wanted.some((w) => v.includes(w));
      const all = (v: unknown[]) => wanted.every((w) => v.includes(w));
      const test =
        operator === 'contains-any'
          ? any
          : operator === 'contains-all'
            ? all
            : operator === 'not-contains-any'
              ? (v: unknown[]) => !any(v)
              : (v: unknown[]) => !all(v);
      return { test: (v) => isList(v) && test(v), matchesMissing: false };
    }
    case 'contains-substring':
    case 'not-contains-substring': {
      const text = stringValue(filterValue);
      const some = (v: unknown[]) => v.some((e) => typeof e === 'string' && e.includes(text));
      const wanted = operator === 'contains-substring';
      return { test: (v) => isList(v) && some(v) === wanted, matchesMissing: false };
    }
  }
  if (typeof operator === 'string' && operator.startsWith('length-') && typeof filterValue === 'number') {
    const compare = numericComparison(operator.slice('length-'.length), filterValue);
    if (compare) return { test: (v) => isList(v) && compare(v.length), matchesMissing: false };
  }
  return { notEvaluable: `unknown list operator ${JSON.stringify(operator)}` };
}
