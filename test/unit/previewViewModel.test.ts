/**
 * The preview panel's pure view logic (client/src/webview/viewModel.ts): funnel bars, the summary
 * headline in every report state, the virtual table's visible range and page offsets, sorting and
 * number formatting. The rendered panel is tested in a browser by test/webview/previewRender.test.ts.
 */
import assert from 'node:assert/strict';
import {
  formatNumber,
  formatPercent,
  funnel,
  nextSort,
  PAGE_SIZE,
  pagesFor,
  ROW_HEIGHT,
  shortDate,
  summary,
  visibleRange,
  type SortColumn,
} from '../../client/src/webview/viewModel';
import type { CountsReport } from '../../server/src/protocol';

const WORKSPACE = {
  name: 'acme-store',
  root: '/ws/acme',
  now: '2026-11-01T00:00:00Z',
  profiles: 100_000,
  events: 2_400_000,
  metrics: 12,
  lists: 4,
  warnings: 0,
};

function report(overrides: Partial<CountsReport> = {}): CountsReport {
  return {
    version: 3,
    state: 'ok',
    total: 100_000,
    matched: 1_234,
    notEvaluable: [],
    groups: [],
    description: 'Placed Order at least once in the last 30 days',
    workspace: WORKSPACE,
    computedAt: '2026-11-01T09:30:00.000Z',
    elapsedMs: 42,
    ...overrides,
  };
}

function group(matched: number | null, afterAnd: number | null, description: string): CountsReport['groups'][number] {
  return { matched, afterAnd, description, conditions: [{ matched, description }] };
}

describe('preview view model', () => {
  describe('constants', () => {
    it('uses a positive row height and a page size the visible range can span', () => {
      assert.equal(ROW_HEIGHT, 26);
      assert.equal(PAGE_SIZE, 200);
      // A tall (2000 px) viewport plus margins must fit in two pages, so at most two requests per scroll.
      const range = visibleRange(PAGE_SIZE * ROW_HEIGHT - 1, 2000, 1_000_000);
      assert.ok(pagesFor(range.first, range.last).length <= 2);
    });
  });

  describe('funnel', () => {
    it('starts with all profiles at full width, then one step per AND group with the running count', () => {
      const steps = funnel(
        report({
          total: 1_000,
          matched: 1,
          groups: [group(500, 400, 'Placed Order ≥ 1 time in the last 30 days'), group(100, 40, 'Country is Germany'), group(2, 1, 'Is in list VIP')],
        }),
      );
      assert.deepEqual(
        steps.map((s) => s.label),
        ['All profiles', 'AND group 1', 'AND group 2', 'AND group 3'],
      );
      assert.deepEqual(
        steps.map((s) => s.count),
        [1_000, 400, 40, 1],
      );
      assert.deepEqual(
        steps.map((s) => s.width),
        [100, 40, 4, 0.5],
        'widths relative to all profiles; a non-empty step is at least 0.5% wide',
      );
      assert.equal(steps[0].detail, 'everyone in the workspace');
      assert.equal(steps[1].detail, 'Placed Order ≥ 1 time in the last 30 days (500 on its own)');
      assert.equal(steps[3].detail, 'Is in list VIP (2 on its own)');
    });

    it('formats the "on its own" count with thousands separators', () => {
      const steps = funnel(report({ total: 2_000_000, groups: [group(1_234_567, 1_234_567, 'Email is set')] }));
      assert.equal(steps[1].detail, 'Email is set (1,234,567 on its own)');
      assert.ok(Math.abs(steps[1].width - 61.72835) < 1e-9);
    });

    it('draws an empty step at zero width and a non-evaluable step at zero width with no count', () => {
      const steps = funnel(
        report({
          total: 1_000,
          matched: null,
          groups: [group(0, 0, 'Country is Atlantis'), group(null, null, 'Predicted CLV > 100')],
        }),
      );
      assert.equal(steps[1].width, 0);
      assert.equal(steps[1].count, 0);
      assert.equal(steps[1].detail, 'Country is Atlantis (0 on its own)');
      assert.equal(steps[2].width, 0);
      assert.equal(steps[2].count, null);
      assert.equal(steps[2].detail, 'not evaluable locally');
    });

    it('keeps a tiny but non-empty group visible (0.5% minimum), never wider than its real share otherwise', () => {
      const steps = funnel(report({ total: 100_000, groups: [group(3, 3, 'a'), group(99_999, 3, 'b'), group(100_000, 100_000, 'c')] }));
      assert.equal(steps[1].width, 0.5);
      assert.equal(steps[2].width, 0.5);
      assert.equal(steps[3].width, 100);
    });

    it('does not divide by zero in an empty workspace', () => {
      const steps = funnel(report({ total: 0, matched: 0, groups: [group(0, 0, 'anything')] }));
      assert.equal(steps[1].width, 0);
      for (const step of steps) assert.ok(Number.isFinite(step.width));
    });

    it('has just the "All profiles" step for a definition with no groups', () => {
      assert.deepEqual(
        funnel(report({ groups: [] })).map((s) => s.label),
        ['All profiles'],
      );
    });
  });

  describe('summary', () => {
    it('is "Counting…" before any report arrives', () => {
      assert.deepEqual(summary(null), { headline: 'Counting…', subline: '', state: 'loading' });
    });

    it('gives matched of total with the percentage, and where and when it was computed', () => {
      const view = summary(report());
      assert.equal(view.state, 'ok');
      assert.equal(view.headline, '1,234 of 100,000 profiles (1.2%)');
      assert.equal(view.subline, 'acme-store · now 2026-11-01T00:00:00Z (all dates in UTC) · computed 2026-11-01T09:30:00.000Z in 42 ms');
    });

    it('shows "<0.1%" for a very small audience and 0.0% for none', () => {
      assert.equal(summary(report({ matched: 7 })).headline, '7 of 100,000 profiles (<0.1%)');
      assert.equal(summary(report({ matched: 0 })).headline, '0 of 100,000 profiles (0.0%)');
    });

    it('has an empty subline when the report carries no workspace', () => {
      assert.equal(summary(report({ workspace: undefined })).subline, '');
    });

    it('says "Not evaluable locally" with the reasons when nothing could be counted', () => {
      const view = summary(report({ matched: null, notEvaluable: ['predictive analytics', 'Shopify metrics'] }));
      assert.deepEqual(view, { headline: 'Not evaluable locally', subline: 'predictive analytics · Shopify metrics', state: 'ok' });
    });

    it('has a fixed headline for a definition with errors and the server message below', () => {
      const view = summary(report({ state: 'errors', matched: null, total: 0, message: 'The definition has errors: fix them to see counts.' }));
      assert.equal(view.state, 'errors');
      assert.equal(view.headline, 'The definition has errors');
      assert.equal(view.subline, 'The definition has errors: fix them to see counts.');
      assert.deepEqual(summary(report({ state: 'errors', message: undefined })), { headline: 'The definition has errors', subline: '', state: 'errors' });
    });

    const messages: Record<Exclude<CountsReport['state'], 'ok' | 'errors'>, string> = {
      'no-workspace': 'No klaviyo-workspace.json above this file (or set segmentLens.workspace): IDs cannot be checked and counts are unavailable.',
      loading: 'Loading the workspace (events 40%)…',
      'not-a-definition': 'This file holds no segment definition.',
      failed: 'The workspace could not be loaded: events.jsonl line 3: unexpected token',
    };
    for (const [state, message] of Object.entries(messages) as [keyof typeof messages, string][]) {
      it(`shows the server's message as the headline in state "${state}"`, () => {
        const view = summary(report({ state, message, matched: null, total: 0 }));
        assert.equal(view.state, state);
        assert.equal(view.headline, message);
      });
      it(`says "No counts" in state "${state}" when the server gives no message`, () => {
        assert.equal(summary(report({ state, message: undefined, matched: null })).headline, 'No counts');
      });
      it(`does not repeat the headline as the subline in state "${state}"`, () => {
        const view = summary(report({ state, message, matched: null, total: 0 }));
        assert.notEqual(view.subline, view.headline, 'the panel shows the same sentence twice, in <h1> and again right below it');
      });
    }
  });

  describe('visibleRange over 100,000 rows', () => {
    const total = 100_000;
    const height = 600;

    it('at the top: the first screen plus a margin below', () => {
      assert.deepEqual(visibleRange(0, height, total), { first: 0, last: 34 });
    });

    it('in the middle: the rows under the viewport plus 10 rows of margin each side', () => {
      const scrollTop = 50_000 * ROW_HEIGHT;
      assert.deepEqual(visibleRange(scrollTop, height, total), { first: 49_990, last: 50_034 });
    });

    it('at the end: clamped to the total, the last row included', () => {
      const scrollTop = total * ROW_HEIGHT - height;
      assert.deepEqual(visibleRange(scrollTop, height, total), { first: 99_966, last: 100_000 });
    });

    it('between rows: a partly visible row at the top and at the bottom is included', () => {
      const range = visibleRange(ROW_HEIGHT * 1_000 + 13, height, total, 0);
      assert.deepEqual(range, { first: 1_000, last: 1_024 });
      // rows 1000 (half hidden) to 1023 (half shown) cover [26013, 26613)
      assert.ok(range.first * ROW_HEIGHT <= ROW_HEIGHT * 1_000 + 13);
      assert.ok(range.last * ROW_HEIGHT >= ROW_HEIGHT * 1_000 + 13 + height);
    });

    it('honours a custom margin and never starts below zero', () => {
      assert.deepEqual(visibleRange(5 * ROW_HEIGHT, height, total, 50), { first: 0, last: 79 });
    });

    it('is empty for an empty table', () => {
      assert.deepEqual(visibleRange(0, height, 0), { first: 0, last: 0 });
    });

    it('is empty, never inverted, when a stale scroll position lies past a shrunk table', () => {
      const range = visibleRange(50_000 * ROW_HEIGHT, height, 10);
      assert.ok(range.last >= range.first);
      assert.equal(range.last - range.first, 0);
    });

    it('holds a bounded number of rows wherever the viewport is', () => {
      for (let scrollTop = 0; scrollTop <= total * ROW_HEIGHT; scrollTop += 123_457) {
        const range = visibleRange(scrollTop, height, total);
        assert.ok(range.last - range.first <= Math.ceil(height / ROW_HEIGHT) + 21, `at ${scrollTop}: ${JSON.stringify(range)}`);
      }
    });
  });

  describe('pagesFor', () => {
    it('asks for the one page holding the first screen', () => {
      assert.deepEqual(pagesFor(0, 34), [0]);
    });

    it('asks for both pages when the range straddles a page boundary', () => {
      assert.deepEqual(pagesFor(49_990, 50_034), [49_800, 50_000]);
      assert.deepEqual(pagesFor(190, 210), [0, 200]);
    });

    it('asks for the last (partial) page at the end of 100,000 rows', () => {
      assert.deepEqual(pagesFor(99_966, 100_000), [99_800]);
    });

    it('returns page-aligned offsets only, covering the whole range', () => {
      for (const [first, last] of [
        [0, 1],
        [199, 201],
        [12_345, 12_999],
        [99_999, 100_000],
      ]) {
        const offsets = pagesFor(first, last);
        for (const offset of offsets) assert.equal(offset % PAGE_SIZE, 0);
        assert.ok(offsets[0] <= first && offsets[offsets.length - 1] + PAGE_SIZE >= last, `${first}-${last}: ${offsets.join(',')}`);
      }
    });

    it('asks for nothing for an empty range', () => {
      assert.deepEqual(pagesFor(0, 0), []);
      assert.deepEqual(pagesFor(200, 200), []);
    });
  });

  describe('nextSort', () => {
    const cases: [{ column: SortColumn; descending: boolean }, SortColumn, { column: SortColumn; descending: boolean }][] = [
      [{ column: 'email', descending: false }, 'email', { column: 'email', descending: true }],
      [{ column: 'email', descending: true }, 'email', { column: 'email', descending: false }],
      [{ column: 'email', descending: false }, 'name', { column: 'name', descending: false }],
      [{ column: 'name', descending: true }, 'location', { column: 'location', descending: false }],
      [{ column: 'email', descending: false }, 'lastEvent', { column: 'lastEvent', descending: true }],
      [{ column: 'lastEvent', descending: true }, 'lastEvent', { column: 'lastEvent', descending: false }],
      [{ column: 'lastEvent', descending: false }, 'id', { column: 'id', descending: false }],
    ];
    for (const [current, clicked, expected] of cases) {
      it(`${current.column} ${current.descending ? 'desc' : 'asc'}, click ${clicked} → ${expected.column} ${expected.descending ? 'desc' : 'asc'}`, () => {
        assert.deepEqual(nextSort(current, clicked), expected);
      });
    }

    it('comes back to the start after two clicks on the same column', () => {
      const start = { column: 'name' as const, descending: false };
      assert.deepEqual(nextSort(nextSort(start, 'name'), 'name'), start);
    });
  });

  describe('formatPercent', () => {
    const cases: [number, number, string][] = [
      [0, 0, '0%'],
      [0, 100, '0.0%'],
      [1, 1_000, '0.1%'],
      [1, 1_001, '<0.1%'],
      [1, 100_000, '<0.1%'],
      [99, 100_000, '<0.1%'],
      [100, 100_000, '0.1%'],
      [1, 3, '33.3%'],
      [2, 3, '66.7%'],
      [1_234, 100_000, '1.2%'],
      [50_000, 100_000, '50.0%'],
      [999, 1_000, '99.9%'],
      [100, 100, '100.0%'],
    ];
    for (const [part, whole, expected] of cases) {
      it(`${part} of ${whole} → ${expected}`, () => assert.equal(formatPercent(part, whole), expected));
    }

    it('an audience short of everyone is not shown as 100.0% (mirror of "<0.1%")', () => {
      // 99,999 of 100,000 rounds to "100.0%": the headline claims everyone matches.
      assert.notEqual(formatPercent(99_999, 100_000), '100.0%');
    });
  });

  describe('formatNumber and shortDate', () => {
    it('groups thousands in en-US style whatever the host locale', () => {
      assert.equal(formatNumber(0), '0');
      assert.equal(formatNumber(100_000), '100,000');
      assert.equal(formatNumber(1_234_567), '1,234,567');
    });

    it('shortens an ISO instant to minutes, in UTC as given', () => {
      assert.equal(shortDate('2026-10-30T14:22:05.123Z'), '2026-10-30 14:22');
      assert.equal(shortDate('2026-01-02T03:04:00Z'), '2026-01-02 03:04');
      assert.equal(shortDate(null), '');
      assert.equal(shortDate(''), '');
    });
  });
});
