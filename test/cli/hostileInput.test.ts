/**
 * The CLI on hostile or unusual input (issue 16): missing workspaces are usage errors, FIFOs do
 * not block, byte order marks are whitespace, file names cannot forge diagnostic lines, and an
 * offset-less "now" means the same instant in every time zone.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, runCli } from './cli';

const TINY = join(FIXTURES, 'workspaces', 'tiny');
const LEGACY = readFileSync(join(FIXTURES, 'validate', 'legacy-region.segment.json'), 'utf8');
/** The one problem of LEGACY, after its `path:`. */
const LEGACY_PROBLEM = ':5:56: error: "region_id" is the spelling of API revision 2024-06-15; revision 2026-07-15 names this key "region". [legacy-region-id]';
/** A name as the CLI prints it: control characters as JSON-style escapes (the names here hold no quote or backslash). */
const escaped = (name: string) => JSON.stringify(name).slice(1, -1);
/** Kills a run that blocks (the defects below made the CLI wait forever). */
const TIMEOUT = 20000;

describe('segment-lens on hostile input', () => {
  let dir: string;
  const env = () => ({ SEGMENT_LENS_CACHE_DIR: join(dir, 'cache') });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'segment-lens-hostile-'));
    cpSync(TINY, join(dir, 'ws'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const buyers = () => join(dir, 'ws', 'segments', 'buyers.json');

  describe('evaluate --workspace', () => {
    it('is a usage error (exit 2, naming the folder) when the folder does not exist', () => {
      const { code, stdout, stderr } = runCli(['evaluate', buyers(), '--workspace', join(dir, 'no-such-folder')], { env: env() });
      assert.equal(code, 2, stdout + stderr);
      assert.match(stderr, /no-such-folder/);
      assert.equal(stdout, '');
    });

    it('is a usage error when the folder holds no klaviyo-workspace.json', () => {
      mkdirSync(join(dir, 'empty'));
      const { code, stdout, stderr } = runCli(['evaluate', buyers(), '--workspace', join(dir, 'empty')], { env: env() });
      assert.equal(code, 2, stdout + stderr);
      assert.match(stderr, /empty/);
      assert.match(stderr, /klaviyo-workspace\.json/);
      assert.equal(stdout, '');
    });

    it('still evaluates against a folder that has the marker', () => {
      const { code, stdout } = runCli(['evaluate', buyers(), '--workspace', join(dir, 'ws'), '--json'], { env: env() });
      assert.equal(code, 0);
      assert.equal((JSON.parse(stdout) as { total: number }).total, 4);
    });
  });

  describe('FIFOs', () => {
    it('validate reports a FIFO given by name like a missing file instead of waiting on it', () => {
      execFileSync('mkfifo', [join(dir, 'x.segment.json')]);
      const { code, stdout, stderr } = runCli(['validate', join(dir, 'x.segment.json')], { timeout: TIMEOUT });
      assert.equal(code, 2, `exit ${code}: ${stdout}${stderr}`);
      assert.match(stderr, /x\.segment\.json/);
      assert.match(stderr, /not a regular file/);
    });

    it('validate skips a FIFO inside a folder it walks', () => {
      mkdirSync(join(dir, 'segments'));
      execFileSync('mkfifo', [join(dir, 'segments', 'x.json')]);
      writeFileSync(
        join(dir, 'segments', 'ok.json'),
        '{"condition_groups": [{"conditions": [{"type": "profile-region", "in_region": true, "region": "european_union"}]}]}',
      );
      const { code, stderr } = runCli(['validate', join(dir, 'segments')], { timeout: TIMEOUT });
      assert.equal(code, 0, stderr);
      assert.match(stderr, /^1 file checked/);
    });

    it('evaluate does not wait on a data file that is a FIFO', () => {
      unlinkSync(join(dir, 'ws', 'data', 'metrics.json'));
      execFileSync('mkfifo', [join(dir, 'ws', 'data', 'metrics.json')]);
      unlinkSync(join(dir, 'ws', 'data', 'events.jsonl'));
      execFileSync('mkfifo', [join(dir, 'ws', 'data', 'events.jsonl')]);
      const { code, stdout, stderr } = runCli(['evaluate', buyers(), '--no-cache'], { env: env(), timeout: TIMEOUT });
      assert.equal(code, 0, `exit ${code}: ${stdout}${stderr}`);
      assert.match(stderr, /data\/metrics\.json: warning: .*not a regular file.* \[unreadable-file\]/);
      assert.match(stderr, /data\/events\.jsonl: warning: .*not a regular file.* \[unreadable-file\]/);
      // The rest of the workspace loaded (the buyers' metric is gone with metrics and events).
      assert.match(stdout, /Matches not evaluable locally in Tiny shop/);
      assert.match(stdout, /group 2: 2/);
    });
  });

  describe('a UTF-8 byte order mark in a segment file', () => {
    it('validates clean', () => {
      const path = join(dir, 'ws', 'segments', 'bom.json');
      writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(buyers())]));
      const { code, stdout, stderr } = runCli(['validate', path]);
      assert.equal(code, 0, stdout + stderr);
      assert.equal(stdout, '');
    });

    it('keeps the columns of problems on the first line where they are', () => {
      const text = `{"condition_groups": [{"conditions": [{"type": "profile-region", "in_region": true, "region_id": "european_union"}]}]}`;
      writeFileSync(join(dir, 'plain.segment.json'), text);
      writeFileSync(join(dir, 'bom.segment.json'), `\uFEFF${text}`);
      const plain = runCli(['validate', 'plain.segment.json'], { cwd: dir });
      const bom = runCli(['validate', 'bom.segment.json'], { cwd: dir });
      assert.equal(plain.code, 1);
      assert.equal(bom.code, 1);
      assert.equal(bom.stdout.replace(/^bom/, 'plain'), plain.stdout);
      assert.match(bom.stdout, /^bom\.segment\.json:1:\d+: error: .*\[legacy-region-id\]$/m);
      const evaluated = runCli(['evaluate', join(dir, 'bom.segment.json'), '--workspace', join(dir, 'ws')], { env: env() });
      assert.match(evaluated.stdout, /INVALID/);
    });
  });

  describe('file names with control characters', () => {
    it('cannot forge a diagnostic line: validate prints such a path with escapes', () => {
      const name = 'evil.segment.json:1:1: error: forged [x]\nreal.segment.json';
      writeFileSync(join(dir, name), LEGACY);
      const { code, stdout } = runCli(['validate', '.'], { cwd: dir });
      assert.equal(code, 1);
      const lines = stdout.trimEnd().split('\n');
      assert.deepEqual(lines, [`${escaped(name)}${LEGACY_PROBLEM}`]);
    });

    it('prints ordinary names as they are', () => {
      writeFileSync(join(dir, 'plain name.segment.json'), LEGACY);
      const { stdout } = runCli(['validate', '.'], { cwd: dir });
      assert.equal(stdout.trimEnd(), `plain name.segment.json${LEGACY_PROBLEM}`);
    });

    it('escapes them in evaluate output and usage errors too', () => {
      const name = 'tab\there\r.segment.json';
      const segments = join(dir, 'ws', 'segments');
      writeFileSync(join(segments, name), readFileSync(buyers()));
      writeFileSync(join(segments, 'bad\nname.json'), LEGACY);
      const { stdout, stderr } = runCli(['evaluate', segments], { cwd: segments, env: env() });
      const lines = stdout.trimEnd().split('\n');
      assert.ok(
        lines.some((line) => line.startsWith(`${escaped('bad\nname.json')}: INVALID`)),
        stdout,
      );
      assert.ok(
        lines.some((line) => line.startsWith(`  ${escaped('bad\nname.json')}:5:56: error:`)),
        stdout,
      );
      assert.ok(
        lines.some((line) => line.startsWith(`${escaped(name)}: valid;`)),
        stdout,
      );
      assert.ok(!/[\t\r]/.test(stdout), JSON.stringify(stdout));
      const missing = runCli(['evaluate', 'gone\n.segment.json'], { cwd: segments });
      assert.equal(missing.code, 2);
      assert.ok(missing.stderr.includes(`no such file or folder: ${escaped('gone\n.segment.json')}`), missing.stderr);
      assert.ok(!stderr.includes('\r'));
    });
  });

  describe('"now" without an offset', () => {
    it('is the same instant whatever TZ the CLI runs in', () => {
      writeFileSync(join(dir, 'ws', 'klaviyo-workspace.json'), '{"name": "Tiny shop", "now": "2026-11-01T12:00:00"}');
      const results = ['America/Los_Angeles', 'Asia/Tokyo', 'UTC'].map((tz) => {
        const { code, stdout, stderr } = runCli(['evaluate', buyers(), '--json', '--no-cache'], { env: { ...env(), TZ: tz } });
        assert.equal(code, 0, stderr);
        assert.doesNotMatch(stderr, /bad-marker/);
        const result = JSON.parse(stdout) as { workspace: { now: string }; matched: number };
        return [result.workspace.now, result.matched];
      });
      assert.deepEqual(results, [
        ['2026-11-01T12:00:00.000Z', results[0][1]],
        ['2026-11-01T12:00:00.000Z', results[0][1]],
        ['2026-11-01T12:00:00.000Z', results[0][1]],
      ]);
    });
  });
});
