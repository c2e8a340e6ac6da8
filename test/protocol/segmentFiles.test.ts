/**
 * Which files are segment files is the `segmentLens.files` setting, for every feature of the
 * server (find references, segment-ID checks), and the server's index of them follows the
 * editor's file events instead of walking the folders on every request.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType, ReferencesRequest } from 'vscode-languageserver-protocol/node';
import { REPO, TestClient } from './lspClient';

const metricCondition = (metricId: string) => ({
  type: 'profile-metric',
  metric_id: metricId,
  measurement: 'count',
  measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
  timeframe_filter: { type: 'date', operator: 'alltime' },
});
const definitionText = (metricId: string) => JSON.stringify({ condition_groups: [{ conditions: [metricCondition(metricId)] }] }, null, 2);

describe('segment files follow segmentLens.files and file events', function () {
  this.timeout(60_000);
  let root: string;
  let client: TestClient;

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const changed = (kind: FileChangeType, ...paths: string[]) =>
    client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: paths.map((path) => ({ uri: client.uriOf(join(root, path)), type: kind })),
    });
  const referencingFiles = async (path: string): Promise<string[]> => {
    const uri = client.uriOf(join(root, path));
    const text = definitionText('PLCORD');
    await client.open(uri, text);
    try {
      const offset = text.indexOf('"PLCORD"') + 2;
      const lines = text.slice(0, offset).split('\n');
      const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
      const refs =
        (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: false } })) ?? [];
      return [...new Set(refs.map((r) => r.uri.slice(client.uriOf(root).length + 1)))].sort();
    } finally {
      await client.close(uri);
    }
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'segment-lens-files-'));
    cpSync(join(REPO, 'test', 'fixtures', 'workspaces', 'tiny'), root, { recursive: true });
    rmSync(join(root, 'segments'), { recursive: true });
    write('audiences/buyers.json', definitionText('PLCORD'));
    write('audiences/openers.json', definitionText('OPNEML'));
    write('segments/old-style.json', definitionText('PLCORD'));
    write('campaign.segment.json', definitionText('PLCORD'));
    client = new TestClient({ rootUri: pathToFileURL(root).toString(), settings: { files: ['audiences/**/*.json'] } });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('find references searches only the files the setting names', async () => {
    assert.deepEqual(await referencingFiles('audiences/new.json'), ['audiences/buyers.json', 'audiences/new.json']);
  });

  it('a created file counts once the editor reports it, a deleted one goes', async () => {
    write('audiences/more/repeat.json', definitionText('PLCORD'));
    write('notes/ignored.json', definitionText('PLCORD'));
    await changed(FileChangeType.Created, 'audiences/more/repeat.json', 'notes/ignored.json');
    assert.deepEqual(await referencingFiles('audiences/new.json'), ['audiences/buyers.json', 'audiences/more/repeat.json', 'audiences/new.json']);
    rmSync(join(root, 'audiences', 'buyers.json'));
    await changed(FileChangeType.Deleted, 'audiences/buyers.json');
    assert.deepEqual(await referencingFiles('audiences/new.json'), ['audiences/more/repeat.json', 'audiences/new.json']);
  });

  it('a changed file is read again: its references move with it', async () => {
    write('audiences/openers.json', definitionText('PLCORD'));
    await changed(FileChangeType.Changed, 'audiences/openers.json');
    assert.deepEqual(await referencingFiles('audiences/new.json'), ['audiences/more/repeat.json', 'audiences/new.json', 'audiences/openers.json']);
  });

  it('a segment ID is recognised only from the files the setting names', async () => {
    const resource = (id: string, name: string) =>
      JSON.stringify({ type: 'segment', id, attributes: { name, definition: { condition_groups: [{ conditions: [metricCondition('PLCORD')] }] } } });
    write('audiences/vip.json', resource('SEGVIP', 'VIP'));
    write('segments/hidden.json', resource('SEGHID', 'Not a segment file here'));
    await changed(FileChangeType.Created, 'audiences/vip.json', 'segments/hidden.json');
    const uri = client.uriOf(join(root, 'audiences', 'uses-ids.json'));
    const membership = (id: string) => ({ type: 'profile-group-membership', is_member: true, group_ids: [id] });
    await client.open(uri, JSON.stringify({ condition_groups: [{ conditions: [membership('SEGVIP')] }, { conditions: [membership('SEGHID')] }] }, null, 2));
    // Data-dependent checks appear once the workspace has loaded.
    const { diagnostics } = await client.diagnosticsWhere(
      uri,
      (p) => p.diagnostics.some((d) => d.code === 'unknown-list-id' || d.code === 'segment-id-in-group-ids'),
      20_000,
    );
    const about = (id: string) => diagnostics.filter((d) => String(d.message).includes(id)).map((d) => d.code);
    assert.deepEqual(about('SEGVIP'), ['segment-id-in-group-ids'], JSON.stringify(diagnostics));
    assert.deepEqual(about('SEGHID'), ['unknown-list-id'], JSON.stringify(diagnostics));
    await client.close(uri);
  });
});
