/**
 * The import table of docs/architecture.md is enforced by the linter (eslint.config.mjs): these
 * cases prove that breaking a layer rule, or reading a date with Date.parse, fails `npm run lint`
 * (part of `npm test`), and that what the table allows passes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const REPO = join(__dirname, '..', '..', '..');

const CASES: { file: string; code: string; rule: string; allowed: boolean }[] = [
  { file: 'server/src/engine/bitset.ts', code: "import { readFileSync } from 'node:fs';", rule: 'no-restricted-imports', allowed: false },
  { file: 'server/src/engine/bitset.ts', code: "import { parseTree } from 'jsonc-parser';", rule: 'no-restricted-imports', allowed: false },
  {
    file: 'server/src/engine/conditions/region.ts',
    code: "import { parseSegment } from '../../segment/parse';",
    rule: 'no-restricted-imports',
    allowed: false,
  },
  { file: 'server/src/engine/conditions/region.ts', code: "import { parseInstant } from '../time';", rule: 'no-restricted-imports', allowed: true },
  { file: 'server/src/engine/time.ts', code: "import { DateTime } from 'luxon';", rule: 'no-restricted-imports', allowed: true },
  { file: 'server/src/segment/parse.ts', code: "import { Range } from 'vscode-languageserver';", rule: 'no-restricted-imports', allowed: false },
  { file: 'server/src/segment/parse.ts', code: "import { parseInstant } from '../engine/time';", rule: 'no-restricted-imports', allowed: true },
  { file: 'server/src/coverage/analyze.ts', code: "import { readFileSync } from 'node:fs';", rule: 'no-restricted-imports', allowed: false },
  { file: 'server/src/klaviyo/client.ts', code: "import { processIo } from '../cli/io';", rule: 'no-restricted-imports', allowed: false },
  { file: 'server/src/features/hover.ts', code: "import { readFileSync } from 'node:fs';", rule: 'no-restricted-imports', allowed: false },
  { file: 'server/src/features/hover.ts', code: "import { readSettings } from '../host/settings';", rule: 'no-restricted-imports', allowed: false },
  {
    file: 'server/src/features/hover.ts',
    code: "import { createConnection } from 'vscode-languageserver/node';",
    rule: 'no-restricted-imports',
    allowed: false,
  },
  { file: 'server/src/features/hover.ts', code: "import { describeCondition } from '../engine/describe';", rule: 'no-restricted-imports', allowed: true },
  { file: 'server/src/evaluation/evaluationWorker.ts', code: "import { URI } from 'vscode-uri';", rule: 'no-restricted-imports', allowed: false },
  { file: 'client/src/extension.ts', code: "import { Evaluator } from '../../server/src/engine/evaluator';", rule: 'no-restricted-imports', allowed: false },
  { file: 'client/src/extension.ts', code: "import { Methods } from '../../server/src/protocol';", rule: 'no-restricted-imports', allowed: true },
  { file: 'client/src/webview/preview.ts', code: "import { readFileSync } from 'node:fs';", rule: 'no-restricted-imports', allowed: false },
  {
    file: 'client/src/webview/preview.ts',
    code: "import { KlaviyoClient } from '../../../server/src/klaviyo/client';",
    rule: 'no-restricted-imports',
    allowed: false,
  },
  { file: 'server/src/host/headDiff.ts', code: "import { GitRepository } from '../review/git';", rule: 'no-restricted-imports', allowed: true },
  { file: 'server/src/host/headDiff.ts', code: "import { diffSegments } from '../review/diff';", rule: 'no-restricted-imports', allowed: false },
  { file: 'server/src/host/sqlRequests.ts', code: "import { compileSegment } from '../sql';", rule: 'no-restricted-imports', allowed: true },
  { file: 'client/src/webview/historyChart.ts', code: "import { Chart } from 'chart.js';", rule: 'no-restricted-imports', allowed: true },
  { file: 'client/src/webview/historyChart.ts', code: "import { readFileSync } from 'node:fs';", rule: 'no-restricted-imports', allowed: false },
  { file: 'server/src/cli/main.ts', code: "export const when = Date.parse('2026-01-01T00:00:00');", rule: 'no-restricted-properties', allowed: false },
  {
    file: 'server/src/host/settings.ts',
    code: 'export async function later(): Promise<void> {}\nexport function start(): void { later(); }',
    rule: '@typescript-eslint/no-floating-promises',
    allowed: false,
  },
];

describe('layers and rules the linter enforces', function () {
  this.timeout(120_000);
  const eslint = new ESLint({ cwd: REPO });

  for (const { file, code, rule, allowed } of CASES) {
    it(`${file}: ${code.split('\n').pop()} ${allowed ? 'passes' : `fails ${rule}`}`, async () => {
      const [result] = await eslint.lintText(`${code}\n`, { filePath: join(REPO, file) });
      const hits = result.messages.filter((m) => m.ruleId === rule);
      assert.equal(hits.length, allowed ? 0 : 1, JSON.stringify(result.messages.map((m) => `${m.ruleId}: ${m.message}`)));
    });
  }
});

describe("the import table of docs/architecture.md is the linter's", function () {
  this.timeout(60_000);

  it('lists every folder of eslint.config.mjs with the same layers and packages, and no other', async () => {
    const { LAYERS } = (await import(join(REPO, 'eslint.config.mjs'))) as {
      LAYERS: { folder: string; layers: string[]; packages: string[]; server?: string[] }[];
    };
    const doc = readFileSync(join(REPO, 'docs', 'architecture.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## What each layer may import'), doc.indexOf('## The segment language'));
    const rows = new Map<string, string[]>();
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const folder = /^`([^`]+?)\/?`$/.exec(cells[1] ?? '')?.[1];
      if (folder) rows.set(folder, cells.slice(2));
    }
    for (const layer of LAYERS) {
      const row = rows.get(layer.folder);
      assert.ok(row, `docs/architecture.md has no row for ${layer.folder}/`);
      for (const allowed of layer.server ?? layer.layers)
        assert.match(row[0], new RegExp(`\`${allowed.replace('.', '\\.')}(/|\`)`), `${layer.folder}: ${allowed} in the docs row`);
      for (const pkg of layer.packages) assert.ok(row[1].includes(pkg), `${layer.folder}: package ${pkg} in the docs row`);
    }
    const documented = [...rows.keys()].filter((folder) => folder !== 'server/src/server.ts');
    assert.deepEqual(documented.sort(), LAYERS.map((l) => l.folder).sort());
  });
});
