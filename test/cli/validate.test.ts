import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, runCli } from './cli';

describe('segment-lens validate', () => {
  it('prints path:line:col: severity: message [code] and exits 1 on errors', () => {
    const { code, stdout, stderr } = runCli(['validate', join('test', 'fixtures', 'validate', 'legacy-region.segment.json')]);
    assert.equal(code, 1);
    assert.equal(stdout.trim(), 'test/fixtures/validate/legacy-region.segment.json:5:56: error: "region_id" is the spelling of API revision 2024-06-15; revision 2026-07-15 names this key "region". [legacy-region-id]');
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
    assert.deepEqual(result.map((r) => r.file), ['legacy-region.segment.json', 'segments/eu-residents.json']);
    assert.deepEqual(result[0].diagnostics, [{
      range: { start: { line: 4, character: 55 }, end: { line: 4, character: 66 } },
      severity: 1,
      message: '"region_id" is the spelling of API revision 2024-06-15; revision 2026-07-15 names this key "region".',
      code: 'legacy-region-id',
    }]);
    assert.deepEqual(result[1].diagnostics, []);
    assert.equal(stderr, '');
  });

  it('exits 2 on usage errors', () => {
    assert.equal(runCli(['validate']).code, 2);
    assert.equal(runCli(['validate', 'no/such/file.json']).code, 2);
    assert.equal(runCli(['no-such-command']).code, 2);
  });
});
