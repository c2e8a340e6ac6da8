// Bundles the extension client, the language server and the CLI with esbuild.
// Type checking is done separately by `tsc -b` (see package.json "build").
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
mkdirSync('dist/media', { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's UMD build uses dynamic requires esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/serverMain.ts'], outfile: 'dist/server.js' }),
  // The DuckDB engine (segmentLens.engine) loads @duckdb/node-api's native binding at run time, when it can.
  esbuild.build({ ...common, entryPoints: ['server/src/evaluation/evaluationWorker.ts'], outfile: 'dist/evaluationWorker.js', external: ['@duckdb/node-api'] }),
  // Parses blocks of a big profiles.jsonl or events.jsonl beside the loading thread (server/src/workspace/loadThreads.ts).
  esbuild.build({ ...common, entryPoints: ['server/src/workspace/loadWorker.ts'], outfile: 'dist/loadWorker.js' }),
  // @duckdb/node-api is a native binding (a runtime dependency), loaded only by --engine duckdb (server/src/duckdb/session.ts).
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', external: ['@duckdb/node-api'] }),
  // The preview webview's script runs in the webview (a browser), not in Node.
  esbuild.build({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['client/src/webview/preview.ts'],
    outfile: 'dist/media/preview.js',
  }),
  esbuild.build({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['client/src/webview/coverage.ts'],
    outfile: 'dist/media/coverage.js',
  }),
  // The overlap panel ("Compare Segments in Folder…") and the comparison with git HEAD.
  esbuild.build({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['client/src/webview/overlap.ts'],
    outfile: 'dist/media/overlap.js',
  }),
  esbuild.build({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['client/src/webview/headDiff.ts'],
    outfile: 'dist/media/headDiff.js',
  }),
  // One stylesheet per panel (the CSP allows only our own stylesheets): shared parts are @imported and bundled in.
  esbuild.build({
    bundle: true,
    minify: production,
    logLevel: 'warning',
    outdir: 'dist/media',
    target: 'chrome114',
    entryPoints: ['client/media/preview.css', 'client/media/coverage.css', 'client/media/overlap.css', 'client/media/headDiff.css'],
  }),
]);
