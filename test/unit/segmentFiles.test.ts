/**
 * Which files hold segment definitions (server/src/workspace/segmentFiles.ts): the one answer the
 * server, the CLI and the client share, from the `segmentLens.files` globs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SEGMENT_GLOBS, expandWithSettings, SegmentFileRules, segmentFileRulesFor } from '../../server/src/workspace/segmentFiles';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'segment-files-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const rel = (root: string, paths: string[]) =>
  paths.map((p) =>
    p
      .slice(root.length + 1)
      .split('\\')
      .join('/'),
  );

describe('segment files: SegmentFileRules', () => {
  it('by default: *.segment.json anywhere and .json files inside a folder named segments', () => {
    const rules = SegmentFileRules.default;
    assert.deepEqual(rules.globs, DEFAULT_SEGMENT_GLOBS);
    for (const path of ['/w/a.segment.json', '/w/segments/a.json', '/w/x/segments/deep/a.json', 'segments/a.json'])
      assert.equal(rules.matches(path), true, path);
    for (const path of ['/w/a.json', '/w/segments', '/w/segments/a.txt', '/w/segment/a.json']) assert.equal(rules.matches(path), false, path);
  });

  it('custom globs match relative to the workspace folder as VS Code does', () => {
    const rules = new SegmentFileRules(['audiences/*.json']);
    assert.equal(rules.matches('/w/audiences/a.json', '/w'), true);
    assert.equal(rules.matches('/w/x/audiences/a.json', '/w'), false);
    assert.equal(rules.matches('/elsewhere/audiences/a.json', '/w'), false);
    assert.equal(rules.matches('/w/segments/a.json', '/w'), false);
  });

  it('reads a settings value: a non-empty list of texts, else the default', () => {
    assert.equal(SegmentFileRules.from(undefined), SegmentFileRules.default);
    assert.equal(SegmentFileRules.from([]), SegmentFileRules.default);
    assert.equal(SegmentFileRules.from(['a', 3]), SegmentFileRules.default);
    assert.deepEqual(SegmentFileRules.from(['audiences/**/*.json']).globs, ['audiences/**/*.json']);
  });

  it('finds regular files only, skipping hidden, node_modules, out and dist folders', function () {
    const root = tree({
      'segments/a.json': '{}',
      'segments/sub/b.json': '{}',
      'c.segment.json': '{}',
      'notes/d.json': '{}',
      '.hidden/segments/e.json': '{}',
      'node_modules/segments/f.json': '{}',
      'dist/g.segment.json': '{}',
    });
    try {
      execFileSync('mkfifo', [join(root, 'segments', 'fifo.json')]);
    } catch {
      this.skip(); // mkfifo is part of coreutils on every machine this runs on; without it there is nothing to test
    }
    symlinkSync(join(root, 'segments', 'a.json'), join(root, 'segments', 'link.json'));
    assert.deepEqual(rel(root, SegmentFileRules.default.find(root)), ['c.segment.json', 'segments/a.json', 'segments/sub/b.json']);
    assert.deepEqual(rel(root, new SegmentFileRules(['notes/*.json']).find(root)), ['notes/d.json']);
  });

  it('puts a new file where the rules match it', () => {
    const root = tree({ 'segments/a.json': '{}', 'audiences/x/b.json': '{}' });
    assert.equal(SegmentFileRules.default.newFilePath(root, root, [join(root, 'segments/a.json')], 'welcome'), join(root, 'segments', 'welcome.json'));
    const custom = new SegmentFileRules(['audiences/**/*.json']);
    assert.equal(custom.newFilePath(root, root, [join(root, 'audiences/x/b.json')], 'welcome'), join(root, 'audiences', 'x', 'welcome.json'));
    // Rules that only take *.segment.json: the name says so.
    const suffixed = new SegmentFileRules(['**/*.segment.json']);
    assert.equal(suffixed.newFilePath(root, root, [], 'welcome'), join(root, 'segments', 'welcome.segment.json'));
    // No segments folder yet: a new one in the reviewed folder.
    const empty = tree({});
    assert.equal(SegmentFileRules.default.newFilePath(empty, empty, [], 'welcome'), join(empty, 'segments', 'welcome.json'));
  });
});

describe('segment files: the CLI reads segmentLens.files from .vscode/settings.json', () => {
  it('uses the nearest settings file above a folder (JSONC), else the default', () => {
    const root = tree({
      '.vscode/settings.json': '{\n  // where our segments live\n  "segmentLens.files": ["audiences/**/*.json"],\n}',
      'audiences/a.json': '{}',
      'segments/b.json': '{}',
      'sub/audiences/c.json': '{}',
    });
    assert.deepEqual(segmentFileRulesFor(join(root, 'sub')).globs, ['audiences/**/*.json']);
    assert.deepEqual(rel(root, expandWithSettings([root]).files), ['audiences/a.json']);
    const plain = tree({ 'segments/b.json': '{}' });
    assert.equal(segmentFileRulesFor(plain), SegmentFileRules.default);
    assert.deepEqual(rel(plain, expandWithSettings([plain, join(plain, 'missing')]).files), ['segments/b.json']);
    assert.deepEqual(expandWithSettings([join(plain, 'missing')]).missing, [join(plain, 'missing')]);
  });
});
