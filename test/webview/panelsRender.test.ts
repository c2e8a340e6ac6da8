/**
 * The overlap panel ("Compare Segments in Folder…") and the "changes since HEAD" panel rendered
 * in headless Chromium: their real HTML (CSP and nonce untouched), the bundled scripts and
 * stylesheets, and a stub extension behind acquireVsCodeApi that answers like the language server
 * from a small data set of profiles and their segments. The expected numbers are computed here
 * from that data set. Segment names and profile data are hostile: they must show as text and run
 * nothing. Screenshots: test-output/webview/overlap-*.png, head-diff.png.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { headDiffHtml, overlapHtml } from '../../client/src/panelHtml';
import type { HeadDiffResult, OverlapReport, ProfileRow } from '../../server/src/protocol';
import { asVsCodeLoadsIt, canvasPixels, contrast, launchBrowser, MEDIA, OUTPUT, THEMES, type ThemeName } from './renderHarness';

const HOSTILE = '<img src=x onerror="window.__xss=1">';
const SCRIPT_END = '</script><script>window.__xss=2</script>';

/** Segments of the data set; two with hostile names. */
const NAMES = ['VIP customers', HOSTILE, 'Newsletter', SCRIPT_END, 'Lapsed'];

/** Each segment's share of the profiles, in tenths (a fixed, uneven pattern). */
const SHARES = [5, 3, 4, 2, 6, 3, 4, 5, 2, 3];

/** Profile i is in segment s when a hash of (i, s) falls under the segment's share, except every 9th profile, in none. */
function membership(count: number, segments: number): boolean[][] {
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: segments }, (__, s) => i % 9 !== 0 && (((i + 1) * 7919 * (s + 1) + s * 104729) % 101) % 10 < SHARES[s]),
  );
}

function row(i: number): ProfileRow {
  return {
    id: `P${String(i).padStart(3, '0')}`,
    email: i === 4 ? `${HOSTILE}@x.example` : `user${i}@example.com`,
    name: i === 4 ? SCRIPT_END : `Person ${i}`,
    location: 'Berlin, Germany',
    phone: null,
    properties: {},
    lastEvent: null,
  };
}

/** The report the server would send for this data set (computed here, independently of the server). */
function reportOf(inSegment: boolean[][], names: string[]): OverlapReport {
  const segments = names.map((name, s) => ({ uri: `file:///ws/segments/s${s}.json`, file: `s${s}.json`, name, count: inSegment.filter((m) => m[s]).length }));
  const pairwise = names.map((_, i) => names.map((__, j) => inSegment.filter((m) => m[i] && m[j]).length));
  const cells = new Map<string, number>();
  for (const m of inSegment) {
    const members = m.flatMap((inside, s) => (inside ? [s] : []));
    if (members.length) cells.set(members.join(','), (cells.get(members.join(',')) ?? 0) + 1);
  }
  const sorted = [...cells]
    .map(([key, count]) => ({ members: key.split(',').map(Number), count }))
    .sort((a, b) => b.count - a.count || a.members.length - b.members.length || a.members.join(',').localeCompare(b.members.join(',')));
  return {
    state: 'ok',
    folder: 'segments',
    total: inSegment.length,
    union: inSegment.filter((m) => m.some(Boolean)).length,
    segments,
    pairwise,
    cells: sorted,
    leftOut: [{ uri: 'file:///ws/segments/broken.json', file: 'broken.json', name: HOSTILE, reason: `the definition has errors: ${SCRIPT_END}` }],
    workspace: { name: HOSTILE, root: '/ws', now: '2026-11-01T12:00:00.000Z', profiles: inSegment.length, events: 0, metrics: 0, lists: 0, warnings: 0 },
    elapsedMs: 12,
  };
}

interface Stub {
  page: 'overlap' | 'headDiff';
  overlap?: { report: OverlapReport; inSegment: boolean[][] };
  headDiff?: { result: HeadDiffResult; added: number[]; removed: number[] };
}

/** Runs in the page before its script: VS Code's theme and a stub extension (self-contained: serialized by Playwright). */
function installStub(setup: { stub: Stub; vars: Record<string, string>; bodyClass: string; rows: ProfileRow[] }): void {
  const w = window as unknown as Record<string, unknown>;
  const posted: { type: string }[] = [];
  const csp: string[] = [];
  w.__posted = posted;
  w.__csp = csp;
  window.addEventListener('securitypolicyviolation', (event) => csp.push(event.violatedDirective), true);
  const theme = () => {
    for (const [name, value] of Object.entries(setup.vars)) document.documentElement.style.setProperty(name, value);
    document.body.classList.add(setup.bodyClass);
  };
  if (document.body) theme();
  else document.addEventListener('DOMContentLoaded', theme);
  const send = (message: unknown) => setTimeout(() => window.postMessage(message, '*'), 5);
  const page = (ids: number[], request: { requestId: number; offset: number; limit: number }) =>
    send({
      type: 'rows',
      requestId: request.requestId,
      result: {
        version: 1,
        state: 'ok',
        total: ids.length,
        propertyColumns: [],
        rows: ids.slice(request.offset, request.offset + request.limit).map((i) => setup.rows[i]),
      },
    });
  w.acquireVsCodeApi = () => ({
    postMessage(message: {
      type: string;
      inside?: string[];
      outside?: string[];
      side?: 'added' | 'removed';
      requestId: number;
      offset: number;
      limit: number;
    }) {
      posted.push(structuredClone(message));
      const { overlap, headDiff } = setup.stub;
      if (message.type === 'ready' && overlap) send({ type: 'report', report: overlap.report });
      if (message.type === 'ready' && headDiff) send({ type: 'diff', result: headDiff.result, fileName: 'segments/gold.json' });
      if (message.type === 'rows' && overlap) {
        const index = (uri: string) => overlap.report.segments.findIndex((s) => s.uri === uri);
        const inside = (message.inside ?? []).map(index);
        const outside = (message.outside ?? []).map(index);
        page(
          overlap.inSegment.flatMap((m, i) => (inside.every((s) => m[s]) && outside.every((s) => !m[s]) ? [i] : [])),
          message,
        );
      }
      if (message.type === 'rows' && headDiff) page(message.side === 'removed' ? headDiff.removed : headDiff.added, message);
    },
    setState: () => undefined,
    getState: () => undefined,
  });
}

describe('overlap and "changes since HEAD" panels rendered in Chromium (real HTML + CSP + bundle)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: http.Server;
  let origin = '';
  let page: Page | undefined;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    for (const file of ['overlap.js', 'overlap.css', 'headDiff.js', 'headDiff.css'])
      assert.ok(fs.existsSync(path.join(MEDIA, file)), `${file} is built (node scripts/build.mjs)`);
    fs.mkdirSync(OUTPUT, { recursive: true });
    server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const html = url.pathname === '/overlap' ? overlapHtml : url.pathname === '/headDiff' ? headDiffHtml : undefined;
      if (html) {
        const name = url.pathname.slice(1);
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          asVsCodeLoadsIt(
            html({
              cspSource: origin,
              nonce: randomBytes(16).toString('base64'),
              scriptUri: `${origin}/media/${name}.js`,
              styleUri: `${origin}/media/${name}.css`,
            }),
          ),
        );
        return;
      }
      const file = /^\/media\/([\w.-]+)$/.exec(url.pathname)?.[1];
      if (file && fs.existsSync(path.join(MEDIA, file))) {
        response.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' }).end(fs.readFileSync(path.join(MEDIA, file)));
        return;
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await page?.context().close();
    page = undefined;
    assert.deepEqual(dialogs.splice(0), [], 'no dialog (alert) opened');
    assert.deepEqual(pageErrors.splice(0), [], 'no error in the page');
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function open(stub: Stub, themeName: ThemeName = 'dark', rows: ProfileRow[] = []): Promise<Page> {
    const theme = THEMES[themeName];
    const context = await browser.newContext({ viewport: { width: 1200, height: 1100 }, deviceScaleFactor: 1 });
    const opened = await context.newPage();
    opened.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    opened.on('pageerror', (error) => pageErrors.push(String(error)));
    await opened.addInitScript(installStub, { stub, vars: theme.vars, bodyClass: theme.bodyClass, rows });
    await opened.goto(`${origin}/${stub.page}`);
    page = opened;
    return opened;
  }

  const posted = (p: Page) =>
    p.evaluate(() => (window as unknown as { __posted: { type: string; inside?: string[]; outside?: string[]; side?: string }[] }).__posted);

  async function assertInert(p: Page): Promise<void> {
    assert.deepEqual(await p.evaluate(() => (window as unknown as { __csp: string[] }).__csp), [], 'no CSP violation');
    assert.equal(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'no injected script ran');
    assert.equal(await p.locator('img, iframe, svg, object, embed').count(), 0, 'no element created from data');
    assert.equal(await p.locator('script').count(), 1, "only the page's own script");
  }

  const pixelsOf = (p: Page, selector: string, hex: string) => canvasPixels(p, selector, hex);

  const number = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

  it('shows the matrix and the UpSet chart whose cells add up to the union, with hostile names as text', async () => {
    const inSegment = membership(120, NAMES.length);
    const report = reportOf(inSegment, NAMES);
    const p = await open(
      { page: 'overlap', overlap: { report, inSegment } },
      'dark',
      inSegment.map((_, i) => row(i)),
    );
    await p.waitForFunction(() => document.body.dataset.state === 'ok');
    assert.equal(
      await p.locator('#headline').textContent(),
      `5 segments: ${report.union} of 120 profiles are in at least one (${((100 * report.union) / 120).toFixed(1)}%)`,
    );

    // The matrix: every pairwise count, computed here from the memberships.
    const matrix = await p.$$eval('#matrix tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
    assert.deepEqual(
      matrix.map((r) => r.map(number)),
      NAMES.map((_, i) => NAMES.map((__, j) => inSegment.filter((m) => m[i] && m[j]).length)),
    );
    assert.deepEqual(
      await p.$$eval('#matrix tbody th', (ths) => ths.map((th) => th.textContent)),
      NAMES.map((name, s) => `[${s + 1}] ${name}`),
      'hostile names as text in the row headers',
    );

    // The exclusive cells: one row per combination of segments, adding up to the union.
    await p.locator('#cells-details summary').click();
    const cells = await p.$$eval('#cells tbody tr', (rows) => rows.map((r) => ({ segments: r.children[1].textContent, count: r.children[3].textContent })));
    assert.equal(cells.length, report.cells.length);
    const sum = cells.reduce((n, c) => n + number(c.count), 0);
    assert.equal(sum, number(await p.locator('#union-total').textContent()), 'the cells add up to the union shown');
    assert.equal(sum, inSegment.filter((m) => m.some(Boolean)).length);
    cells.forEach((cell, k) => {
      const members = report.cells[k].members;
      assert.equal(cell.segments, members.map((s) => `[${s + 1}] ${NAMES[s]}`).join(' ∩ '));
      assert.equal(number(cell.count), inSegment.filter((m) => m.every((inside, s) => inside === members.includes(s))).length, `cell ${members.join('+')}`);
    });
    assert.ok((await pixelsOf(p, '#upset-chart', THEMES.dark.vars['--vscode-charts-blue'])) > 300, 'the bars are drawn in charts.blue');
    assert.match(
      (await p.locator('#upset-chart').getAttribute('aria-label')) ?? '',
      /^UpSet chart: bars of the \d+ largest exclusive intersections of 5 segments/,
    );

    // Hostile text everywhere it comes from data, shown literally.
    const text = await p.evaluate(() => document.body.innerText);
    for (const value of [HOSTILE, SCRIPT_END, `broken.json (${HOSTILE}): the definition has errors: ${SCRIPT_END}`])
      assert.ok(text.includes(value), `${value} shown as text`);
    await p.screenshot({ path: path.join(OUTPUT, 'overlap-dark.png'), fullPage: true });
    await assertInert(p);
  });

  it('a click on a matrix cell lists the profiles in both segments; a click on a bar those of that cell only', async () => {
    const inSegment = membership(120, NAMES.length);
    const report = reportOf(inSegment, NAMES);
    const rows = inSegment.map((_, i) => row(i));
    const p = await open({ page: 'overlap', overlap: { report, inSegment } }, 'light', rows);
    await p.waitForFunction(() => document.body.dataset.state === 'ok');

    // Row [1], column [3] of the matrix.
    await p.locator('#matrix tbody tr:nth-child(1) td:nth-of-type(3) button').click();
    const both = inSegment.flatMap((m, i) => (m[0] && m[2] ? [rows[i].id] : []));
    await p.waitForFunction((n) => document.querySelectorAll('#rows > .row[data-id]').length === n, Math.min(both.length, 40));
    const request = (await posted(p)).filter((m) => m.type === 'rows').pop();
    assert.deepEqual([request?.inside, request?.outside], [[report.segments[0].uri, report.segments[2].uri], []]);
    assert.equal(await p.locator('#profiles-title').textContent(), `In [1] ${NAMES[0]} ∩ [3] ${NAMES[2]}`);
    assert.equal(await p.locator('#count').textContent(), `${both.length} profiles`);
    assert.deepEqual(await p.$$eval('#rows > .row[data-id]', (r) => r.map((e) => e.getAttribute('data-id'))), both.slice(0, 40));
    assert.equal(await p.locator('#matrix tbody tr:nth-child(1) td:nth-of-type(3) button').getAttribute('aria-pressed'), 'true');

    // The first bar of the UpSet chart: the largest cell, exactly its segments.
    const box = await p.locator('#upset-chart').boundingBox();
    assert.ok(box);
    const largest = report.cells[0];
    // Bars are evenly spaced over the chart area, right of the axis labels: aim at the first column's centre from the chart's data.
    const x = await p.evaluate(() => {
      const canvas = document.getElementById('upset-chart') as HTMLCanvasElement;
      // The x-axis tick "1" is drawn under the first bar: find the first column whose pixels are the bar colour.
      const context = canvas.getContext('2d')!;
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const blue = [0x1a, 0x85, 0xff];
      for (let column = 0; column < canvas.width; column++) {
        for (let y = 0; y < canvas.height; y++) {
          const i = 4 * (y * canvas.width + column);
          if (Math.abs(data[i] - blue[0]) + Math.abs(data[i + 1] - blue[1]) + Math.abs(data[i + 2] - blue[2]) < 8) return column + 4;
        }
      }
      return -1;
    });
    assert.ok(x > 0, 'the first bar is drawn');
    await p.mouse.click(box.x + x, box.y + box.height * 0.3);
    await p.waitForFunction(
      (title) => document.getElementById('profiles-title')?.textContent === title,
      `In ${largest.members.map((s) => `[${s + 1}] ${NAMES[s]}`).join(' ∩ ')} only`,
    );
    const exclusive = (await posted(p)).filter((m) => m.type === 'rows').pop();
    assert.deepEqual(
      exclusive?.inside,
      largest.members.map((s) => report.segments[s].uri),
    );
    assert.deepEqual(
      exclusive?.outside,
      report.segments.filter((_, s) => !largest.members.includes(s)).map((s) => s.uri),
    );
    await p.waitForFunction((n) => document.getElementById('count')?.textContent === `${n} profiles`, largest.count);
    await p.screenshot({ path: path.join(OUTPUT, 'overlap-cell.png'), fullPage: true });
    await assertInert(p);
  });

  it('is readable in high contrast: theme colours, no shading behind numbers, grid in contrastBorder', async () => {
    const inSegment = membership(60, 3);
    const p = await open({ page: 'overlap', overlap: { report: reportOf(inSegment, NAMES.slice(0, 3)), inSegment } }, 'high-contrast');
    await p.waitForFunction(() => document.body.dataset.state === 'ok');
    const looks = await p.evaluate(() => {
      const cell = document.querySelector('#matrix tbody td:not(.diagonal)')!;
      return {
        color: getComputedStyle(cell.querySelector('button')!).color,
        background: getComputedStyle(cell).backgroundColor,
        body: getComputedStyle(document.body).backgroundColor,
      };
    });
    assert.equal(looks.color, 'rgb(255, 255, 255)', "numbers in the theme's foreground");
    assert.equal(looks.background, 'rgba(0, 0, 0, 0)', 'no shade behind the numbers in high contrast');
    assert.ok(contrast(looks.color, looks.body) >= 7);
    assert.ok((await pixelsOf(p, '#upset-chart', THEMES['high-contrast'].vars['--vscode-contrastBorder'])) > 50, 'axis and grid in contrastBorder');
    await p.screenshot({ path: path.join(OUTPUT, 'overlap-high-contrast.png'), fullPage: true });
    await assertInert(p);
  });

  it('lists the largest pairs instead of a matrix above 8 segments', async () => {
    const names = Array.from({ length: 10 }, (_, s) => `Segment ${s + 1}`);
    const inSegment = membership(80, names.length);
    const p = await open({ page: 'overlap', overlap: { report: reportOf(inSegment, names), inSegment } });
    await p.waitForFunction(() => document.body.dataset.state === 'ok');
    assert.equal(await p.locator('#matrix-title').textContent(), 'Largest pairwise overlaps');
    const pairs = await p.$$eval('#matrix tbody tr', (rows) => rows.map((r) => Number((r.querySelector('td')?.textContent ?? '').replace(/,/g, ''))));
    assert.equal(pairs.length, 20);
    const all = names
      .flatMap((_, i) => names.map((__, j) => (j > i ? inSegment.filter((m) => m[i] && m[j]).length : -1)))
      .filter((n) => n >= 0)
      .sort((a, b) => b - a);
    assert.deepEqual(pairs, all.slice(0, 20));
  });

  it('"changes since HEAD" shows both definitions and lists the profiles added, then removed', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(i));
    const result: HeadDiffResult = {
      version: 3,
      state: 'changed',
      commit: '0123456789abcdef0123456789abcdef01234567',
      path: 'segments/gold.json',
      definitionChanged: true,
      before: { description: `Tier is "${HOSTILE}"`, matched: 5 },
      after: { description: `Tier is "gold" OR Tier is "${SCRIPT_END}"`, matched: 7 },
      added: 3,
      removed: 1,
      total: 12,
      workspace: { name: 'Review shop', root: '/ws', now: '2026-11-01T12:00:00.000Z', profiles: 12, events: 0, metrics: 0, lists: 0, warnings: 0 },
    };
    const p = await open({ page: 'headDiff', headDiff: { result, added: [4, 7, 9], removed: [2] } }, 'light', rows);
    await p.waitForFunction(() => document.querySelectorAll('#rows > .row[data-id]').length === 3);
    assert.equal(await p.locator('#headline').textContent(), '+3 / −1 since HEAD');
    assert.equal(await p.locator('#before-description').textContent(), `Tier is "${HOSTILE}"`);
    assert.equal(await p.locator('#after-description').textContent(), `Tier is "gold" OR Tier is "${SCRIPT_END}"`);
    assert.equal(await p.locator('#before-count').textContent(), '5 profiles (41.7%)');
    assert.equal(await p.locator('#count').textContent(), '3 profiles added by the change');
    assert.equal(await p.locator('#rows > .row[data-id="P004"] .cell').nth(1).textContent(), SCRIPT_END);
    await p.locator('#show-removed').click();
    await p.waitForFunction(() => document.getElementById('count')?.textContent === '1 profile removed by the change');
    assert.equal((await posted(p)).filter((m) => m.type === 'rows').pop()?.side, 'removed');
    assert.equal(await p.locator('#show-removed').getAttribute('aria-pressed'), 'true');
    await p.screenshot({ path: path.join(OUTPUT, 'head-diff.png'), fullPage: true });
    await assertInert(p);
  });
});
