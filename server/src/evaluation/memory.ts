import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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

let exposedGc: (() => void) | null | undefined;

/**
 * One full garbage collection of this thread, now, whether or not the process was started with
 * --expose-gc (V8's gc function is fetched once through a new context, as the benchmark does).
 * For the moment a thread lets go of something big and is about to build something else: after a
 * first load at 1M profiles the evaluation worker drops the JSONL-loaded workspace (~1 GB) and
 * reads the cache's copy, and without a collection in between both stayed resident (the language
 * server then sat at ~1.9 GB once ready instead of ~1.0 GB at L). Does nothing where V8 refuses the flag.
 */
export function releaseNow(): void {
  if (exposedGc === undefined) {
    const own = (globalThis as { gc?: () => void }).gc;
    if (own) exposedGc = own;
    else {
      try {
        setFlagsFromString('--expose-gc');
        exposedGc = runInNewContext('gc') as () => void;
      } catch {
        exposedGc = null;
      }
    }
  }
  exposedGc?.();
}
