/**
 * Proves the real-editor harness works end to end, independently of Segment Lens: the test
 * writes a tiny extension, packages it with vsce, installs it into a fresh code-server, opens
 * a workspace in headless Chromium and reads back what the extension contributes (a diagnostic,
 * code lens, inlay hint, hover, completion item, command and webview).
 *
 * Needs `bash scripts/setup-e2e.sh` first. Screenshots land in test-output/e2e/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  closeWidgets,
  codeServerSuiteHooks,
  openFileFromExplorer,
  openWorkbench,
  packageVsix,
  readCodeLenses,
  readEditorLines,
  readInlayHints,
  readStatusBarItem,
  readWebviewText,
  runCommand,
  screenshot,
  startCodeServer,
  triggerCompletion,
  typeInEditor,
  hoverOverText,
  waitFor,
  waitForProblems,
  type CodeServer,
  type Workbench,
} from './harness';

const PUBLISHER = 'segment-lens-test';
const NAME = 'harness-selftest';
const EXTENSION_ID = `${PUBLISHER}.${NAME}`;
/** Lines of many.json, and so (one per line after the first) its information problems. */
const MANY_LINES = 42;

/** The throwaway extension: every contribution the harness has a reader for. */
const EXTENSION_JS = `
const vscode = require('vscode');

exports.activate = function activate(context) {
  const diagnostics = vscode.languages.createDiagnosticCollection('harness-selftest');
  context.subscriptions.push(diagnostics);
  const check = (document) => {
    // Only workspace files: code-server also opens the User settings.json as a JSON document.
    if (!vscode.workspace.getWorkspaceFolder(document.uri) || !document.fileName.endsWith('.json')) return;
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(0, 0, 0, 1), 'harness-selftest: hello', vscode.DiagnosticSeverity.Warning);
    diagnostic.source = 'harness-selftest';
    diagnostic.code = 'HS001';
    const all = [diagnostic];
    // many.json gets a problem on every line: more rows than the Problems panel shows at once.
    if (document.fileName.endsWith('many.json')) {
      for (let line = 1; line < document.lineCount; line++) {
        const extra = new vscode.Diagnostic(
          new vscode.Range(line, 0, line, 1), 'harness-selftest: many ' + line, vscode.DiagnosticSeverity.Information);
        extra.source = 'harness-selftest';
        extra.code = 'HS002';
        all.push(extra);
      }
    }
    diagnostics.set(document.uri, all);
  };
  vscode.workspace.textDocuments.forEach(check);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(check));

  const selector = { language: 'json' };
  context.subscriptions.push(vscode.languages.registerCompletionItemProvider(selector, {
    provideCompletionItems() {
      const item = new vscode.CompletionItem('harnessSelftestItem', vscode.CompletionItemKind.Value);
      item.detail = 'from harness-selftest';
      return [item];
    },
  }));
  context.subscriptions.push(vscode.languages.registerHoverProvider(selector, {
    provideHover(document, position) {
      const range = document.getWordRangeAtPosition(position);
      if (!range) return undefined;
      return new vscode.Hover(
        new vscode.MarkdownString('**harness-selftest hover** for \`' + document.getText(range) + '\`'), range);
    },
  }));
  context.subscriptions.push(vscode.languages.registerCodeLensProvider(selector, {
    provideCodeLenses() {
      return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0),
        { title: 'harness-selftest lens', command: 'harnessSelftest.showWebview' })];
    },
  }));
  context.subscriptions.push(vscode.languages.registerInlayHintsProvider(selector, {
    provideInlayHints(document) {
      return [new vscode.InlayHint(document.lineAt(0).range.end, 'harness-hint', vscode.InlayHintKind.Type)];
    },
  }));
  context.subscriptions.push(vscode.commands.registerCommand('harnessSelftest.showWebview', () => {
    const panel = vscode.window.createWebviewPanel(
      'harnessSelftest', 'Harness Selftest', vscode.ViewColumn.Beside, {});
    panel.webview.html = '<!DOCTYPE html><html><body>'
      + '<h1>harness-selftest webview</h1><p>rows: 3</p></body></html>';
  }));
};

exports.deactivate = function deactivate() {};
`;

function writeSelftestExtension(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    name: NAME,
    displayName: 'Harness Selftest',
    publisher: PUBLISHER,
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: '^1.91.0' },
    main: './extension.js',
    activationEvents: ['onLanguage:json'],
    capabilities: { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true },
    contributes: {
      commands: [{ command: 'harnessSelftest.showWebview', title: 'Harness Selftest: Show Webview' }],
    },
    files: ['extension.js'],
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), EXTENSION_JS);
  fs.writeFileSync(path.join(dir, 'README.md'), '# Harness selftest\n\nA throwaway extension for the e2e harness self-test.\n');
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
}

function writeWorkspace(dir: string): void {
  fs.mkdirSync(path.join(dir, 'sub', 'dir'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.json'), '{\n  "name": "value",\n  "count": 1\n}\n');
  fs.writeFileSync(path.join(dir, 'sub', 'dir', 'b.json'), '{ "b": true }\n');
  const entries = Array.from({ length: MANY_LINES - 2 }, (_, index) => `  "key${index}": ${index}`);
  fs.writeFileSync(path.join(dir, 'many.json'), `{\n${entries.join(',\n')}\n}`);
}

describe('e2e harness self-test (code-server + Chromium)', function () {
  // The first code-server start of a machine can take ~30 s; each step below waits on a signal.
  this.timeout(300_000);

  let tempRoot = '';
  let workspace = '';
  let codeServer: CodeServer | undefined;
  let workbench: Workbench | undefined;
  const page = () => {
    assert.ok(workbench, 'the workbench did not open');
    return workbench.page;
  };

  before(async () => {
    tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-selftest-'));
    const extensionDir = path.join(tempRoot, 'extension');
    writeSelftestExtension(extensionDir);
    const vsix = await packageVsix({ extensionDir, outFile: path.join(tempRoot, `${NAME}.vsix`) });
    workspace = path.join(tempRoot, 'workspace');
    writeWorkspace(workspace);
    codeServer = await startCodeServer({ vsix, folder: workspace });
    workbench = await openWorkbench(codeServer, workspace);
  });

  codeServerSuiteHooks('selftest', () => ({ codeServer, workbench, tempRoot }));

  it('shows the extension diagnostic in the Problems panel', async () => {
    await openFileFromExplorer(page(), 'a.json');
    const rows = await waitForProblems(page(), (problems) => problems.some((row) => row.message === 'harness-selftest: hello'));
    const row = rows.find((problem) => problem.message === 'harness-selftest: hello');
    assert.deepEqual(
      { source: row?.source, code: row?.code, severity: row?.severity, line: row?.line, column: row?.column, file: row?.file },
      { source: 'harness-selftest', code: 'HS001', severity: 'warning', line: 1, column: 1, file: path.join(workspace, 'a.json') },
    );
    await screenshot(page(), 'selftest-problems');
  });

  it('opens a file in nested folders and lists problems of several files', async () => {
    await openFileFromExplorer(page(), 'sub/dir/b.json');
    const rows = await waitForProblems(page(), (problems) => problems.filter((row) => row.code === 'HS001').length === 2);
    assert.deepEqual(
      rows.filter((row) => row.code === 'HS001').map((row) => path.relative(workspace, row.file ?? '')).sort(),
      ['a.json', path.join('sub', 'dir', 'b.json')],
    );
    assert.match((await readStatusBarItem(page(), 'status.problems')) ?? '', /Warnings: 2/);
  });

  it('reads a Problems list longer than the panel by scrolling it', async () => {
    await openFileFromExplorer(page(), 'many.json');
    const rows = await waitForProblems(page(), (problems) => problems.filter((row) => row.code === 'HS002').length === MANY_LINES - 1);
    const many = rows.filter((row) => row.code === 'HS002');
    assert.deepEqual(many.map((row) => row.line), Array.from({ length: MANY_LINES - 1 }, (_, index) => index + 2));
    assert.ok(many.every((row) => row.severity === 'info' && row.file === path.join(workspace, 'many.json')));
    // Three files with the HS001 warning (a.json, b.json, many.json), each seen once.
    assert.equal(rows.filter((row) => row.code === 'HS001').length, 3);
  });

  it('reads editor lines, code lenses and inlay hints', async () => {
    await openFileFromExplorer(page(), 'a.json');
    const lenses = await waitFor(async () => {
      const found = await readCodeLenses(page());
      return found.length > 0 ? found : undefined;
    }, { what: 'a code lens' });
    assert.deepEqual(lenses, [{ text: 'harness-selftest lens', items: ['harness-selftest lens'] }]);
    const hints = await waitFor(async () => {
      const found = await readInlayHints(page());
      return found.length > 0 ? found : undefined;
    }, { what: 'an inlay hint' });
    assert.deepEqual(hints, [{ line: 1, text: 'harness-hint' }]);
    const lines = await readEditorLines(page());
    assert.deepEqual(lines.slice(0, 4).map((line) => line.text), ['{', '  "name": "value",', '  "count": 1', '}']);
  });

  it('reads a hover', async () => {
    const text = await hoverOverText(page(), 'name');
    assert.match(text, /harness-selftest hover for name/);
    await screenshot(page(), 'selftest-hover');
    await closeWidgets(page());
  });

  it('types into the editor and reads completion items', async () => {
    await typeInEditor(page(), '\n', { at: { line: 4, column: 2 } });
    await typeInEditor(page(), '"typed"', { raw: true });
    await waitFor(async () => (await readEditorLines(page())).some((line) => line.line === 5 && line.text === '"typed"'), {
      what: 'the typed text on line 5',
    });
    // Completion on a fresh empty line, so no word before the cursor filters the items.
    await closeWidgets(page());
    await typeInEditor(page(), '\n');
    const rows = await triggerCompletion(page());
    await screenshot(page(), 'selftest-completion');
    await closeWidgets(page());
    const ours = rows.find((row) => row.label === 'harnessSelftestItem');
    assert.ok(ours, `harnessSelftestItem not among ${JSON.stringify(rows)}`);
    assert.equal(ours.kind, 'value');
  });

  it('runs a command from the palette and reads its webview', async () => {
    await runCommand(page(), 'Harness Selftest: Show Webview', { id: 'harnessSelftest.showWebview' });
    const text = await readWebviewText(page(), { extensionId: EXTENSION_ID, contains: 'harness-selftest webview' });
    assert.match(text, /rows: 3/);
    await screenshot(page(), 'selftest-webview');
  });
});
