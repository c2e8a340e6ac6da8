/**
 * Hostile documents over the real protocol (issue 16): no document can crash, stall or starve
 * the server. Each case drives the built server (dist/server.js) as an editor would.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentFormattingRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { CountsReport, MemoryReport } from '../../server/src/protocol';
import { definition } from '../support/segmentText';
import { SERVER, TestClient } from './lspClient';
import { readySession, SAMPLE, stopSession, TINY, type Session } from './fixtures';

const ERROR_LOG = 1;

describe('hostile documents: one document cannot take the others down', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  // Segment-ID checks (which read every open document) run only once the workspace is loaded.
  before(async () => ({ client, root, s } = await readySession(SAMPLE, { settings: { debounceMs: 0 } })));
  after(() => stopSession(client, root));

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
    assert.deepEqual(
      other.diagnostics.map((d) => d.code),
      ['empty-condition-groups'],
    );
    await client.close(otherUri);
    await client.close(deepUri);
    assert.deepEqual(
      client.logs.filter((l) => l.type === ERROR_LOG).map((l) => l.message),
      [],
    );
  });

  it('formatting 5 MB of random bytes, 10 KB of 5,000 nested arrays or 4.6 KB of unclosed brackets: no edits at once, the log says why, the server answers on', async () => {
    const cases = {
      random: randomBytes(5_000_000).toString('latin1'),
      nested: `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
      unclosed: '['.repeat(4_600),
    };
    for (const [name, text] of Object.entries(cases)) {
      await s.with(
        text,
        async (uri) => {
          const started = Date.now();
          const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
            textDocument: { uri },
            options: { tabSize: 2, insertSpaces: true },
          });
          const ms = Date.now() - started;
          assert.deepEqual(edits ?? [], [], name);
          assert.ok(ms < 5_000, `${name}: formatting answered after ${ms} ms`);
          await client.log((l) => l.message.includes(uri) && l.message.includes('not formatted'));
          // The server is still there and answers the next request.
          await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } });
        },
        `format-${name}.json`,
      );
    }
  });
});

describe('hostile documents: memory is given back when documents close', function () {
  this.timeout(300_000);
  let client: TestClient;
  let root: string;
  let s: Session;
  const MB = 1024 * 1024;

  // --expose-gc lets the memory request collect garbage first, so it reports what is kept.
  before(
    async () =>
      ({ client, root, s } = await readySession(SAMPLE, { settings: { debounceMs: 0 }, command: [process.execPath, '--expose-gc', SERVER, '--stdio'] })),
  );
  after(() => stopSession(client, root));

  const memory = () => client.connection.sendRequest<MemoryReport>('segmentLens/debug/memory');
  const heap = (m: MemoryReport) => m.heapUsed + m.workers.reduce((a, b) => a + b, 0);

  /** Opens a document, waits for its diagnostics and counts (the worker evaluated it), closes it. */
  const cycle = async (text: string, name: string): Promise<void> => {
    const uri = client.uriOf(s.path(name));
    await client.open(uri, text);
    await client.diagnostics(uri, 1, 60_000);
    await client.connection.sendRequest('segmentLens/counts', { uri });
    await client.close(uri);
  };

  const megabyte = (i: number) => `${String(i).padStart(6, '0')}${'x'.repeat(MB)}`;
  /** Documents that differ only in a 1 MB key of a condition, a custom property's name or a filter value. */
  const variants = {
    'JSON key': (i: number) => definition(`{ "type": "profile-region", "in_region": true, "region": "european_union", ${JSON.stringify(megabyte(i))}: 1 }`),
    'property name': (i: number) =>
      definition(
        `{ "type": "profile-property", "property": ${JSON.stringify(`properties['${megabyte(i)}']`)}, "filter": { "type": "string", "operator": "equals", "value": "a" } }`,
      ),
    value: (i: number) =>
      definition(
        `{ "type": "profile-property", "property": "properties['Favorite Genre']", "filter": { "type": "string", "operator": "equals", "value": ${JSON.stringify(megabyte(i))} } }`,
      ),
  };

  for (const [what, text] of Object.entries(variants)) {
    it(`40 documents, each with a different 1 MB ${what}, opened and closed: the heaps and RSS stay bounded`, async () => {
      // Warm up: the first documents fill the caches that do not depend on the document.
      for (let i = 0; i < 3; i++) await cycle(text(1_000 + i), `warm-${what.replace(' ', '-')}-${i}.json`);
      const before = await memory();
      for (let i = 0; i < 40; i++) await cycle(text(i), `big-${what.replace(' ', '-')}-${i}.json`);
      const after = await memory();
      const grown = { heap: (heap(after) - heap(before)) / MB, rss: (after.rss - before.rss) / MB };
      console.log(
        `      ${what}: heaps ${(heap(before) / MB).toFixed(0)} → ${(heap(after) / MB).toFixed(0)} MB (server thread ${(before.heapUsed / MB).toFixed(0)} → ${(after.heapUsed / MB).toFixed(0)} MB), RSS ${(before.rss / MB).toFixed(0)} → ${(after.rss / MB).toFixed(0)} MB`,
      );
      // The 40 documents hold 40 MB of text: a server that kept anything of each (a memo keyed by
      // its text, a parse) would grow by at least that. The memos never keep a key of a megabyte
      // (docs/performance.md, "Robustness"), so a fixed server stays within a few megabytes.
      assert.ok(grown.heap < 20, `the heaps grew by ${grown.heap.toFixed(0)} MB`);
      assert.ok(grown.rss < 100, `RSS grew by ${grown.rss.toFixed(0)} MB`);
    });
  }
});

describe('hostile documents: a slow condition does not starve the counts of other documents', function () {
  this.timeout(120_000);
  const BUDGET_MS = 1_000;
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => {
    // 100 profiles with distinct 40,000-character notes of a and b (a fixed pseudo-random
    // sequence). The pattern below compiles to 206 instructions, so one match is 8.2 million steps
    // (under the 10 million of one match) and takes a tenth to a quarter of a second: seconds in all.
    let seed = 7;
    const letter = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) & 1024 ? 'a' : 'b');
    const lines = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({ type: 'profile', id: `NOTES${i}`, attributes: { properties: { Notes: `${Array.from({ length: 40_000 }, letter).join('')}c` } } }),
    );
    const prepare = (copy: string) => appendFileSync(join(copy, 'data', 'profiles.jsonl'), `\n${lines.join('\n')}\n`);
    ({ client, root, s } = await readySession(TINY, {
      settings: { debounceMs: 0 },
      env: { SEGMENT_LENS_CONDITION_BUDGET_MS: String(BUDGET_MS) },
      readyFile: 'buyers.json',
      prepare,
    }));
  });
  after(() => stopSession(client, root));

  it('the slow condition is "too slow to evaluate locally" after its budget; another document\'s counts wait no longer', async () => {
    const slowUri = client.uriOf(s.path('slow-regex.json'));
    await client.open(
      slowUri,
      definition(
        '{ "type": "profile-property", "property": "properties[\'Notes\']", "filter": { "type": "string", "operator": "regex", "value": "[ab]*a[ab]{200}[cd]" } }',
      ),
    );
    await client.diagnostics(slowUri, 1);
    const otherUri = client.uriOf(s.path('jazz.json'));
    const started = Date.now();
    await client.open(
      otherUri,
      definition(
        '{ "type": "profile-property", "property": "properties[\'Favorite Genre\']", "filter": { "type": "string", "operator": "equals", "value": "Jazz" } }',
      ),
    );
    const other = await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri: otherUri });
    const waited = Date.now() - started;
    console.log(`      the other document's counts after ${waited} ms (budget ${BUDGET_MS} ms)`);
    assert.equal(other.state, 'ok');
    assert.ok(other.matched !== null && other.matched > 0);
    // Behind the slow condition in the worker's queue: its budget, plus a margin for a busy machine.
    assert.ok(waited < BUDGET_MS + 3_000, `the other document's counts came after ${waited} ms`);
    const slow = await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri: slowUri });
    assert.equal(slow.matched, null);
    assert.match(slow.groups[0].conditions[0].notEvaluable ?? '', /too slow to evaluate locally \(more than 1 s\)/);
    await client.close(otherUri);
    await client.close(slowUri);
  });
});
