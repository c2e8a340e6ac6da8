/**
 * The wiring of each language feature request through the real protocol, against the built
 * server (dist/server.js) on a copy of the sample workspace: one or two cases per request, each
 * showing that the server hands the feature what only it has (the loaded workspace summary, the
 * counts from the evaluation worker, the segment files on disk, the file's name, the settings).
 *
 * What each feature answers, case by case, is tested in process in test/unit/features/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseTree, findNodeAtLocation, type Node } from 'jsonc-parser';
import {
  CodeActionKind,
  CodeActionRequest,
  CompletionItemKind,
  DefinitionRequest,
  DidChangeWatchedFilesNotification,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  FileChangeType,
  FoldingRangeRequest,
  ReferencesRequest,
  SelectionRangeRequest,
  type CodeAction,
  type Diagnostic,
  type DocumentSymbol,
  type Location,
  type SelectionRange,
} from 'vscode-languageserver-protocol/node';
import { applyCompletion, applyEdits, blockRange, cursor, item, positionAt, rangeOf, sorted } from '../support/lspText';
import { definition } from '../support/segmentText';
import { TestClient } from './lspClient';
import { copyWorkspace, ERROR, fmt, INFORMATION, metricFacts, removeDir, SAMPLE, segmentFilesUnder, Session, WARNING, writeFile } from './fixtures';
import type { CountsReport } from '../../server/src/protocol';

/** Validation right after each change: the tests wait for diagnostics of many documents. */
const FAST = { debounceMs: 0 };

const metric = (id: string) => `{ "type": "profile-metric", "metric_id": "${id}", "measurement": "count",
          "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 },
          "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 } }`;

const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const counts = (client: TestClient, uri: string) => client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });

/** A server started on a fresh copy of the sample workspace, with the workspace loaded. */
async function startOnSampleCopy(): Promise<{ client: TestClient; root: string; s: Session }> {
  const root = copyWorkspace(SAMPLE);
  const client = new TestClient({ settings: FAST });
  await client.initialize();
  const s = new Session(client, root);
  assert.equal((await s.ready()).state, 'ok');
  return { client, root, s };
}

// =============================================================================================

describe('features over the protocol: completion and hover (Mint Vinyl sample workspace)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => ({ client, root, s } = await startOnSampleCopy()));
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  it("completion of metric_id offers the loaded workspace's metrics by name, most events first, and inserts the ID", async () => {
    const { text, items } = await s.complete(definition(metric('|').replace('"|"', '|')));
    const metrics = (JSON.parse(readFileSync(join(root, 'data', 'metrics.json'), 'utf8')) as { data: { id: string; attributes: { name: string } }[] }).data;
    assert.deepEqual(new Set(items.map((i) => i.label)), new Set(metrics.map((m) => m.attributes.name)));
    const placed = item(items, 'Placed Order');
    assert.ok(String(placed.detail).includes(`${fmt(metricFacts(root, 'VwxT3a').count)} events`), String(placed.detail));
    const order = sorted(items).map((i) => metricFacts(root, metrics.find((m) => m.attributes.name === i.label)!.id).count);
    assert.deepEqual(
      order,
      [...order].sort((a, b) => b - a),
    );
    assert.deepEqual(await s.assertValid(applyCompletion(text, placed)), []);
  });

  it('completion of a condition type inserts a condition the server finds valid', async () => {
    const { text, items } = await s.complete(definition('{ "type": | }'));
    const result = applyCompletion(text, item(items, '"profile-region"'));
    assert.deepEqual(await s.assertValid(result), []);
  });

  it('hover on a condition\'s "type" shows the reading with the count the evaluation worker computed', async () => {
    const { markdown, range, text, counts: report } = await s.hover(definition(metric('VwxT3a').replace('"type"', '"ty|pe"')), { counts: true });
    assert.equal(report?.state, 'ok');
    assert.match(markdown, /\*\*Reads:\*\* Placed Order at least once in the last 30 days/);
    assert.ok(markdown.includes(`${fmt(report!.groups[0].conditions[0].matched!)} profiles match this condition`), markdown);
    assert.deepEqual(range, rangeOf(text, '"type"'));
  });

  it("hover on a metric_id shows the loaded workspace's facts about the metric", async () => {
    const { markdown } = await s.hover(definition(metric('VwxT3a').replace('"VwxT3a"', '"Vwx|T3a"')));
    const facts = metricFacts(root, 'VwxT3a');
    assert.match(markdown, /\*\*Placed Order\*\*/);
    assert.ok(markdown.includes(`${fmt(facts.count)} events from ${fmt(facts.profiles)} profiles`), markdown);
  });
});

// =============================================================================================

describe('features over the protocol: navigation and structure (Mint Vinyl sample workspace)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let parent: string;
  let root: string;
  let editorFolder: string;
  let s: Session;

  before(async () => {
    parent = mkdtempSync(join(tmpdir(), 'segment-lens-nav-'));
    root = copyWorkspace(SAMPLE, join(parent, 'shop'));
    editorFolder = join(parent, 'marketing-repo');
    // An editor workspace folder that is not under the data workspace.
    writeFile(
      join(editorFolder, 'segments', 'promo.json'),
      definition(
        '{ "type": "profile-metric", "metric_id": "Mc9yTe", "measurement": "count", "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }, "timeframe_filter": { "type": "date", "operator": "alltime" } }',
      ),
    );
    client = new TestClient({ rootUri: pathToFileURL(editorFolder).toString(), settings: FAST });
    await client.initialize();
    s = new Session(client, root);
    assert.equal((await s.ready()).state, 'ok');
  });
  after(async () => {
    await client?.stop();
    removeDir(parent);
  });

  it('definition from a metric ID and from a list ID: their records in data/metrics.json and data/lists.json, where the loader found them', async () => {
    const cases = [
      { file: 'metrics.json', id: 'Mc9yTe', text: definition(metric('Mc9|yTe')) },
      { file: 'lists.json', id: 'VpC4rX', text: definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["VpC|4rX"] }') },
    ];
    for (const c of cases) {
      const { text, offset } = cursor(c.text);
      const locations = await s.with(text, async (uri) => {
        const result = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: positionAt(text, offset) });
        return (Array.isArray(result) ? result : result ? [result] : []) as Location[];
      });
      const file = join(root, 'data', c.file);
      assert.deepEqual(
        locations.map((l) => l.uri),
        [client.uriOf(file)],
      );
      // The record's lines in the file, from its opening brace to its "id".
      const fileText = readFileSync(file, 'utf8');
      const records = findNodeAtLocation(parseTree(fileText) as Node, ['data'])?.children ?? [];
      const record = records.find((r) => findNodeAtLocation(r, ['id'])?.value === c.id)!;
      const [start, idLine] = [positionAt(fileText, record.offset).line, positionAt(fileText, findNodeAtLocation(record, ['id'])!.offset).line];
      const line = locations[0].range.start.line;
      assert.ok(line >= start && line <= idLine, `line ${line} is the record of ${c.id} (lines ${start}–${idLine})`);
    }
  });

  it("references of a metric ID across the segment files of the workspace and of the editor's folders", async () => {
    writeFile(
      join(root, 'segments', 'more', 'openers.json'),
      `{
  "condition_groups": [
    { "conditions": [
      { "type": "profile-metric", "metric_id": "Mc9yTe", "measurement": "count", "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 2 }, "timeframe_filter": { "type": "date", "operator": "alltime" } },
      { "type": "profile-group-membership", "is_member": true, "group_ids": ["Mc9yTe"] }
    ] }
  ]
}`,
    );
    writeFile(
      join(root, 'campaigns', 'welcome.segment.json'),
      `{"data":{"type":"segment","attributes":{"name":"Welcome","definition":{"condition_groups":[{"conditions":[{"type":"profile-metric","metric_id":"Mc9yTe","measurement":"count","measurement_filter":{"type":"numeric","operator":"equals","value":0},"timeframe_filter":{"type":"date","operator":"alltime"}}]}]}}}}`,
    );
    writeFile(join(root, 'notes', 'not-a-segment.json'), '{"condition_groups":[{"conditions":[{"type":"profile-metric","metric_id":"Mc9yTe"}]}]}');
    // As the editor's file watcher does: the server indexes segment files once and follows these events.
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: ['segments/more/openers.json', 'campaigns/welcome.segment.json', 'notes/not-a-segment.json'].map((file) => ({
        uri: client.uriOf(join(root, ...file.split('/'))),
        type: FileChangeType.Created as FileChangeType,
      })),
    });

    // The oracle: every "metric_id": "Mc9yTe" in the files the extension's default globs take.
    const expected: string[] = [];
    for (const file of [...segmentFilesUnder(root), ...segmentFilesUnder(editorFolder)]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/"metric_id"\s*:\s*("Mc9yTe")/g)) {
        const at = m.index! + m[0].length - m[1].length;
        expected.push(`${client.uriOf(file)} ${JSON.stringify({ start: positionAt(text, at), end: positionAt(text, at + m[1].length) })}`);
      }
    }
    assert.ok(expected.some((e) => e.includes('/marketing-repo/')) && expected.some((e) => e.includes('welcome.segment.json')), 'precondition');

    const path = join(root, 'segments', 'more', 'openers.json');
    const text = readFileSync(path, 'utf8');
    const uri = client.uriOf(path);
    await client.open(uri, text);
    try {
      const position = positionAt(text, text.indexOf('"Mc9yTe"') + 3);
      const refs =
        (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: false } })) ?? [];
      const got = refs.map((l) => `${l.uri} ${JSON.stringify(l.range)}`);
      assert.deepEqual([...got].sort(), [...expected].sort());
      const withDeclaration =
        (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: true } })) ?? [];
      assert.deepEqual(
        withDeclaration.filter((l) => !got.includes(`${l.uri} ${JSON.stringify(l.range)}`)).map((l) => l.uri),
        [client.uriOf(join(root, 'data', 'metrics.json'))],
      );
    } finally {
      await client.close(uri);
    }
  });

  it("document symbols name conditions with the workspace's names", async () => {
    const text = definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kQ"] }');
    const symbols = await s.with(
      text,
      async (uri) => (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[],
    );
    assert.deepEqual(
      symbols.map((x) => x.name),
      ['Segment definition'],
    );
    assert.deepEqual(
      symbols[0].children?.[0].children?.map((c) => c.name),
      ['is in list Newsletter'],
    );
  });

  it('folding and selection ranges of a segment file', async () => {
    const text = readFileSync(join(root, 'segments', 'boston-purchasers.json'), 'utf8');
    const at = text.indexOf('"Boston"') + 3;
    const [ranges, [selection]] = await s.with(text, async (uri) =>
      Promise.all([
        client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }).then((r) => r ?? []),
        client.connection.sendRequest(SelectionRangeRequest.type, { textDocument: { uri }, positions: [positionAt(text, at)] }).then((r) => r ?? []),
      ]),
    );
    // The file's outermost object folds from its first line to the line before its last.
    assert.ok(
      ranges.some((r) => r.startLine === 0 && r.endLine === text.trimEnd().split('\n').length - 2),
      JSON.stringify(ranges),
    );
    const chain: string[] = [];
    for (let r: SelectionRange | undefined = selection; r; r = r.parent) chain.push(JSON.stringify(r.range));
    assert.equal(chain[0], JSON.stringify(rangeOf(text, '"Boston"')));
    assert.equal(chain[2], JSON.stringify(blockRange(text, '{\n            "type": "string"')));
  });

  it('formatting a document and a range', async () => {
    const text = '{"condition_groups":[{"conditions":[{"type":"profile-group-membership","is_member":true,"group_ids":["NwS7kQ"]}]}]}';
    const options = { tabSize: 2, insertSpaces: true };
    const [whole, part] = await s.with(text, async (uri) =>
      Promise.all([
        client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options }).then((r) => r ?? []),
        client.connection
          .sendRequest(DocumentRangeFormattingRequest.type, {
            textDocument: { uri },
            options,
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 22 } },
          })
          .then((r) => r ?? []),
      ]),
    );
    assert.equal(applyEdits(text, whole), `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    assert.ok(part.length > 0 && part.length < whole.length, `range formatting edits part of the file: ${part.length} of ${whole.length} edits`);
  });

  it('code actions: refactorings when asked for rewrites, named after the file; quick fixes when asked for fixes', async () => {
    const text = readFileSync(join(root, 'segments', 'boston-purchasers.json'), 'utf8');
    const [rewrites, fixes] = await s.with(
      text,
      async (uri) => {
        const ask = (only: string[]) =>
          client.connection
            .sendRequest(CodeActionRequest.type, {
              textDocument: { uri },
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              context: { diagnostics: [], only },
            })
            .then((r) => (r ?? []) as CodeAction[]);
        return Promise.all([ask([CodeActionKind.RefactorRewrite]), ask([CodeActionKind.QuickFix])]);
      },
      'boston-purchasers-copy.json',
    );
    assert.deepEqual(
      rewrites.map((a) => a.title),
      ['Convert to a Segments API create body (POST)'],
    );
    const create = JSON.parse(applyEdits(text, Object.values(rewrites[0].edit!.changes!)[0]));
    assert.equal(create.data.attributes.name, 'Boston Purchasers Copy');
    assert.deepEqual(create.data.attributes.definition, JSON.parse(text));
    assert.deepEqual(fixes, [], 'no quick fix without a diagnostic');
  });
});

// =============================================================================================

describe('features over the protocol: diagnostics from the workspace (Mint Vinyl sample workspace)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => ({ client, root, s } = await startOnSampleCopy()));
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  it('unknown-metric-id from the loaded summary; its quick fix, applied, is validated away', async () => {
    const text = definition(metric('VwxT3b'));
    const uri = client.uriOf(s.path());
    await client.open(uri, text);
    try {
      const d = (await client.diagnostics(uri, 1)).diagnostics.find((x) => x.code === 'unknown-metric-id');
      assert.ok(d, 'an unknown-metric-id warning');
      assert.equal(d.severity, WARNING);
      assert.deepEqual(d.range, rangeOf(text, '"VwxT3b"'));
      const fix = (await s.actions(uri, d)).find((a) => a.title === 'Change to Placed Order (VwxT3a)');
      assert.equal(fix?.kind, CodeActionKind.QuickFix);
      const version = await client.change(uri, applyEdits(text, fix!.edit!.changes![uri]));
      assert.deepEqual((await client.diagnostics(uri, version)).diagnostics, []);
    } finally {
      await client.close(uri);
    }
  });

  it('segment-id-in-group-ids: the segment IDs come from the segment files on disk', async () => {
    const columbus = JSON.parse(readFileSync(join(root, 'segments', 'columbus-group.json'), 'utf8')) as { data: { id: string; attributes: { name: string } } };
    const text = definition(`{ "type": "profile-group-membership", "is_member": true, "group_ids": ["${columbus.data.id}"] }`);
    const d = (await s.problems(text)).find((x) => x.code === 'segment-id-in-group-ids');
    assert.ok(d);
    assert.equal(d.severity, ERROR);
    assert.ok(messageOf(d).includes(columbus.data.attributes.name), messageOf(d));
  });

  it('no-consent-condition: the segment is named after its file', async () => {
    const text = definition(metric('VwxT3a'));
    const d = (await s.problems(text, 'spring-promo.json')).find((x) => x.code === 'no-consent-condition');
    assert.ok(d);
    assert.equal(d.severity, INFORMATION);
    assert.match(messageOf(d), /"spring promo"/);
  });

  it('matches-no-one appears once the counts say 0: the diagnostics of the same version are republished', async () => {
    const uri = client.uriOf(s.path());
    await client.open(uri, definition(metric('Tw7pCm')));
    try {
      assert.equal((await counts(client, uri)).matched, 0, 'precondition: no Tw7pCm event in the last 30 days');
      const published = await client.diagnosticsWhere(uri, (p) => p.version === 1 && p.diagnostics.some((d) => d.code === 'matches-no-one'));
      assert.equal(published.diagnostics.filter((d) => d.code === 'matches-no-one').length, 1);
    } finally {
      await client.close(uri);
    }
  });
});

// =============================================================================================

describe('features over the protocol: outside a data workspace', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'segment-lens-no-workspace-'));
    client = new TestClient({ settings: FAST });
    await client.initialize();
    s = new Session(client, root);
  });
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  it('completion and hover on IDs still answer, without workspace data; the counts say there is no workspace', async () => {
    const { items } = await s.complete(definition(metric('|')).replace('"|"', '|'));
    assert.deepEqual(
      items.filter((i) => i.kind === CompletionItemKind.Value),
      [],
      'no metrics to offer',
    );
    const { markdown } = await s.hover(definition(metric('VwxT3a')).replace('"VwxT3a"', '"Vwx|T3a"'));
    assert.doesNotMatch(markdown, /Unknown metric/);
    const report = await s.with(definition(metric('VwxT3a')), (uri) => counts(client, uri));
    assert.equal(report.state, 'no-workspace');
  });
});

// =============================================================================================

describe('features over the protocol: opening a document is validated at once', function () {
  this.timeout(30_000);
  /** A long typing debounce: it applies to edits, not to opening a file. */
  const DEBOUNCE_MS = 3000;
  let client: TestClient;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'segment-lens-open-'));
    client = new TestClient({ settings: { debounceMs: DEBOUNCE_MS } });
    await client.initialize();
    await client.settingsPulled;
  });
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  it('publishes the diagnostics of an opened file without waiting for the typing debounce', async () => {
    const uri = client.uriOf(join(root, 'segments', 'opened.json'));
    const started = Date.now();
    await client.open(uri, definition(metric('VwxT3a').replace('"count"', '"suum"')));
    const { diagnostics } = await client.diagnostics(uri, 1, 10_000);
    const elapsed = Date.now() - started;
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['invalid-value'],
    );
    assert.ok(elapsed < DEBOUNCE_MS / 2, `published ${elapsed} ms after opening (debounce ${DEBOUNCE_MS} ms)`);
    await client.close(uri);
  });
});
