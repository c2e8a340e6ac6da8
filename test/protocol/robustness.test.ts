/**
 * Hostile documents over the real protocol (issue 16): no document can crash, stall or starve
 * the server. Each case drives the built server (dist/server.js) as an editor would.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DocumentFormattingRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { TestClient } from './lspClient';
import { copyWorkspace, removeDir, SAMPLE, Session } from './fixtures';

const ERROR_LOG = 1;

describe('hostile documents: one document cannot take the others down', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => {
    root = copyWorkspace(SAMPLE);
    client = new TestClient({ settings: { debounceMs: 0 } });
    await client.initialize();
    s = new Session(client, root);
    // Segment-ID checks (which read every open document) run only once the workspace is loaded.
    await s.ready();
  });
  after(async () => {
    await client.stop();
    removeDir(root);
  });

  it('a document nested 5,000 levels deep gets one too-deep error, and documents opened after it get their diagnostics', async () => {
    const deepUri = client.uriOf(s.path('deep.json'));
    await client.open(deepUri, `{"condition_groups": ${'['.repeat(5_000)}`);
    const deep = await client.diagnostics(deepUri, 1);
    assert.deepEqual(deep.diagnostics.map((d) => d.code).sort(), ['json-syntax', 'too-deep']);
    const tooDeep = deep.diagnostics.find((d) => d.code === 'too-deep')!;
    // The root object is level 1 and the limit is 64: the 64th bracket is the first too deep.
    assert.deepEqual(tooDeep.range.start, { line: 0, character: '{"condition_groups": '.length + 63 });

    const otherUri = client.uriOf(s.path('after-deep.json'));
    await client.open(otherUri, '{"condition_groups": []}');
    const other = await client.diagnostics(otherUri, 1);
    assert.deepEqual(other.diagnostics.map((d) => d.code), ['empty-condition-groups']);
    await client.close(otherUri);
    await client.close(deepUri);
    assert.deepEqual(client.logs.filter((l) => l.type === ERROR_LOG).map((l) => l.message), []);
  });

  it('formatting 5 MB of random bytes, 10 KB of 5,000 nested arrays or 4.6 KB of unclosed brackets: no edits at once, the log says why, the server answers on', async () => {
    const cases = {
      random: randomBytes(5_000_000).toString('latin1'),
      nested: `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
      unclosed: '['.repeat(4_600),
    };
    for (const [name, text] of Object.entries(cases)) {
      await s.with(text, async (uri) => {
        const started = Date.now();
        const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
        const ms = Date.now() - started;
        assert.deepEqual(edits ?? [], [], name);
        assert.ok(ms < 5_000, `${name}: formatting answered after ${ms} ms`);
        await client.log((l) => l.message.includes(uri) && l.message.includes('not formatted'));
        // The server is still there and answers the next request.
        await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } });
      }, `format-${name}.json`);
    }
  });
});
