/**
 * Real-editor test harness: VS Code's workbench served by code-server (with a real Node
 * extension host), driven in headless Debian Chromium by playwright-core.
 *
 * Prerequisites come from `bash scripts/setup-e2e.sh` (Chromium, and a Node 24 + code-server
 * install cached under `.cache/e2e/`). A typical test:
 *
 *     const cs = await startCodeServer({ vsix, folder });
 *     const wb = await openWorkbench(cs, folder);
 *     await openFileFromExplorer(wb.page, 'segments/vip.segment.json');
 *     const problems = await waitForProblems(wb.page, (rows) => rows.some((r) => r.code === 'x'));
 *     await wb.close();
 *     await cs.stop();
 *
 * Everything waits on a readiness signal read from the DOM or the server (see `waitFor`);
 * nothing sleeps for a fixed time. The DOM selectors used here were checked against
 * code-server 4.139.1 (VS Code 1.139.1); they are collected in `SELECTORS` so a VS Code
 * upgrade that renames a class needs one edit.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

// ---------------------------------------------------------------------------------------------
// Polling

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 30 000 ms). */
  timeoutMs?: number;
  /** Pause between two polls (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message ("the diagnostic in the Problems panel"). */
  what?: string;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Polls `fn` until it returns a truthy value, and returns that value. An exception thrown by
 * `fn` counts as "not yet" (the last one is quoted if the wait times out).
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Truthy<T>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as Truthy<T>;
      lastValue = value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const detail =
    lastError !== undefined
      ? `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
      : `; last value: ${safeStringify(lastValue)}`;
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}${detail}`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function safeStringify(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 500 ? `${text.slice(0, 500)}…` : text;
  } catch {
    return String(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Locating the repo and the cached tools

/** The tools installed by scripts/setup-e2e.sh (its `e2e-tools.json`). */
export interface E2eTools {
  codeServerVersion: string;
  nodeVersion: string;
  /** The cache folder, `.cache/e2e/code-server-<version>-node-<version>`. */
  cacheDir: string;
  /** The Node 24 binary that runs code-server. */
  node: string;
  /** code-server's `out/node/entry.js`. */
  codeServerEntry: string;
  /** The Chromium binary (normally /usr/bin/chromium). */
  chromium: string;
}

const SETUP_HINT = 'Run `bash scripts/setup-e2e.sh` first.';

/**
 * The repository root: the nearest folder above this module (or above the working directory)
 * that holds scripts/setup-e2e.sh. Works from `test/e2e/` and from the compiled `out/test/e2e/`.
 */
export function findRepoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      if (fs.existsSync(path.join(dir, 'scripts', 'setup-e2e.sh'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`Cannot find the repository root (a folder with scripts/setup-e2e.sh) above ${__dirname} or ${process.cwd()}`);
}

/**
 * Reads the cache written by scripts/setup-e2e.sh. The cache root is `<repo>/.cache/e2e` unless
 * SEGMENT_LENS_E2E_CACHE_ROOT says otherwise (the setup script honours the same variable).
 * Throws with a hint to run the setup script when anything is missing.
 */
export function findE2eTools(): E2eTools {
  const cacheRoot = process.env.SEGMENT_LENS_E2E_CACHE_ROOT ?? path.join(findRepoRoot(), '.cache', 'e2e');
  const currentFile = path.join(cacheRoot, 'current.json');
  if (!fs.existsSync(currentFile)) throw new Error(`No code-server cache at ${currentFile}. ${SETUP_HINT}`);
  // The setup script writes paths relative to the cache root (cacheDir) and to cacheDir (the rest).
  const manifest = JSON.parse(fs.readFileSync(currentFile, 'utf8')) as E2eTools;
  const cacheDir = path.resolve(cacheRoot, manifest.cacheDir);
  const tools: E2eTools = {
    ...manifest,
    cacheDir,
    node: path.resolve(cacheDir, manifest.node),
    codeServerEntry: path.resolve(cacheDir, manifest.codeServerEntry),
  };
  if (!fs.existsSync(path.join(tools.cacheDir, '.complete'))) {
    throw new Error(`The code-server cache ${tools.cacheDir} is incomplete. ${SETUP_HINT}`);
  }
  for (const file of [tools.node, tools.codeServerEntry]) {
    if (!fs.existsSync(file)) throw new Error(`Missing ${file} from the code-server cache. ${SETUP_HINT}`);
  }
  tools.chromium = process.env.SEGMENT_LENS_E2E_CHROMIUM ?? tools.chromium ?? '/usr/bin/chromium';
  if (!fs.existsSync(tools.chromium)) throw new Error(`Chromium not found at ${tools.chromium}. ${SETUP_HINT}`);
  return tools;
}

/** Where screenshots and failure logs go: `<repo>/test-output/e2e` (or SEGMENT_LENS_E2E_OUTPUT). */
export function e2eOutputDir(): string {
  const dir = process.env.SEGMENT_LENS_E2E_OUTPUT ?? path.join(findRepoRoot(), 'test-output', 'e2e');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------------------------
// code-server

/** A running code-server started by {@link startCodeServer}. */
export interface CodeServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The code-server process, leader of its own process group. */
  readonly pid: number;
  /** The folder it was started on. */
  readonly folder: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Temporary folder holding user data, extensions and XDG folders (removed by stop()). */
  readonly tempDir: string;
  /** Everything code-server printed so far (stdout and stderr, interleaved). */
  logs(): string;
  /** Ends the whole process group (SIGTERM, then SIGKILL) and removes the temporary folder. */
  stop(): Promise<void>;
}

/** Options for {@link startCodeServer}. */
export interface StartCodeServerOptions {
  /** One or more .vsix files installed with `--install-extension` before the server starts. */
  vsix: string | readonly string[];
  /** The workspace folder to open. */
  folder: string;
  /** User settings merged over {@link DEFAULT_SETTINGS}. */
  settings?: Record<string, unknown>;
  /** Unpacked extension folders, copied into the extensions dir as `<publisher>.<name>-<version>`. */
  unpackedExtensions?: readonly string[];
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** How long to wait for the server to answer HTTP (default 120 000 ms). */
  startTimeoutMs?: number;
  /** Keep the temporary folder after stop() (for debugging). Default: SEGMENT_LENS_E2E_KEEP=1. */
  keepTempDir?: boolean;
}

/**
 * Settings written to the temporary user-data dir before start. Without the first three the
 * folder opens in Restricted Mode (disabling extensions), and a Welcome page and a chat panel
 * take the screen. The rest removes noise and makes layouts predictable.
 */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  // openFileFromExplorer walks one folder per row; compact folders would merge `a/b` into one row.
  'explorer.compactFolders': false,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
};

// code-server process groups still running, with the removal of their temporary folders: ended
// when this Node process exits or is signalled (a test that forgot stop(), or Ctrl+C), so no
// server or folder outlives the test run.
const liveProcessGroups = new Map<number, () => void>();
let exitHooksInstalled = false;

function killProcessGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone.
  }
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const endAll = (): void => {
    for (const [pid, cleanUp] of liveProcessGroups) {
      killProcessGroup(pid, 'SIGKILL');
      try {
        cleanUp();
      } catch {
        // Best effort while exiting.
      }
    }
    liveProcessGroups.clear();
  };
  process.on('exit', endAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      endAll();
      // Keep the default behaviour (exit) unless someone else (mocha) handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/**
 * The environment for child processes, without variables that would make code-server act as a
 * remote CLI of an outer VS Code (VSCODE_IPC_HOOK_CLI and friends, when tests run in a VS Code
 * terminal) or load test-runner hooks into the extension host (NODE_OPTIONS).
 */
function cleanEnv(base: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

interface CompletedProcess {
  code: number | null;
  output: string;
}

function runToCompletion(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CompletedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(command)} ${args.join(' ')} did not finish in ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A free TCP port on 127.0.0.1 (asked of the OS; it may be taken again before use, see retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not get a free port'));
      });
    });
  });
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(undefined));
    request.on('timeout', () => {
      request.destroy();
      resolve(undefined);
    });
  });
}

/**
 * Starts code-server on a free loopback port with fresh user-data and extensions dirs, after
 * installing `vsix`, and waits until it answers HTTP. Always pair it with `stop()`.
 */
export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer> {
  const tools = findE2eTools();
  const folder = path.resolve(options.folder);
  if (!fs.statSync(folder).isDirectory()) throw new Error(`Not a folder: ${folder}`);

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segment-lens-e2e-'));
  const keepTempDir = options.keepTempDir ?? process.env.SEGMENT_LENS_E2E_KEEP === '1';
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = path.join(tempDir, 'extensions');
  const configFile = path.join(tempDir, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2));
  // An explicit config file and XDG folders keep code-server from writing into the user's home,
  // and a private TMPDIR keeps the extension host's IPC sockets (vscode-ipc-*.sock) out of /tmp.
  // Unix socket paths are limited to 107 bytes, so a long temp path keeps the default.
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const privateTmp = path.join(tempDir, 'tmp');
  fs.mkdirSync(privateTmp);
  const env = cleanEnv(process.env, {
    XDG_CONFIG_HOME: path.join(tempDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(tempDir, 'xdg-data'),
    ...(privateTmp.length <= 60 ? { TMPDIR: privateTmp } : {}),
    ...options.env,
  });
  const cleanUp = (): void => {
    if (!keepTempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    const vsixFiles = typeof options.vsix === 'string' ? [options.vsix] : options.vsix;
    for (const vsix of vsixFiles) {
      const result = await runToCompletion(
        tools.node,
        [
          tools.codeServerEntry,
          '--config',
          configFile,
          '--user-data-dir',
          userDataDir,
          '--extensions-dir',
          extensionsDir,
          '--install-extension',
          path.resolve(vsix),
          '--force',
        ],
        { env, timeoutMs: 120_000 },
      );
      if (result.code !== 0 || !/successfully installed/i.test(result.output)) {
        throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.code}):\n${result.output}`);
      }
    }
    for (const dir of options.unpackedExtensions ?? []) {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        publisher: string;
        name: string;
        version: string;
      };
      const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
      fs.cpSync(dir, target, { recursive: true });
    }
  } catch (error) {
    cleanUp();
    throw error;
  }

  // The port can be taken between freePort() and code-server's listen(): retry on EADDRINUSE.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await launchCodeServer({
        tools,
        folder,
        port,
        env,
        configFile,
        userDataDir,
        extensionsDir,
        tempDir,
        cleanUp,
        startTimeoutMs: options.startTimeoutMs ?? 120_000,
      });
    } catch (error) {
      const portTaken = error instanceof Error && /EADDRINUSE/.test(error.message);
      if (!portTaken || attempt >= 3) {
        cleanUp();
        throw error;
      }
    }
  }
}

interface LaunchOptions {
  tools: E2eTools;
  folder: string;
  port: number;
  env: NodeJS.ProcessEnv;
  configFile: string;
  userDataDir: string;
  extensionsDir: string;
  tempDir: string;
  cleanUp: () => void;
  startTimeoutMs: number;
}

async function launchCodeServer(o: LaunchOptions): Promise<CodeServer> {
  const args = [
    o.tools.codeServerEntry,
    '--config',
    o.configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${o.port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    o.userDataDir,
    '--extensions-dir',
    o.extensionsDir,
    o.folder,
  ];
  // detached: code-server leads its own process group, so stop() can end it together with the
  // extension host and the other helpers it forks, without touching anything else.
  const child = spawn(o.tools.node, args, { cwd: o.folder, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`Could not start code-server (${o.tools.node} ${o.tools.codeServerEntry})`);
  }
  installExitHooks();
  liveProcessGroups.set(pid, o.cleanUp);

  // Keep the last ~4 MB of output.
  const chunks: string[] = [];
  let size = 0;
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString();
    chunks.push(text);
    size += text.length;
    while (size > 4_000_000 && chunks.length > 1) size -= chunks.shift()!.length;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const logs = (): string => chunks.join('');

  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      resolve();
    });
  });
  // A test that forgets stop() must not keep mocha alive: the exit hook ends the group instead.
  child.unref();
  (child.stdout as unknown as net.Socket).unref();
  (child.stderr as unknown as net.Socket).unref();

  // Ends the process group; stop() also removes the temporary folder, which a start retried on
  // another port still needs.
  let terminating: Promise<void> | undefined;
  const terminate = (): Promise<void> => {
    terminating ??= (async () => {
      if (exitCode === undefined) {
        killProcessGroup(pid, 'SIGTERM');
        await Promise.race([exited, delay(10_000)]);
      }
      // The extension host and other helpers may outlive the main process: end the whole group.
      killProcessGroup(pid, 'SIGKILL');
      // Signal 0 only checks whether any process of the group is left.
      await waitFor(() => !killProcessGroup(pid, 0), {
        timeoutMs: 10_000,
        intervalMs: 100,
        what: `code-server process group ${pid} to end`,
      }).catch(() => undefined);
      liveProcessGroups.delete(pid);
    })();
    return terminating;
  };
  const stop = async (): Promise<void> => {
    await terminate();
    o.cleanUp();
  };

  const url = `http://127.0.0.1:${o.port}`;
  let outcome: 'ready' | 'exited';
  try {
    // Any HTTP answer means the server is up; /healthz is cheap and needs no auth.
    outcome = await waitFor(async () => (exitCode !== undefined ? 'exited' : (await httpStatus(`${url}/healthz`)) !== undefined ? 'ready' : undefined), {
      timeoutMs: o.startTimeoutMs,
      intervalMs: 250,
      what: `code-server to answer on ${url}`,
    });
  } catch (error) {
    await terminate();
    throw new Error(`${(error as Error).message}\ncode-server output:\n${logs()}`, { cause: error });
  }
  if (outcome === 'exited') {
    await terminate();
    throw new Error(`code-server exited with code ${exitCode} before it answered HTTP:\n${logs()}`);
  }
  return { url, port: o.port, pid, folder: o.folder, userDataDir: o.userDataDir, extensionsDir: o.extensionsDir, tempDir: o.tempDir, logs, stop };
}

// ---------------------------------------------------------------------------------------------
// The workbench in Chromium

/** DOM selectors of the VS Code workbench used by these helpers (VS Code 1.139). */
export const SELECTORS = {
  workbench: '.monaco-workbench',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  tab: '.tabs-container .tab',
  activeEditor: '.editor-group-container.active .editor-instance .monaco-editor',
  anyEditor: '.part.editor .editor-instance .monaco-editor',
  problemsPanel: '.markers-panel',
  problemsRow: '.markers-panel .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  suggestWidget: '.suggest-widget.visible',
  hover: '.monaco-hover:not(.hidden)',
  codeLens: '.codelens-decoration',
  webview: 'iframe.webview',
  notificationToast: '.notifications-toasts .notification-toast',
  statusBarSelection: '#status\\.editor\\.selection',
} as const;

/** The flags that let Debian's Chromium run headless here as root without network noise. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A browser showing the workbench, from {@link openWorkbench}. */
export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Browser console messages and page errors seen so far (`[type] text`). */
  consoleMessages(): string[];
  /** Closes the browser. */
  close(): Promise<void>;
}

/** Options for {@link openWorkbench}. */
export interface OpenWorkbenchOptions {
  /** Default 1400×900. */
  viewport?: { width: number; height: number };
  /** Wait for the Explorer to list at least one entry (default true; pass false for an empty folder). */
  waitForExplorer?: boolean;
  /** Default 120 000 ms (the first load after a start compiles and caches a lot). */
  timeoutMs?: number;
}

/**
 * Launches headless Chromium, opens `<url>/?folder=<folder>` and waits for the workbench and
 * for the Explorer to be populated.
 */
export async function openWorkbench(cs: CodeServer, folder: string = cs.folder, options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const tools = findE2eTools();
  const timeoutMs = options.timeoutMs ?? 120_000;
  // Chromium's crash reporter writes to $XDG_CONFIG_HOME/chromium whatever the profile dir: give
  // it a throwaway home so nothing lands in the user's ~/.config.
  const browserHome = fs.mkdtempSync(path.join(os.tmpdir(), 'segment-lens-e2e-chromium-'));
  const removeBrowserHome = (): void => fs.rmSync(browserHome, { recursive: true, force: true });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: tools.chromium,
      headless: true,
      args: [...CHROMIUM_ARGS],
      env: cleanEnv(process.env, { XDG_CONFIG_HOME: path.join(browserHome, 'config'), XDG_CACHE_HOME: path.join(browserHome, 'cache') }),
    });
  } catch (error) {
    removeBrowserHome();
    throw error;
  }
  const close = async (): Promise<void> => {
    await browser.close();
    removeBrowserHome();
  };
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const messages: string[] = [];
    page.on('console', (message) => messages.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => messages.push(`[pageerror] ${error.message}`));

    const target = new URL(`${cs.url}/`);
    target.searchParams.set('folder', path.resolve(folder));
    await page.goto(target.toString(), { timeout: timeoutMs });
    await page.locator(SELECTORS.workbench).first().waitFor({ state: 'visible', timeout: timeoutMs });
    if (options.waitForExplorer ?? true) {
      await waitFor(async () => (await page.locator(SELECTORS.explorerRow).count()) > 0, {
        timeoutMs,
        what: `the Explorer to list ${folder}`,
      });
    }
    return { browser, context, page, consoleMessages: () => [...messages], close };
  } catch (error) {
    await close();
    throw error;
  }
}

function cssString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Opens a file by clicking it in the Explorer (typing into Quick Open right after load proved
 * unreliable): expands each folder on the way, clicks the file and waits until its editor tab is
 * active and its text is rendered. `relativePath` uses `/` and is relative to the opened folder.
 * Files open in preview mode (single click), as they would for a person.
 * Limitation: the Explorer renders only the rows in view, so a file far down a long folder
 * listing is not found; keep test workspaces small.
 */
export async function openFileFromExplorer(page: Page, relativePath: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const segments = relativePath.split(/[\\/]+/).filter((segment) => segment.length > 0);
  if (segments.length === 0) throw new Error('openFileFromExplorer: empty path');
  if (!(await page.locator('.explorer-folders-view').first().isVisible())) {
    await page.keyboard.press('Control+Shift+E');
    await page.locator('.explorer-folders-view').first().waitFor({ state: 'visible', timeout: timeoutMs });
  }
  // Each segment is looked for among the rows below its parent folder's row, at the next depth,
  // so that equal names in sibling folders are not mixed up.
  let parentIndex = -1;
  for (let index = 0; index < segments.length; index++) {
    const name = segments[index]!;
    const isFile = index === segments.length - 1;
    const found = await waitFor(
      () =>
        page.$$eval(
          SELECTORS.explorerRow,
          (rows, wanted) => {
            let best: number | undefined;
            for (const row of rows) {
              const rowIndex = Number(row.getAttribute('data-index'));
              if (row.getAttribute('aria-level') !== String(wanted.level) || row.getAttribute('aria-label') !== wanted.name) continue;
              if (rowIndex > wanted.after && (best === undefined || rowIndex < best)) best = rowIndex;
            }
            return best === undefined ? undefined : { rowIndex: best };
          },
          { level: index + 1, name, after: parentIndex },
        ),
      { timeoutMs, what: `"${segments.slice(0, index + 1).join('/')}" in the Explorer` },
    );
    parentIndex = found.rowIndex;
    const row = page.locator(`${SELECTORS.explorerRow}[data-index="${found.rowIndex}"]`).first();
    if (isFile) {
      await row.click();
    } else if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.click();
      await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', {
        timeoutMs,
        what: `Explorer folder ${segments.slice(0, index + 1).join('/')} to expand`,
      });
    }
  }
  const fileName = segments[segments.length - 1]!;
  await page
    .locator(`.editor-group-container.active ${SELECTORS.tab}.active[data-resource-name=${cssString(fileName)}]`)
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator(`${SELECTORS.activeEditor} .view-lines .view-line`).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

// ---------------------------------------------------------------------------------------------
// Problems panel

/** One row of the Problems panel. */
export interface ProblemRow {
  message: string;
  source?: string;
  code?: string;
  severity?: 'error' | 'warning' | 'info' | 'hint';
  /** 1-based, as shown ("[Ln 3, Col 5]"). */
  line?: number;
  column?: number;
  /** Absolute path of the file the problem belongs to. */
  file?: string;
  /** The row's aria-label, e.g. "Warning: msg at line 1 and character 1. generated by src". */
  ariaLabel: string;
}

async function problemsPanelVisible(page: Page): Promise<boolean> {
  return page.locator(SELECTORS.problemsPanel).first().isVisible();
}

/** Opens the Problems panel (Ctrl+Shift+M, else a click on the status bar's problems item). */
export async function openProblemsPanel(page: Page, options: { timeoutMs?: number } = {}): Promise<void> {
  if (await problemsPanelVisible(page)) return;
  // Ctrl+Shift+M toggles, so it is pressed only while the panel is hidden.
  await page.keyboard.press('Control+Shift+M');
  try {
    await waitFor(() => problemsPanelVisible(page), { timeoutMs: 5_000, what: 'the Problems panel' });
  } catch {
    await page.locator('#status\\.problems').first().click();
    await waitFor(() => problemsPanelVisible(page), { timeoutMs: options.timeoutMs ?? 15_000, what: 'the Problems panel' });
  }
}

interface RawProblemRow {
  index: number;
  kind: 'file' | 'marker' | 'other';
  ariaLabel: string;
  file?: string;
  message?: string;
  source?: string;
  code?: string;
  severity?: string;
  lineCol?: string;
}

interface RenderedProblemRows {
  rows: RawProblemRow[];
  /** True when the list shows its first row and ends above its bottom edge: nothing is off screen. */
  complete: boolean;
}

function readRenderedProblemRows(page: Page): Promise<RenderedProblemRows> {
  return page.$$eval(SELECTORS.problemsRow, (rows): RenderedProblemRows => {
    const list = rows[0]?.closest('.monaco-list');
    let complete = rows.length === 0;
    if (list && rows.length > 0) {
      const box = list.getBoundingClientRect();
      const boxes = rows.map((row) => row.getBoundingClientRect());
      const top = Math.min(...boxes.map((rect) => rect.top));
      const bottom = Math.max(...boxes.map((rect) => rect.bottom));
      // The list renders every row that intersects its viewport, so a last row ending above the
      // bottom edge means there is no further row.
      complete = top >= box.top - 0.5 && bottom < box.bottom - 0.5;
    }
    const parsed = rows.map((row): RawProblemRow => {
      const text = (selector: string): string | undefined => {
        const value = row.querySelector(selector)?.textContent?.trim();
        return value ? value : undefined;
      };
      const base = { index: Number(row.getAttribute('data-index') ?? '-1'), ariaLabel: row.getAttribute('aria-label') ?? '' };
      const icon = row.querySelector('.marker-icon');
      if (icon && row.querySelector('.marker-message')) {
        const severity = ['error', 'warning', 'info', 'hint'].find((name) => icon.classList.contains(name));
        return {
          ...base,
          kind: 'marker',
          message: text('.marker-message'),
          source: text('.marker-source'),
          code: text('.marker-code'),
          severity,
          lineCol: text('.marker-line'),
        };
      }
      const fileLabel = row.querySelector('.resource-label-container .monaco-icon-label')?.getAttribute('aria-label');
      if (fileLabel) return { ...base, kind: 'file', file: fileLabel };
      return { ...base, kind: 'other' };
    });
    return { rows: parsed, complete };
  });
}

/**
 * Opens the Problems panel and reads all its problem rows, in the panel's order. The list only
 * renders the rows in view, so it is scrolled with the mouse wheel until no new row appears.
 */
export async function readProblems(page: Page): Promise<ProblemRow[]> {
  await openProblemsPanel(page);
  const byIndex = new Map<number, RawProblemRow>();
  const list = page.locator(`${SELECTORS.problemsPanel} .monaco-list`).first();
  let scrolled = false;
  for (let round = 0; round < 200; round++) {
    const before = byIndex.size;
    const rendered = await readRenderedProblemRows(page);
    for (const row of rendered.rows) byIndex.set(row.index, row);
    // Usually everything fits: one consistent read, no scrolling.
    if (round === 0 && rendered.complete) break;
    if (round > 0 && byIndex.size === before) break;
    const box = await list.boundingBox();
    if (!box || box.height < 10) break;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, Math.max(50, box.height - 30));
    scrolled = true;
    await nextFrames(page);
  }
  if (scrolled) {
    await page.mouse.wheel(0, -1_000_000);
    await page.mouse.move(0, 0); // Away from the rows, so no row tooltip covers a later screenshot.
    await nextFrames(page);
  }
  const problems: ProblemRow[] = [];
  let file: string | undefined;
  for (const row of [...byIndex.values()].sort((a, b) => a.index - b.index)) {
    if (row.kind === 'file') file = row.file;
    if (row.kind !== 'marker') continue;
    const position = /Ln\s*(\d+),\s*Col\s*(\d+)/.exec(row.lineCol ?? '');
    problems.push({
      message: row.message ?? '',
      source: row.source,
      code: row.code,
      severity: row.severity as ProblemRow['severity'],
      line: position ? Number(position[1]) : undefined,
      column: position ? Number(position[2]) : undefined,
      file,
      ariaLabel: row.ariaLabel,
    });
  }
  return problems;
}

/** Polls {@link readProblems} until `predicate` holds, and returns the rows (default timeout 60 s). */
export async function waitForProblems(page: Page, predicate: (rows: ProblemRow[]) => boolean, options: WaitForOptions = {}): Promise<ProblemRow[]> {
  let last: ProblemRow[] = [];
  try {
    return await waitFor(
      async () => {
        last = await readProblems(page);
        return predicate(last) ? last : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the expected rows in the Problems panel', ...options },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\nProblems panel rows: ${safeStringify(last.map((row) => row.ariaLabel))}`, { cause: error });
  }
}

// Lets the workbench render what the last input changed (two animation frames).
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

// ---------------------------------------------------------------------------------------------
// The editor

/** A 1-based position, as VS Code shows it ("Ln 3, Col 5"). */
export interface EditorPosition {
  line: number;
  column: number;
}

async function editorSelector(page: Page): Promise<string> {
  if ((await page.locator(SELECTORS.activeEditor).count()) > 0) return SELECTORS.activeEditor;
  return SELECTORS.anyEditor;
}

/** Reads the cursor position from the status bar ("Ln 2, Col 6"). */
export async function readCursorPosition(page: Page): Promise<EditorPosition | undefined> {
  const label = await page
    .locator(SELECTORS.statusBarSelection)
    .first()
    .getAttribute('aria-label', { timeout: 5_000 })
    .catch(() => null);
  const match = /Ln\s*(\d+),\s*Col\s*(\d+)/.exec(label ?? '');
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/** Moves the cursor of the active editor with Go to Line (Ctrl+G `line:column`) and waits until it is there. */
export async function goToPosition(page: Page, position: EditorPosition): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator(`${SELECTORS.quickInput} input`).first();
  await input.waitFor({ state: 'visible' });
  // Ctrl+G opens Quick Open with the ":" (go to line) prefix; fill() replaces it, so keep it.
  await input.fill(`:${position.line}:${position.column}`);
  await waitFor(async () => (await input.inputValue()) === `:${position.line}:${position.column}`, { what: 'the Go to Line input' });
  await page.keyboard.press('Enter');
  await page.locator(SELECTORS.quickInput).first().waitFor({ state: 'hidden' });
  await waitFor(
    async () => {
      const now = await readCursorPosition(page);
      return now?.line === position.line && now.column === position.column;
    },
    { timeoutMs: 10_000, what: `the cursor at ${position.line}:${position.column}` },
  );
}

/** Options for {@link typeInEditor}. */
export interface TypeInEditorOptions {
  /** Move the cursor here first. */
  at?: EditorPosition;
  /**
   * Insert the text in one go (no per-key events, so no auto-closing of quotes and brackets,
   * no suggest-on-type). Default false: typed key by key, as a person would.
   */
  raw?: boolean;
  /** Milliseconds between keys when typing (default 0). */
  keyDelayMs?: number;
}

/** Types into the active editor (optionally at a position). Use `\n` for Enter. */
export async function typeInEditor(page: Page, text: string, options: TypeInEditorOptions = {}): Promise<void> {
  if (options.at) await goToPosition(page, options.at);
  if (options.raw) await page.keyboard.insertText(text);
  else await page.keyboard.type(text, { delay: options.keyDelayMs ?? 0 });
}

/** A line of the active editor as rendered. */
export interface EditorLine {
  line: number;
  /** The document text of the line (inlay hints left out). */
  text: string;
  /** Inlay hints rendered on this line, in order. */
  inlayHints: string[];
}

/**
 * Reads the lines of the active editor that are rendered (the editor virtualises: only the lines
 * in view are in the DOM). Line numbers come from the gutter, so line numbers must be on.
 * Inlay hints are told apart from text by their CSS rule, which uses the editorInlayHint colours.
 */
export async function readEditorLines(page: Page): Promise<EditorLine[]> {
  const selector = await editorSelector(page);
  const lines = await page.evaluate((sel: string) => {
    const editor = document.querySelector(sel);
    if (!editor) return [];
    const inlayClasses = new Set<string>();
    for (const sheet of Array.from(document.styleSheets)) {
      let rules: CSSRuleList;
      try {
        rules = sheet.cssRules;
      } catch {
        continue;
      }
      for (const rule of Array.from(rules)) {
        if (!rule.cssText.includes('editorInlayHint')) continue;
        for (const match of rule.cssText.matchAll(/\.(dyn-rule-[\w-]+)/g)) inlayClasses.add(match[1]!);
      }
    }
    const lineByTop = new Map<string, number>();
    for (const overlay of Array.from(editor.querySelectorAll<HTMLElement>('.margin-view-overlays > div'))) {
      const number = overlay.querySelector('.line-numbers')?.textContent?.trim();
      if (number && /^\d+$/.test(number)) lineByTop.set(overlay.style.top, Number(number));
    }
    const result: { line: number; text: string; inlayHints: string[] }[] = [];
    for (const viewLine of Array.from(editor.querySelectorAll<HTMLElement>('.view-lines > .view-line'))) {
      const line = lineByTop.get(viewLine.style.top);
      if (line === undefined) continue;
      let text = '';
      const inlayHints: string[] = [];
      const leaves = Array.from(viewLine.querySelectorAll('span')).filter((span) => span.children.length === 0);
      for (const leaf of leaves) {
        const content = (leaf.textContent ?? '').replace(/\u00a0/g, ' ');
        if (Array.from(leaf.classList).some((name) => inlayClasses.has(name))) inlayHints.push(content);
        else text += content;
      }
      result.push({ line, text, inlayHints });
    }
    return result.sort((a, b) => a.line - b.line);
  }, selector);
  return lines;
}

/** The inlay hints rendered in the active editor: `{ line, text }` for each. */
export async function readInlayHints(page: Page): Promise<Array<{ line: number; text: string }>> {
  return (await readEditorLines(page)).flatMap((line) => line.inlayHints.map((text) => ({ line: line.line, text })));
}

/** Finds `text` in the rendered lines of the active editor; returns the 1-based position of its first character. */
export async function findInEditor(page: Page, text: string, occurrence = 1): Promise<EditorPosition | undefined> {
  let seen = 0;
  for (const line of await readEditorLines(page)) {
    let from = 0;
    for (;;) {
      const at = line.text.indexOf(text, from);
      if (at < 0) break;
      if (++seen === occurrence) return { line: line.line, column: at + 1 };
      from = at + 1;
    }
  }
  return undefined;
}

/** One row of the suggest widget. */
export interface CompletionRow {
  label: string;
  /** The row's aria-label, e.g. "harnessSelftestItem, Value". */
  ariaLabel: string;
  /** Detail shown on the right, when the widget shows it. */
  detail?: string;
  /** The kind icon (`codicon-symbol-value` → `value`). */
  kind?: string;
  focused: boolean;
}

/**
 * Triggers completion (Ctrl+Space) at the cursor, or at `at`, waits for the suggest widget to
 * finish loading and returns its rendered rows ([] for "No suggestions."). The widget stays
 * open: press Enter to accept the focused row, or Escape (see {@link closeWidgets}).
 */
export async function triggerCompletion(page: Page, options: { at?: EditorPosition; timeoutMs?: number } = {}): Promise<CompletionRow[]> {
  if (options.at) await goToPosition(page, options.at);
  await page.keyboard.press('Control+Space');
  const widget = page.locator(SELECTORS.suggestWidget).first();
  await widget.waitFor({ state: 'visible', timeout: options.timeoutMs ?? 30_000 });
  return waitFor(
    async () => {
      const state = await widget.evaluate((element) => {
        const message = element.querySelector('.message');
        const messageText = message && (message as HTMLElement).offsetParent !== null ? (message.textContent ?? '') : '';
        const rows = Array.from(element.querySelectorAll('.monaco-list-row')).map((row) => {
          const kind = Array.from(row.querySelector('.suggest-icon')?.classList ?? []).find((name) => name.startsWith('codicon-symbol-'));
          const detail = row.querySelector('.details-label')?.textContent?.trim();
          return {
            label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
            ariaLabel: row.getAttribute('aria-label') ?? '',
            detail: detail ? detail : undefined,
            kind: kind?.slice('codicon-symbol-'.length),
            focused: row.classList.contains('focused'),
          };
        });
        return { messageText, rows };
      });
      if (state.rows.length > 0) return state.rows;
      if (/no suggestions/i.test(state.messageText)) return [] as CompletionRow[];
      return undefined; // Still "Loading...".
    },
    { timeoutMs: options.timeoutMs ?? 30_000, what: 'the suggest widget to finish loading' },
  );
}

/** Presses Escape until no suggest widget, hover or quick input is visible. */
export async function closeWidgets(page: Page): Promise<void> {
  const anyOpen = async (): Promise<boolean> =>
    (await page.locator(SELECTORS.suggestWidget).count()) > 0 ||
    (await page.locator(SELECTORS.hover).filter({ hasText: /\S/ }).count()) > 0 ||
    (await page.locator(SELECTORS.quickInput).first().isVisible());
  for (let i = 0; i < 5 && (await anyOpen()); i++) {
    await page.keyboard.press('Escape');
    await nextFrames(page);
  }
}

/**
 * Shows the hover at a position of the active editor (Go to Line, then Ctrl+K Ctrl+I, the
 * keyboard "Show Hover") and returns its text once it has loaded. The hover stays open.
 */
export async function hoverAt(page: Page, position: EditorPosition, options: { timeoutMs?: number } = {}): Promise<string> {
  await closeWidgets(page);
  await goToPosition(page, position);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  return waitFor(
    async () => {
      const texts = await page.locator(SELECTORS.hover).allInnerTexts();
      const text = texts
        .map((value) => value.trim())
        .filter((value) => value.length > 0 && !/^Loading\.\.\.$/.test(value))
        .join('\n');
      return text;
    },
    { timeoutMs: options.timeoutMs ?? 30_000, what: `a hover at ${position.line}:${position.column}` },
  );
}

/** Finds `text` in the active editor (first rendered occurrence) and returns the hover over it. */
export async function hoverOverText(page: Page, text: string, options: { occurrence?: number; offset?: number; timeoutMs?: number } = {}): Promise<string> {
  const at = await findInEditor(page, text, options.occurrence ?? 1);
  if (!at) throw new Error(`hoverOverText: "${text}" is not in the rendered lines of the active editor`);
  return hoverAt(page, { line: at.line, column: at.column + (options.offset ?? Math.floor(text.length / 2)) }, options);
}

/** A code lens line above a line of the active editor. */
export interface CodeLensRow {
  /** The whole decoration's text ("3 profiles | Evaluate"). */
  text: string;
  /** Each lens's title (one decoration holds all lenses of a line). */
  items: string[];
}

/** Reads the code lenses rendered in the active editor, top to bottom. */
export async function readCodeLenses(page: Page): Promise<CodeLensRow[]> {
  const selector = await editorSelector(page);
  return page.$$eval(`${selector} ${SELECTORS.codeLens}`, (decorations) =>
    decorations
      .map((decoration) => ({
        top: (decoration as HTMLElement).getBoundingClientRect().top,
        text: (decoration.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        items: Array.from(decoration.querySelectorAll('a, span'))
          .filter((item) => item.children.length === 0)
          .map((item) => (item.textContent ?? '').replace(/\u00a0/g, ' ').trim())
          .filter((item) => item.length > 0 && item !== '|'),
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ text, items }) => ({ text, items })),
  );
}

/** Clicks the code lens whose title is `title` in the active editor. */
export async function clickCodeLens(page: Page, title: string | RegExp): Promise<void> {
  const selector = await editorSelector(page);
  await page.locator(`${selector} ${SELECTORS.codeLens} a`).filter({ hasText: title }).first().click();
}

// ---------------------------------------------------------------------------------------------
// Commands, notifications, status bar

/**
 * Runs a command from the Command Palette: F1, types `title`, waits for the row whose label is
 * exactly `title` (or whose command id is `options.id`) and clicks it.
 */
export async function runCommand(page: Page, title: string, options: { id?: string; timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  await closeWidgets(page);
  await page.keyboard.press('F1');
  const input = page.locator(`${SELECTORS.quickInput} input`).first();
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  // F1 opens the palette with ">"; fill() keeps it so the list shows commands, not files.
  await input.fill(`>${title}`);
  const row = options.id
    ? page.locator(`${SELECTORS.quickInputRow}:has([data-quick-input-id=${cssString(options.id)}])`).first()
    : page.locator(`${SELECTORS.quickInputRow}[aria-label=${cssString(title)}]`).first();
  try {
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (error) {
    const shown = await page.locator(SELECTORS.quickInputRow).evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
    await page.keyboard.press('Escape');
    throw new Error(`Command "${title}" is not in the Command Palette (rows: ${safeStringify(shown)}): ${(error as Error).message}`, { cause: error });
  }
  await row.click();
  // The palette closes, or shows the command's own picker: either way the row is no longer shown.
  await row.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** The messages of the notification toasts on screen (e.g. an extension's error popup). */
export async function readNotifications(page: Page): Promise<string[]> {
  return page.locator(`${SELECTORS.notificationToast} .notification-list-item-message`).allInnerTexts();
}

/**
 * The aria-label of a status bar item by id, e.g. `status.problems` → "Warnings: 1". An
 * extension's item (`createStatusBarItem('myItem')`) is rendered with the id
 * `<publisher>.<name>.myItem`; when no element has `id` exactly, the item whose id ends with
 * `.<id>` is read, so the extension-local id works too.
 */
export async function readStatusBarItem(page: Page, id: string): Promise<string | undefined> {
  const item = await statusBarItem(page, id);
  if (!item) return undefined;
  return (await item.getAttribute('aria-label')) ?? (await item.innerText());
}

/** The text shown by a status bar item (icons left out), found as in {@link readStatusBarItem}. */
export async function readStatusBarText(page: Page, id: string): Promise<string | undefined> {
  const item = await statusBarItem(page, id);
  if (!item) return undefined;
  return (await item.innerText()).replace(/\u00a0/g, ' ').trim();
}

async function statusBarItem(page: Page, id: string): Promise<Locator | undefined> {
  const exact = page.locator(`[id=${cssString(id)}]`).first();
  if ((await exact.count()) > 0) return exact;
  const bySuffix = page.locator(`.part.statusbar [id$=${cssString(`.${id}`)}]`).first();
  return (await bySuffix.count()) > 0 ? bySuffix : undefined;
}

/**
 * Closes the editor whose tab label contains `label` (e.g. a webview panel's title) with the
 * tab's close button, and waits until the tab is gone. The editor must not be dirty (a dirty
 * editor asks whether to save).
 */
export async function closeEditorTab(page: Page, label: string | RegExp, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const tabs = page.locator(SELECTORS.tab).filter({ hasText: label });
  const tab = tabs.first();
  await tab.waitFor({ state: 'visible', timeout: timeoutMs });
  await tab.hover();
  await tab.locator('.tab-actions .action-label').first().click();
  await waitFor(async () => (await tabs.count()) === 0, { timeoutMs, what: `the editor tab "${String(label)}" to close` });
}

// ---------------------------------------------------------------------------------------------
// Webviews

/**
 * The content frame of a webview. In code-server a webview is an `iframe.webview` (VS Code's
 * host page) holding the extension's document in an inner `iframe#active-frame`.
 * `extensionId` (publisher.name) picks the webviews of one extension; `index` picks among them.
 */
export function webviewFrame(page: Page, options: { extensionId?: string; index?: number } = {}): FrameLocator {
  const outer = options.extensionId ? `${SELECTORS.webview}[src*=${cssString(`extensionId=${options.extensionId}`)}]` : SELECTORS.webview;
  return page
    .locator(outer)
    .nth(options.index ?? 0)
    .contentFrame()
    .locator('iframe#active-frame')
    .contentFrame();
}

/** Waits for a webview's document to have text (optionally matching `contains`) and returns its body text. */
export async function readWebviewText(
  page: Page,
  options: { extensionId?: string; index?: number; contains?: string | RegExp; timeoutMs?: number } = {},
): Promise<string> {
  const body = webviewFrame(page, options).locator('body');
  return waitFor(
    async () => {
      const text = (await body.innerText({ timeout: 2_000 })).trim();
      if (!text) return undefined;
      if (options.contains === undefined) return text;
      const matches = typeof options.contains === 'string' ? text.includes(options.contains) : options.contains.test(text);
      return matches ? text : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 30_000, what: `webview text${options.contains ? ` containing ${String(options.contains)}` : ''}` },
  );
}

// ---------------------------------------------------------------------------------------------
// Artifacts

/** Saves a PNG of the page as `test-output/e2e/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(e2eOutputDir(), `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Mocha hooks for a suite that runs one code-server: after a failed test, save its artifacts
 * (named `<prefix>-<test title>`) and print the notifications; after the suite, close the
 * browser, stop code-server and remove the suite's temporary folder. `state` is read when the
 * hooks run, so the suite may start things in its own `before`.
 */
export function codeServerSuiteHooks(prefix: string, state: () => { codeServer?: CodeServer; workbench?: Workbench; tempRoot?: string }): void {
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const { codeServer, workbench } = state();
    const written = await saveFailureArtifacts(`${prefix}-${this.currentTest.title}`, { codeServer, workbench });
    console.log(`    failure artifacts: ${written.join(', ')}`);
    if (workbench) console.log(`    notifications: ${JSON.stringify(await readNotifications(workbench.page).catch(() => []))}`);
  });

  after(async () => {
    const { codeServer, workbench, tempRoot } = state();
    await workbench?.close();
    await codeServer?.stop();
    if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
  });
}

/**
 * Opens `folder` in a workbench of its own, runs `body` with it and closes it; when `body` throws,
 * the workbench's failure artifacts (screenshot, log) are saved as `artifacts` first.
 */
export async function withWorkbench(cs: CodeServer, folder: string, artifacts: string, body: (workbench: Workbench) => Promise<void>): Promise<void> {
  const workbench = await openWorkbench(cs, folder);
  try {
    await body(workbench);
  } catch (error) {
    const written = await saveFailureArtifacts(artifacts, { workbench });
    console.log(`    failure artifacts: ${written.join(', ')}`);
    throw error;
  } finally {
    await workbench.close();
  }
}

/**
 * For an afterEach on failure: saves a screenshot, the code-server log and the browser console
 * under test-output/e2e/ with `name` as prefix, and returns the paths written.
 */
export async function saveFailureArtifacts(name: string, parts: { page?: Page; codeServer?: CodeServer; workbench?: Workbench }): Promise<string[]> {
  const base = name.replace(/[^\w.-]+/g, '-');
  const written: string[] = [];
  const page = parts.page ?? parts.workbench?.page;
  if (page) {
    written.push(await screenshot(page, `${base}.failure`).catch((error: unknown) => `screenshot failed: ${String(error)}`));
  }
  if (parts.codeServer) {
    const file = path.join(e2eOutputDir(), `${base}.code-server.log`);
    fs.writeFileSync(file, parts.codeServer.logs());
    written.push(file);
  }
  if (parts.workbench) {
    const file = path.join(e2eOutputDir(), `${base}.console.log`);
    fs.writeFileSync(file, parts.workbench.consoleMessages().join('\n'));
    written.push(file);
  }
  return written;
}
