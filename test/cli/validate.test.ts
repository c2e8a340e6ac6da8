import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, runCli } from './cli';

describe('segment-lens validate', () => {
  it('prints path:line:col: severity: message [code] and exits 1 on errors', () => {
    const { code, stdout, stderr } = runCli(['validate', join('test', 'fixtures', 'validate', 'legacy-region.segment.json')]);
    assert.equal(code, 1);
    assert.equal(
      stdout.trim(),
      'test/fixtures/validate/legacy-region.segment.json:5:56: error: "region_id" is the spelling of API revision 2024-06-15; revision 2026-07-15 names this key "region". [legacy-region-id]',
    );
    assert.match(stderr, /1 file checked: 1 error, 0 warnings/);
  });

  it('exits 0 for valid files and finds segment files in folders', () => {
    const { code, stdout } = runCli(['validate', join('test', 'fixtures', 'validate', 'segments')]);
    assert.equal(code, 0);
    assert.equal(stdout, '');
  });

  it('walks a folder for *.segment.json and segments/**/*.json only', () => {
    const { code, stdout, stderr } = runCli(['validate', '--json', join(FIXTURES, 'validate')], { cwd: join(FIXTURES, 'validate') });
    assert.equal(code, 1);
    const result = JSON.parse(stdout) as { file: string; diagnostics: { range: unknown; severity: number; message: string; code: string }[] }[];
    assert.deepEqual(
      result.map((r) => r.file),
      ['legacy-region.segment.json', 'segments/eu-residents.json'],
    );
    assert.deepEqual(result[0].diagnostics, [
      {
        range: { start: { line: 4, character: 55 }, end: { line: 4, character: 66 } },
        severity: 1,
        message: '"region_id" is the spelling of API revision 2024-06-15; revision 2026-07-15 names this key "region".',
        code: 'legacy-region-id',
      },
    ]);
    assert.deepEqual(result[1].diagnostics, []);
    assert.equal(stderr, '');
  });

  it('exits 2 on usage errors', () => {
    assert.equal(runCli(['validate']).code, 2);
    assert.equal(runCli(['validate', 'no/such/file.json']).code, 2);
    assert.equal(runCli(['no-such-command']).code, 2);
  });

  it('a file nested 100,000 levels deep is reported by name, and the other files are still checked', () => {
    const folder = mkdtempSync(join(tmpdir(), 'segment-lens-deep-'));
    try {
      mkdirSync(join(folder, 'segments'));
      writeFileSync(join(folder, 'segments', 'a-deep.json'), `{"condition_groups": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      writeFileSync(join(folder, 'segments', 'b-legacy.json'), readFileSync(join(FIXTURES, 'validate', 'legacy-region.segment.json'), 'utf8'));
      const { code, stdout, stderr } = runCli(['validate', 'segments'], { cwd: folder });
      assert.equal(code, 1);
      const lines = stdout.trim().split('\n');
      // The root object is level 1 and the limit is 64: the 64th bracket (column 21 + 64) is the first too deep.
      assert.match(lines[0], /^segments\/a-deep\.json:1:85: error: .*nested more than 64 levels.*\[too-deep\]$/);
      assert.match(lines[1], /^segments\/b-legacy\.json:5:56: error: .*\[legacy-region-id\]$/);
      assert.equal(lines.length, 2, stdout);
      assert.match(stderr, /2 files checked: 2 errors, 0 warnings/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
