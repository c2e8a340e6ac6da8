/** A line diff for showing what a push changes. */

export type DiffLine = { kind: ' ' | '-' | '+'; text: string };

/** Longest-common-subsequence line diff (segment definitions are small; large inputs fall back to replace-all). */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  // Trim the common prefix and suffix first: most edits are local.
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const a = before.slice(start, endBefore);
  const b = after.slice(start, endAfter);
  const middle: DiffLine[] = [];
  if (a.length * b.length > 4_000_000) {
    for (const text of a) middle.push({ kind: '-', text });
    for (const text of b) middle.push({ kind: '+', text });
  } else {
    const width = b.length + 1;
    const lcs = new Uint32Array((a.length + 1) * width);
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        middle.push({ kind: ' ', text: a[i] });
        i++;
        j++;
      } else if (i < a.length && (j >= b.length || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
        // Removals before additions, as diff(1) prints a replaced block.
        middle.push({ kind: '-', text: a[i] });
        i++;
      } else {
        middle.push({ kind: '+', text: b[j] });
        j++;
      }
    }
  }
  return [
    ...before.slice(0, start).map((text): DiffLine => ({ kind: ' ', text })),
    ...middle,
    ...before.slice(endBefore).map((text): DiffLine => ({ kind: ' ', text })),
  ];
}

/** A unified diff (`---`/`+++` headers, `@@` hunks with `context` lines around changes); '' when equal. */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const lines = diffLines(a, b);
  if (!lines.some((l) => l.kind !== ' ')) return '';
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  // Positions of each diff line in a and b.
  const positions: { a: number; b: number }[] = [];
  let ia = 0;
  let ib = 0;
  for (const line of lines) {
    positions.push({ a: ia, b: ib });
    if (line.kind !== '+') ia++;
    if (line.kind !== '-') ib++;
  }
  let index = 0;
  while (index < lines.length) {
    if (lines[index].kind === ' ') {
      index++;
      continue;
    }
    const hunkStart = Math.max(0, index - context);
    let hunkEnd = index;
    // Extend while another change is within 2*context lines.
    for (let k = index; k < lines.length; k++) {
      if (lines[k].kind !== ' ') hunkEnd = k;
      else if (k - hunkEnd > context * 2) break;
    }
    const end = Math.min(lines.length, hunkEnd + context + 1);
    const slice = lines.slice(hunkStart, end);
    const countA = slice.filter((l) => l.kind !== '+').length;
    const countB = slice.filter((l) => l.kind !== '-').length;
    const startA = countA === 0 ? positions[hunkStart].a : positions[hunkStart].a + 1;
    const startB = countB === 0 ? positions[hunkStart].b : positions[hunkStart].b + 1;
    out.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const line of slice) out.push(`${line.kind}${line.text}`);
    index = end;
  }
  return `${out.join('\n')}\n`;
}

/**
 * `value` with its object keys in the order `template` uses (keys it lacks last), so a diff
 * of an API response against a local file shows changes, not reordering.
 */
export function alignKeys(value: unknown, template: unknown): unknown {
  if (Array.isArray(value)) return value.map((item, i) => alignKeys(item, Array.isArray(template) ? template[i] : undefined));
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const order = typeof template === 'object' && template !== null && !Array.isArray(template) ? Object.keys(template) : [];
  const keys = [...order.filter((k) => k in source), ...Object.keys(source).filter((k) => !order.includes(k))];
  const tpl = (typeof template === 'object' && template !== null ? template : {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, alignKeys(source[k], tpl[k])]));
}
