import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli';

describe('CLI: which files are segment files', function () {
  this.timeout(60_000);

  it("validate on a folder follows segmentLens.files from the folder's .vscode/settings.json, as the editor does", () => {
    const root = mkdtempSync(join(tmpdir(), 'segment-lens-cli-files-'));
    mkdirSync(join(root, '.vscode'));
    mkdirSync(join(root, 'audiences'));
    mkdirSync(join(root, 'segments'));
    writeFileSync(join(root, '.vscode', 'settings.json'), '{ "segmentLens.files": ["audiences/*.json"] }');
    // An error in each file, so the output names every file validated.
    const broken = '{ "condition_groups": [ { "conditions": [ { "type": "profile-region", "in_region": true, "region": "mars" } ] } ] }';
    writeFileSync(join(root, 'audiences', 'a.json'), broken);
    writeFileSync(join(root, 'segments', 'b.json'), broken);
    const run = runCli(['validate', '.'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^audiences\/a\.json:1:/m);
    assert.doesNotMatch(run.stdout, /segments\/b\.json/);
    assert.match(run.stderr, /1 file checked/);
  });
});
