import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeLensRequest,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InlayHintRequest,
  type CodeLens,
  type InlayHint,
} from 'vscode-languageserver-protocol/node';
import { TestClient } from './lspClient';
import { TINY } from './fixtures';
import type { CountsReport, ExplainResult, ProfilesResult } from '../../server/src/protocol';

describe('language server over stdio: counts, code lenses, inlay hints, preview data', function () {
  this.timeout(60_000);
  let client: TestClient;
  let workspace: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'segment-lens-counts-'));
    cpSync(TINY, workspace, { recursive: true });
    client = new TestClient({ rootUri: null as unknown as string });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const segmentPath = () => join(workspace, 'segments', 'buyers.json');

  async function openAndCount(path: string, text = readFileSync(path, 'utf8')): Promise<{ uri: string; report: CountsReport }> {
    const uri = client.uriOf(path);
    await client.open(uri, text);
    await client.diagnostics(uri, 1);
    const report = await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
    return { uri, report };
  }

  it('counts the segment and each group against the nearest workspace', async () => {
    const { uri, report } = await openAndCount(segmentPath());
    assert.equal(report.state, 'ok', report.message);
    assert.equal(report.total, 4);
    assert.equal(report.matched, 2);
    assert.deepEqual(
      report.groups.map((g) => [g.matched, g.afterAnd]),
      [
        [2, 2],
        [2, 2],
      ],
    );
    assert.deepEqual(
      report.groups[1].conditions.map((c) => [c.matched, c.description]),
      [
        [1, 'is in the US'],
        [1, 'is in the EU'],
      ],
    );
    assert.equal(report.workspace?.name, 'Tiny shop');
    assert.equal(report.workspace?.now, '2026-11-01T12:00:00.000Z');

    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    const titles = lenses.map((l) => l.command?.title);
    assert.deepEqual(titles, ['Matches 2 of 4 profiles (50.0%)', 'Evaluate', 'group 1: 2', 'group 2: 2 · after AND: 2']);
    assert.equal(lenses[0].command?.command, 'segmentLens.evaluate');
    assert.deepEqual(lenses[2].range.start, { line: 2, character: 4 });

    const hints = (await client.connection.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
    })) as InlayHint[];
    assert.deepEqual(
      hints.map((h) => [h.position.line, h.label]),
      [
        [10, ' 2 profiles'],
        [15, ' 1 profile'],
        [16, ' 1 profile'],
      ],
    );
  });

  it('serves pages of matched profiles, sorted and filtered, and explains a match', async () => {
    const uri = client.uriOf(segmentPath());
    const page = await client.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri, offset: 0, limit: 50, sort: { column: 'email' } });
    assert.equal(page.state, 'ok');
    assert.deepEqual(
      page.rows.map((r) => r.email),
      ['ada@hotmail.com', 'bob@Gmail.com'],
    );
    assert.deepEqual(
      page.rows.map((r) => r.lastEvent),
      ['2026-10-30T09:40:00.000Z', '2026-10-20T09:00:00.000Z'],
    );
    const filtered = await client.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri, offset: 0, limit: 50, filter: 'berlin' });
    assert.deepEqual(
      filtered.rows.map((r) => r.id),
      ['P2'],
    );
    assert.equal(filtered.total, 1);

    const why = await client.connection.sendRequest<ExplainResult>('segmentLens/explain', { uri, profileId: 'P1' });
    assert.equal(why.matched, true);
    assert.deepEqual(
      why.conditions.map((c) => [c.group, c.matched]),
      [
        [0, true],
        [1, true],
        [1, false],
      ],
    );
    assert.match(why.conditions[0].evidence, /Placed Order: 1 event/);
    assert.deepEqual(why.conditions[0].events, ['2026-10-30T09:40:00.000Z']);
    assert.match(why.conditions[1].evidence, /country "United States" \(US\)/);
  });

  it('re-evaluates after an edit and says so instead of showing a stale number', async () => {
    const uri = client.uriOf(segmentPath());
    const text = readFileSync(segmentPath(), 'utf8').replace('"quantity": 30', '"quantity": 3');
    const version = await client.change(uri, text);
    const report = await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
    assert.equal(report.version, version);
    assert.equal(report.matched, 1);

    const broken = await client.change(uri, text.replace('"united_states"', '"united_state"'));
    await client.diagnostics(uri, broken);
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses[0].command?.title, 'Definition has errors: not evaluated');
    const hints = (await client.connection.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
    })) as InlayHint[];
    assert.deepEqual(hints, []);
    await client.close(uri);
  });

  it('says "not evaluable locally" rather than 0', async () => {
    const path = join(workspace, 'segments', 'unknown-list.json');
    const text = '{"condition_groups":[{"conditions":[{"type":"profile-group-membership","is_member":true,"group_ids":["NOPE00"]}]}]}';
    writeFileSync(path, text);
    const { uri, report } = await openAndCount(path, text);
    assert.equal(report.matched, null);
    assert.deepEqual(report.notEvaluable, ['list NOPE00 is not in the workspace']);
    const hints = (await client.connection.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
    })) as InlayHint[];
    assert.deepEqual(
      hints.map((h) => h.label),
      [' not evaluable locally'],
    );
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses[0].command?.title, 'Not evaluable locally: list NOPE00 is not in the workspace');
    await client.close(uri);
  });

  it('has no counts outside a data workspace, and that is not an error', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'segment-lens-outside-'));
    try {
      const path = join(outside, 'x.segment.json');
      const text =
        '{"condition_groups":[{"conditions":[{"type":"profile-metric","metric_id":"ANYID1","measurement":"count","measurement_filter":{"type":"numeric","operator":"greater-than","value":0},"timeframe_filter":{"type":"date","operator":"alltime"}}]}]}';
      const uri = client.uriOf(path);
      await client.open(uri, text);
      const { diagnostics } = await client.diagnostics(uri, 1);
      assert.deepEqual(diagnostics, []);
      const report = await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
      assert.equal(report.state, 'no-workspace');
      await client.close(uri);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reloads when the workspace data changes on disk', async () => {
    const { uri, report } = await openAndCount(segmentPath());
    assert.equal(report.matched, 2);
    const newEvent =
      '{"type":"event","id":"E9","attributes":{"datetime":"2026-10-31T10:00:00+00:00","event_properties":{"$value":5}},"relationships":{"metric":{"data":{"type":"metric","id":"PLCORD"}},"profile":{"data":{"type":"profile","id":"P3"}}}}\n';
    const events = join(workspace, 'data', 'events.jsonl');
    // P3 lived in the UK (in neither region): it moves to France and places a new order. P1 gets
    // another order too, which changes nothing (P1 matches already).
    appendFileSync(events, newEvent.replace('"P3"', '"P1"'));
    writeFileSync(
      join(workspace, 'data', 'profiles.jsonl'),
      readFileSync(join(workspace, 'data', 'profiles.jsonl'), 'utf8').replace('"country":"GB"', '"country":"FR"'),
    );
    appendFileSync(events, newEvent);
    // Each reload ends with fresh counts and a countsChanged notification: check the counts after
    // each one until the reload's arrive (an earlier notification may still be on its way).
    let seen = client.notificationCount('segmentLens/countsChanged');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uriOf(events), type: FileChangeType.Changed }],
    });
    let matched: number | null = 2;
    while (matched !== 3) {
      const changed = await client.notification<{ uri: string }>('segmentLens/countsChanged', (p) => p.uri === uri, seen);
      seen = changed.index + 1;
      matched = (await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri })).matched;
    }
    assert.equal(matched, 3, 'P3 (now in France, with a new order) joins after the reload');
    await client.close(uri);
  });
});
