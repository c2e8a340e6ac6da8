import assert from 'node:assert/strict';
import { WorkspaceBuilder } from '../../server/src/engine/workspace';

/**
 * How a built workspace orders a metric's events (`finishEvents`): by profile, then time, then the
 * line of the events file, whether the builder read them itself or took them from a load thread
 * (`importEvents`), in one chunk or many.
 */
describe('the order of a metric’s events', () => {
  const event = (profile: string, seconds: number, line: number) => ({
    type: 'event',
    attributes: { timestamp: seconds, event_properties: { line, label: `e${line}` } },
    relationships: { profile: { data: { type: 'profile', id: profile } }, metric: { data: { type: 'metric', id: 'M' } } },
  });

  function build(count: number, threaded: boolean) {
    const profiles = ['P0', 'P1', 'P2', 'P3', 'P4'];
    const builder = new WorkspaceBuilder('t', Date.parse('2026-11-01T00:00:00Z'));
    builder.addMetric({ type: 'metric', id: 'M', attributes: { name: 'M' } });
    for (const id of profiles) builder.addProfile({ type: 'profile', id, attributes: {} });
    // Pseudo-random profiles and times among a few seconds: many ties in time, broken by line.
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    const events = Array.from({ length: count }, (_, i) => ({
      profile: profiles[next() % profiles.length],
      seconds: 1_700_000_000 + (next() % 20),
      line: i + 1,
    }));
    if (threaded) {
      // Two "threads", each with a builder of its own, handing over their events in parts.
      const context = builder.eventsContext();
      const parts = [WorkspaceBuilder.forEvents(context), WorkspaceBuilder.forEvents(context)];
      events.forEach((e, i) => {
        parts[(i >> 12) % 2].addEvent(event(e.profile, e.seconds, e.line), e.line);
        if (i % 20_000 === 19_999) for (const part of parts) builder.importEvents(part.takeEvents().transfer);
      });
      for (const part of parts) builder.importEvents(part.takeEvents().transfer);
    } else {
      for (const e of events) builder.addEvent(event(e.profile, e.seconds, e.line), e.line);
    }
    const expected = profiles.map((id) =>
      events
        .filter((e) => e.profile === id)
        .sort((a, b) => a.seconds - b.seconds || a.line - b.line)
        .map((e) => [e.seconds * 1000, e.line, `e${e.line}`]),
    );
    return { workspace: builder.build(), expected };
  }

  for (const [count, threaded] of [
    [40, false],
    [70_000, false], // more than one chunk of 65,536 numbers
    [70_000, true],
  ] as const) {
    it(`${count.toLocaleString('en-US')} events ${threaded ? 'taken from load threads in parts' : 'read by the builder'}`, function () {
      this.timeout(20000);
      const { workspace, expected } = build(count, threaded);
      const events = workspace.events[workspace.metrics.findIndex((m) => m.id === 'M')];
      assert.equal(events.count, count);
      const line = events.properties.get('line');
      const label = events.properties.get('label');
      assert.ok(line && label);
      const actual = expected.map((_, p) => {
        const rows: unknown[] = [];
        for (let row = events.offsets[p]; row < events.offsets[p + 1]; row++) rows.push([events.times[row], line.get(row), label.get(row)]);
        return rows;
      });
      assert.deepEqual(actual, expected);
      const all = expected.flat().map((e) => e[0] as number);
      assert.equal(
        events.firstTime,
        all.reduce((a, b) => Math.min(a, b)),
      );
      assert.equal(
        events.lastTime,
        all.reduce((a, b) => Math.max(a, b)),
      );
    });
  }
});
