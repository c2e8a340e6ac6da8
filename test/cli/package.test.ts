import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli';

describe('the extension package', () => {
  it('holds every bundle that scripts/build.mjs makes (the server starts its workers from dist/)', function () {
    this.timeout(120_000);
    const bundles = [...readFileSync(join(REPO, 'scripts', 'build.mjs'), 'utf8').matchAll(/outfile: '([^']+)'/g)].map((m) => m[1]);
    assert.ok(bundles.includes('dist/loadWorker.js') && bundles.includes('dist/evaluationWorker.js'), bundles.join(', '));
    const listed = spawnSync(process.execPath, [join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const packaged = new Set(listed.stdout.split('\n').map((line) => line.trim()));
    assert.deepEqual(
      bundles.filter((bundle) => !packaged.has(bundle)),
      [],
    );
  });
});
