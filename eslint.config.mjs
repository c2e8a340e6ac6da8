// ESLint: the layer rules of docs/architecture.md ("What each layer may import"), floating
// promises, and one instant reader for dates. `npm run lint` (part of `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The import table of docs/architecture.md. For each folder: the server/src folders (or files)
 * it may import, the npm packages it may import (a package name allows its subpaths), and which
 * `node:` modules (true: all, false: none).
 */
export const LAYERS = [
  { folder: 'server/src/engine', layers: [], packages: ['luxon', 'zipcodes', 'i18n-iso-countries', 'libphonenumber-js', 're2js', 'lru-cache'], node: false },
  { folder: 'server/src/sql', layers: ['engine'], packages: ['libphonenumber-js'], node: false },
  {
    folder: 'server/src/segment',
    layers: ['engine'],
    packages: ['jsonc-parser', 'ajv', 'ajv-formats', 'fastest-levenshtein'],
    node: false,
    extra: ['^\\.\\./\\.\\./\\.\\./schemas/segment-definition\\.schema\\.json$'],
  },
  { folder: 'server/src/coverage', layers: ['engine', 'segment'], packages: ['csv-stringify'], node: false },
  { folder: 'server/src/workspace', layers: ['engine', 'segment'], packages: ['jsonc-parser', 'picomatch'], node: true },
  { folder: 'server/src/generate', layers: ['engine', 'segment', 'workspace'], packages: [], node: true },
  { folder: 'server/src/klaviyo', layers: ['engine', 'segment', 'workspace'], packages: ['jsonc-parser', 'cli-progress'], node: true },
  { folder: 'server/src/review', layers: ['engine', 'segment', 'workspace'], packages: ['jsonc-parser', 'sarif'], node: true },
  {
    folder: 'server/src/evaluation',
    layers: ['engine', 'duckdb', 'workspace', 'coverage', 'protocol.ts'],
    packages: ['csv-stringify'],
    node: ['node:worker_threads', 'node:fs', 'node:v8', 'node:vm'],
  },
  {
    folder: 'server/src/features',
    layers: ['engine', 'segment', 'protocol.ts'],
    packages: ['vscode-languageserver', 'vscode-languageserver-textdocument', 'jsonc-parser', 'vscode-uri'],
    node: false,
    forbid: ['^vscode-languageserver/node$'],
  },
  {
    folder: 'server/src/host',
    layers: ['engine', 'segment', 'sql', 'workspace', 'coverage', 'evaluation/messages.ts', 'protocol.ts', 'review/git.ts', 'features/diagnostics.ts'],
    packages: ['vscode-languageserver', 'vscode-languageserver-textdocument', 'vscode-uri'],
    node: true,
  },
  { folder: 'server/src/duckdb', layers: ['engine', 'sql', 'workspace'], packages: ['@duckdb/node-api'], node: true },
  {
    folder: 'server/src/cli',
    layers: [
      'engine',
      'segment',
      'sql',
      'duckdb',
      'workspace',
      'coverage',
      'generate',
      'klaviyo',
      'review',
      'evaluation/messages.ts',
      'protocol.ts',
      'server.ts',
    ],
    packages: ['commander', 'cli-progress', 'csv-stringify', 'vscode-languageserver-textdocument', 'jsonc-parser'],
    node: true,
  },
  {
    folder: 'client/src',
    layers: [],
    packages: ['vscode', 'vscode-languageclient'],
    node: true,
    server: ['protocol.ts', 'klaviyo', 'segment', 'workspace/segmentFiles.ts', 'coverage/types.ts', 'engine/time.ts'],
  },
  { folder: 'client/src/webview', layers: [], packages: ['chart.js'], node: false, server: ['protocol.ts', 'coverage/types.ts'] },
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** `engine` → `engine(/|$)`, `protocol.ts` → `protocol$` (imports omit the extension). */
const target = (entry) => (entry.endsWith('.ts') ? `${escape(entry.slice(0, -3))}$` : `${escape(entry)}(?:/|$)`);

/** The no-restricted-imports options for files `depth` folders below the layer's folder. */
function restrictions(layer, depth) {
  const up = '\\.\\./'.repeat(depth + 1);
  const patterns = [];
  const allowedLayers = layer.layers.map(target).join('|');
  // Relative imports that leave the folder: only into the allowed layers.
  patterns.push({
    regex: allowedLayers ? `^${up}(?!(?:${allowedLayers}))` : `^${up}`,
    message: `${layer.folder}/ may import only ${layer.layers.length ? layer.layers.join(', ') : 'its own modules'} of server/src (docs/architecture.md).`,
  });
  if (layer.server) {
    // The client reaches server code by ../../server/src/... (one ../ per folder down to the file); only the shared modules.
    const clientUp = '\\.\\./'.repeat(layer.folder.split('/').length + depth);
    const allowed = layer.server.map(target).join('|');
    patterns[0] = {
      regex: `^${clientUp}(?!server/src/(?:${allowed}))`,
      message: `${layer.folder}/ may import only ${layer.server.join(', ')} of server/src (docs/architecture.md).`,
    };
  }
  for (const extra of layer.extra ?? []) patterns[0].regex = `(?!${extra})${patterns[0].regex}`;
  const packages = layer.packages.map((name) => `${escape(name)}(?:/|$)`);
  const nodeAllowed = layer.node === true ? ['node:'] : Array.isArray(layer.node) ? layer.node.map((m) => `${escape(m)}$`) : [];
  const bare = [...packages, ...nodeAllowed].join('|');
  patterns.push({
    regex: bare ? `^(?!\\.)(?!(?:${bare}))` : '^(?!\\.)',
    message: `${layer.folder}/ may import only ${[...layer.packages, ...(layer.node === true ? ['node:*'] : Array.isArray(layer.node) ? layer.node : [])].join(', ') || 'no packages'} (docs/architecture.md).`,
  });
  for (const regex of layer.forbid ?? []) patterns.push({ regex, message: `${layer.folder}/ must not import this (docs/architecture.md).` });
  return { patterns };
}

/** One config block per folder and depth (a later block for the same file replaces the rule's options). */
const layerBlocks = LAYERS.flatMap((layer) =>
  [0, 1, 2].map((depth) => ({
    files: [`${layer.folder}/${'*/'.repeat(depth)}*.ts`],
    // A deeper layer (client/src/webview) has its own rows.
    ignores: LAYERS.filter((other) => other !== layer && other.folder.startsWith(`${layer.folder}/`)).map((other) => `${other.folder}/**`),
    rules: { 'no-restricted-imports': ['error', restrictions(layer, depth)] },
  })),
);

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.cache/**',
      'test-output/**',
      'sample-workspace/**',
      'schemas/*.json',
      'test/fixtures/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `let x = fallback; try { x = read() } catch {}` is how this code base reads optional things.
      'no-useless-assignment': 'off',
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'parse',
          message: "Read instants with parseInstant (server/src/engine/time.ts): Date.parse reads an offset-less time in the machine's time zone.",
        },
      ],
    },
  },
  ...layerBlocks,
  {
    // A function a reader can hold in their head: longer ones are split along their own sections (issue 12).
    files: ['server/src/**/*.ts', 'client/src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 120, skipBlankLines: false, skipComments: false }] },
  },
  {
    // The one instant reader itself.
    files: ['server/src/engine/time.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests and benchmarks write instants with explicit offsets; they may use Date.parse.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
