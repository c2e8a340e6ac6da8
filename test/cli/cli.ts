import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..');
export const FIXTURES = join(REPO, 'test', 'fixtures');

/** Runs the built CLI the way a user does (`node bin/segment-lens.js ...`). */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {},
): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'segment-lens.js'), ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    input: options.input,
    // A run that would block forever (a FIFO) is killed and reports code -1.
    timeout: options.timeout,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
