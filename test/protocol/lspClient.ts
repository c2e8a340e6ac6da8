import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  ConfigurationRequest,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeResult,
  type ProgressToken,
} from 'vscode-languageserver-protocol/node';
import { serverEnvironment } from '../../server/src/protocol';

export const REPO = join(__dirname, '..', '..', '..');
export const SERVER = join(REPO, 'dist', 'server.js');

/** Segment Lens's own notifications the client records (docs/protocol.md). */
const RECORDED_NOTIFICATIONS = ['segmentLens/countsChanged', 'segmentLens/workspaceStatus'] as const;
export type RecordedNotification = (typeof RECORDED_NOTIFICATIONS)[number];

export interface TestClientOptions {
  /** `segmentLens` settings answered to workspace/configuration requests. */
  settings?: Record<string, unknown>;
  /** How the server is started: the bundled server or the CLI's `lsp --stdio`. */
  command?: string[];
  rootUri?: string;
  /** Environment variables of the server process, besides this process's own. */
  env?: Record<string, string>;
}

/**
 * A minimal LSP client talking to the built server over stdio, the way an editor does.
 * Diagnostics and Segment Lens's own notifications are collected as they arrive; the `wait…`
 * methods wake on each arrival to check what they wait for (never on a timer).
 */
export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess;
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly notifications: { method: string; params: unknown }[] = [];
  private readonly waiters: (() => void)[] = [];
  private settingsAnswered: () => void = () => undefined;
  /** Resolves once the server has pulled the settings (the client answered workspace/configuration). */
  readonly settingsPulled = new Promise<void>((resolve) => (this.settingsAnswered = resolve));
  private readonly versions = new Map<string, number>();
  stderr = '';
  readonly progressTokens: ProgressToken[] = [];
  readonly progress: { token: ProgressToken; value: unknown }[] = [];
  readonly refreshes = { codeLens: 0, inlayHint: 0 };
  readonly registrations: string[] = [];
  /** The server's log (window/logMessage): type 1 is an error, 2 a warning, 3 information, 4 a log line. */
  readonly logs: { type: number; message: string }[] = [];
  /** Messages the server showed the user (window/showMessageRequest), same types. */
  readonly shown: { type: number; message: string }[] = [];
  initializeResult: InitializeResult | undefined;

  constructor(private readonly options: TestClientOptions = {}) {
    const [command, ...args] = options.command ?? [process.execPath, SERVER, '--stdio'];
    // Started as the client starts it, with the test's own variables.
    this.process = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...serverEnvironment(process.env), ...options.env } });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      this.wake();
    });
    for (const method of RECORDED_NOTIFICATIONS) {
      this.connection.onNotification(method, (params: unknown) => {
        this.notifications.push({ method, params });
        this.wake();
      });
    }
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      const answer = params.items.map((item) => (item.section === 'segmentLens' ? (this.options.settings ?? {}) : null));
      // The answer is written before anything the test sends once this promise resolves.
      this.settingsAnswered();
      return answer;
    });
    // What an editor answers to the server's own requests.
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: ProgressToken }) => {
      this.progressTokens.push(params.token);
      return null;
    });
    this.connection.onNotification('$/progress', (params: { token: ProgressToken; value: unknown }) => {
      this.progress.push(params);
      this.wake();
    });
    this.connection.onRequest('workspace/codeLens/refresh', () => {
      this.refreshes.codeLens++;
      return null;
    });
    this.connection.onRequest('workspace/inlayHint/refresh', () => {
      this.refreshes.inlayHint++;
      return null;
    });
    this.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      this.logs.push(params);
      this.wake();
    });
    this.connection.onRequest('window/showMessageRequest', (params: { type: number; message: string }) => {
      this.shown.push({ type: params.type, message: params.message });
      this.wake();
      return null;
    });
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string }[] }) => {
      this.registrations.push(...params.registrations.map((r) => r.method));
      return null;
    });
    this.connection.listen();
  }

  async initialize(): Promise<InitializeResult> {
    this.initializeResult = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: this.options.rootUri ?? null,
      capabilities: {
        workspace: {
          configuration: true,
          codeLens: { refreshSupport: true },
          inlayHint: { refreshSupport: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
        },
        window: { workDoneProgress: true },
      },
      workspaceFolders: null,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return this.initializeResult;
  }

  /** The server's process ID (to read its memory from /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  uriOf(path: string): string {
    return pathToFileURL(path).toString();
  }

  async open(uri: string, text: string, languageId = 'json'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-document change). Returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Every diagnostics notification received so far for `uri`. */
  publishedFor(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((p) => p.uri === uri);
  }

  /** Waits for diagnostics of `uri` (at `version`, when given): the newest such notification. */
  async diagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return this.diagnosticsWhere(uri, (p) => version === undefined || p.version === version, timeoutMs);
  }

  /** Waits until a diagnostics notification of `uri` satisfies `accept`; returns the newest that does. */
  async diagnosticsWhere(uri: string, accept: (published: PublishDiagnosticsParams) => boolean, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return this.waitUntil(() => this.published.filter((p) => p.uri === uri && accept(p)).pop(), `diagnostics of ${uri}`, timeoutMs);
  }

  /** How many `method` notifications have arrived so far (a starting point for `notification`). */
  notificationCount(method: RecordedNotification): number {
    return this.notifications.filter((n) => n.method === method).length;
  }

  /** Waits for a `method` notification after the first `since` ones whose params satisfy `accept`; returns its index and params. */
  async notification<T>(method: RecordedNotification, accept: (params: T) => boolean, since = 0, timeoutMs = 20_000): Promise<{ index: number; params: T }> {
    return this.waitUntil(
      () => {
        const all = this.notifications.filter((n) => n.method === method);
        for (let index = since; index < all.length; index++) if (accept(all[index].params as T)) return { index, params: all[index].params as T };
        return undefined;
      },
      `a ${method} notification`,
      timeoutMs,
    );
  }

  /** Waits for a `$/progress` value that satisfies `accept` (work the server reports as in flight). */
  async progressWhere(accept: (value: unknown) => boolean, timeoutMs = 20_000): Promise<unknown> {
    return this.waitUntil(() => this.progress.find((p) => accept(p.value))?.value, 'a matching progress report', timeoutMs);
  }

  /** Waits until the server has logged a line that satisfies `accept`. */
  async log(accept: (line: { type: number; message: string }) => boolean, timeoutMs = 10_000): Promise<{ type: number; message: string }> {
    return this.waitUntil(() => this.logs.find(accept), 'a matching log line', timeoutMs);
  }

  /** Waits until the server has logged `count` lines that satisfy `accept`. */
  async waitForLog(accept: (line: { type: number; message: string }) => boolean, count: number, timeoutMs = 60_000): Promise<void> {
    await this.waitUntil(() => (this.logs.filter(accept).length >= count ? true : undefined), `${count} matching log lines`, timeoutMs);
  }

  /** Waits until the server has shown the user a message that satisfies `accept`. */
  async shownMessage(accept: (message: { type: number; message: string }) => boolean, timeoutMs = 10_000): Promise<{ type: number; message: string }> {
    return this.waitUntil(() => this.shown.find(accept), 'a matching window message', timeoutMs);
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Checks `probe` now and after each message from the server, until it returns a value. */
  private async waitUntil<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The server may already be gone; the process is killed below either way.
    }
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.process.kill('SIGKILL');
        resolve();
      }, 2000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}
