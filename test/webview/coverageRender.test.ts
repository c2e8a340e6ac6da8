import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { coverageHtml } from '../../client/src/coverageHtml';
import { coverageReply } from '../../server/src/coverage';
import { loadWorkspace } from '../../server/src/workspace/loadWorkspace';
import { CHROMIUM_ARGS, MEDIA, OUTPUT, REPO } from './renderHarness';

const HOSTILE = '<img src=x onerror="window.__xss=1">';

/**
 * The coverage review webview in headless Chromium: the real HTML shell (CSP and nonce), the real
 * bundled script and a report computed from a workspace whose names are hostile. Everything must
 * show as text, nothing may run, and only "Create segment file" clicks may ask for a write.
 */
describe('coverage panel rendered in Chromium (real HTML + CSP + bundle)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: Server;
  let origin: string;
  let workspace: string;
  let reply: ReturnType<typeof coverageReply>;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'segment-lens-coverage-render-'));
    cpSync(join(REPO, 'sample-workspace'), workspace, { recursive: true });
    // A hostile segment name and list name, as if an account had them.
    writeFileSync(
      join(workspace, 'segments', 'hostile.json'),
      JSON.stringify({
        data: {
          type: 'segment',
          attributes: {
            name: HOSTILE,
            definition: { condition_groups: [{ conditions: [{ type: 'profile-region', in_region: true, region: 'united_states' }] }] },
          },
        },
      }),
    );
    const lists = JSON.parse(readFileSync(join(workspace, 'data', 'lists.json'), 'utf8')) as { data: { attributes: { name: string } }[] };
    lists.data[0].attributes.name = `${HOSTILE}<script>window.__xss=2</script>`;
    writeFileSync(join(workspace, 'data', 'lists.json'), JSON.stringify(lists));
    for (const file of ['vip-customers.json', 'lapsed-customers.json']) rmSync(join(workspace, 'segments', file));
    const { workspace: ws } = await loadWorkspace(workspace);
    const sources = readdirSync(join(workspace, 'segments')).map((file) => ({
      file: `segments/${file}`,
      text: readFileSync(join(workspace, 'segments', file), 'utf8'),
    }));
    reply = coverageReply(ws, sources, { root: workspace });

    const html = coverageHtml({ cspSource: "'self'", nonce: 'test-nonce-123', scriptUri: '/coverage.js', styleUri: '/coverage.css' });
    server = createServer((request, response) => {
      const file = request.url === '/' ? undefined : request.url?.slice(1);
      if (!file) {
        response.writeHead(200, { 'content-type': 'text/html' }).end(html);
      } else if (file === 'coverage.js' || file === 'coverage.css') {
        response.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' }).end(readFileSync(join(MEDIA, file)));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the report with hostile names as text, runs nothing, and asks to create only on a click', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const dialogs: string[] = [];
    const violations: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(
      (result) => {
        const posted: unknown[] = [];
        (window as unknown as { __posted: unknown[] }).__posted = posted;
        (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
          postMessage: (message: { type: string }) => {
            posted.push(message);
            if (message.type === 'ready') setTimeout(() => window.postMessage({ type: 'report', result, created: [] }, '*'), 10);
          },
          setState: () => undefined,
          getState: () => undefined,
        });
        document.addEventListener('securitypolicyviolation', (event) => posted.push({ type: 'csp-violation', directive: event.violatedDirective }));
      },
      { state: 'ok', ...reply },
    );
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.querySelectorAll('button.create').length > 0);

    const text = await page.evaluate(() => document.body.textContent ?? '');
    assert.ok(text.includes(HOSTILE), 'the hostile segment name is shown literally');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, script:not([nonce]), svg, iframe').length), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(violations, []);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'csp-violation')), []);

    const stages = await page.$$eval('button.create', (buttons) => buttons.map((b) => b.getAttribute('data-stage')));
    assert.ok(stages.includes('vip-customers') && stages.includes('lapsed-customers'), `missing stages offered: ${stages.join(', ')}`);
    const writesBefore = await page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'create').length);
    assert.equal(writesBefore, 0, 'nothing is created before a click');
    await page.click('button.create[data-stage="vip-customers"]');
    const creates = await page.evaluate(() =>
      (window as unknown as { __posted: { type: string; stage?: string }[] }).__posted.filter((m) => m.type === 'create'),
    );
    assert.deepEqual(creates, [{ type: 'create', stage: 'vip-customers' }]);
    await page.screenshot({ path: join(OUTPUT, 'coverage.png'), fullPage: false });
    await page.close();
  });
});
