import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './cli';

/** Runs the CLI with its standard output closed at once, as `| head -0` does; resolves with its exit code and stderr. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'segment-lens.js'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('CLI: a reader that stops early', function () {
  this.timeout(120_000);
  const segment = join('sample-workspace', 'segments', 'repeat-buyers.json');
  const commands: string[][] = [
    ['evaluate', segment, '--ids', '--limit', '100000'],
    ['evaluate', 'sample-workspace', '--json'],
    ['validate', '--format', 'json', 'sample-workspace'],
    ['validate', '--format', 'sarif', 'sample-workspace'],
    ['coverage', 'sample-workspace', '--json'],
    ['overlap', join('sample-workspace', 'segments'), '--json'],
    ['--help'],
  ];
  for (const args of commands) {
    it(`segment-lens ${args.join(' ')} | head: exits 0 without a stack trace`, async () => {
      const { code, signal, stderr } = await runWithClosedStdout(args);
      assert.equal(signal, null);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /EPIPE|Error|at .*\(.*:\d+:\d+\)/, stderr);
    });
  }
});
