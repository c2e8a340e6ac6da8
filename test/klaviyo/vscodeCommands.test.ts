/**
 * The VS Code Klaviyo commands (client/src/klaviyoCommands.ts) with a stand-in `vscode` module:
 * the key goes to SecretStorage only, the pull and push run against the fake API, the push shows
 * a diff and asks first, workspace settings cannot redirect the key, and no message shows it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeKlaviyo, makeFixture, tempDir, TEST_KEY, transcript } from './fakeKlaviyo';

// ---------------------------------------------------------------------------------------------
// A minimal `vscode`

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static from(parts: { scheme: string; path: string }): Uri {
    return new Uri(parts.scheme, parts.path);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

class Position {
  constructor(readonly offset: number) {}
}
class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}
class WorkspaceEdit {
  readonly edits: { uri: Uri; range: Range; text: string }[] = [];
  replace(uri: Uri, range: Range, text: string): void {
    this.edits.push({ uri, range, text });
  }
}

interface Stage {
  inputBox: (options: Record<string, unknown>) => string | undefined;
  quickPick: (items: { label: string }[]) => { label: string } | undefined;
  warning: (message: string, ...rest: unknown[]) => string | undefined;
  error: (message: string, ...rest: unknown[]) => string | undefined;
  settings: { globalValue?: string; workspaceValue?: string };
}

const ui = {
  messages: [] as string[],
  inputBoxes: [] as Record<string, unknown>[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as { command: string; args: unknown[] }[],
  providers: new Map<string, { provideTextDocumentContent(uri: Uri): string }>(),
  documents: new Map<string, { text: string; saved: number }>(),
  stage: undefined as unknown as Stage,
};

function makeDocument(uri: Uri) {
  const entry = ui.documents.get(uri.path) ?? { text: readFileSync(uri.path, 'utf8'), saved: 0 };
  ui.documents.set(uri.path, entry);
  return {
    uri,
    isDirty: false,
    getText: () => entry.text,
    positionAt: (offset: number) => new Position(offset),
    save: async () => {
      writeFileSync(uri.path, entry.text);
      entry.saved++;
      return true;
    },
  };
}

const vscodeStub = {
  Uri,
  Range,
  Position,
  WorkspaceEdit,
  ProgressLocation: { Notification: 15 },
  InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
  window: {
    showInputBox: async (options: Record<string, unknown>) => {
      ui.inputBoxes.push(options);
      return ui.stage.inputBox(options);
    },
    showQuickPick: async (items: { label: string }[]) => ui.stage.quickPick(items),
    showOpenDialog: async () => undefined,
    showInformationMessage: async (message: string) => void ui.messages.push(message),
    showWarningMessage: async (message: string, ...rest: unknown[]) => {
      ui.messages.push(message, JSON.stringify(rest));
      return ui.stage.warning(message, ...rest);
    },
    showErrorMessage: async (message: string, ...rest: unknown[]) => {
      ui.messages.push(message);
      return ui.stage.error(message, ...rest);
    },
    withProgress: async (
      _options: unknown,
      task: (progress: { report(v: unknown): void }, token: { onCancellationRequested(f: () => void): void }) => Promise<unknown>,
    ) => task({ report: (v) => void ui.messages.push(JSON.stringify(v)) }, { onCancellationRequested: () => undefined }),
    activeTextEditor: undefined,
  },
  workspace: {
    workspaceFolders: undefined,
    getConfiguration: () => ({ inspect: () => ({ defaultValue: 'https://a.klaviyo.com', ...ui.stage.settings }) }),
    registerTextDocumentContentProvider: (scheme: string, provider: { provideTextDocumentContent(uri: Uri): string }) => {
      ui.providers.set(scheme, provider);
      return { dispose: () => undefined };
    },
    openTextDocument: async (uri: Uri) => makeDocument(uri),
    applyEdit: async (edit: WorkspaceEdit) => {
      for (const e of edit.edits) {
        const doc = ui.documents.get(e.uri.path);
        if (doc) doc.text = doc.text.slice(0, e.range.start.offset) + e.text + doc.text.slice(e.range.end.offset);
      }
      return true;
    },
  },
  commands: {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      ui.commands.set(id, fn);
      return { dispose: () => undefined };
    },
    executeCommand: async (command: string, ...args: unknown[]) => {
      ui.executed.push({ command, args });
      return ui.commands.get(command)?.(...args);
    },
  },
};

/** Loads the compiled client module with the stand-in as `vscode`. */
function loadCommands(): typeof import('../../client/src/klaviyoCommands') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : original.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub } as unknown as NodeJS.Module;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../client/src/klaviyoCommands') as typeof import('../../client/src/klaviyoCommands');
}

describe('VS Code Klaviyo commands', function () {
  this.timeout(30000);
  let fake: FakeKlaviyo;
  const secrets = new Map<string, string>();
  let run: (id: string, ...args: unknown[]) => Promise<unknown>;

  before(async () => {
    fake = await new FakeKlaviyo(makeFixture({ profiles: 40, events: 60, lists: 2 })).start();
    process.env.SEGMENT_LENS_CACHE_DIR = tempDir('vscode-cache');
    const { registerKlaviyoCommands } = loadCommands();
    const context = {
      subscriptions: [] as unknown[],
      secrets: {
        get: async (k: string) => secrets.get(k),
        store: async (k: string, v: string) => void secrets.set(k, v),
        delete: async (k: string) => void secrets.delete(k),
      },
    };
    registerKlaviyoCommands(context as never);
    run = async (id, ...args) => ui.commands.get(id)?.(...args);
  });
  beforeEach(() => {
    ui.stage = {
      inputBox: () => undefined,
      quickPick: (items) => items[0],
      warning: () => undefined,
      error: () => undefined,
      settings: { globalValue: fake.url },
    };
  });
  after(async () => {
    await fake.stop();
    delete process.env.SEGMENT_LENS_CACHE_DIR;
    transcript.push(...ui.messages, JSON.stringify(ui.inputBoxes));
    for (const message of ui.messages) assert.ok(!message.includes(TEST_KEY), `a message shows the key: ${message}`);
    assert.deepEqual(fake.violations, []);
  });

  it('"Set Klaviyo API Key" asks with a password box and stores the key in SecretStorage only', async () => {
    ui.stage.inputBox = () => `  ${TEST_KEY} `;
    await run('segmentLens.klaviyo.setApiKey');
    assert.equal(ui.inputBoxes.at(-1)?.password, true);
    assert.equal(ui.inputBoxes.at(-1)?.ignoreFocusOut, true);
    assert.deepEqual([...secrets.values()], [TEST_KEY]);
    const validate = ui.inputBoxes.at(-1)?.validateInput as (v: string) => unknown;
    assert.ok(validate('AbC123'), 'a public key is flagged');
    assert.equal(validate(TEST_KEY), undefined);
  });

  it('"Pull Workspace from Klaviyo" pulls into the chosen folder with progress and reloads the workspace', async () => {
    const out = join(tempDir('vscode-pull'), 'ws');
    let offered: string[] = [];
    ui.stage.quickPick = (items) => {
      offered = items.map((i) => i.label);
      return items.find((i) => i.label.includes('Full pull'));
    };
    await run('segmentLens.klaviyo.pullWorkspace', Uri.file(out));
    assert.ok(existsSync(join(out, 'data', 'profiles.jsonl')));
    assert.ok(offered.some((l) => l.includes('Full pull')));
    assert.ok(ui.executed.some((e) => e.command === 'segmentLens.reloadWorkspace'));
    assert.ok(ui.messages.some((m) => /pulled ws from Klaviyo: 40 profiles, 60 events/.test(m)));
    assert.ok(
      ui.messages.some((m) => /"increment"/.test(m)),
      'work-done progress was reported',
    );

    // The next time, an incremental pull is offered.
    ui.stage.quickPick = (items) => {
      offered = items.map((i) => i.label);
      return items.find((i) => i.label.includes('Incremental'));
    };
    await run('segmentLens.klaviyo.pullWorkspace', Uri.file(out));
    assert.ok(offered.some((l) => l.includes('Incremental')));
    assert.ok(fake.requests.some((r) => r.query.filter?.startsWith('greater-than(updated,')));
  });

  it('"Full pull with limits…" accepts only the dates the pull reads (ISO, no impossible days)', async () => {
    const out = join(tempDir('vscode-limits'), 'ws');
    ui.stage.quickPick = (items) => items.find((i) => i.label.includes('with limits'));
    // Cancel at the "since" box: only its validation is under test here.
    ui.stage.inputBox = (options) => (String(options.title).startsWith('Events since') ? undefined : '');
    await run('segmentLens.klaviyo.pullWorkspace', Uri.file(out));
    const since = ui.inputBoxes.at(-1);
    assert.match(String(since?.title), /^Events since/);
    const validate = since?.validateInput as (v: string) => unknown;
    for (const accepted of ['', '2025-01-01', '2025-01-01T12:00:00', '2025-01-01T12:00:00+02:00']) assert.equal(validate(accepted), undefined, accepted);
    for (const refused of ['10/15/2025', '2025-02-30', 'yesterday']) assert.ok(validate(refused), refused);
    assert.ok(!existsSync(out), 'nothing pulled');
  });

  it('ignores a base URL from workspace settings: the key goes only where the user configured', async () => {
    ui.stage.settings = { workspaceValue: 'https://evil.example.com', globalValue: fake.url };
    const out = tempDir('vscode-segments');
    const before = fake.requests.length;
    await run('segmentLens.klaviyo.pullSegments', Uri.file(out));
    assert.ok(fake.requests.length > before, 'the requests went to the user-level base URL');
    assert.ok(existsSync(join(out, 'segments', 'segment-S00000.json')));
  });

  it('"Push Segment" shows the diff against the account, asks, then PATCHes and refreshes the file', async () => {
    const dir = tempDir('vscode-push');
    await run('segmentLens.klaviyo.pullSegments', Uri.file(dir));
    const file = join(dir, 'segments', 'segment-S00001.json');
    const text = readFileSync(file, 'utf8').replace('"Segment 1"', '"Renamed in VS Code"');
    writeFileSync(file, text);
    let asked = '';
    ui.stage.warning = (message, ...rest) => {
      asked = `${message} ${JSON.stringify(rest)}`;
      return 'Update Segment';
    };
    await run('segmentLens.klaviyo.pushSegment', Uri.file(file));
    assert.match(asked, /Update segment S00001 "Segment 1"/);
    assert.match(asked, /Name: \\"Segment 1\\" → \\"Renamed in VS Code\\"/);
    const diff = ui.executed.find((e) => e.command === 'vscode.diff');
    assert.ok(diff, 'a diff editor was opened');
    const provider = ui.providers.get('segment-lens-klaviyo');
    assert.ok(provider);
    assert.match(provider.provideTextDocumentContent(diff.args[0] as Uri), /"name": "Segment 1"/);
    assert.match(provider.provideTextDocumentContent(diff.args[1] as Uri), /"name": "Renamed in VS Code"/);
    const patch = fake.requests.find((r) => r.method === 'PATCH');
    assert.ok(patch);
    assert.equal((patch.body as { data: { attributes: { name: string } } }).data.attributes.name, 'Renamed in VS Code');
    assert.ok(ui.messages.some((m) => /updated segment S00001 "Renamed in VS Code" in Klaviyo/.test(m)));
    assert.ok((ui.documents.get(file)?.saved ?? 0) > 0, 'the file was refreshed from the response and saved');
  });

  it('"Push Segment" sends nothing when the user cancels, and refuses a definition with errors', async () => {
    const dir = tempDir('vscode-cancel');
    const file = join(dir, 'new.segment.json');
    writeFileSync(file, JSON.stringify({ condition_groups: [{ conditions: [{ type: 'profile-group-membership', is_member: true, group_ids: ['L00000'] }] }] }));
    const writes = () => fake.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    ui.stage.warning = () => undefined;
    await run('segmentLens.klaviyo.pushSegment', Uri.file(file));
    assert.equal(writes(), before);
    const broken = join(dir, 'broken.segment.json');
    writeFileSync(broken, '{"condition_groups": [{"conditions": [{"type": "nope"}]}]}');
    await run('segmentLens.klaviyo.pushSegment', Uri.file(broken));
    assert.ok(ui.messages.some((m) => /not pushed\. The definition has/.test(m)));
    assert.equal(writes(), before);
  });

  it('a wrong key is reported (redacted) with an action to set another', async () => {
    secrets.set('segmentLens.klaviyo.apiKey', 'pk_wrongwrongwrong0123456789abcdef99');
    let actions: unknown[] = [];
    ui.stage.error = (_message, ...rest) => {
      actions = rest;
      return undefined;
    };
    await run('segmentLens.klaviyo.pullSegments', Uri.file(tempDir('vscode-401')));
    assert.ok(ui.messages.some((m) => /401 Unauthorized/.test(m)));
    assert.deepEqual(actions, ['Set Klaviyo API Key']);
    assert.ok(!ui.messages.some((m) => m.includes('pk_wrongwrong')));
    await run('segmentLens.klaviyo.clearApiKey');
    assert.equal(secrets.size, 0);
  });
});
