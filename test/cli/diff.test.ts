/**
 * `segment-lens diff` as users run it, against real temporary git repositories: two commits
 * (a file added, one removed, one modified, one renamed) and changes not yet committed, a
 * repository without commits, and a folder outside git. Expected counts and profiles come from
 * the reference matcher in reviewFixture.ts, not from the engine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, renameSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './cli';
import { expectedIds, git, PROFILES, writeFile, writeSegment, writeWorkspace, type FieldCondition } from './reviewFixture';

interface Side {
  name: string | null;
  description: string | null;
  outcome: { kind: string; matched?: number; errors?: { code: string }[] };
}
interface FileDiff {
  status: string;
  path: string;
  oldPath: string | null;
  before: Side | null;
  after: Side | null;
  definitionChanged: boolean;
  added: { count: number; ids: string[]; sample: { id: string }[] } | null;
  removed: { count: number; ids: string[]; sample: { id: string }[] } | null;
}
interface Report {
  repository: string;
  base: { revision: string; commit: string | null };
  noCommits: boolean;
  files: FileDiff[];
}

const GOLD: FieldCondition[][] = [[{ field: 'tier', value: 'gold' }]];
const GOLD_OR_SILVER: FieldCondition[][] = [
  [
    { field: 'tier', value: 'gold' },
    { field: 'tier', value: 'silver' },
  ],
];
const SILVER: FieldCondition[][] = [[{ field: 'tier', value: 'silver' }]];
const US: FieldCondition[][] = [[{ field: 'country', value: 'US' }]];
const JAZZ: FieldCondition[][] = [[{ field: 'genre', value: 'Jazz' }]];
const JAZZ_OR_BLUES: FieldCondition[][] = [
  [
    { field: 'genre', value: 'Jazz' },
    { field: 'genre', value: 'Blues' },
  ],
];
const BRONZE: FieldCondition[][] = [[{ field: 'tier', value: 'bronze' }]];
const GOLD_AND_US: FieldCondition[][] = [[{ field: 'tier', value: 'gold' }], [{ field: 'country', value: 'US' }]];
const DRAFT: FieldCondition[][] = [[{ field: 'genre', value: 'Soul' }]];

const minus = (a: string[], b: string[]) => a.filter((id) => !b.includes(id));

describe('segment-lens diff', () => {
  let temp: string;
  let repo: string;

  before(() => {
    temp = mkdtempSync(join(tmpdir(), 'segment-lens-diff-'));
    repo = join(temp, 'repo');
    writeWorkspace(repo);
    const seg = (name: string) => join(repo, 'segments', name);
    writeSegment(seg('gold.json'), GOLD, 'Gold tier');
    writeSegment(seg('silver.json'), SILVER);
    writeSegment(seg('us.json'), US);
    writeSegment(seg('jazz.json'), JAZZ);
    writeSegment(seg('bronze.json'), BRONZE);
    writeFile(join(repo, 'notes.json'), '{"not": "a segment"}\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'first');
    // The second commit: one file added, one removed, one modified, one renamed (same content).
    writeSegment(seg('vip.json'), GOLD_AND_US);
    unlinkSync(seg('silver.json'));
    writeSegment(seg('jazz.json'), JAZZ_OR_BLUES);
    renameSync(seg('us.json'), seg('americans.json'));
    writeFile(join(repo, 'notes.json'), '{"still": "not a segment"}\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'second');
    // Not committed: a modified file, a new untracked file, and a file that is now invalid.
    writeSegment(seg('gold.json'), GOLD_OR_SILVER, 'Gold tier');
    writeSegment(seg('draft.json'), DRAFT);
    writeFile(
      seg('bronze.json'),
      JSON.stringify({
        condition_groups: [
          { conditions: [{ type: 'profile-property', property: "properties['Tier']", filter: { type: 'string', operator: 'equalz', value: 'bronze' } }] },
        ],
      }),
    );
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  it('reports every kind of change against an older commit, with counts and profiles from the data', () => {
    const { code, stdout, stderr } = runCli(['diff', '--base', 'HEAD~1', '--json'], { cwd: repo });
    assert.equal(code, 1, `an invalid definition in the working tree fails the run\n${stderr}`);
    const report = JSON.parse(stdout) as Report;
    assert.equal(report.noCommits, false);
    assert.equal(report.base.revision, 'HEAD~1');
    assert.equal(report.base.commit, git(repo, 'rev-parse', 'HEAD~1').trim());
    const byPath = new Map(report.files.map((f) => [f.path, f]));
    assert.deepEqual(
      report.files.map((f) => [f.path, f.status]),
      [
        ['segments/americans.json', 'renamed'],
        ['segments/bronze.json', 'modified'],
        ['segments/draft.json', 'added'],
        ['segments/gold.json', 'modified'],
        ['segments/jazz.json', 'modified'],
        ['segments/silver.json', 'removed'],
        ['segments/vip.json', 'added'],
      ],
    );

    const renamed = byPath.get('segments/americans.json')!;
    assert.equal(renamed.oldPath, 'segments/us.json');
    assert.equal(renamed.definitionChanged, false);
    assert.equal(renamed.before?.outcome.matched, expectedIds(US).length);
    assert.equal(renamed.after?.outcome.matched, expectedIds(US).length);
    assert.deepEqual([renamed.added?.ids, renamed.removed?.ids], [[], []]);

    const gold = byPath.get('segments/gold.json')!;
    assert.equal(gold.before?.outcome.matched, expectedIds(GOLD).length);
    assert.equal(gold.after?.outcome.matched, expectedIds(GOLD_OR_SILVER).length);
    assert.deepEqual(gold.added?.ids, minus(expectedIds(GOLD_OR_SILVER), expectedIds(GOLD)));
    assert.deepEqual(gold.removed?.ids, []);
    assert.equal(gold.after?.name, 'Gold tier');
    assert.equal(gold.before?.description, 'Tier is "gold"');
    assert.equal(gold.after?.description, 'Tier is "gold" OR Tier is "silver"');

    const jazz = byPath.get('segments/jazz.json')!;
    assert.equal(jazz.definitionChanged, true);
    assert.deepEqual(jazz.added?.ids, minus(expectedIds(JAZZ_OR_BLUES), expectedIds(JAZZ)));
    assert.equal(jazz.added?.count, jazz.added?.ids.length);
    assert.equal(jazz.before?.description, 'Genre is "Jazz"');
    assert.equal(jazz.after?.description, 'Genre is "Jazz" OR Genre is "Blues"');

    const silver = byPath.get('segments/silver.json')!;
    assert.equal(silver.after, null);
    assert.deepEqual(silver.removed?.ids, expectedIds(SILVER));
    assert.deepEqual(silver.added?.ids, []);

    const vip = byPath.get('segments/vip.json')!;
    assert.equal(vip.before, null);
    assert.deepEqual(vip.added?.ids, expectedIds(GOLD_AND_US));

    const draft = byPath.get('segments/draft.json')!;
    assert.deepEqual(draft.added?.ids, expectedIds(DRAFT));

    const bronze = byPath.get('segments/bronze.json')!;
    assert.equal(bronze.before?.outcome.matched, expectedIds(BRONZE).length);
    assert.equal(bronze.after?.outcome.kind, 'invalid');
    assert.equal(bronze.after?.description, null);
    assert.ok(bronze.after?.outcome.errors?.length);
    assert.equal(bronze.added, null, 'no profile delta when one side cannot be counted');
    assert.equal(bronze.removed, null);
  });

  it('compares with HEAD by default: only what is not committed', () => {
    const { stdout } = runCli(['diff', '--json'], { cwd: repo });
    const report = JSON.parse(stdout) as Report;
    assert.deepEqual(
      report.files.map((f) => [f.path, f.status]),
      [
        ['segments/bronze.json', 'modified'],
        ['segments/draft.json', 'added'],
        ['segments/gold.json', 'modified'],
      ],
    );
  });

  it('limits the comparison to the paths given, relative to the current folder', () => {
    const { stdout } = runCli(['diff', '--base', 'HEAD~1', '--json', 'jazz.json', 'vip.json'], { cwd: join(repo, 'segments') });
    assert.deepEqual(
      (JSON.parse(stdout) as Report).files.map((f) => f.path),
      ['segments/jazz.json', 'segments/vip.json'],
    );
    const inFolder = runCli(['diff', '--base', 'HEAD~1', '--json', 'segments'], { cwd: repo });
    assert.equal((JSON.parse(inFolder.stdout) as Report).files.length, 7);
    const outsideSegments = runCli(['diff', '--base', 'HEAD~1', '--json', 'data'], { cwd: repo });
    assert.deepEqual((JSON.parse(outsideSegments.stdout) as Report).files, []);
  });

  it('prints the change, both readings, the counts and the first profiles in text', () => {
    const { stdout } = runCli(['diff', '--base', 'HEAD~1', '--limit', '1'], { cwd: repo });
    const goldAdded = minus(expectedIds(GOLD_OR_SILVER), expectedIds(GOLD));
    const block = stdout.split('\n\n').find((b) => b.startsWith('segments/gold.json'))!;
    assert.match(block, /^segments\/gold\.json \(Gold tier\): modified$/m);
    assert.match(block, /^ {2}before: .*"gold"/m);
    assert.match(block, /^ {2}after: {2}.*"gold" OR .*"silver"/m);
    assert.ok(
      block.includes(
        `count:  ${expectedIds(GOLD).length} → ${expectedIds(GOLD_OR_SILVER).length} of ${PROFILES.length} profiles in Review shop (+${goldAdded.length} / −0)`,
      ),
      block,
    );
    assert.ok(block.includes(`+ ${goldAdded[0]}  `), 'the first added profile');
    assert.ok(block.includes(`and ${goldAdded.length - 1} more profile`), 'the rest counted, not listed');
    assert.match(stdout, /^segments\/americans\.json: renamed from segments\/us\.json, definition unchanged$/m);
    assert.match(stdout, /^ {2}after: {2}invalid: 1:\d+: .*\[unknown-operator\]$/m);
  });

  it('writes a pull-request comment: a summary table and a collapsible section per file', () => {
    const { stdout } = runCli(['diff', '--base', 'HEAD~1', '--format', 'markdown', '--limit', '5'], { cwd: repo });
    const rows = stdout.split('\n').filter((line) => line.startsWith('| <code>'));
    assert.equal(rows.length, 7);
    const goldRow = rows.find((r) => r.includes('gold&#46;json'))!;
    const goldAdded = minus(expectedIds(GOLD_OR_SILVER), expectedIds(GOLD));
    assert.equal(
      goldRow,
      `| <code>segments&#47;gold&#46;json</code> | modified | ${expectedIds(GOLD).length} → ${expectedIds(GOLD_OR_SILVER).length} | &#43;${goldAdded.length} &#47; −0 |`,
    );
    assert.equal(stdout.split('<details>').length - 1, 7);
    assert.equal(stdout.split('</details>').length - 1, 7);
    assert.ok(stdout.includes('| invalid |') || rows.some((r) => r.includes('→ invalid')), 'the invalid side says so instead of a count');
  });

  it('escapes hostile profile data in Markdown', () => {
    const { stdout } = runCli(['diff', '--base', 'HEAD~1', '--format', 'markdown', '--limit', '20'], { cwd: repo });
    const hostile = PROFILES[7];
    assert.ok(expectedIds(GOLD_OR_SILVER).includes(hostile.id), 'the hostile profile is among the added ones');
    for (const raw of ['<script', '</script>', 'javascript:', '](', '`', '<img']) assert.ok(!stdout.includes(raw), `raw ${JSON.stringify(raw)} in the comment`);
    assert.ok(
      stdout.includes('<code>&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;&#124;&#96;&#64;x&#96;&#93;&#40;javascript&#58;alert&#40;2&#41;&#41;</code>'),
      'the email, every special character as a reference',
    );
    assert.ok(stdout.includes('<code>P8&#124;&#96;x&#96;&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;</code>'), 'the ID likewise');
    // Each table row keeps its four cells: no "|" from the data splits one.
    for (const row of stdout.split('\n').filter((line) => line.startsWith('| <code>'))) assert.equal(row.split('|').length, 6, row);
  });

  it('works in a repository without commits: every segment file is added, and says so', () => {
    const empty = join(temp, 'fresh');
    writeWorkspace(empty);
    writeSegment(join(empty, 'segments', 'gold.json'), GOLD);
    git(empty, 'init', '-q');
    const text = runCli(['diff'], { cwd: empty });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /no commits yet: every segment file is new \(added\)/);
    const json = JSON.parse(runCli(['diff', '--json'], { cwd: empty }).stdout) as Report;
    assert.equal(json.noCommits, true);
    assert.equal(json.base.commit, null);
    assert.deepEqual(
      json.files.map((f) => [f.path, f.status, f.added?.ids]),
      [['segments/gold.json', 'added', expectedIds(GOLD)]],
    );
  });

  it('outside git, and with an unknown revision, says so and exits 2', () => {
    const outside = join(temp, 'not-a-repository');
    writeWorkspace(outside);
    writeSegment(join(outside, 'segments', 'gold.json'), GOLD);
    // Keep git from finding a repository above the temporary folder.
    const env = { GIT_CEILING_DIRECTORIES: dirname(outside) };
    const result = runCli(['diff'], { cwd: outside, env });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /is not inside a git repository/);
    assert.equal(result.stdout, '');
    const unknown = runCli(['diff', '--base', 'no-such-branch'], { cwd: repo });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /"no-such-branch" is not a commit/);
    assert.equal(runCli(['diff', '--format', 'yaml'], { cwd: repo }).code, 2);
  });
});
