import { CliUsageError } from './io';
import { GitError } from '../review/git';
import { ReviewUsageError } from '../review/diff';

/** `--limit N`: a whole number of profiles (or rows) to list. */
export function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 0) throw new CliUsageError(`--limit must be a whole number, not ${JSON.stringify(text)}`);
  return limit;
}

/** The output format from `--format` and its `--json` shorthand. */
export function chooseFormat<F extends string>(options: { json?: boolean; format?: string }, formats: readonly F[], fallback: F): F {
  if (options.json && options.format !== undefined && options.format !== 'json')
    throw new CliUsageError(`--json and --format ${options.format} contradict each other`);
  const format = options.json ? 'json' : (options.format ?? fallback);
  if (!(formats as readonly string[]).includes(format)) throw new CliUsageError(`--format must be one of ${formats.join(', ')}, not ${JSON.stringify(format)}`);
  return format as F;
}

/**
 * Runs a review step, turning what the user can fix (not a git repository, an unknown revision,
 * no workspace, git missing) into usage errors (exit code 2); other failures stay errors (1).
 */
export async function asUsageErrors<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof GitError && error.failure !== 'failed') throw new CliUsageError(error.message);
    if (error instanceof ReviewUsageError) throw new CliUsageError(error.message);
    throw error;
  }
}
