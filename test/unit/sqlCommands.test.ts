/**
 * client/src/sqlCommands.ts with a stand-in for the `vscode` module and for the language client:
 * the dialect quick pick (the setting first, then the last choice, remembered in globalState),
 * the request it sends, the clipboard and its message, the untitled SQL document, and an error
 * response shown as an error message.
 */
import assert from 'node:assert/strict';
import type { SqlParams, SqlResult } from '../../server/src/protocol';

class Uri {
  private constructor(readonly text: string) {}
  static parse(text: string): Uri {
    return new Uri(text);
  }
  toString(): string {
    return this.text;
  }
}

interface PickItem {
  label: string;
  description?: string;
  dialect: string;
}

const ui = {
  settings: {} as Record<string, unknown>,
  picks: [] as PickItem[][],
  choose: (items: PickItem[]): PickItem | undefined => items[0],
  info: [] as string[],
  warnings: [] as string[],
  errors: [] as string[],
  clipboard: '',
  opened: [] as unknown[],
  shown: [] as { language: string; content: string }[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  active: undefined as Uri | undefined,
};

const vscodeStub = {
  Uri,
  window: {
    showQuickPick: async (items: PickItem[]) => {
      ui.picks.push(items);
      return ui.choose(items);
    },
    showInformationMessage: async (message: string) => void ui.info.push(message),
    showWarningMessage: async (message: string) => void ui.warnings.push(message),
    showErrorMessage: async (message: string) => void ui.errors.push(message),
    showTextDocument: async (document: { language: string; content: string }) => void ui.shown.push(document),
    get activeTextEditor() {
      return ui.active ? { document: { uri: ui.active } } : undefined;
    },
  },
  workspace: {
    getConfiguration: (section: string) => ({ get: (key: string, fallback: unknown) => ui.settings[`${section}.${key}`] ?? fallback }),
    openTextDocument: async (arg: unknown) => {
      ui.opened.push(arg);
      return arg;
    },
  },
  env: { clipboard: { writeText: async (text: string) => void (ui.clipboard = text) } },
  commands: {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      ui.commands.set(id, fn);
      return { dispose: () => undefined };
    },
  },
};

function loadCommands(): typeof import('../../client/src/sqlCommands') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : original.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub } as unknown as NodeJS.Module;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../client/src/sqlCommands') as typeof import('../../client/src/sqlCommands');
  } finally {
    Module._resolveFilename = original;
  }
}

const RESULT: SqlResult = {
  sql: '-- Segment Lens: postgres SQL over the workspace layout; now = 2026-11-01T12:00:00.000Z (D0 = 2026-11-01T00:00:00.000Z).\nSELECT 1;',
  form: 'select',
  dialect: 'postgres',
  layout: 'workspace',
  now: '2026-11-01T12:00:00.000Z',
  approximations: [
    { pointer: '/condition_groups/0/conditions/0', rule: 'Case-insensitive comparison' },
    { pointer: '/condition_groups/1/conditions/0', rule: 'Case-insensitive comparison' },
  ],
  preconditions: [],
  notEvaluable: [],
};

describe('VS Code commands: Copy / Open Segment as SQL', () => {
  const requests: { method: string; params: SqlParams }[] = [];
  let answer: (params: SqlParams) => Promise<SqlResult> = async (params) => ({ ...RESULT, dialect: params.dialect });
  const client = { sendRequest: async (method: string, params: SqlParams) => (requests.push({ method, params }), answer(params)) };
  const state = new Map<string, unknown>();
  const run = (id: string, ...args: unknown[]) => ui.commands.get(id)!(...args) as Promise<void>;
  const segment = Uri.parse('file:///ws/segments/vip.json');

  before(() => {
    const { registerSqlCommands } = loadCommands();
    const context = {
      subscriptions: [] as unknown[],
      globalState: { get: (key: string) => state.get(key), update: async (key: string, value: unknown) => void state.set(key, value) },
    };
    registerSqlCommands(context as never, () => client as never);
  });
  beforeEach(() => {
    Object.assign(ui, { settings: {}, picks: [], info: [], warnings: [], errors: [], clipboard: '', opened: [], shown: [], active: segment });
    ui.choose = (items) => items[0];
    requests.length = 0;
  });

  it('registers both commands', () => {
    assert.ok(ui.commands.has('segmentLens.copyAsSql'));
    assert.ok(ui.commands.has('segmentLens.openAsSql'));
  });

  it('copy: the setting is offered first, the request carries the dialect and layout, the SQL goes to the clipboard with the notes counted', async () => {
    ui.settings = { 'segmentLens.sql.dialect': 'postgres', 'segmentLens.sql.layout': 'fivetran' };
    await run('segmentLens.copyAsSql', segment);
    assert.deepEqual(
      ui.picks[0].map((i) => i.label),
      ['PostgreSQL', 'DuckDB', 'BigQuery', 'Snowflake'],
    );
    assert.deepEqual(requests, [{ method: 'segmentLens/sql', params: { uri: 'file:///ws/segments/vip.json', dialect: 'postgres', layout: 'fivetran' } }]);
    assert.equal(ui.clipboard, RESULT.sql);
    assert.equal(ui.info.length, 1);
    assert.match(ui.info[0], /copied the segment's PostgreSQL SQL over the workspace layout \(2 approximation notes: see the comments at the top\)/);
  });

  it('the last dialect chosen comes first next time (globalState), before the setting', async () => {
    ui.settings = { 'segmentLens.sql.dialect': 'duckdb' };
    ui.choose = (items) => items.find((i) => i.dialect === 'snowflake');
    await run('segmentLens.copyAsSql');
    assert.equal(requests[0].params.dialect, 'snowflake');
    ui.choose = (items) => items[0];
    await run('segmentLens.copyAsSql');
    assert.equal(ui.picks[1][0].label, 'Snowflake');
    assert.equal(ui.picks[1][0].description, 'last used');
    assert.equal(requests[1].params.dialect, 'snowflake');
    assert.equal(requests[1].params.layout, 'workspace', 'the default layout');
  });

  it('open: the SQL in a new untitled sql document', async () => {
    await run('segmentLens.openAsSql', segment);
    assert.deepEqual(ui.shown, [{ language: 'sql', content: `${RESULT.sql}\n` }]);
    assert.deepEqual(ui.warnings, []);
  });

  it('a cancelled quick pick sends nothing; an error response is an error message, nothing is copied', async () => {
    ui.choose = () => undefined;
    await run('segmentLens.copyAsSql', segment);
    assert.equal(requests.length, 0);
    ui.choose = (items) => items[0];
    answer = async () => {
      throw new Error('The segment has errors, so it has no SQL: unknown condition type');
    };
    await run('segmentLens.copyAsSql', segment);
    assert.deepEqual(ui.errors, ['Segment Lens: The segment has errors, so it has no SQL: unknown condition type']);
    assert.equal(ui.clipboard, '');
    assert.deepEqual(ui.info, []);
  });

  it('without a segment editor: a message, no request', async () => {
    ui.active = undefined;
    await run('segmentLens.openAsSql');
    assert.equal(requests.length, 0);
    assert.deepEqual(ui.info, ['Open a segment file to get its SQL.']);
  });
});
