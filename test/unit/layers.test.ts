/**
 * The import rules of docs/architecture.md for the layers that run outside the language server:
 * klaviyo/ (also loaded by the VS Code extension host) must not reach into the CLI, the LSP or
 * VS Code, so the extension can pull and push without carrying the command line along.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'server', 'src');

/** Every module specifier a TypeScript file imports or re-exports (static and `require`). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) found.push(match[1]);
  for (const match of text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g)) found.push(match[1]);
  for (const match of text.matchAll(/require\('([^']+)'\)/g)) found.push(match[1]);
  return found;
}

/** For each file of a folder: where its relative imports land (a folder of server/src) and its package imports. */
function importsOf(folder: string): { file: string; layers: string[]; packages: string[] }[] {
  const dir = join(SRC, folder);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => {
      const file = join(dir, name);
      const layers: string[] = [];
      const packages: string[] = [];
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) layers.push(relative(SRC, resolve(join(file, '..'), spec)).split(/[\\/]/)[0]);
        else packages.push(spec);
      }
      return { file: relative(SRC, file), layers, packages };
    });
}

describe('layer imports', () => {
  it('klaviyo/ imports only engine/, segment/, itself and node:* (no CLI, no LSP, no VS Code)', () => {
    const files = importsOf('klaviyo');
    assert.ok(files.length >= 5, 'found the klaviyo modules');
    for (const { file, layers, packages } of files) {
      for (const layer of layers) assert.ok(['klaviyo', 'engine', 'segment'].includes(layer), `${file} imports from ${layer}/`);
      // jsonc-parser edits a pushed file in place (write-back of the new id); it is a pure library, not a layer.
      for (const spec of packages) assert.ok(spec.startsWith('node:') || spec === 'jsonc-parser', `${file} imports ${spec}`);
    }
  });

  it('coverage/ imports only engine/, segment/ and itself, and no node:*, VS Code or LSP package', () => {
    for (const { file, layers, packages } of importsOf('coverage')) {
      for (const layer of layers) assert.ok(['coverage', 'engine', 'segment'].includes(layer), `${file} imports from ${layer}/`);
      for (const spec of packages) assert.ok(!/^(node:|vscode)/.test(spec), `${file} imports ${spec}`);
    }
  });
});
