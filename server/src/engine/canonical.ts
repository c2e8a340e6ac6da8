/**
 * A canonical text for a JSON value: object keys sorted, no whitespace. Two conditions with the
 * same canonical text mean the same thing, so it keys the evaluation cache (an edit elsewhere in
 * the file leaves a condition's key, and its cached result, unchanged).
 *
 * It walks the value with its own stack, not by recursion: a value can come nested as deep as
 * whoever wrote it liked, and a recursive walk overflowed the call stack (issue 16).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // What is left to write, last first: values, and the punctuation between them.
  const pending: ({ text: string } | { value: unknown })[] = [{ value }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if ('text' in next) {
      out.push(next.text);
      continue;
    }
    const v = next.value;
    if (Array.isArray(v)) {
      out.push('[');
      pending.push({ text: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        pending.push({ value: v[i] });
        if (i > 0) pending.push({ text: ',' });
      }
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, e]) => e !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out.push('{');
      pending.push({ text: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        pending.push({ value: entries[i][1] }, { text: `${JSON.stringify(entries[i][0])}:` });
        if (i > 0) pending.push({ text: ',' });
      }
    } else {
      out.push(JSON.stringify(v) ?? 'null');
    }
  }
  return out.join('');
}
