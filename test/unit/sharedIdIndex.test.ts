import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SharedIdIndex } from '../../server/src/engine/sharedIdIndex';
import { WorkspaceBuilder } from '../../server/src/engine/workspace';

describe('SharedIdIndex (profile IDs for load threads)', () => {
  it('finds every ID at its index and nothing else, as a Map would', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `01HE${(i * 7919).toString(36).toUpperCase().padStart(10, '0')}`);
    ids.push('é-profile', '😀', 'a', 'ab', 'b');
    const index = new SharedIdIndex(SharedIdIndex.build(ids));
    ids.forEach((id, i) => assert.equal(index.get(id), i, id));
    for (const absent of ['', 'A', 'ba', '😀😀', 'é', `${ids[0]}x`, ids[0].slice(0, -1), 'missing']) assert.equal(index.get(absent), undefined, absent);
    assert.equal(new SharedIdIndex(SharedIdIndex.build([])).get('x'), undefined);
  });

  it('keeps IDs of Latin-1 characters in one byte a character, and still finds none of a wider ID', () => {
    const ids = ['01HE469XX1DVTK903Z1J0VVJ4Y', 'café-ÿ', 'P1', ''];
    const table = SharedIdIndex.build(ids);
    assert.equal(table.units.byteLength, ids.join('').length);
    const index = new SharedIdIndex(table);
    ids.forEach((id, i) => assert.equal(index.get(id), i, id));
    // A character past 255 never equals a byte: 'ĩ' (0x129) must not pass for ')' (0x29).
    for (const absent of ['P\u0131', 'caf\u0169-ÿ', '😀', 'P']) assert.equal(index.get(absent), undefined, absent);
    assert.ok(SharedIdIndex.build(['P1', '😀']).units.byteLength >= 2 * 'P1😀'.length, 'a wider ID keeps two bytes a unit');
  });

  it('lists the IDs in order, one byte or two a unit, long ones too, and reads back from its arrays as the cache keeps them', () => {
    const long = 'x'.repeat(10_000) + 'é';
    for (const ids of [['01HE469XX1DVTK903Z1J0VVJ4Y', 'café-ÿ', '', long], ['P1', '😀', 'ĩ', long + '😀'], []]) {
      const index = SharedIdIndex.of(ids);
      assert.equal(index.length, ids.length);
      assert.deepEqual(index.toArray(), ids);
      ids.forEach((id, i) => assert.equal(index.at(i), id));
      // As the workspace cache writes and reads it: plain (not shared) copies of the arrays.
      const { units, offsets, slots } = index.arrays();
      const copy = new SharedIdIndex({ units: units.slice(), offsets: offsets.slice(), slots: slots.slice() });
      assert.deepEqual(copy.toArray(), ids);
      ids.forEach((id, i) => assert.equal(copy.get(id), i));
      assert.equal(copy.get('absent'), undefined);
    }
  });

  it('is read on another thread, from the same shared memory', async () => {
    const table = SharedIdIndex.build(['P1', 'P2', 'P3']);
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { SharedIdIndex } = require(${JSON.stringify(require.resolve('../../server/src/engine/sharedIdIndex'))});
      const index = new SharedIdIndex(workerData);
      parentPort.postMessage([index.get('P3'), index.get('P4')]);`;
    const worker = new Worker(script, { eval: true, workerData: table });
    const answer = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    assert.deepEqual(answer, [2, undefined]);
  });

  it("serves the builder's own events once it is built, and the built workspace still finds every profile by ID", () => {
    const NOW = Date.parse('2026-11-01T12:00:00Z');
    const builder = new WorkspaceBuilder('shop', NOW);
    builder.addMetric({ type: 'metric', id: 'ORDER', attributes: { name: 'Placed Order' } });
    for (const id of ['p0', 'p1', 'p2']) builder.addProfile({ type: 'profile', id, attributes: { email: `${id}@example.com` } });
    const event = (id: string, profile: string) => ({
      type: 'event',
      id,
      attributes: { datetime: '2026-10-30T00:00:00Z' },
      relationships: { profile: { data: { type: 'profile', id: profile } }, metric: { data: { type: 'metric', id: 'ORDER' } } },
    });
    const context = builder.eventsContext();
    assert.equal(new SharedIdIndex(context.profiles).get('p2'), 2);
    assert.ok(builder.addEvent(event('e1', 'p2')));
    builder.addEvent(event('e2', 'nobody'));
    assert.equal(builder.issues.eventsOfUnknownProfiles, 1);
    // A profile added after all (the builder's rule is: none after) is still found by later events.
    builder.addProfile({ type: 'profile', id: 'p3', attributes: {} });
    builder.addProfile({ type: 'profile', id: 'p1', attributes: { email: 'again@example.com' } });
    assert.ok(builder.addEvent(event('e3', 'p3')));
    const workspace = builder.build();
    assert.deepEqual(
      workspace.profileIds.toArray().map((id) => [id, workspace.profileIndexOf(id)]),
      [
        ['p0', 0],
        ['p1', 1],
        ['p2', 2],
        ['p3', 3],
      ],
    );
    assert.equal(workspace.profileCount, 4);
    assert.equal(workspace.issues.duplicateProfiles, 1);
    assert.deepEqual(Array.from(workspace.events[0].offsets), [0, 0, 0, 1, 2]); // one order each for p2 and p3
  });
});
