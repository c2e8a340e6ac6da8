/**
 * Documentation pointers stay true. Each case lists its violations as `file:line: pointer (why)`.
 *
 * a. Markdown links. Every relative link `[text](path)`, `[text](path#anchor)` or `[text](#anchor)`
 *    (and reference definitions `[id]: path`) in README.md and docs/**\/*.md resolves, from the
 *    Markdown file's folder, to a file or folder of the repository (a folder when it ends with `/`);
 *    an anchor into a Markdown file names one of its headings (GitHub's slugs: lowercase,
 *    punctuation other than `-` and `_` dropped, spaces become `-`, repeated headings get `-1`,
 *    `-2`, ...). Links with a scheme (http:, https:, mailto:, ...), links in fenced code blocks and
 *    text inside code spans are not links.
 * b. Backticked paths. A code span in README.md or docs/**\/*.md is a repository path when it starts
 *    with one of REPO_FOLDERS or is one of TOP_LEVEL_FILES (optionally followed by `#anchor` or
 *    `:line`), and holds no space, `*`, `<`, `{`, `…` or `...` (those are commands, globs and
 *    placeholders). It is read from the repository root and must exist (a folder when it ends with
 *    `/`; an anchor into Markdown must name a heading). Paths written relative to a folder (`engine/`
 *    in a `server/src/...` table row) do not start with a repository folder and are not checked.
 *    Paths in the prose without backticks (outside code blocks and links) follow the rule of case c.
 * c. Pointers from code. In the files under SOURCE_ROOTS (comments, strings, scripts and data alike):
 *    every `docs/<name>.md` exists, with its `#anchor` or quoted heading (`docs/<name>.md "Heading"`,
 *    `docs/<name>.md, "Heading"`, `docs/<name>.md ("Heading")`, possibly wrapped onto the next
 *    comment line: a heading of that file begins with the quoted words); and every other path from
 *    the repository root (starting with one of REPO_FOLDERS, not right after a word and `/`) that
 *    ends with `/` or whose last part has an extension exists.
 * d. Nothing outside the repository. No file under SOURCE_ROOTS mentions `../shared` or an absolute
 *    path of the machine the repository was checked out on (`/work/`, or the repository's own
 *    absolute path), except the files of OUTSIDE_MENTION_ALLOWED, each with its reason.
 *
 * Generated or ignored outputs (GENERATED: out/, dist/, bench/.cache/, test-output/, node_modules/,
 * ...; folders of GENERATED_NAMES at any depth) are neither scanned nor required to exist. The
 * checks read the working tree, so they run without git.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';

const REPO = join(__dirname, '..', '..', '..');

/**
 * Top-level folders whose paths are checked (a path into one that is gone is stale too). Not
 * `.vscode/`: the docs and code mean a user's `.vscode/settings.json`, not this repository's.
 */
const REPO_FOLDERS = ['server/', 'client/', 'schemas/', 'sample-workspace/', 'test/', 'docs/', 'bench/', 'scripts/', '.ci/', 'bin/'];
/** Top-level files a backticked name in the docs refers to. */
const TOP_LEVEL_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'eslint.config.mjs',
  'README.md',
  'LICENSE',
  '.gitignore',
  '.prettierignore',
  '.prettierrc.json',
  '.vscodeignore',
];
/** Build, test and cache outputs (see .gitignore): never scanned, never required to exist. */
const GENERATED = ['out/', 'dist/', 'node_modules/', 'bench/.cache/', 'test-output/', '.cache/', '.vscode-test/'];
const GENERATED_NAMES = new Set(['.git', 'node_modules', 'out', 'dist', '.cache', 'test-output', '.vscode-test']);
/** Where code, tests, scripts and their data live (case c and d). */
const SOURCE_ROOTS = ['server/src', 'client', 'schemas', 'scripts', 'bench', 'test', '.ci', 'bin', 'eslint.config.mjs', 'package.json'];
/** Files that may mention a path outside the repository, and why. */
const OUTSIDE_MENTION_ALLOWED: Record<string, string> = {
  'test/unit/docPointers.test.ts': 'it spells out the forbidden strings in order to look for them',
};

// ---------------------------------------------------------------------------------------------
// Files

/** The files under `root` (a repository-relative file or folder), as repository-relative paths. */
function filesUnder(root: string): string[] {
  const absolute = join(REPO, root);
  if (!existsSync(absolute)) return [];
  if (statSync(absolute).isFile()) return [root];
  const found: string[] = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const path = posix.join(root, entry.name);
    if (GENERATED_NAMES.has(entry.name) || isGenerated(path)) continue;
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found.sort();
}

function isGenerated(path: string): boolean {
  return GENERATED.some((prefix) => path === prefix.slice(0, -1) || path.startsWith(prefix));
}

function markdownFiles(): string[] {
  return ['README.md', ...filesUnder('docs').filter((file) => file.endsWith('.md'))];
}

function readText(file: string): string | undefined {
  const bytes = readFileSync(join(REPO, file));
  return bytes.includes(0) ? undefined : bytes.toString('utf8');
}

/** Whether the repository-relative `path` exists (as a folder when it ends with `/`). */
function exists(path: string): boolean {
  const absolute = join(REPO, path);
  if (!existsSync(absolute)) return false;
  return path.endsWith('/') ? statSync(absolute).isDirectory() : true;
}

/** 1-based line of each offset of `text`. */
function lineLookup(text: string): (offset: number) => number {
  const document = TextDocument.create('file:///pointer.md', 'markdown', 1, text);
  return (offset) => document.positionAt(offset).line + 1;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** The text with the lines of fenced code blocks emptied (line numbers kept). */
function withoutFences(text: string): string {
  let fence: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === undefined) {
        if (marker === undefined) return line;
        fence = marker;
        return '';
      }
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && /^ {0,3}[`~]+\s*$/.test(line)) fence = undefined;
      return '';
    })
    .join('\n');
}

interface CodeSpan {
  content: string;
  offset: number;
}

const CODE_SPAN = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

function codeSpans(prose: string): CodeSpan[] {
  return [...prose.matchAll(CODE_SPAN)].map((match) => ({ content: match[2].trim(), offset: match.index }));
}

/** The text with code spans blanked (newlines kept), so that what they show is not read as links. */
function withoutCodeSpans(prose: string): string {
  return prose.replace(CODE_SPAN, (span) => span.replace(/[^\n]/g, ' '));
}

/** A heading's text as GitHub renders it: links become their text, code spans lose their backticks. */
function renderedHeading(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** GitHub's anchor of a heading text (before de-duplication). */
function githubSlug(heading: string): string {
  return renderedHeading(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

interface Headings {
  slugs: Set<string>;
  texts: string[];
}

/** The headings of a Markdown text: their anchors (repeats numbered as GitHub does) and rendered texts. */
function headingsOf(markdown: string): Headings {
  const slugs = new Set<string>();
  const texts: string[] = [];
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    texts.push(renderedHeading(heading));
    const base = githubSlug(heading);
    let slug = base;
    for (let n = 1; slugs.has(slug); n++) slug = `${base}-${n}`;
    slugs.add(slug);
  }
  return { slugs, texts };
}

const headingCache = new Map<string, Headings>();

function headingsOfFile(file: string): Headings {
  let headings = headingCache.get(file);
  if (headings === undefined) {
    headings = headingsOf(readFileSync(join(REPO, file), 'utf8'));
    headingCache.set(file, headings);
  }
  return headings;
}

/** Why `path` (repository-relative, optionally with `#anchor`) is stale, or undefined when it is not. */
function problemOf(path: string, anchor: string | undefined): string | undefined {
  if (path.startsWith('../') || path === '..') return 'outside the repository';
  if (isGenerated(path)) return undefined;
  if (!exists(path)) return path.endsWith('/') ? 'no such folder' : 'no such file or folder';
  if (anchor !== undefined && path.endsWith('.md') && !headingsOfFile(path).slugs.has(anchor)) return `no heading with the anchor #${anchor}`;
  return undefined;
}

const INLINE_LINK = /!?\[((?:[^[\]]|\[[^\]]*\])*)\]\(\s*(<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const LINK_DEFINITION = /^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm;

/** Case a for one Markdown file; returns how many relative links it checked. */
function checkLinks(file: string, text: string, found: string[]): number {
  const prose = withoutCodeSpans(withoutFences(text));
  const lineOf = lineLookup(prose);
  const targets = [...prose.matchAll(INLINE_LINK)].map((match) => ({ target: match[2], offset: match.index }));
  targets.push(...[...prose.matchAll(LINK_DEFINITION)].map((match) => ({ target: match[1], offset: match.index })));
  let checked = 0;
  for (const { target: raw, offset } of targets) {
    const target = raw.replace(/^<|>$/g, '');
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    checked++;
    const hash = target.indexOf('#');
    const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const path = pathPart === '' ? file : pathPart.startsWith('/') ? pathPart.slice(1) : posix.normalize(posix.join(posix.dirname(file), pathPart));
    const resolved = pathPart.endsWith('/') && !path.endsWith('/') ? `${path}/` : path;
    const problem = problemOf(resolved, anchor);
    if (problem !== undefined) found.push(`${file}:${lineOf(offset)}: ${raw} (${problem})`);
  }
  return checked;
}

/** Case b for one Markdown file; returns how many backticked paths it checked. */
function checkBacktickedPaths(file: string, text: string, found: string[]): number {
  const prose = withoutFences(text);
  const lineOf = lineLookup(prose);
  let checked = 0;
  for (const { content, offset } of codeSpans(prose)) {
    if (/[\s*<{…]|\.\.\./.test(content)) continue;
    const [pointer, anchor] = content.replace(/:\d+(?::\d+)?$/, '').split('#', 2);
    if (!REPO_FOLDERS.some((folder) => pointer.startsWith(folder)) && !TOP_LEVEL_FILES.includes(pointer)) continue;
    if (isGenerated(pointer)) continue;
    checked++;
    const problem = problemOf(pointer, anchor);
    if (problem !== undefined) found.push(`${file}:${lineOf(offset)}: \`${content}\` (${problem})`);
  }
  return checked;
}

/**
 * Case b, paths without backticks: the Markdown prose outside code blocks, code spans and link
 * targets, read as code is (case c). Returns how many paths it checked.
 */
function checkProsePaths(file: string, text: string, found: string[]): number {
  const prose = withoutCodeSpans(withoutFences(text))
    .replace(INLINE_LINK, (link: string, label: string) => `[${label}]`.padEnd(link.length))
    .replace(LINK_DEFINITION, (definition) => ' '.repeat(definition.length));
  return checkCodePointers(file, prose, found);
}

// ---------------------------------------------------------------------------------------------
// Code

const FOLDER_ALTERNATIVES = REPO_FOLDERS.map((folder) => folder.slice(0, -1).replace(/[.-]/g, '\\$&')).join('|');
/** A repository path in code: not right after a word character or `.`, nor after `word/` (a URL or `out/test/...`). */
const CODE_PATH = new RegExp(`(?<![\\w.@-]|\\w/)(?:${FOLDER_ALTERNATIVES})/[\\w./-]*[\\w/]`, 'g');
const QUOTED_HEADING = /^(?:#[\w-]+)?(?: \("([^"]+)"\)|,? "([^"]+)")/;

/** The text after `offset` on its line, and the next line without its comment leader (a citation may wrap). */
function followingText(lines: string[], line: number, column: number): string {
  const next = (lines[line + 1] ?? '').replace(/^\s*(?:\*|\/\/|#)?\s*/, '');
  return `${lines[line].slice(column)} ${next}`;
}

/** Case c for one source file; returns how many pointers it checked. */
function checkCodePointers(file: string, text: string, found: string[]): number {
  const lines = text.split('\n');
  let checked = 0;
  lines.forEach((line, index) => {
    for (const match of line.matchAll(CODE_PATH)) {
      const pointer = match[0].replace(/\.+$/, '');
      const isDoc = /^docs\/[\w./-]+\.md$/.test(pointer);
      if (!isDoc && !pointer.endsWith('/') && !/\.\w+$/.test(posix.basename(pointer))) continue;
      if (isGenerated(pointer)) continue;
      checked++;
      const after = followingText(lines, index, match.index + pointer.length);
      const anchor = isDoc ? /^#([\w-]+)/.exec(after)?.[1] : undefined;
      const where = `${file}:${index + 1}: ${pointer}`;
      const problem = problemOf(pointer, anchor);
      if (problem !== undefined) {
        found.push(`${where} (${problem})`);
        continue;
      }
      const citation = isDoc ? QUOTED_HEADING.exec(after) : null;
      const quoted = citation?.[1] ?? citation?.[2];
      if (quoted === undefined) continue;
      const wanted = quoted.replace(/\s+/g, ' ').toLowerCase();
      if (!headingsOfFile(pointer).texts.some((heading) => heading.toLowerCase().startsWith(wanted))) found.push(`${where} "${quoted}" (no such heading)`);
    }
  });
  return checked;
}

function outsideMentions(): string[] {
  // The checkout's own absolute path, not its parent's: a clone in /tmp/x must not forbid the /tmp/ URIs tests build.
  const forbidden = ['../shared', '/work/', `${REPO}/`];
  const found: string[] = [];
  for (const file of SOURCE_ROOTS.flatMap(filesUnder)) {
    if (OUTSIDE_MENTION_ALLOWED[file] !== undefined) continue;
    const text = readText(file);
    if (text === undefined) continue;
    text.split('\n').forEach((line, index) => {
      for (const needle of forbidden) if (line.includes(needle)) found.push(`${file}:${index + 1}: ${needle} (outside the repository)`);
    });
  }
  return found;
}

function report(found: string[]): void {
  if (found.length > 0) assert.fail(`${found.length} stale pointer(s):\n  ${found.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------

describe('documentation pointers', () => {
  it('GitHub anchors: punctuation dropped, spaces to dashes, repeated headings numbered', () => {
    assert.equal(githubSlug('Limits **(SL)**'), 'limits-sl');
    assert.equal(githubSlug('Your own table names (`--layout file.json`)'), 'your-own-table-names---layout-filejson');
    assert.equal(
      githubSlug("In GitHub Actions (documented, not run by this repository's tests)"),
      'in-github-actions-documented-not-run-by-this-repositorys-tests',
    );
    assert.equal(githubSlug('snake_case and [a link](x.md) – dash'), 'snake_case-and-a-link--dash');
    assert.deepEqual([...headingsOf('# A\n## B\n```\n# not a heading\n```\n## A\n### A ##\n').slugs], ['a', 'b', 'a-1', 'a-2']);
  });

  it('every relative Markdown link in README.md and docs/ resolves, anchors included', () => {
    const found: string[] = [];
    let checked = 0;
    for (const file of markdownFiles()) checked += checkLinks(file, readFileSync(join(REPO, file), 'utf8'), found);
    assert.ok(checked > 10, `only ${checked} links found: the link scanner is broken`);
    report(found);
  });

  it('every repository path in README.md and docs/ exists, backticked or not', () => {
    const found: string[] = [];
    let checked = 0;
    for (const file of markdownFiles()) {
      const text = readFileSync(join(REPO, file), 'utf8');
      checked += checkBacktickedPaths(file, text, found);
      checkProsePaths(file, text, found);
    }
    assert.ok(checked > 50, `only ${checked} backticked paths found: the path scanner is broken`);
    report(found);
  });

  it('every docs/*.md (with its heading) and repository path cited by code, tests and scripts exists', () => {
    const found: string[] = [];
    let checked = 0;
    for (const file of SOURCE_ROOTS.flatMap(filesUnder)) {
      const text = readText(file);
      if (text !== undefined) checked += checkCodePointers(file, text, found);
    }
    assert.ok(checked > 50, `only ${checked} pointers found: the code scanner is broken`);
    report(found);
  });

  it('no code, test or script mentions ../shared or an absolute path of this machine', () => {
    report(outsideMentions());
  });
});
