import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CodeActionRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { positionAt } from '../support/lspText';
import { REPO, TestClient } from './lspClient';

const REGION_LEGACY = `{
  "condition_groups": [
    { "conditions": [ { "type": "profile-region", "in_region": true, "region_id": "european_union" } ] }
  ]
}`;

describe('language server over stdio: diagnostics', function () {
  this.timeout(30_000);
  let client: TestClient;

  before(async () => {
    client = new TestClient();
    const result = await client.initialize();
    assert.equal(result.serverInfo?.name, 'segment-lens');
  });
  after(async () => client.stop());

  it('reports a legacy key at the key, with source, code and a quick fix', async () => {
    const uri = client.uriOf('/tmp/eu.segment.json');
    await client.open(uri, REGION_LEGACY);
    const { diagnostics } = await client.diagnostics(uri, 1);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [d] = diagnostics;
    assert.equal(d.source, 'segment-lens');
    assert.equal(d.code, 'legacy-region-id');
    assert.equal(d.severity, 1);
    const start = REGION_LEGACY.indexOf('"region_id"');
    assert.deepEqual(d.range, { start: positionAt(REGION_LEGACY, start), end: positionAt(REGION_LEGACY, start + '"region_id"'.length) });

    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions?.find((a) => 'edit' in a && a.title.includes('region'));
    assert.ok(fix && 'edit' in fix && fix.edit?.changes, 'a quick fix with an edit');
    const edits = fix.edit!.changes![uri];
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['"region"'],
    );
    await client.close(uri);
  });

  it('accepts the three file shapes', async () => {
    const definition = '{"condition_groups":[{"conditions":[{"type":"profile-region","in_region":true,"region":"european_union"}]}]}';
    const shapes = {
      bare: definition,
      create: `{"data":{"type":"segment","attributes":{"name":"EU","definition":${definition}}}}`,
      update: `{"data":{"type":"segment","id":"UUvyMc","attributes":{"definition":${definition}}}}`,
      resource: `{"type":"segment","id":"UUvyMc","attributes":{"name":"EU","definition":${definition},"created":"2026-01-01T00:00:00+00:00","updated":"2026-01-01T00:00:00+00:00","is_active":true,"is_processing":false,"is_starred":false}}`,
    };
    for (const [name, text] of Object.entries(shapes)) {
      const uri = client.uriOf(`/tmp/segments/${name}.json`);
      await client.open(uri, text);
      const { diagnostics } = await client.diagnostics(uri, 1);
      assert.deepEqual(diagnostics, [], `${name}: ${JSON.stringify(diagnostics)}`);
      await client.close(uri);
    }
  });

  it('keeps checking the rest of a file with comments and broken syntax', async () => {
    const text = `{
  // a note
  "condition_groups": [
    { "conditions": [ { "type": "profile-region", "in_region": "yes", "region": "european_union" }, ] }
  ]
}`;
    const uri = client.uriOf('/tmp/comments.segment.json');
    await client.open(uri, text);
    const codes = (await client.diagnostics(uri, 1)).diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['json-comment', 'json-trailing-comma', 'wrong-type']);
    await client.close(uri);
  });

  it('debounces edits and publishes only the newest version', async () => {
    const uri = client.uriOf('/tmp/typing.segment.json');
    await client.open(uri, REGION_LEGACY);
    await client.diagnostics(uri, 1);
    let version = 1;
    for (const region of ['e', 'eu', 'euro', 'europe']) {
      version = await client.change(uri, REGION_LEGACY.replace('"region_id": "european_union"', `"region": "${region}"`));
    }
    const last = await client.diagnostics(uri, version);
    assert.equal(last.diagnostics.length, 1);
    assert.equal(last.diagnostics[0].code, 'invalid-value');
    assert.match(String(last.diagnostics[0].message), /"europe" is not a valid region/);
    const versions = [...new Set(client.publishedFor(uri).map((p) => p.version))];
    assert.deepEqual(versions, [1, version], 'intermediate versions were never validated');
    await client.close(uri);
  });

  it('does not crash on huge or hostile input and still answers', async () => {
    const conditions = Array.from(
      { length: 3000 },
      (_, i) => `{"type":"profile-property","property":"properties['p${i}']","filter":{"type":"numeric","operator":"greater-than","value":${i}}}`,
    );
    const uri = client.uriOf('/tmp/huge.segment.json');
    await client.open(uri, `{"condition_groups":[{"conditions":[${conditions.join(',')}]}]}`);
    const { diagnostics } = await client.diagnostics(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['too-many-conditions'],
    );
    for (const text of ['', '[', '{"condition_groups": 5}', 'null', '"\\u', '{"condition_groups":[{"conditions":[null, 3, "x", []]}]}']) {
      const version = await client.change(uri, text);
      const published = await client.diagnostics(uri, version);
      assert.ok(published.diagnostics.length > 0, `problems reported for ${JSON.stringify(text)}`);
    }
  });
});

describe('the CLI runs the same server: segment-lens lsp --stdio', function () {
  this.timeout(30_000);
  it('publishes the same diagnostics', async () => {
    const client = new TestClient({ command: [process.execPath, join(REPO, 'bin', 'segment-lens.js'), 'lsp', '--stdio'] });
    try {
      await client.initialize();
      const uri = client.uriOf('/tmp/cli-lsp.segment.json');
      await client.open(uri, REGION_LEGACY);
      const { diagnostics } = await client.diagnostics(uri, 1);
      assert.deepEqual(
        diagnostics.map((d: Diagnostic) => d.code),
        ['legacy-region-id'],
      );
    } finally {
      await client.stop();
    }
  });
});
