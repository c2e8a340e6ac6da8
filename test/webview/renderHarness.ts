/**
 * Browser harness for the preview panel ("Evaluate Segment"): renders the REAL panel — the HTML
 * shell from `previewHtml()` with its Content-Security-Policy untouched, the bundled
 * `dist/media/preview.js` and `dist/media/preview.css` — in headless Debian Chromium driven by
 * playwright-core, served from a local HTTP server on 127.0.0.1.
 *
 * What VS Code would provide is played by an init script that runs before the page's own script
 * (init scripts are not subject to the page's CSP, like VS Code's own webview host code):
 *
 * - `acquireVsCodeApi()`: a stub extension. It records every message the panel posts
 *   (`window.__host.posted`) and answers like `PreviewPanel` + the language server would:
 *   `ready`/`refresh` → `counts`, `rows` → a page of a synthetic data set (sorted and filtered
 *   like the server), `explain` → evidence, `export`/`copy` → a notice. Replies are delivered
 *   asynchronously after `latencyMs`, and can be held and released in any order to provoke races.
 * - The theme: VS Code's `--vscode-*` colour variables on `<html>` (values taken from VS Code's
 *   Light Modern, Dark Modern and Dark High Contrast themes and its colour registry defaults;
 *   colours a theme leaves unset are left unset, as VS Code does) and the `vscode-light` /
 *   `vscode-dark` / `vscode-high-contrast` body class.
 * - VS Code's default webview stylesheet (scrollbars, base font), which VS Code puts first in
 *   <head>, before the CSP <meta>: the server does the same (`asVsCodeLoadsIt`); previewHtml's
 *   output is otherwise served byte for byte, CSP included.
 * - Security probes: `securitypolicyviolation` events, every element ever added to the DOM (to
 *   prove no element was created from data), dialogs, page errors and CSP console errors.
 *
 * Build the bundle first: `node scripts/build.mjs`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { previewHtml } from '../../client/src/previewHtml';
import type { FromWebview, ToWebview } from '../../client/src/webview/messages';
import { ROW_HEIGHT } from '../../client/src/webview/viewModel';
import type { CountsReport, ExplainResult, HistoryResult, ProfileRow } from '../../server/src/protocol';

/** The repository root (this file runs from out/test/webview). */
export const REPO = path.resolve(__dirname, '..', '..', '..');
export const MEDIA = path.join(REPO, 'dist', 'media');
export const OUTPUT = path.join(REPO, 'test-output', 'webview');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// ---------------------------------------------------------------------------------------------
// Themes

export type ThemeName = 'light' | 'dark' | 'high-contrast';

export interface Theme {
  name: ThemeName;
  /** VS Code's body class and `data-vscode-theme-kind`. */
  bodyClass: 'vscode-light' | 'vscode-dark' | 'vscode-high-contrast';
  themeId: string;
  /** CSS custom properties set on `<html>`, as VS Code does. */
  vars: Record<string, string>;
}

const FONT = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-weight': 'normal',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '14px',
};

/**
 * The colours the panel's stylesheet uses (and a few neighbours), per theme. VS Code emits a
 * variable only for colours that resolve to a value: e.g. `contrastBorder` exists only in high
 * contrast, and `list.activeSelectionBackground` is unset (null) in Dark High Contrast.
 */
export const THEMES: Record<ThemeName, Theme> = {
  light: {
    name: 'light',
    bodyClass: 'vscode-light',
    themeId: 'Default Light Modern',
    vars: {
      ...FONT,
      '--vscode-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#3b3b3b',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-progressBar-background': '#005fb8',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-input-placeholderForeground': '#767676',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-border': '#0000001a',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-list-focusOutline': '#005fb8',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-scrollbarSlider-background': '#64646466',
      '--vscode-textLink-foreground': '#005fb8',
      // charts.*: VS Code's colour registry defaults (foreground, foreground at 50%, editorInfo, minimap find match).
      '--vscode-charts-foreground': '#3b3b3b',
      '--vscode-charts-lines': '#3b3b3b80',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
    },
  },
  dark: {
    name: 'dark',
    bodyClass: 'vscode-dark',
    themeId: 'Default Dark Modern',
    vars: {
      ...FONT,
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-progressBar-background': '#0078d4',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-input-placeholderForeground': '#989898',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-border': '#ffffff1a',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-list-focusOutline': '#0078d4',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-scrollbarSlider-background': '#79797966',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-charts-foreground': '#cccccc',
      '--vscode-charts-lines': '#cccccc80',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
    },
  },
  'high-contrast': {
    name: 'high-contrast',
    bodyClass: 'vscode-high-contrast',
    themeId: 'Default High Contrast',
    vars: {
      ...FONT,
      '--vscode-foreground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffffb3',
      '--vscode-errorForeground': '#f48771',
      '--vscode-editorWarning-foreground': '#ffd370',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-progressBar-background': '#6fc3df',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-input-placeholderForeground': '#ffffffb3',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#000000',
      '--vscode-button-border': '#6fc3df',
      '--vscode-focusBorder': '#f38518',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-list-hoverBackground': '#ffffff1a',
      // list.activeSelectionBackground / list.activeSelectionForeground: null in Dark High Contrast.
      '--vscode-list-focusOutline': '#f38518',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-scrollbarSlider-background': '#6fc3df99',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-charts-foreground': '#ffffff',
      '--vscode-charts-lines': '#ffffff80',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#ab5a00',
      '--vscode-charts-green': '#89d185',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Data the stub extension serves

/** An explicit list of matched profiles, or `count` generated ones (row i has email userNNNNNNN@example.com, 7 digits). */
export type DataSpec = { kind: 'rows'; rows: ProfileRow[]; propertyColumns: string[] } | { kind: 'generated'; count: number; propertyColumns: string[] };

export interface HostConfig {
  fileName: string;
  report: CountsReport | null;
  data: DataSpec;
  /** Explanations by profile ID; others are generated from the row. */
  explain?: Record<string, ExplainResult>;
  /** Delay of every reply, like the round trip to the extension host and the language server. */
  latencyMs?: number;
  /** Record every element added to the DOM (default true; off for timing runs, it costs time per frame). */
  domProbe?: boolean;
  /**
   * The size over time the extension sends after each counts message (for the counts' version),
   * after a progress message. As of one of its days, the table lists the first `matched`
   * profiles of the data set.
   */
  history?: HistoryResult;
}

/** Generated row i, in Node (the page has its own copy of this in `installHost`). */
export function generatedEmail(i: number): string {
  return `user${String(i).padStart(7, '0')}@example.com`;
}

export interface PostedRecord {
  at: number;
  message: FromWebview;
}

export interface SecurityRecord {
  csp: { directive: string; blockedURI: string; sourceFile: string; sample: string }[];
  addedTags: string[];
  dangerousAttributes: string[];
  xss: unknown;
}

/**
 * Runs in the page before any of its scripts (serialized by Playwright: self-contained, no
 * imports, no closures over this module).
 */
function installHost(setup: { config: HostConfig; theme: Theme; rowHeight: number }): void {
  type Row = ProfileRow;
  const w = window as unknown as Record<string, unknown>;
  const config = setup.config;

  // --- security probes --------------------------------------------------------------------
  const security: SecurityRecord = { csp: [], addedTags: [], dangerousAttributes: [], xss: undefined };
  w.__security = security;
  window.addEventListener(
    'securitypolicyviolation',
    (event) => {
      security.csp.push({ directive: event.violatedDirective, blockedURI: event.blockedURI, sourceFile: event.sourceFile, sample: event.sample });
    },
    true,
  );
  const seen = new WeakSet<Element>();
  const inspect = (element: Element) => {
    // An element added with its subtree is reported once, however its ancestors were reported.
    if (seen.has(element)) return;
    seen.add(element);
    security.addedTags.push(element.tagName.toLowerCase());
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.trim().toLowerCase();
      if (
        name.startsWith('on') ||
        name === 'srcdoc' ||
        ((name === 'href' || name === 'src' || name === 'action' || name === 'formaction') && value.startsWith('javascript:'))
      ) {
        security.dangerousAttributes.push(`<${element.tagName.toLowerCase()} ${name}="${attribute.value}">`);
      }
    }
  };
  if (config.domProbe !== false)
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === 'attributes' && mutation.target instanceof Element) {
          const name = (mutation.attributeName ?? '').toLowerCase();
          if (name.startsWith('on') || name === 'srcdoc') security.dangerousAttributes.push(`set ${name} on <${mutation.target.tagName.toLowerCase()}>`);
        }
        for (const node of Array.from(mutation.addedNodes)) {
          if (!(node instanceof Element)) continue;
          inspect(node);
          for (const inner of Array.from(node.querySelectorAll('*'))) inspect(inner);
        }
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });

  // --- theme, as VS Code applies it ----------------------------------------------------------
  const applyTheme = () => {
    const html = document.documentElement;
    if (html && !html.dataset.themed) {
      html.dataset.themed = '1';
      for (const [name, value] of Object.entries(setup.theme.vars)) html.style.setProperty(name, value);
    }
    const body = document.body;
    if (body && !body.classList.contains(setup.theme.bodyClass)) {
      body.classList.add(setup.theme.bodyClass);
      body.setAttribute('data-vscode-theme-kind', setup.theme.bodyClass);
      body.setAttribute('data-vscode-theme-id', setup.theme.themeId);
      return true;
    }
    return Boolean(body);
  };
  if (!applyTheme()) {
    const observer = new MutationObserver(() => {
      if (applyTheme()) observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  }

  // --- the synthetic data set -----------------------------------------------------------------
  const FIRST = [
    'Ava',
    'Ben',
    'Chloé',
    'Dmitri',
    'Emma',
    'Farid',
    'Greta',
    'Hiro',
    'Isabel',
    'Jonas',
    'Kemal',
    'Lena',
    'Mateo',
    'Nora',
    'Oskar',
    'Priya',
    'Quinn',
    'Rosa',
    'Sven',
    'Tomás',
  ];
  const LAST = [
    'Müller',
    'Schmidt',
    'Novak',
    'García',
    'Rossi',
    'Dubois',
    'Jansen',
    'Kowalski',
    'Svensson',
    'Andersen',
    'Fischer',
    'Weber',
    "O'Brien",
    'Nakamura',
  ];
  const CITIES = [
    'Berlin, Germany',
    'Vienna, Austria',
    'Zürich, Switzerland',
    'Hamburg, Germany',
    'Munich, Germany',
    'Graz, Austria',
    'Basel, Switzerland',
    'Cologne, Germany',
  ];
  const PLANS = ['free', 'pro', 'business', 'enterprise'];
  const base = Date.UTC(2026, 9, 31, 23, 59);
  const generate = (i: number): Row => {
    const pad = String(i).padStart(7, '0');
    return {
      id: `01J9${pad}${'XKQ4ZP8M3W7RTVBN'.slice(0, 15)}`,
      email: i % 97 === 13 ? null : `user${pad}@example.com`,
      name: i % 53 === 7 ? null : `${FIRST[i % FIRST.length]} ${LAST[(i * 5 + 3) % LAST.length]}`,
      location: i % 41 === 5 ? null : CITIES[(i * 3) % CITIES.length],
      phone: i % 3 === 0 ? `+49 30 ${String(1000000 + ((i * 7919) % 8999999))}` : null,
      properties: { plan: PLANS[i % PLANS.length], orders: String((i * 13) % 41), ltv: `${((i * 37) % 2400) + 0.5}` },
      lastEvent: i % 29 === 3 ? null : new Date(base - ((i * 7919) % (90 * 86400)) * 1000).toISOString(),
    };
  };
  // A row's position in the default order (email ascending) is its index, so generated rows
  // keep a known email at a known index; rows without an email get a sortable stand-in.
  let data: DataSpec = config.data;
  let materialized: Row[] | undefined;
  const all = (): Row[] => {
    if (data.kind === 'rows') return data.rows;
    if (!materialized) {
      materialized = [];
      for (let i = 0; i < data.count; i++) materialized.push(generate(i));
    }
    return materialized;
  };
  const sortKey = (row: Row, column: string, index: number): string => {
    switch (column) {
      case 'email':
        return row.email ?? `user${String(index).padStart(7, '0')}@example.com`;
      case 'name':
        return row.name ?? '\uffff';
      case 'location':
        return row.location ?? '\uffff';
      case 'lastEvent':
        return row.lastEvent ?? '';
      default:
        return row.id;
    }
  };
  const cache = new Map<string, Row[]>();
  const view = (
    sort: { column: string; descending?: boolean } | undefined,
    filter: string | undefined,
  ): { total: number; slice(offset: number, limit: number): Row[] } => {
    const column = sort?.column ?? 'email';
    const descending = Boolean(sort?.descending);
    const needle = (filter ?? '').trim().toLowerCase();
    if (data.kind === 'generated' && column === 'email' && !needle) {
      // Large generated sets in the default order are virtual: no need to build 10⁶ objects.
      const count = data.count;
      return {
        total: count,
        slice: (offset, limit) => {
          const rows: Row[] = [];
          for (let k = offset; k < Math.min(count, offset + limit); k++) rows.push(generate(descending ? count - 1 - k : k));
          return rows;
        },
      };
    }
    const key = `${column}|${descending}|${needle}`;
    let rows = cache.get(key);
    if (!rows) {
      const source = all();
      const indexed = source
        .map((row, index) => ({ row, index }))
        .filter(({ row }) => !needle || [row.email, row.name, row.location, row.id].some((v) => v !== null && v.toLowerCase().includes(needle)));
      indexed.sort((a, b) => {
        const x = sortKey(a.row, column, a.index);
        const y = sortKey(b.row, column, b.index);
        const c = x < y ? -1 : x > y ? 1 : a.index - b.index;
        return descending ? -c : c;
      });
      rows = indexed.map(({ row }) => row);
      cache.set(key, rows);
    }
    const result = rows;
    return { total: result.length, slice: (offset, limit) => result.slice(offset, offset + limit) };
  };
  const findRow = (id: string): Row | undefined => {
    if (data.kind === 'generated') {
      const match = /^01J9(\d{7})/.exec(id);
      return match && Number(match[1]) < data.count ? generate(Number(match[1])) : undefined;
    }
    return data.rows.find((r) => r.id === id);
  };
  const explainOf = (id: string): ExplainResult | null => {
    const given = config.explain?.[id];
    if (given) return given;
    const profile = findRow(id);
    if (!profile) return null;
    return {
      profile,
      matched: true,
      conditions: [
        {
          group: 0,
          condition: 0,
          description: 'Placed Order at least once in the last 30 days',
          matched: true,
          evidence: '3 Placed Order events between 2026-10-02 and 2026-11-01 (needed at least 1)',
          events: ['2026-10-04T09:12:44Z', '2026-10-17T18:03:10Z', '2026-10-29T07:45:00Z'],
        },
        {
          group: 1,
          condition: 0,
          description: 'Country is Germany, Austria or Switzerland',
          matched: true,
          evidence: `location is "${profile.location ?? ''}"`,
        },
        { group: 2, condition: 0, description: 'Can receive email marketing', matched: false, evidence: 'consent is "never subscribed"' },
        {
          group: 2,
          condition: 1,
          description: 'Opened Email at least 2 times in the last 14 days',
          matched: true,
          evidence: '4 Opened Email events in the window (needed at least 2)',
          events: ['2026-10-20T08:00:00Z', '2026-10-24T08:01:00Z', '2026-10-27T12:30:00Z', '2026-10-31T19:00:00Z'],
        },
      ],
    };
  };

  // --- the extension ---------------------------------------------------------------------------
  const posted: PostedRecord[] = [];
  // Only what was sent and when: keeping the messages would keep every page of rows alive and skew heap numbers.
  const delivered: { at: number; type: ToWebview['type']; requestId?: number; rows?: number }[] = [];
  const held: ToWebview[] = [];
  let holding = false;
  let report = config.report;
  let history = config.history;
  let latency = config.latencyMs ?? 5;
  const deliver = (message: ToWebview) => {
    delivered.push({
      at: performance.now(),
      type: message.type,
      ...(message.type === 'rows' ? { requestId: message.requestId, rows: message.result?.rows.length ?? 0 } : {}),
    });
    window.postMessage(message, '*');
  };
  const reply = (message: ToWebview) => {
    if (holding) held.push(message);
    else setTimeout(() => deliver(message), latency);
  };
  const answer = (message: FromWebview) => {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        reply({ type: 'counts', report, fileName: config.fileName });
        if (history && report?.state === 'ok') {
          reply({ type: 'history-progress', version: report.version, done: 0, total: history.points.length });
          reply({ type: 'history', result: { ...history, version: report.version } });
        }
        break;
      case 'rows': {
        if (!report || report.state !== 'ok') {
          reply({
            type: 'rows',
            requestId: message.requestId,
            result: {
              version: report?.version ?? 0,
              total: 0,
              rows: [],
              propertyColumns: [],
              state: report?.state ?? 'no-workspace',
              message: report?.message,
            },
          });
          break;
        }
        const v = view(message.sort, message.filter);
        // As of a day: the first `matched` profiles of the current order.
        const day = 'asOf' in message && message.asOf ? history?.points.find((p) => p.asOf === message.asOf) : undefined;
        const total = day ? Math.min(v.total, day.matched ?? 0) : v.total;
        reply({
          type: 'rows',
          requestId: message.requestId,
          result: {
            version: report.version,
            state: 'ok',
            total,
            rows: v.slice(message.offset, Math.max(0, Math.min(message.limit, total - message.offset))),
            propertyColumns: data.propertyColumns,
          },
        });
        break;
      }
      case 'explain':
        reply({ type: 'explain', profileId: message.profileId, result: explainOf(message.profileId) });
        break;
      case 'export':
        reply({
          type: 'notice',
          text: `Exported ${(report?.matched ?? 0).toLocaleString('en-US')} profiles to segments/${config.fileName.replace(/^.*\//, '').replace(/\.json$/, '')}-profiles.csv.`,
        });
        break;
      case 'copy':
        reply({ type: 'notice', text: `Copied ${(report?.matched ?? 0).toLocaleString('en-US')} ${message.format === 'ids' ? 'profile IDs' : 'emails'}.` });
        break;
    }
  };
  let acquired = false;
  let state: unknown;
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage(message: FromWebview) {
        // VS Code structured-clones the message; so do we (and keep a copy).
        const copy = structuredClone(message);
        posted.push({ at: performance.now(), message: copy });
        // Tells the test (in Node) that something was posted: what waits for a message wakes up.
        (w.__postedSignal as (() => void) | undefined)?.();
        answer(copy);
      },
      setState(value: unknown) {
        state = value;
        return value;
      },
      getState() {
        return state;
      },
    });
  };

  // --- controls for the tests ----------------------------------------------------------------
  w.__host = {
    posted,
    delivered,
    held,
    send: (message: ToWebview) => deliver(message),
    setReport: (next: CountsReport | null) => {
      report = next;
    },
    setHistory: (next: HistoryResult | undefined) => {
      history = next;
    },
    setData: (next: DataSpec) => {
      data = next;
      materialized = undefined;
      cache.clear();
    },
    setLatency: (ms: number) => {
      latency = ms;
    },
    hold: () => {
      holding = true;
    },
    /** Delivers the held replies in the given order of their indexes (default: as they came), and stops holding. */
    release: (order?: number[]) => {
      holding = false;
      const queue = held.splice(0, held.length);
      for (const i of order ?? queue.map((_, k) => k)) deliver(queue[i]);
    },
  };

  // --- frame and script timing, on demand -------------------------------------------------------
  const perf = {
    recording: false,
    frames: [] as number[],
    callbacks: [] as number[],
    blankRows: [] as number[],
    longFrames: [] as { duration: number; blocking: number }[],
  };
  w.__perf = perf;
  const nativeRaf = window.requestAnimationFrame.bind(window);
  // For the tests' own frame waits, so they are not counted as the page's work.
  w.__nativeRaf = nativeRaf;
  // Times the page's own animation-frame callbacks (its scroll handler renders rows in one).
  window.requestAnimationFrame = (callback: FrameRequestCallback) =>
    nativeRaf((time) => {
      if (!perf.recording) return callback(time);
      const start = performance.now();
      try {
        callback(time);
      } finally {
        perf.callbacks.push(performance.now() - start);
      }
    });
  const tick = (time: number) => {
    if (perf.recording) {
      perf.frames.push(time);
      // Rows inside the viewport still showing the "loading…" placeholder in this frame.
      const viewport = document.getElementById('viewport');
      if (viewport) {
        const first = Math.floor(viewport.scrollTop / setup.rowHeight);
        const last = Math.ceil((viewport.scrollTop + viewport.clientHeight) / setup.rowHeight);
        let blank = 0;
        for (const row of Array.from(document.querySelectorAll<HTMLElement>('#rows > .row:not([data-id])'))) {
          const index = Number(row.dataset.index);
          if (index >= first && index < last) blank++;
        }
        perf.blankRows.push(blank);
      }
    }
    nativeRaf(tick);
  };
  nativeRaf(tick);
  try {
    new PerformanceObserver((list) => {
      if (!perf.recording) return;
      for (const entry of list.getEntries())
        perf.longFrames.push({ duration: entry.duration, blocking: (entry as unknown as { blockingDuration?: number }).blockingDuration ?? 0 });
    }).observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    // long-animation-frame is not supported: the frame intervals still tell the story.
  }
}

// ---------------------------------------------------------------------------------------------
// Server

export interface PanelServer {
  origin: string;
  /** Paths requested so far (other than the favicon Chromium asks every top-level page for). */
  requests: string[];
  /** The HTML previewHtml produced for the last page served (served with VS Code's default styles prepended, see asVsCodeLoadsIt). */
  lastHtml: string;
  close(): Promise<void>;
}

/**
 * VS Code's default webview stylesheet (src/vs/workbench/contrib/webview/browser/pre/index.html,
 * VS Code 1.139), which VS Code's `toContentHtml` prepends to the webview's <head> — before the
 * page's CSP <meta>, so the policy does not apply to it. Scrollbars and the base font come from it.
 */
export const VSCODE_DEFAULT_STYLES = `
@layer vscode-default {
  html { scrollbar-color: var(--vscode-scrollbarSlider-background) var(--vscode-editor-background); }
  body {
    overscroll-behavior-x: none;
    background-color: transparent;
    color: var(--vscode-editor-foreground);
    font-family: var(--vscode-font-family);
    font-weight: var(--vscode-font-weight);
    font-size: var(--vscode-font-size);
    margin: 0;
    padding: 0 20px;
  }
  img, video { max-width: 100%; max-height: 100%; }
  a, a code { color: var(--vscode-textLink-foreground); }
  a:hover { color: var(--vscode-textLink-activeForeground); }
  a:focus, input:focus, select:focus, textarea:focus { outline: 1px solid -webkit-focus-ring-color; outline-offset: -1px; }
  ::-webkit-scrollbar { width: 10px; height: 10px; }
  ::-webkit-scrollbar-corner { background-color: var(--vscode-editor-background); }
  ::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
  ::-webkit-scrollbar-thumb:hover { background-color: var(--vscode-scrollbarSlider-hoverBackground); }
  ::-webkit-scrollbar-thumb:active { background-color: var(--vscode-scrollbarSlider-activeBackground); }
}`;

/** The document as VS Code's webview host loads it: previewHtml's output with VS Code's default styles first in <head>. */
export function asVsCodeLoadsIt(html: string): string {
  return html.replace('<head>\n', `<head>\n<style id="_defaultStyles">${VSCODE_DEFAULT_STYLES}</style>\n`);
}

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

/** Serves the panel at `/` (fresh nonce each time) and `dist/media/*` at `/media/*`. */
export async function startPanelServer(): Promise<PanelServer> {
  for (const file of ['preview.js', 'preview.css']) {
    if (!fs.existsSync(path.join(MEDIA, file))) throw new Error(`${path.join(MEDIA, file)} is missing: run \`node scripts/build.mjs\` first`);
  }
  const requests: string[] = [];
  const result: PanelServer = { origin: '', requests, lastHtml: '', close: async () => undefined };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/favicon.ico') requests.push(url.pathname);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      result.lastHtml = previewHtml({
        cspSource: result.origin,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: `${result.origin}/media/preview.js`,
        styleUri: `${result.origin}/media/preview.css`,
      });
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(asVsCodeLoadsIt(result.lastHtml));
      return;
    }
    const match = /^\/media\/([\w.-]+)$/.exec(url.pathname);
    const file = match ? path.join(MEDIA, match[1]) : undefined;
    if (file && fs.existsSync(file)) {
      response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(fs.readFileSync(file));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  result.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  result.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Browser and panel

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    // Show scrollbars as VS Code's webviews do (they take width from the table).
    ignoreDefaultArgs: ['--hide-scrollbars'],
  });
}

export interface OpenOptions {
  theme?: ThemeName;
  viewport?: { width: number; height: number };
  host: HostConfig;
}

export interface RenderedRow {
  index: number;
  id: string | null;
  selected: boolean;
  cells: string[];
  /** Top of the row relative to the scrolled content (viewport.scrollTop + offset in the viewport). */
  contentTop: number;
  height: number;
}

/** One open panel in its own browser context. */
export class Panel {
  readonly dialogs: string[] = [];
  readonly pageErrors: string[] = [];
  readonly consoleErrors: string[] = [];
  /** Messages the page has posted so far, as signalled (the records themselves stay in the page). */
  private postedSignals = 0;
  private readonly postWaiters: (() => void)[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly theme: Theme,
  ) {
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('pageerror', (error) => this.pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') this.consoleErrors.push(message.text());
    });
  }

  static async open(browser: Browser, server: PanelServer, options: OpenOptions): Promise<Panel> {
    const theme = THEMES[options.theme ?? 'dark'];
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1200, height: 800 },
      deviceScaleFactor: 1,
      colorScheme: theme.name === 'light' ? 'light' : 'dark',
    });
    const page = await context.newPage();
    const panel = new Panel(context, page, theme);
    await page.exposeFunction('__postedSignal', () => {
      panel.postedSignals++;
      for (const wake of panel.postWaiters.splice(0)) wake();
    });
    await page.addInitScript(installHost, { config: options.host, theme, rowHeight: ROW_HEIGHT });
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => {
      const host = (window as unknown as { __host?: { posted: PostedRecord[] } }).__host;
      return host?.posted.some((p) => p.message.type === 'ready');
    });
    return panel;
  }

  /** CSP errors printed on the console ("Refused to load / execute / apply …"). */
  get cspConsoleErrors(): string[] {
    return this.consoleErrors.filter((text) => /Content Security Policy/i.test(text));
  }

  async posted(type?: FromWebview['type']): Promise<PostedRecord[]> {
    const all = await this.page.evaluate(() => (window as unknown as { __host: { posted: PostedRecord[] } }).__host.posted);
    return type ? all.filter((p) => p.message.type === type) : all;
  }

  async postedCount(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { __host: { posted: PostedRecord[] } }).__host.posted.length);
  }

  /**
   * Checks `probe` now and again each time the page posts a message, until it returns a value or
   * `timeoutMs` pass (then `failure` says what was missing).
   */
  async untilPosted<T>(probe: () => Promise<T | undefined>, failure: () => Promise<string>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const signals = this.postedSignals;
      const found = await probe();
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(await failure());
      // A message posted while the probe ran counts: probe again at once.
      if (this.postedSignals !== signals) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.postWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Messages posted after the first `since` ones, of a type. */
  async postedSince<T extends FromWebview['type']>(since: number, type: T): Promise<Extract<FromWebview, { type: T }>[]> {
    const all = await this.posted();
    return all
      .slice(since)
      .map((p) => p.message)
      .filter((m): m is Extract<FromWebview, { type: T }> => m.type === type);
  }

  async send(message: ToWebview): Promise<void> {
    await this.page.evaluate((m) => (window as unknown as { __host: { send(m: ToWebview): void } }).__host.send(m), message);
  }

  async host<R>(fn: string, ...args: unknown[]): Promise<R> {
    return this.page.evaluate(
      ({ fn, args }) => {
        const host = (window as unknown as { __host: Record<string, (...a: unknown[]) => unknown> }).__host;
        return host[fn](...args) as R;
      },
      { fn, args },
    );
  }

  async security(): Promise<SecurityRecord> {
    return this.page.evaluate(() => {
      const w = window as unknown as { __security: SecurityRecord; __xss?: unknown };
      return { ...w.__security, xss: w.__xss };
    });
  }

  /** The rows in the table's DOM, in order. */
  async renderedRows(): Promise<RenderedRow[]> {
    return this.page.evaluate(() => {
      const viewport = document.getElementById('viewport')!;
      const top = viewport.getBoundingClientRect().top;
      return Array.from(document.querySelectorAll<HTMLElement>('#rows > .row')).map((row) => {
        const rect = row.getBoundingClientRect();
        return {
          index: Number(row.dataset.index),
          id: row.getAttribute('data-id'),
          selected: row.classList.contains('selected'),
          cells: Array.from(row.children).map((cell) => cell.textContent ?? ''),
          contentTop: rect.top - top + viewport.scrollTop,
          height: rect.height,
        };
      });
    });
  }

  /** Waits until row `index` is rendered with data (not the "loading…" placeholder). */
  async waitForRow(index: number, timeout = 10_000): Promise<void> {
    await this.page.waitForFunction((i) => document.querySelector(`#rows > .row[data-index="${i}"][data-id]`) !== null, index, { timeout });
  }

  async scrollTo(scrollTop: number): Promise<number> {
    return this.page.evaluate((top) => {
      const viewport = document.getElementById('viewport')!;
      viewport.scrollTop = top;
      return viewport.scrollTop;
    }, scrollTop);
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(OUTPUT, { recursive: true });
    const file = path.join(OUTPUT, name);
    await this.page.screenshot({ path: file });
    return path.relative(REPO, file);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the panel tests

/** The first message of `type` posted after the first `since` ones that satisfies `predicate`, as soon as the page posts it. */
export async function waitForPosted<T extends FromWebview['type']>(
  panel: Panel,
  since: number,
  type: T,
  predicate: (m: Extract<FromWebview, { type: T }>) => boolean = () => true,
  timeout = 5_000,
): Promise<Extract<FromWebview, { type: T }>> {
  return panel.untilPosted(
    async () => (await panel.postedSince(since, type)).find(predicate),
    async () => `no ${type} message posted matching the expectation; posted: ${JSON.stringify((await panel.posted()).slice(since).map((p) => p.message))}`,
    timeout,
  );
}

/** The page ran cleanly under its CSP. */
export async function assertClean(panel: Panel): Promise<void> {
  const security = await panel.security();
  assert.deepEqual(security.csp, [], 'securitypolicyviolation events');
  assert.deepEqual(panel.cspConsoleErrors, [], 'CSP errors on the console');
  assert.deepEqual(panel.pageErrors, [], 'uncaught errors in the page');
  assert.deepEqual(panel.dialogs, [], 'dialogs');
}

/**
 * Counts the canvas pixels of an opaque colour (`#rrggbb`, within a few units): what a chart drew
 * with it; with `least`, whether there are that many. Runs in the page (self-contained).
 */
function countPixels({ selector, color, least }: { selector: string; color: string; least?: number }): number | boolean {
  const canvas = document.querySelector(selector) as HTMLCanvasElement | null;
  const context = canvas?.getContext('2d');
  let count = 0;
  if (canvas && context && canvas.width > 0) {
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16));
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 4)
      if (data[i + 3] === 255 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) <= 6) count++;
  }
  return least === undefined ? count : count >= least;
}

export async function canvasPixels(page: Page, selector: string, color: string): Promise<number> {
  return (await page.evaluate(countPixels, { selector, color })) as number;
}

/** Waits until a chart has drawn at least `atLeast` pixels of `color` (charts draw after layout), and returns the count. */
export async function waitForCanvasPixels(page: Page, selector: string, color: string, atLeast = 50): Promise<number> {
  await page.waitForFunction(countPixels, { selector, color, least: atLeast });
  return canvasPixels(page, selector, color);
}

// ---------------------------------------------------------------------------------------------
// Colour arithmetic (WCAG 2.x contrast)

/** Parses `rgb(…)`/`rgba(…)` as computed by the browser. */
export function parseColor(css: string): [number, number, number, number] | undefined {
  const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : undefined;
}

function luminance([r, g, b]: number[]): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Contrast of a (possibly translucent) foreground over an opaque background. */
export function contrast(foreground: string, background: string): number {
  const bg = parseColor(background);
  const fg = parseColor(foreground);
  if (!bg || !fg) return NaN;
  const blended = [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
  const [a, b] = [luminance(blended), luminance(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
