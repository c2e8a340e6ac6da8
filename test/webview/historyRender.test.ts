/**
 * The preview's "Size over time" rendered for real in headless Chromium (the HTML shell with its
 * CSP, the bundled script with Chart.js, a stub extension: see renderHarness.ts): the chart and
 * its table with the same numbers as text, progress, stale series, a click on a day (the table as
 * of that day, and back to now), and the theme's colours, thicker in high contrast, redrawn when
 * the theme changes. Screenshots go to test-output/webview/history-*.png.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Browser } from 'playwright-core';
import type { CountsReport, HistoryPointInfo, HistoryResult } from '../../server/src/protocol';
import {
  assertClean,
  canvasPixels,
  contrast,
  launchBrowser,
  OUTPUT,
  Panel,
  startPanelServer,
  THEMES,
  waitForCanvasPixels,
  waitForPosted,
  type HostConfig,
  type PanelServer,
  type ThemeName,
} from './renderHarness';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-11-01T09:30:00Z');
const TOTAL = 48_213;

/** 90 days ending now: a count that grows with a weekly wobble, and a total that grows too. */
function series(days = 90, shift = 0): HistoryResult {
  const points: HistoryPointInfo[] = [];
  const today = Math.floor(NOW / DAY_MS) * DAY_MS;
  for (let i = 0; i < days; i++) {
    const back = days - 1 - i;
    const end = back === 0 ? NOW : today - (back - 1) * DAY_MS - 1;
    points.push({
      day: new Date(end).toISOString().slice(0, 10),
      asOf: new Date(end).toISOString(),
      matched: 900 + 4 * i + ((i * 37) % 23) + shift,
      total: TOTAL - 3 * back,
    });
  }
  return { version: 7, state: 'ok', points, notEvaluable: [], elapsedMs: 812 };
}

const REPORT: CountsReport = {
  version: 7,
  state: 'ok',
  total: TOTAL,
  matched: 1_287,
  notEvaluable: [],
  groups: [
    {
      matched: 1_287,
      afterAnd: 1_287,
      description: 'Placed Order at least once in the last 30 days',
      conditions: [{ matched: 1_287, description: 'Placed Order at least once in the last 30 days' }],
    },
  ],
  description: 'Placed Order in the last 30 days',
  workspace: {
    name: 'acme-store',
    root: '/home/dev/acme-store',
    now: '2026-11-01T09:30:00Z',
    profiles: TOTAL,
    events: 1_204_877,
    metrics: 14,
    lists: 6,
    warnings: 0,
  },
  computedAt: '2026-11-01T09:30:12.345Z',
  elapsedMs: 38,
};

function host(overrides: Partial<HostConfig> = {}): HostConfig {
  return {
    fileName: 'segments/buyers.segment.json',
    report: REPORT,
    data: { kind: 'generated', count: 1_287, propertyColumns: [] },
    history: series(),
    ...overrides,
  };
}

const format = (n: number) => n.toLocaleString('en-US');

async function waitForChart(panel: Panel): Promise<void> {
  await panel.page.waitForFunction(() => document.getElementById('history')?.dataset.state === 'ok');
}

const pixelsOf = (panel: Panel, hex: string) => canvasPixels(panel.page, '#history-chart', hex);
const waitForPixels = (panel: Panel, hex: string, atLeast = 50) => waitForCanvasPixels(panel.page, '#history-chart', hex, atLeast);

/** The page ran cleanly, and nothing set an event-handler attribute. */
async function assertCleanRun(panel: Panel): Promise<void> {
  await assertClean(panel);
  assert.deepEqual((await panel.security()).dangerousAttributes, []);
}

/** The day rows of the "Numbers per day" table, as text. */
async function tableRows(panel: Panel): Promise<string[][]> {
  return panel.page.$$eval('#history-table tbody tr', (rows) => rows.map((row) => Array.from(row.children).map((cell) => cell.textContent ?? '')));
}

describe('preview panel: size over time (Chart.js, rendered in Chromium)', function () {
  this.timeout(120_000);
  let server: PanelServer;
  let browser: Browser;
  let panel: Panel | undefined;

  before(async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    server = await startPanelServer();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await panel?.close();
    panel = undefined;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the chart, and its table holds the same numbers as text (the accessible truth)', async () => {
    const history = series();
    panel = await Panel.open(browser, server, { theme: 'dark', host: host({ history }) });
    await waitForChart(panel);
    const page = panel.page;
    const drawn = await waitForPixels(panel, THEMES.dark.vars['--vscode-charts-blue']);
    assert.ok(drawn > 200, `the line is drawn in charts.blue (${drawn} pixels)`);

    const rows = await tableRows(panel);
    assert.equal(rows.length, 90);
    rows.forEach((cells, i) => {
      const point = history.points[i];
      assert.deepEqual(cells.slice(0, 3), [i === 89 ? `${point.day} (now)` : point.day, format(point.matched!), format(point.total)], `row ${i}`);
    });
    assert.equal(await page.locator('#history-table caption').textContent(), 'Profiles the segment matched at the end of each day (UTC); the last row is now');
    assert.equal(await page.locator('#history-table thead th').first().getAttribute('scope'), 'col');
    // The canvas is an image with a label pointing to the table; the table is in a details element.
    const canvas = page.locator('#history-chart');
    assert.equal(await canvas.getAttribute('role'), 'img');
    assert.match(
      (await canvas.getAttribute('aria-label')) ?? '',
      /^Line chart of the profiles the segment matched at the end of each day from 2026-08-04 to 2026-11-01; .*"Numbers per day"/,
    );
    assert.equal(await page.locator('#history-details summary').textContent(), 'Numbers per day (table)');
    const counts = history.points.map((p) => p.matched!);
    assert.equal(
      await page.locator('#history-status').textContent(),
      `90 days, 2026-08-04 to 2026-11-01 (UTC): ${format(Math.min(...counts))} to ${format(Math.max(...counts))} profiles · computed in 812 ms`,
    );
    await page.locator('#history-details summary').click();
    await panel.screenshot('history-dark.png');
    await assertCleanRun(panel);
  });

  it('shows progress while the series is computed', async () => {
    panel = await Panel.open(browser, server, { host: host({ history: undefined }) });
    await panel.waitForRow(0);
    await panel.send({ type: 'history-progress', version: 7, done: 34, total: 90 });
    await panel.page.waitForFunction(() => document.getElementById('history-status')?.textContent === 'Computing… 34 of 90 days');
    assert.deepEqual(
      await panel.page.evaluate(() => {
        const progress = document.getElementById('history-progress') as HTMLProgressElement;
        return { hidden: progress.hidden, value: progress.value, max: progress.max, state: document.getElementById('history')?.dataset.state };
      }),
      { hidden: false, value: 34, max: 90, state: 'computing' },
    );
    await panel.send({ type: 'history', result: series() });
    await waitForChart(panel);
    assert.equal(await panel.page.evaluate(() => (document.getElementById('history-progress') as HTMLProgressElement).hidden), true);
  });

  it('ignores a series (and progress) for an older version of the segment', async () => {
    panel = await Panel.open(browser, server, { host: host() });
    await waitForChart(panel);
    const first = (await tableRows(panel))[0];
    // The segment was edited: counts of version 8 arrive, then a late series (and progress) of version 7.
    await panel.host('setHistory', undefined);
    await panel.send({ type: 'counts', report: { ...REPORT, version: 8 }, fileName: 'segments/buyers.segment.json' });
    await panel.send({ type: 'history-progress', version: 7, done: 80, total: 90 });
    await panel.send({ type: 'history', result: { ...series(90, 500), version: 7 } });
    // Messages are handled in order: once this notice shows, the stale ones have been handled.
    await panel.send({ type: 'notice', text: 'stale messages handled' });
    await panel.page.waitForFunction(() => document.getElementById('notice')?.textContent === 'stale messages handled');
    assert.deepEqual((await tableRows(panel))[0], first, 'the table still shows the series it had');
    assert.doesNotMatch((await panel.page.locator('#history-status').textContent()) ?? '', /80 of 90/, 'the stale progress was not shown');
    // Version 8's own series replaces it.
    await panel.send({ type: 'history', result: { ...series(90, 1000), version: 8 } });
    await panel.page.waitForFunction(
      (text) => document.querySelector('#history-table tbody tr td')?.textContent === text,
      format(series(90, 1000).points[0].matched!),
    );
  });

  it('a click on a day shows the table and "why it matched" as of that day, and "Back to now" returns', async () => {
    const history = series();
    panel = await Panel.open(browser, server, { theme: 'light', host: host({ history }) });
    await waitForChart(panel);
    await panel.waitForRow(0);
    const page = panel.page;
    await page.locator('#history-details summary').click();
    const day = history.points[30];

    let since = await panel.postedCount();
    await page.locator(`#history-table tr[data-day="${day.day}"] button`).click();
    const request = await waitForPosted(panel, since, 'rows');
    assert.equal(request.asOf, day.asOf, 'rows are asked as of the end of the day');
    await page.waitForFunction((text) => document.getElementById('count')?.textContent === text, `${format(day.matched!)} profiles as of ${day.day}`);
    assert.equal(await page.locator('#as-of').isVisible(), true);
    assert.equal(
      await page.locator('#as-of-text').textContent(),
      `As of the end of ${day.day} (UTC): ${format(day.matched!)} of ${format(day.total)} profiles (${((100 * day.matched!) / day.total).toFixed(1)}%).`,
    );
    assert.equal(await page.locator(`#history-table tr[data-day="${day.day}"]`).getAttribute('class'), 'selected');
    assert.equal(await page.locator('#export-csv').isDisabled(), true, 'exports are of the segment now');

    // "Why it matched" as of the day.
    since = await panel.postedCount();
    await page.locator('#rows > .row[data-index="1"]').click();
    assert.equal((await waitForPosted(panel, since, 'explain')).asOf, day.asOf);
    await page.waitForFunction((text) => document.querySelector('#why .as-of-note')?.textContent === text, `As of the end of ${day.day} (UTC)`);
    await page.mouse.move(5, 5);
    await panel.screenshot('history-as-of-day.png');

    since = await panel.postedCount();
    await page.locator('#back-to-now').click();
    const now = await waitForPosted(panel, since, 'rows');
    assert.equal('asOf' in now, false, 'back to now: no asOf');
    assert.equal((await waitForPosted(panel, since, 'explain')).asOf, undefined, 'the selected profile is explained again, now');
    await page.waitForFunction(() => document.getElementById('count')?.textContent === '1,287 profiles');
    assert.equal(await page.locator('#as-of').isVisible(), false);
    await assertCleanRun(panel);
  });

  it('a click on the chart picks the day under the pointer (earlier to the left)', async () => {
    const history = series();
    panel = await Panel.open(browser, server, { host: host({ history }) });
    await waitForChart(panel);
    await waitForPixels(panel, THEMES.dark.vars['--vscode-charts-blue']);
    const box = await panel.page.locator('#history-chart').boundingBox();
    assert.ok(box);
    const pick = async (fraction: number) => {
      const since = await panel!.postedCount();
      await panel!.page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
      return (await waitForPosted(panel!, since, 'rows')).asOf;
    };
    const left = await pick(0.3);
    const right = await pick(0.7);
    const index = (asOf: string | undefined) => history.points.findIndex((p) => p.asOf === asOf);
    assert.ok(index(left) >= 0 && index(right) >= 0, `picked days of the series: ${left}, ${right}`);
    assert.ok(index(left) < index(right), `${left} is before ${right}`);
    assert.equal(await panel.page.locator('#as-of').isVisible(), true);
  });

  for (const themeName of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`takes its colours from the ${themeName} theme (test-output/webview/history-${themeName}.png)`, async () => {
      const theme = THEMES[themeName];
      panel = await Panel.open(browser, server, { theme: themeName, host: host() });
      await waitForChart(panel);
      const series = await waitForPixels(panel, theme.vars['--vscode-charts-blue']);
      assert.ok(series > 200, `the line is charts.blue of the theme (${series} pixels)`);
      if (themeName === 'high-contrast') {
        assert.ok((await pixelsOf(panel, theme.vars['--vscode-contrastBorder'])) > 100, 'grid lines and axis in contrastBorder');
        assert.equal(
          await panel.page.evaluate(() => getComputedStyle(document.querySelector('.chart-box')!).borderTopColor),
          'rgb(111, 195, 223)',
          'the chart is framed by contrastBorder',
        );
      }
      // The table's text is the theme's foreground, readable on its background.
      await panel.page.locator('#history-details summary').click();
      const colours = await panel.page.evaluate(() => {
        const cell = getComputedStyle(document.querySelector('#history-table td')!);
        return { color: cell.color, background: getComputedStyle(document.body).backgroundColor };
      });
      const ratio = contrast(colours.color, colours.background);
      assert.ok(ratio >= 4.5, `table text contrast ${ratio}`);
      await panel.screenshot(`history-${themeName}.png`);
      await assertCleanRun(panel);
    });
  }

  it('draws thicker lines in high contrast, and redraws when the theme changes', async () => {
    panel = await Panel.open(browser, server, { theme: 'dark', host: host() });
    await waitForChart(panel);
    const dark = await waitForPixels(panel, THEMES.dark.vars['--vscode-charts-blue']);
    const border = THEMES['high-contrast'].vars['--vscode-contrastBorder'];
    assert.equal(await pixelsOf(panel, border), 0, 'no contrast border colour in the dark theme');
    // VS Code switches theme: new variables on <html>, a new class on <body>.
    await panel.page.evaluate((vars) => {
      for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
      document.body.classList.replace('vscode-dark', 'vscode-high-contrast');
    }, THEMES['high-contrast'].vars);
    await waitForPixels(panel, border, 100);
    const highContrast = await pixelsOf(panel, THEMES['high-contrast'].vars['--vscode-charts-blue']);
    assert.ok(highContrast >= 1.5 * dark, `the line is thicker in high contrast: ${highContrast} pixels against ${dark}`);
    await assertCleanRun(panel);
  });
});
