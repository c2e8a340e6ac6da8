import * as assert from 'node:assert/strict';
import { CountsService } from '../../server/src/host/countsService';
import type { WorkspaceHost } from '../../server/src/host/workspaceHost';
import type { WorkspaceRegistry } from '../../server/src/host/workspaceRegistry';
import { parseSegment } from '../../server/src/segment/parse';

/** A workspace whose evaluations answer only when the test says so. */
function fakeWorkspace() {
  const pending: ((reply: unknown) => void)[] = [];
  const host = {
    root: '/ws',
    state: {
      kind: 'ready',
      summary: { name: 'ws', metrics: [], lists: [], profileCount: 3, eventCount: 0 },
      warnings: [],
      engine: { engine: 'memory', reason: 'segmentLens.engine is "memory"' },
    },
    request: () => new Promise((resolve) => pending.push(resolve)),
    ready: () => Promise.resolve(),
  } as unknown as WorkspaceHost;
  const registry = { rootFor: () => '/ws', host: () => host } as unknown as WorkspaceRegistry;
  const answer = (matched: number) =>
    pending.shift()?.({ total: 3, matched, notEvaluable: [], groups: [{ matched, afterAnd: matched, conditions: [{ matched }] }] });
  return { registry, answer };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const text = '{"condition_groups":[{"conditions":[{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true}}]}]}';

/** Counts of version 1 of a document, its evaluation answered with `matched`. */
async function countedOnce(matched: number) {
  const { registry, answer } = fakeWorkspace();
  const counts = new CountsService(registry, () => undefined);
  counts.update('file:///a.json', 1, parseSegment(text), false);
  answer(matched);
  await settle();
  return { counts, answer };
}

describe('counts of a document version', () => {
  it('while the same version is counted again (settings or workspace reloaded), lenses and hints keep its last counts', async () => {
    const { counts, answer } = await countedOnce(2);
    assert.equal(counts.shown('file:///a.json', 1)?.matched, 2);

    counts.update('file:///a.json', 1, parseSegment(text), false);
    assert.equal(counts.get('file:///a.json', 1), undefined, 'a fresh count is being computed');
    assert.equal(counts.shown('file:///a.json', 1)?.matched, 2, 'the last counts of this very text stay shown meanwhile');

    answer(1);
    await settle();
    assert.equal(counts.shown('file:///a.json', 1)?.matched, 1);
    assert.equal(counts.get('file:///a.json', 1)?.matched, 1);
  });

  it('a new version never shows the counts of an older text', async () => {
    const { counts } = await countedOnce(2);
    counts.update('file:///a.json', 2, parseSegment(text), false);
    assert.equal(counts.shown('file:///a.json', 2), undefined);
    assert.equal(counts.shown('file:///a.json', 1), undefined);
  });
});
