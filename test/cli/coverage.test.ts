/**
 * `segment-lens coverage`: on a copy of sample-workspace/ with lifecycle files removed, the report
 * names exactly those gaps, writes nothing unless asked, and `--create` writes files that
 * validate and select the removed files' audiences.
 *
 * The command runs in-process through `registerCoverageCommand` (the same commander wiring as
 * server/src/cli/main.ts), so these tests do not depend on the bundle; the last test also runs
 * `node bin/segment-lens.js coverage` once the command is registered in main.ts.
 *
 * Expected counts come from the workspace's files by independent test code
 * (test/unit/sampleFacts.ts), never from the command's own output.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerCoverageCommand } from '../../server/src/cli/coverageCommand';
import { CliUsageError, type CliIo } from '../../server/src/cli/io';
import { LIFECYCLE_STAGES, type CoverageJson } from '../../server/src/coverage';
import type { Bitset } from '../../server/src/engine/bitset';
import { summarizeWorkspace } from '../../server/src/engine/catalog';
import { Evaluator } from '../../server/src/engine/evaluator';
import type { Workspace } from '../../server/src/engine/workspace';
import { SegmentLanguage } from '../../server/src/segment/languageService';
import { definitionValue } from '../../server/src/segment/parse';
import { loadWorkspace } from '../../server/src/workspace/loadWorkspace';
import { count, percent, SampleFacts, sampleAudiences } from '../unit/sampleFacts';
import { REPO, runCli } from './cli';

const SAMPLE = join(REPO, 'sample-workspace');
const REMOVED = { 'vip-customers.json': 'vip-customers', 'lapsed-customers.json': 'lapsed-customers', 'engaged-30-days.json': 'engaged-30-days' };

/** Runs `segment-lens coverage ARGS` in-process, as main() would (usage errors exit 2). */
async function coverage(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), exitCode: (c) => (code = Math.max(code, c)) };
  const program = new Command('segment-lens').exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerCoverageCommand(program, io);
  try {
    await program.parseAsync(['node', 'segment-lens', 'coverage', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof CliUsageError) {
      err.push(`segment-lens: ${error.message}`);
      code = 2;
    } else {
      err.push(`segment-lens: ${error instanceof Error ? error.message : String(error)}`);
      code = 1;
    }
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const base = (file: string) => file.split(/[\\/]/).pop() as string;
const lifecycleMissing = (json: CoverageJson) =>
  json.findings
    .filter((f) => f.kind === 'missing' && (LIFECYCLE_STAGES as readonly string[]).includes(f.stage as string))
    .map((f) => f.stage as string)
    .sort();

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe('segment-lens coverage', function () {
  this.timeout(60_000);
  let dir: string;
  let workspace: Workspace;
  let evaluator: Evaluator;
  const language = new SegmentLanguage();
  const membersOf = (path: string): Bitset => {
    const result = evaluator.evaluateDefinition(definitionValue(language.parse(readFileSync(path, 'utf8'))));
    assert.ok(result.set, path);
    return result.set;
  };
  const jaccard = (a: Bitset, b: Bitset) => a.and(b).count() / a.or(b).count();
  let facts: SampleFacts;
  let audiences: ReturnType<typeof sampleAudiences>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segment-lens-coverage-'));
    cpSync(SAMPLE, dir, { recursive: true });
    for (const file of Object.keys(REMOVED)) unlinkSync(join(dir, 'segments', file));
    facts = new SampleFacts(dir);
    audiences = sampleAudiences(facts);
    workspace = (await loadWorkspace(dir)).workspace;
    evaluator = new Evaluator(workspace);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--json names exactly the removed lifecycle stages as gaps (besides replenishment, which the sample never had) and writes nothing', async () => {
    const before = listFiles(dir);
    const { code, stdout, stderr } = await coverage([dir, '--json']);
    assert.equal(code, 0, stderr);
    const json = JSON.parse(stdout) as CoverageJson;
    assert.deepEqual(Object.keys(json), ['segments', 'findings']);
    assert.deepEqual(lifecycleMissing(json), ['engaged-30-days', 'lapsed-customers', 'replenishment-due', 'vip-customers']);
    assert.equal(json.segments.length, facts.segmentFiles().length);
    assert.ok(json.segments.every((s) => !Object.keys(REMOVED).includes(base(s.file))));
    const firstTime = audiences.firstTime.size;
    assert.deepEqual(
      json.segments.find((s) => base(s.file) === 'first-time-buyers.json'),
      {
        file: json.segments.find((s) => base(s.file) === 'first-time-buyers.json')?.file,
        name: 'First time buyers',
        matched: firstTime,
        share: Math.round((firstTime / facts.profileCount) * 10_000) / 10_000,
      },
    );
    for (const f of json.findings) assert.ok(Object.keys(f).every((k) => ['kind', 'stage', 'files', 'evidence', 'priority', 'recommendation'].includes(k)));
    assert.deepEqual(listFiles(dir), before, 'nothing written');
  });

  it('--create writes the proposals for the named stages; they validate, select the removed audiences, and close the gaps', async () => {
    const out = join(dir, 'report');
    // With --json/--out as well, the report describes the folder after the files were created.
    const filesBefore = facts.segmentFiles().length;
    const created = await coverage([dir, '--json', '--out', out, '--create', 'vip-customers', 'lapsed-customers', 'engaged-30-days']);
    assert.equal(created.code, 0, created.stderr);
    const lines = created.stdout.split('\n');
    assert.deepEqual(
      lines.slice(0, 3).map((l) => l.replace(/^created .*segments[\\/]/, 'created ')),
      [
        `created vip-customers.json: VIP customers, ${count(audiences.vip.size)} profiles`,
        `created lapsed-customers.json: Lapsed customers, ${count(audiences.lapsed.size)} profiles`,
        `created engaged-30-days.json: Engaged (30 days), ${count(audiences.engaged30.size)} profiles`,
      ],
    );
    const context = { summary: summarizeWorkspace(workspace) };
    for (const file of Object.keys(REMOVED)) {
      const problems = language.validate(language.parse(readFileSync(join(dir, 'segments', file), 'utf8')), { workspace: context });
      assert.deepEqual(
        problems.filter((p) => p.severity === 'error'),
        [],
        file,
      );
    }
    assert.equal(jaccard(membersOf(join(dir, 'segments', 'lapsed-customers.json')), membersOf(join(SAMPLE, 'segments', 'lapsed-customers.json'))), 1);
    assert.equal(jaccard(membersOf(join(dir, 'segments', 'engaged-30-days.json')), membersOf(join(SAMPLE, 'segments', 'engaged-30-days.json'))), 1);
    const vip = membersOf(join(dir, 'segments', 'vip-customers.json'));
    const oldVip = membersOf(join(SAMPLE, 'segments', 'vip-customers.json'));
    assert.equal(vip.and(oldVip).count(), vip.count(), 'the data-derived VIPs are VIPs by the hand-written rule too');
    assert.ok(jaccard(vip, oldVip) > 0.6);

    const json = JSON.parse(lines.slice(3).join('\n')) as CoverageJson;
    assert.deepEqual(lifecycleMissing(json), ['replenishment-due']);
    assert.equal(json.segments.length, filesBefore + 3);
    assert.match(created.stderr, /wrote .*coverage\.md and .*coverage\.csv/);
    assert.match(readFileSync(join(out, 'coverage.md'), 'utf8'), /^# Segment coverage: Mint Vinyl \(sample\)/);
    assert.match(
      readFileSync(join(out, 'coverage.csv'), 'utf8'),
      /^Recommended segment,Files,Kind,Stage,Rule,Evidence,Intended use,Priority,Suggested owner,Review status,Refresh cadence,Recommendation\n/,
    );
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await coverage([dir, '--json', '--md'])).code, 2);
    assert.equal((await coverage([join(dir, 'no-such-folder')])).code, 2);
    const empty = mkdtempSync(join(tmpdir(), 'segment-lens-no-workspace-'));
    try {
      const result = await coverage([empty]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /no klaviyo-workspace\.json found/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const unknown = await coverage([dir, '--create', 'no-such-stage']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /"no-such-stage" is not a missing stage of this workspace\. Missing: replenishment-due, /);
    assert.ok(!existsSync(join(dir, 'segments', 'no-such-stage.json')));
  });

  it('runs from the bundled CLI once main.ts registers it', function () {
    if (!runCli(['--help']).stdout.includes('coverage')) this.skip();
    const { code, stdout, stderr } = runCli(['coverage', dir]);
    assert.equal(code, 0, stderr);
    // The earlier test created three files: the folder has as many as the sample again.
    const all = facts.profileCount;
    assert.ok(
      stdout.startsWith(
        `Segment coverage of ${facts.name} as of ${new Date(facts.now).toISOString()}: ${count(all)} profiles, ${facts.segmentFiles().length} segment files, ${facts.lists.length} lists`,
      ),
      stdout.split('\n')[0],
    );
    const due = audiences.replenishment.size;
    assert.ok(stdout.includes(`MEDIUM missing replenishment-due\n         ${count(due)} profiles (${percent(due, all)})`), stdout);
    assert.match(stdout, /Create files with: segment-lens coverage DIR --create /);
  });
});
