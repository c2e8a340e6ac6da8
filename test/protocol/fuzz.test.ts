/**
 * Seeded fuzzing of the built server over stdio (issue 16). Valid segment files of the sample
 * workspace are mutated (./fuzzMutations.ts) and opened, changed and closed as an editor would;
 * after each version the test asks for what an editor asks for. It asserts that the server never
 * crashes, never answers with an error, never logs an error, publishes diagnostics for every
 * version, answers every request on a document under 1 MB within a second, and gives its memory
 * back once the documents are closed.
 *
 * `npm test` runs a short run (FUZZ_ITERATIONS, default 40); `npm run fuzz` a long one (default
 * 1,000). FUZZ_SEED (default 1) chooses the documents; a failure names its seed and iteration.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  SelectionRangeRequest,
  type Diagnostic,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MemoryReport } from '../../server/src/protocol';
import { SERVER, TestClient } from './lspClient';
import { readySession, SAMPLE, segmentFilesUnder, stopSession, type Session } from './fixtures';
import { mutate, Random } from './fuzzMutations';

const LONG = process.env.FUZZ_LONG === '1';
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? (LONG ? 1_000 : 40));
const SEED = Number(process.env.FUZZ_SEED ?? 1);
/** Versions of each document: opened, then changed. */
const VERSIONS = 2;
const MB = 1024 * 1024;
const ERROR_LOG = 1;

/** The requests an editor sends about a document, each at a random place where it takes one. */
function requestsFor(
  uri: string,
  document: TextDocument,
  diagnostics: Diagnostic[],
  random: Random,
): { name: string; send: (client: TestClient) => Promise<unknown> }[] {
  const textDocument = { uri };
  const at = (): Position => document.positionAt(random.below(document.getText().length + 1));
  const position = at();
  const range = { start: position, end: at() };
  const ordered =
    range.end.line < range.start.line || (range.end.line === range.start.line && range.end.character < range.start.character)
      ? { start: range.end, end: range.start }
      : range;
  return [
    { name: 'hover', send: (c) => c.connection.sendRequest(HoverRequest.type, { textDocument, position }) },
    { name: 'completion', send: (c) => c.connection.sendRequest(CompletionRequest.type, { textDocument, position: at() }) },
    { name: 'documentSymbol', send: (c) => c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument }) },
    { name: 'foldingRange', send: (c) => c.connection.sendRequest(FoldingRangeRequest.type, { textDocument }) },
    { name: 'selectionRange', send: (c) => c.connection.sendRequest(SelectionRangeRequest.type, { textDocument, positions: [at()] }) },
    {
      name: 'formatting',
      send: (c) => c.connection.sendRequest(DocumentFormattingRequest.type, { textDocument, options: { tabSize: 2, insertSpaces: true } }),
    },
    {
      name: 'codeAction',
      send: (c) => c.connection.sendRequest(CodeActionRequest.type, { textDocument, range: ordered, context: { diagnostics: diagnostics.slice(0, 5) } }),
    },
    { name: 'codeLens', send: (c) => c.connection.sendRequest(CodeLensRequest.type, { textDocument }) },
  ];
}

describe(`fuzz: mutated segment files over the protocol (seed ${SEED}, ${ITERATIONS} documents)`, function () {
  this.timeout(LONG ? 0 : 180_000);
  let client: TestClient;
  let root: string;
  let s: Session;
  let bases: string[];

  before(async () => {
    ({ client, root, s } = await readySession(SAMPLE, { settings: { debounceMs: 0 }, command: [process.execPath, '--expose-gc', SERVER, '--stdio'] }));
    bases = segmentFilesUnder(root).map((path) => readFileSync(path, 'utf8'));
  });
  after(() => stopSession(client, root));

  it('no crash, no error answer or log line, diagnostics for every version, answers within 1 s under 1 MB, memory given back', async () => {
    const random = new Random(SEED);
    const memory = () => client.connection.sendRequest<MemoryReport>('segmentLens/debug/memory');
    const before = await memory();
    const started = Date.now();
    const latencies: number[] = [];
    const slow: string[] = [];
    let peakRss = before.rss;
    let largest = 0;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const uri = client.uriOf(s.path(`fuzz-${iteration}.json`));
      let text = random.pick(bases);
      for (let version = 1; version <= VERSIONS; version++) {
        const mutated = mutate(text, random);
        text = mutated.text;
        largest = Math.max(largest, text.length);
        const where = `seed ${SEED}, iteration ${iteration}, version ${version} (${mutated.mutations.join(', ')}; ${text.length.toLocaleString('en-US')} characters)`;
        if (version === 1) await client.open(uri, text);
        else await client.change(uri, text);
        const published = await client
          .diagnosticsWhere(uri, (p) => p.version === version, 120_000)
          .catch((error: Error) => assert.fail(`${where}: ${error.message}`));
        const document = TextDocument.create(uri, 'json', version, text);
        for (const request of requestsFor(uri, document, published.diagnostics, random)) {
          const sent = Date.now();
          await request.send(client).catch((error: Error) => assert.fail(`${where}: ${request.name} answered with an error: ${error.message}`));
          const ms = Date.now() - sent;
          if (text.length < MB) {
            latencies.push(ms);
            if (ms > 1_000) slow.push(`${where}: ${request.name} took ${ms} ms`);
          }
        }
      }
      await client.close(uri);
      const errors = client.logs.filter((l) => l.type === ERROR_LOG).map((l) => l.message);
      assert.deepEqual(errors, [], `seed ${SEED}, iteration ${iteration}: the server logged errors`);
      assert.equal(client.stderr, '', `seed ${SEED}, iteration ${iteration}: the server wrote to stderr`);
      if (iteration % 25 === 24) peakRss = Math.max(peakRss, (await memory()).rss);
      if (LONG && iteration % 100 === 99) console.log(`      ${iteration + 1} documents after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    assert.deepEqual(slow, [], 'requests on documents under 1 MB answered within 1 s');
    const after = await memory();
    peakRss = Math.max(peakRss, after.rss);
    const heap = (m: MemoryReport) => m.heapUsed + m.workers.reduce((a, b) => a + b, 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    console.log(
      `      ${ITERATIONS} documents × ${VERSIONS} versions in ${((Date.now() - started) / 1000).toFixed(0)} s, largest ${(largest / MB).toFixed(1)} MB; ` +
        `${latencies.length} requests under 1 MB: p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms, max ${sorted[sorted.length - 1] ?? 0} ms; ` +
        `heaps ${(heap(before) / MB).toFixed(0)} → ${(heap(after) / MB).toFixed(0)} MB (server thread ${(before.heapUsed / MB).toFixed(0)} → ${(after.heapUsed / MB).toFixed(0)} MB), RSS ${(before.rss / MB).toFixed(0)} → ${(after.rss / MB).toFixed(0)} MB (peak seen ${(peakRss / MB).toFixed(0)} MB)`,
    );
    // Every document is closed: what the server keeps is its caches, bounded by bytes (docs/performance.md, "Robustness").
    assert.ok(heap(after) - heap(before) < 40 * MB, `the heaps grew by ${((heap(after) - heap(before)) / MB).toFixed(0)} MB`);
  });
});
