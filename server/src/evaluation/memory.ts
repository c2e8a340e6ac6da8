/**
 * Full garbage collections, when the process was started with --expose-gc (the memory tests do
 * so; an editor does not, and then this does nothing). Memory figures taken right after show
 * what is kept, not what is merely not collected yet. V8 keeps some caches of recently used
 * strings (regular-expression results, compiled code) through a collection or two and drops them
 * as they age, so one collection still counts them: three do not.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
}
