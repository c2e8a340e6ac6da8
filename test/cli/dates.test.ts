/**
 * Date options of the CLI (`--now`, `--since`) mean the same instant on every machine: they are
 * read like every stored date (no offset means UTC), and what the engine would not read (another
 * format, an impossible day) is a usage error naming the option and the format it expects.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from './cli';

const SEGMENT = join('sample-workspace', 'segments', 'engaged-30-days.json');
const EXPECTED_FORMAT = 'expected an ISO date such as 2026-01-01 or 2026-01-01T12:00:00Z';

describe('CLI date options', function () {
  this.timeout(60_000);
  let cache: string;
  before(() => {
    cache = mkdtempSync(join(tmpdir(), 'segment-lens-dates-cache-'));
  });
  after(() => rmSync(cache, { recursive: true, force: true }));
  const inZone = (zone: string) => ({ TZ: zone, SEGMENT_LENS_CACHE_DIR: cache });

  it("evaluate --now without an offset means UTC, whatever the machine's time zone", () => {
    const args = ['evaluate', SEGMENT, '--now', '2026-01-01T00:00:00'];
    const newYork = runCli(args, { env: inZone('America/New_York') });
    const utc = runCli(args, { env: inZone('UTC') });
    assert.equal(newYork.code, 0, newYork.stderr);
    assert.equal(utc.code, 0, utc.stderr);
    assert.equal(newYork.stdout, utc.stdout);
    assert.match(utc.stdout, /as of 2026-01-01T00:00:00\.000Z \(UTC\)/);
    // The JSON result, without the time the evaluation took.
    const json = (zone: string) => {
      const { elapsed_ms: _elapsed, ...result } = JSON.parse(runCli([...args, '--json'], { env: inZone(zone) }).stdout) as {
        elapsed_ms: number;
        workspace: { now: string };
      };
      return result;
    };
    assert.deepEqual(json('America/New_York'), json('UTC'));
    assert.equal(json('Asia/Tokyo').workspace.now, '2026-01-01T00:00:00.000Z');
  });

  for (const value of ['10/15/2026', '2026-02-30']) {
    it(`evaluate --now ${value} is a usage error (exit 2) naming the option and the format`, () => {
      const { code, stdout, stderr } = runCli(['evaluate', SEGMENT, '--now', value], { env: inZone('UTC') });
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.equal(stderr.trim(), `segment-lens: --now: ${EXPECTED_FORMAT} (got "${value}")`);
    });
  }

  it('coverage --now, generate --now and pull --since reject the same values with exit 2', () => {
    const out = mkdtempSync(join(tmpdir(), 'segment-lens-dates-out-'));
    try {
      const runs = [
        { option: '--now', run: runCli(['coverage', 'sample-workspace', '--now', '2026-02-30'], { env: inZone('UTC') }) },
        { option: '--now', run: runCli(['generate', '--profiles', '10', '--events', '10', '--out', out, '--now', '10/15/2026'], { env: inZone('UTC') }) },
        // Rejected before the key is even looked for: no KLAVIYO_API_KEY here.
        { option: '--since', run: runCli(['pull', '--out', out, '--since', '2025-13-01'], { env: { ...inZone('UTC'), KLAVIYO_API_KEY: '' } }) },
      ];
      for (const { option, run } of runs) {
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, new RegExp(`${option}: ${EXPECTED_FORMAT}`));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('generate --now without an offset writes the same workspace in any time zone', () => {
    const dirs = ['America/Los_Angeles', 'UTC'].map((zone) => {
      const out = mkdtempSync(join(tmpdir(), 'segment-lens-dates-gen-'));
      const run = runCli(['generate', '--profiles', '20', '--events', '50', '--out', out, '--now', '2026-03-01T10:00:00', '--gzip', 'none'], {
        env: inZone(zone),
        cwd: REPO,
      });
      assert.equal(run.code, 0, run.stderr);
      return out;
    });
    try {
      const [a, b] = dirs.map((dir) => ({
        marker: JSON.parse(readFileSync(join(dir, 'klaviyo-workspace.json'), 'utf8')) as { now: string },
        profiles: readFileSync(join(dir, 'data', 'profiles.jsonl'), 'utf8'),
        events: readFileSync(join(dir, 'data', 'events.jsonl'), 'utf8'),
      }));
      assert.equal(a.marker.now, '2026-03-01T10:00:00Z');
      assert.deepEqual(a, b);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
