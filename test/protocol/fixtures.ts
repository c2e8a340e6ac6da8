import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CodeActionRequest,
  CompletionRequest,
  HoverRequest,
  type CodeAction,
  type Command,
  type CompletionItem,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { cursor, positionAt } from '../support/lspText';
import { REPO, TestClient, type TestClientOptions } from './lspClient';
import type { CountsReport } from '../../server/src/protocol';

export const SAMPLE = join(REPO, 'sample-workspace');
export const TINY = join(REPO, 'test', 'fixtures', 'workspaces', 'tiny');

/** A fresh copy of a workspace folder in a temp directory (tests may add files to it). */
export function copyWorkspace(source: string, into?: string): string {
  const target = into ?? mkdtempSync(join(tmpdir(), 'segment-lens-features-'));
  cpSync(source, target, { recursive: true });
  return target;
}

export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export function removeDir(path: string | undefined): void {
  if (path) rmSync(path, { recursive: true, force: true });
}

export const ERROR = 1;
export const WARNING = 2;
export const INFORMATION = 3;

/** A test session: one server, one copy of a workspace, unique document names. */
export class Session {
  private n = 0;
  constructor(
    readonly client: TestClient,
    readonly root: string,
  ) {}

  /** A fresh path for a segment file under the workspace. */
  path(name?: string): string {
    return join(this.root, 'segments', name ?? `case-${++this.n}.json`);
  }

  /** Opens `text` at a fresh path (or `name`), runs `run`, closes the document. */
  async with<T>(text: string, run: (uri: string) => Promise<T>, name?: string): Promise<T> {
    const uri = this.client.uriOf(this.path(name ?? `case-${++this.n}.json`));
    await this.client.open(uri, text);
    try {
      return await run(uri);
    } finally {
      await this.client.close(uri);
    }
  }

  /** Waits until the workspace is loaded: counts of a real segment file. */
  async ready(file = 'repeat-buyers.json'): Promise<CountsReport> {
    const path = join(this.root, 'segments', file);
    const uri = this.client.uriOf(path);
    await this.client.open(uri, readFileSync(path, 'utf8'));
    const report = await this.client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
    await this.client.close(uri);
    return report;
  }

  /** Completion at the `|` of `textWithCursor`. */
  async complete(textWithCursor: string, name?: string): Promise<{ text: string; offset: number; items: CompletionItem[] }> {
    const { text, offset } = cursor(textWithCursor);
    const items = await this.with(
      text,
      async (uri) => {
        const result = await this.client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAt(text, offset) });
        return Array.isArray(result) ? result : (result?.items ?? []);
      },
      name,
    );
    return { text, offset, items };
  }

  /** Hover markdown at the `|`; with `counts`, the counts are computed first. */
  async hover(
    textWithCursor: string,
    options: { counts?: boolean; name?: string } = {},
  ): Promise<{ markdown: string; range: Range | undefined; text: string; counts?: CountsReport }> {
    const { text, offset } = cursor(textWithCursor);
    return this.with(
      text,
      async (uri) => {
        const counts = options.counts ? await this.client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri }) : undefined;
        const result = await this.client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionAt(text, offset) });
        const contents = result?.contents;
        const markdown = typeof contents === 'object' && contents !== null && 'value' in contents ? contents.value : '';
        return { markdown, range: result?.range, text, counts };
      },
      options.name,
    );
  }

  /** The diagnostics the server publishes for `text` opened at a fresh path (or `name`). */
  async problems(text: string, name?: string): Promise<Diagnostic[]> {
    return this.with(text, async (uri) => (await this.client.diagnostics(uri, 1)).diagnostics, name);
  }

  /** Asserts `text` is strict JSON and the server reports no error for it (codes in `allow` excepted). */
  async assertValid(text: string, allow: string[] = []): Promise<Diagnostic[]> {
    assert.doesNotThrow(() => JSON.parse(text), `not strict JSON:\n${text}`);
    const diagnostics = await this.problems(text);
    const errors = diagnostics.filter((d) => d.severity === ERROR && !allow.includes(String(d.code)));
    assert.deepEqual(
      errors.map((d) => `${d.code}: ${d.message}`),
      [],
      `errors in the result:\n${text}`,
    );
    return diagnostics;
  }

  /** Code actions for one diagnostic (what an editor asks for the lightbulb). */
  async actions(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    const result = await this.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    return (result ?? []).filter((a: CodeAction | Command): a is CodeAction => 'edit' in a || 'kind' in a);
  }
}

/**
 * A server started on a fresh copy of the workspace `source` (after `prepare` has changed the
 * copy), initialized, its workspace loaded: what a describe's before() sets up. stopSession ends it.
 */
export async function readySession(
  source: string,
  options: TestClientOptions & { readyFile?: string; prepare?: (root: string) => void } = {},
): Promise<{ client: TestClient; root: string; s: Session }> {
  const root = copyWorkspace(source);
  options.prepare?.(root);
  const client = new TestClient(options);
  await client.initialize();
  const s = new Session(client, root);
  await s.ready(options.readyFile);
  return { client, root, s };
}

/** Stops a readySession's server and removes its copy of the workspace. */
export async function stopSession(client: TestClient | undefined, root: string | undefined): Promise<void> {
  await client?.stop();
  removeDir(root);
}

// ---------------------------------------------------------------------------------------------
// Oracles: facts computed straight from the workspace files, independently of the server.

export interface EventFacts {
  count: number;
  profiles: number;
}

const factsByRoot = new Map<string, Map<string, EventFacts>>();

/** Events of a metric in a workspace: how many, from how many distinct profiles. */
export function metricFacts(root: string, metricId: string): EventFacts {
  let all = factsByRoot.get(root);
  if (!all) {
    all = new Map();
    const acc = new Map<string, { count: number; profiles: Set<string> }>();
    for (const line of gunzipSync(readFileSync(join(root, 'data', 'events.jsonl.gz')))
      .toString('utf8')
      .split('\n')) {
      let event: { relationships?: { metric?: { data?: { id?: string } }; profile?: { data?: { id?: string } } } };
      try {
        event = JSON.parse(line);
      } catch {
        continue;
      }
      const id = event.relationships?.metric?.data?.id;
      if (typeof id !== 'string') continue;
      let a = acc.get(id);
      if (!a) acc.set(id, (a = { count: 0, profiles: new Set() }));
      a.count++;
      a.profiles.add(String(event.relationships?.profile?.data?.id));
    }
    for (const [id, a] of acc) all.set(id, { count: a.count, profiles: a.profiles.size });
    factsByRoot.set(root, all);
  }
  return all.get(metricId) ?? { count: 0, profiles: 0 };
}

/** Every segment file under `root` (same rule as the extension's default globs). */
export function segmentFilesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string, inSegments: boolean): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path, inSegments || entry.name === 'segments');
      else if (entry.name.endsWith('.segment.json') || (inSegments && entry.name.endsWith('.json'))) found.push(path);
    }
  };
  walk(root, false);
  return found.sort();
}

export const fmt = (n: number) => n.toLocaleString('en-US');

/** Opens `<workspace>/segments/<file>` in `client` and waits for its counts (segmentLens/counts). */
export async function openAndCount(client: TestClient, workspace: string, file: string): Promise<{ uri: string; report: CountsReport }> {
  const uri = client.uriOf(join(workspace, 'segments', file));
  await client.open(uri, readFileSync(join(workspace, 'segments', file), 'utf8'));
  const report = await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
  return { uri, report };
}
