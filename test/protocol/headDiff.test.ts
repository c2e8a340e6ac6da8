/**
 * segmentLens/headDiff, segmentLens/headDiffProfiles and the "+N / −M since HEAD" code lens over
 * stdio, in real temporary git repositories: a committed segment changed in the editor (saved or
 * not), an untracked file, a file staged but not committed, an ignored file, a repository without
 * commits, a folder outside git. Expected profiles come from the reference matcher of
 * test/cli/reviewFixture.ts, not from the engine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { TestClient } from './lspClient';
import { removeDir } from './fixtures';
import { definition, expectedIds, git, writeSegment, writeWorkspace, type FieldCondition } from '../cli/reviewFixture';
import type { HeadDiffResult, ProfilesResult } from '../../server/src/protocol';

const GOLD: FieldCondition[][] = [[{ field: 'tier', value: 'gold' }]];
const SILVER: FieldCondition[][] = [[{ field: 'tier', value: 'silver' }]];
const GOLD_OR_SILVER: FieldCondition[][] = [
  [
    { field: 'tier', value: 'gold' },
    { field: 'tier', value: 'silver' },
  ],
];
const US: FieldCondition[][] = [[{ field: 'country', value: 'US' }]];

const text = (groups: FieldCondition[][]) => `${JSON.stringify(definition(groups), null, 2)}\n`;
const minus = (a: string[], b: string[]) => a.filter((id) => !b.includes(id));

describe('language server over stdio: a segment compared with git HEAD', function () {
  this.timeout(60_000);
  let client: TestClient;
  let temp: string;
  let repo: string;

  before(async () => {
    temp = mkdtempSync(join(tmpdir(), 'segment-lens-head-diff-'));
    repo = join(temp, 'repo');
    writeWorkspace(repo);
    writeSegment(join(repo, 'segments', 'gold.json'), GOLD);
    writeSegment(join(repo, 'segments', 'us.json'), US);
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'segments');
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    removeDir(temp);
  });

  async function headDiff(uri: string): Promise<HeadDiffResult> {
    return client.connection.sendRequest<HeadDiffResult>('segmentLens/headDiff', { uri });
  }
  async function lensTitles(uri: string): Promise<string[]> {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    return lenses.map((l) => l.command?.title ?? '');
  }
  async function profileIds(uri: string, side: 'added' | 'removed'): Promise<string[]> {
    const page = await client.connection.sendRequest<ProfilesResult>('segmentLens/headDiffProfiles', { uri, side, offset: 0, limit: 100 });
    return page.rows.map((r) => r.id).sort();
  }

  it('counts who a change adds and removes, before saving and after, lists them, and reads both definitions', async () => {
    const path = join(repo, 'segments', 'gold.json');
    const uri = client.uriOf(path);
    await client.open(uri, readFileSync(path, 'utf8'));
    const unchanged = await headDiff(uri);
    assert.equal(unchanged.state, 'unchanged');
    assert.ok(!(await lensTitles(uri)).some((t) => /since HEAD/.test(t)), 'no lens on an unchanged file');

    // An unsaved edit: gold → gold or silver.
    const refreshes = client.refreshes.codeLens;
    await client.change(uri, text(GOLD_OR_SILVER));
    const widened = await headDiff(uri);
    assert.equal(widened.state, 'changed');
    assert.equal(widened.version, 2);
    assert.equal(widened.path, 'segments/gold.json');
    assert.match(widened.commit ?? '', /^[0-9a-f]{40}$/);
    const added = minus(expectedIds(GOLD_OR_SILVER), expectedIds(GOLD));
    assert.deepEqual([widened.added, widened.removed], [added.length, 0]);
    assert.deepEqual([widened.before?.matched, widened.after?.matched], [expectedIds(GOLD).length, expectedIds(GOLD_OR_SILVER).length]);
    assert.equal(widened.before?.description, 'Tier is "gold"');
    assert.equal(widened.after?.description, 'Tier is "gold" OR Tier is "silver"');
    assert.equal(widened.definitionChanged, true);
    assert.ok(client.refreshes.codeLens > refreshes, 'the editor is asked to refresh its lenses');
    assert.ok((await lensTitles(uri)).includes(`+${added.length} / −0 since HEAD`), JSON.stringify(await lensTitles(uri)));
    assert.deepEqual(await profileIds(uri, 'added'), added.sort());
    assert.deepEqual(await profileIds(uri, 'removed'), []);

    // Another edit: silver only (gold members leave, silver ones enter).
    await client.change(uri, text(SILVER));
    const swapped = await headDiff(uri);
    const entered = minus(expectedIds(SILVER), expectedIds(GOLD));
    const left = minus(expectedIds(GOLD), expectedIds(SILVER));
    assert.deepEqual([swapped.version, swapped.added, swapped.removed], [3, entered.length, left.length]);
    assert.ok((await lensTitles(uri)).includes(`+${entered.length} / −${left.length} since HEAD`));
    assert.deepEqual(await profileIds(uri, 'removed'), left.sort());

    // Committed: HEAD now holds the same text, so nothing differs any more (read again on the next version).
    writeFileSync(path, text(SILVER));
    git(repo, 'commit', '-q', '-am', 'silver');
    await client.change(uri, text(SILVER));
    assert.equal((await headDiff(uri)).state, 'unchanged');
    assert.ok(!(await lensTitles(uri)).some((t) => /since HEAD/.test(t)));
    await client.close(uri);
  });

  it('a reformatted file differs from HEAD but its definition does not', async () => {
    const path = join(repo, 'segments', 'us.json');
    const uri = client.uriOf(path);
    await client.open(uri, JSON.stringify(definition(US)));
    const result = await headDiff(uri);
    assert.deepEqual([result.state, result.definitionChanged, result.added, result.removed], ['changed', false, 0, 0]);
    await client.close(uri);
  });

  it('says a file is new: untracked, or staged but not in HEAD', async () => {
    const path = join(repo, 'segments', 'fresh.json');
    writeSegment(path, US);
    const uri = client.uriOf(path);
    await client.open(uri, readFileSync(path, 'utf8'));
    const untracked = await headDiff(uri);
    assert.deepEqual([untracked.state, untracked.added, untracked.removed], ['untracked', expectedIds(US).length, 0]);
    assert.ok((await lensTitles(uri)).includes(`New since HEAD (untracked): +${expectedIds(US).length}`));
    git(repo, 'add', 'segments/fresh.json');
    await client.change(uri, readFileSync(path, 'utf8'));
    const staged = await headDiff(uri);
    assert.equal(staged.state, 'new');
    assert.ok((await lensTitles(uri)).includes(`New since HEAD: +${expectedIds(US).length}`));
    await client.close(uri);
  });

  it('a file git ignores gets no lens', async () => {
    writeFileSync(join(repo, '.gitignore'), 'segments/scratch/\n');
    const path = join(repo, 'segments', 'scratch', 'try.json');
    writeSegment(path, US);
    const uri = client.uriOf(path);
    await client.open(uri, readFileSync(path, 'utf8'));
    assert.equal((await headDiff(uri)).state, 'ignored');
    assert.ok(!(await lensTitles(uri)).some((t) => /HEAD/.test(t)), JSON.stringify(await lensTitles(uri)));
    await client.close(uri);
  });

  it('outside git there is no lens; in a repository without commits the lens says so', async () => {
    const outside = join(temp, 'plain');
    writeWorkspace(outside);
    writeSegment(join(outside, 'segments', 'gold.json'), GOLD);
    const plain = client.uriOf(join(outside, 'segments', 'gold.json'));
    await client.open(plain, text(GOLD));
    assert.equal((await headDiff(plain)).state, 'not-in-git');
    assert.ok(!(await lensTitles(plain)).some((t) => /HEAD|commit/.test(t)));

    const empty = join(temp, 'empty');
    writeWorkspace(empty);
    writeSegment(join(empty, 'segments', 'gold.json'), GOLD);
    git(empty, 'init', '-q');
    const uri = client.uriOf(join(empty, 'segments', 'gold.json'));
    await client.open(uri, text(GOLD));
    const result = await headDiff(uri);
    assert.equal(result.state, 'no-commits');
    assert.ok((await lensTitles(uri)).includes('New: the repository has no commits yet'));
    await client.close(uri);
    await client.close(plain);
  });
});
