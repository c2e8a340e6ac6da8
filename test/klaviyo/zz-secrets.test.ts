/**
 * The API key never appears in output, errors, files or snapshots. Runs last (file order): it
 * greps everything the other Klaviyo tests printed, threw and wrote, after provoking the
 * leak-prone paths itself (a proxy echoing the Authorization header, --verbose, a 401).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cliEnv, FakeKlaviyo, filesUnder, makeFixture, runCli, tempDir, TEST_KEY, TEST_ROOT, transcript } from './fakeKlaviyo';

const WRONG_KEY = 'pk_wrongwrongwrong0123456789abcdef99';

function leaks(text: string): string[] {
  return [TEST_KEY, WRONG_KEY, TEST_KEY.slice(3, 24)].filter((secret) => text.includes(secret));
}

describe('the API key stays secret', function () {
  this.timeout(60000);
  let fake: FakeKlaviyo;
  before(async () => {
    fake = await new FakeKlaviyo(makeFixture({ profiles: 30, events: 40, lists: 2 })).start();
  });
  after(async () => {
    await fake.stop();
  });

  it('a proxy that echoes the Authorization header, and --verbose, print no key', async () => {
    fake.fault({ when: (r) => r.path.startsWith('/api/events'), echoAuthorization: true });
    const run = await runCli(['pull', '--out', join(tempDir('secrets'), 'ws'), '--base-url', fake.url, '--verbose'], { env: cliEnv(fake) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Bad header: Klaviyo-API-Key \[redacted\]/);
    assert.match(run.stderr, /→ GET \/api\/profiles/, 'verbose output lists the requests');
    assert.deepEqual(leaks(run.stdout + run.stderr), []);
  });

  it('a wrong key is reported without being echoed', async () => {
    const run = await runCli(['pull-segments', '--out', tempDir('secrets-401'), '--base-url', fake.url], { env: cliEnv(fake, { KLAVIYO_API_KEY: WRONG_KEY }) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /401 Unauthorized/);
    assert.deepEqual(leaks(run.stdout + run.stderr), []);
  });

  it('the key is in no output, error or file of any Klaviyo test', () => {
    assert.ok(transcript.length > 0);
    const printed = transcript.filter((entry) => leaks(entry).length > 0);
    assert.deepEqual(printed, [], 'output or errors that contain the key');
    const files = filesUnder(TEST_ROOT);
    assert.ok(files.length > 10, `the tests wrote files under ${TEST_ROOT}`);
    const written = files.filter((f) => leaks(f.text).length > 0).map((f) => f.path);
    assert.deepEqual(written, [], 'files that contain the key');
  });
});
