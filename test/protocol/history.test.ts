/** segmentLens/history over stdio: the size-over-time series the preview charts. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from './lspClient';
import { SAMPLE } from './fixtures';
import type { CountsReport, HistoryResult, ProfilesResult } from '../../server/src/protocol';

describe('language server over stdio: size over time', function () {
  this.timeout(90_000);
  let client: TestClient;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'segment-lens-history-'));
    cpSync(SAMPLE, root, { recursive: true });
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers one point per day, today equal to the counts, each day as the preview sees it as of that day', async () => {
    const path = join(root, 'segments', 'engaged-30-days.json');
    const uri = client.uriOf(path);
    await client.open(uri, readFileSync(path, 'utf8'));
    const counts = await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
    assert.equal(counts?.state, 'ok', client.stderr);
    const history = await client.connection.sendRequest<HistoryResult>('segmentLens/history', { uri, days: 30 });
    assert.equal(history.state, 'ok', history.message);
    assert.equal(history.points.length, 30);
    const today = history.points[29];
    assert.deepEqual({ matched: today.matched, total: today.total }, { matched: counts.matched, total: counts.total });
    assert.equal(today.asOf, counts.workspace?.now);
    // The preview of a day (a click on the chart) lists as many profiles as the chart says.
    const day = history.points[10];
    const page = await client.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri, asOf: day.asOf, offset: 0, limit: 5 });
    assert.equal(page.state, 'ok');
    assert.equal(page.total, day.matched);
    await client.close(uri);
  });

  it('an edit cancels the series in flight', async () => {
    // Conditions that have no one-sweep series (consent with a status date) are evaluated day by
    // day: 12 of them over 400 days keep the worker busy long enough to be edited mid-way.
    const path = join(root, 'segments', 'recently-consented.json');
    const text = JSON.stringify(
      {
        condition_groups: [
          {
            conditions: Array.from({ length: 12 }, (_, k) => ({
              type: 'profile-marketing-consent',
              consent: {
                channel: 'email',
                can_receive_marketing: true,
                consent_status: {
                  subscription: 'subscribed',
                  filters: [{ field: 'status_date', filter: { type: 'date', operator: 'in-the-last', quantity: 30 * (k + 1), unit: 'day' } }],
                },
              },
            })),
          },
        ],
      },
      null,
      2,
    );
    writeFileSync(path, text);
    const uri = client.uriOf(path);
    await client.open(uri, text);
    assert.equal((await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri })).state, 'ok');
    const pending = client.connection.sendRequest<HistoryResult>('segmentLens/history', { uri, days: 400 });
    // Once the server reports days done, the series is in flight in the worker: now edit.
    await client.progressWhere((value) => /of 400 days/.test(String((value as { message?: string }).message)));
    await client.change(uri, `${text}\n`);
    const result = await pending;
    assert.equal(result.state, 'cancelled', JSON.stringify({ state: result.state, points: result.points.length }));
    // Asked again, the new version answers in full.
    const again = await client.connection.sendRequest<HistoryResult>('segmentLens/history', { uri, days: 14 });
    assert.equal(again.state, 'ok');
    assert.equal(again.version, 2);
    assert.equal(again.points.length, 14);
    await client.close(uri);
  });
});
