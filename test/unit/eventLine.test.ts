/**
 * The events' byte reader (`WorkspaceBuilder.addEventLine`, `EventLine`) against the usual path
 * (`JSON.parse` then `addEvent`): every line gives the same events, property values, counts and
 * problems whichever path reads it, and the reader takes the lines it is made for (a reader that
 * refused everything would agree too, and lose the speed it exists for).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Column } from '../../server/src/engine/column';
import { WorkspaceBuilder, type RecordProblem } from '../../server/src/engine/workspace';

const PROFILES = ['01HPROFILEA', '01HPROFILEB', 'prøfil-ü', 'quote"id'];

interface Outcome {
  events: unknown;
  issues: unknown;
  problems: RecordProblem[];
  /** Lines the byte reader took. */
  taken: number;
}

/**
 * Reads `lines` (each the text of one line) into a builder of events, by the usual path or with
 * the byte reader first, and returns what the builder holds. `shared`: profiles looked up in the
 * shared ID table (as the loader does), else in the builder's Map.
 */
function read(lines: readonly string[], bytesFirst: boolean, shared = true): Outcome {
  const problems: RecordProblem[] = [];
  const profiles = new WorkspaceBuilder('', 0);
  for (const id of PROFILES) profiles.addProfile({ type: 'profile', id, attributes: {} });
  profiles.addMetric({ type: 'metric', id: 'M1', attributes: { name: 'Placed Order' } });
  const builder = shared ? WorkspaceBuilder.forEvents(profiles.eventsContext(), { add: (p) => problems.push(p) }) : profiles;
  if (!shared) profiles.reportProblemsTo({ add: (p) => problems.push(p) });
  let taken = 0;
  lines.forEach((text, i) => {
    const bytes = Buffer.from(text, 'utf8');
    const decode = (start: number, end: number, ascii: boolean) => bytes.toString(ascii ? 'latin1' : 'utf8', start, end);
    if (bytesFirst && builder.addEventLine(bytes, 0, bytes.length, i + 1, decode)) {
      taken++;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push({ code: 'not-a-resource', line: i + 1, message: 'broken line' });
      return;
    }
    builder.addEvent(value, i + 1);
  });
  const { transfer } = builder.takeEvents();
  const events = transfer.metrics.map((metric) => ({
    id: metric.id,
    profiles: metric.profiles.flatMap((chunk) => [...chunk]),
    times: metric.times.flatMap((chunk) => [...chunk]),
    lines: metric.lines.flatMap((chunk) => [...chunk]),
    properties: metric.properties.map(([key, column]) => {
      const values = Column.fromTransfer(column);
      // Types kept apart: a number and its text must not pass for one another, nor -0 for 0.
      return [key, values.presentCount, Array.from({ length: values.length }, (_, row) => typed(values.get(row)))];
    }),
  }));
  return { events, issues: { ...transfer, metrics: undefined }, problems, taken };
}

function typed(value: unknown): unknown {
  if (typeof value === 'number' && Object.is(value, -0)) return 'number:-0';
  return value === undefined ? 'missing' : `${typeof value}:${JSON.stringify(value)}`;
}

/** Asserts both paths agree on `lines`, for both profile lookups; returns how many lines the reader took. */
function agree(lines: readonly string[]): number {
  let taken = 0;
  for (const shared of [true, false]) {
    const usual = read(lines, false, shared);
    const fast = read(lines, true, shared);
    assert.deepEqual(fast.events, usual.events, lines.join('\n'));
    assert.deepEqual(fast.issues, usual.issues, lines.join('\n'));
    assert.deepEqual(fast.problems, usual.problems, lines.join('\n'));
    taken = fast.taken;
  }
  return taken;
}

const event = (properties: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'event',
    id: 'e1',
    attributes: { timestamp: 1700000000, datetime: '2023-11-14T22:13:20+00:00', event_properties: properties },
    relationships: { profile: { data: { type: 'profile', id: '01HPROFILEA' } }, metric: { data: { type: 'metric', id: 'M1' } } },
    ...extra,
  });

const ENVELOPE = '"relationships":{"profile":{"data":{"type":"profile","id":"01HPROFILEA"}},"metric":{"data":{"type":"metric","id":"M1"}}}';

describe('Events read from their bytes', () => {
  it('takes the usual lines, with every kind of value, and reads them as JSON.parse would', () => {
    const lines = [
      event({ $value: 549, $event_id: 'x1', ItemNames: ['Rega Planar 1 Turntable'], Categories: ['Turntables', 'Audio Gear'], 'Item Count': 1 }),
      event({ $value: 31.99, Price: 0.1, Small: 1e-7, Big: 1, Negative: -0, Exp: 2.5e3, Zero: 0, Long: 0.1234567890123456 }).replace(
        '"Big":1',
        '"Big":123456789012345678,"Exp2":2.5E+3',
      ),
      event({ Subject: 'Fresh wax just landed 🎶', Escaped: 'say "hi"\n\\ \u0001 \u2028', Slash: 'ab', Empty: '', Unicode: 'Zürich' }).replace(
        '"ab"',
        '"a\\/b"',
      ),
      event({ On: true, Off: false, Nothing: null, Nested: { a: [1, { b: 'c' }] }, Mixed: ['a', 1, null], Empty: [], Escaped: ['a"b', 'ü'] }),
      event({ placeholder: 'x', constructor: 'y', toString: 'z' }).replace('"placeholder"', '"__proto__"'),
      event({ ItemNames: ['A', 'B', 'C', 'D'], Categories: ['Vinyl', 'Pop'] }),
      event({ ItemNames: ['Rega Planar 1 Turntable'], Categories: ['Vinyl', 'Pop'] }),
      event(null),
      event({}),
      `  { "type" : "event" , "attributes" : { "event_properties" : { "a" : [ "x" , "y" ] , "b" : 1 } , "timestamp" : 1700000000 } , ${ENVELOPE} }  `,
      `{${ENVELOPE},"attributes":{"datetime":"2024-02-29T12:00:00+00:00","event_properties":{"k":"v"}}}`,
      `{${ENVELOPE},"attributes":{"timestamp":null,"datetime":"2024-02-29T12:00:00Z"},"extra":[1,{"x":null}],"id":null}`,
      `{${ENVELOPE},"attributes":{"timestamp":1700000000.5,"other":{"deep":[[["x"]]]}}}`,
    ];
    assert.equal(agree(lines), lines.length);
  });

  it('leaves every line it does not take exactly to JSON.parse, which reports it as before', () => {
    const lines = [
      // Written twice: JSON.parse keeps the last.
      event({ a: 1 }).replace('"type":"event"', '"type":"profile","type":"event"'),
      `{${ENVELOPE},"attributes":{"timestamp":1,"timestamp":1700000000}}`,
      event({ a: 1, b: 2 }).replace('"b":2', '"a":2'),
      `{${ENVELOPE},"attributes":{"timestamp":1700000000,"event_properties":{"a":1}},"attributes":{"timestamp":1600000000,"event_properties":{"b":2}}}`,
      `{${ENVELOPE.replace('"id":"M1"', '"id":"M0","id":"M1"')},"attributes":{"timestamp":1700000000}}`,
      // Keys with escapes that spell a name the reader looks for.
      event({ a: 1 }).replace('"timestamp":1700000000', '"\\u0074imestamp":1600000000'),
      event({ a: 1 }).replace('"event_properties"', '"\\u0065vent_properties"'),
      event({ a: 1 }).replace('"type":"metric","id":"M1"', '"type":"metric","\\u0069d":"M1"'),
      event({ '\u00e9t\u00e9': 1 }),
      event({ 'with "quote"': 1 }),
      // Keys JavaScript lists first.
      event({ b: 1, c: 'two', d: 'one' }).replace('"c"', '"2"').replace('"d"', '"1"'),
      // Types the usual path reports or refuses.
      event({ a: 1 }).replace('"type":"event"', '"type":null'),
      event({ a: 1 }).replace('"type":"event"', '"type":"profile"'),
      event({ a: 1 }).replace('"timestamp":1700000000', '"timestamp":"1700000000"'),
      event({ a: 1 }).replace('"datetime":"2023-11-14T22:13:20+00:00"', '"datetime":17'),
      event({ a: 1 }).replace('"timestamp":1700000000', '"timestamp":1e400'),
      event('not an object'),
      event({ a: 1 }, { attributes: 'none' }),
      event({ a: 1 }, { relationships: { profile: { data: { id: '01HPROFILEA' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: null }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: { id: 7 } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: { id: '' } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: { id: '01HPROFILEA' } }, metric: { data: { id: '' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: { id: 'nobody' } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { attributes: { event_properties: { a: 1 } } }),
      // A relationship without data, or data without an ID, after a line that had both, with the
      // ID at the same place (a reader that kept the last line's ID would find a profile there).
      event({ a: 1 }, { relationships: { profile: { data: { id: '01HPROFILEA' } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { relationships: { profile: { link: { id: '01HPROFILEA' } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: { id: '01HPROFILEA' } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: { ix: '01HPROFILEA' } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { attributes: { datetime: 'yesterday' } }),
      // Not JSON at all.
      '{"type":"event",',
      `${event({ a: 1 })} trailing`,
      `${event({ a: 1 })}}`,
      event({ a: 'x' }).replace('"a":"x"', '"a":"x\ty"'),
      event({ a: 'x' }).replace('"a":"x"', '"a":"\\x"'),
      event({ a: 'x' }).replace('"a":"x"', '"a":"\\u12"'),
      event({ a: 1 }).replace('"a":1', '"a":01'),
      event({ a: 1 }).replace('"a":1', '"a":1.'),
      event({ a: 1 }).replace('"a":1', '"a":-'),
      event({ a: 1 }).replace('"a":1', '"a":tru'),
      event({ a: 1 }).replace('"a":1', '"a":[1,]'),
      '[1,2]',
      '',
    ];
    agree(lines);
  });

  it('finds the profile of an ID with characters past ASCII or escapes', () => {
    const lines = [
      event({ a: 1 }, { relationships: { profile: { data: { id: 'prøfil-ü' } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: { id: 'quote"id' } }, metric: { data: { id: 'M1' } } } }),
      event({ a: 1 }, { relationships: { profile: { data: { id: '01HPROFILEB' } }, metric: { data: { id: 'M-new' } } } }),
    ];
    assert.equal(agree(lines), 3);
  });

  it('reads a line only when the byte after it ends it', () => {
    const line = event({ a: 1 });
    const builder = () => {
      const profiles = new WorkspaceBuilder('', 0);
      profiles.addProfile({ type: 'profile', id: '01HPROFILEA', attributes: {} });
      return WorkspaceBuilder.forEvents(profiles.eventsContext());
    };
    for (const [after, taken] of [
      ['', true],
      ['\n', true],
      ['\r\n', true],
      ['}', false],
      [' ', false],
    ] as const) {
      const bytes = Buffer.from(line + after, 'utf8');
      const decode = (start: number, end: number, ascii: boolean) => bytes.toString(ascii ? 'latin1' : 'utf8', start, end);
      assert.equal(builder().addEventLine(bytes, 0, Buffer.byteLength(line), 1, decode), taken, JSON.stringify(after));
    }
  });

  it('agrees with JSON.parse on random events, written with random spacing', () => {
    const text = fc.oneof(fc.constantFrom('Vinyl', 'Pop', 'Rega Planar 1 Turntable', '', 'ü', 'a"b', '🎶'), fc.string({ maxLength: 6 }));
    const leaf = fc.oneof(
      text,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.constantFrom(0.1, 19.99, -0, 1e21, 123456789012345.6),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.oneof(
      { weight: 4, arbitrary: leaf },
      fc.array(text, { maxLength: 4 }),
      fc.array(leaf, { maxLength: 3 }),
      fc.dictionary(text, leaf, { maxKeys: 2 }),
    );
    const properties = fc.dictionary(fc.oneof(fc.constantFrom('$value', 'ItemNames', 'Categories', '$event_id', 'Price'), fc.string({ maxLength: 5 })), value, {
      maxKeys: 6,
    });
    const space = fc.constantFrom('', ' ', '\t', '  ');
    const eventArb = fc.record({
      properties,
      profile: fc.constantFrom(...PROFILES, 'unknown'),
      metric: fc.constantFrom('M1', 'M2'),
      timestamp: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.constant(null), fc.constant(undefined)),
      space,
    });
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 8 }), (events) => {
        const lines = events.map(({ properties: p, profile, metric, timestamp, space: s }) => {
          const attributes = { ...(timestamp === undefined ? {} : { timestamp }), datetime: '2024-01-02T03:04:05+00:00', event_properties: p };
          const json = JSON.stringify(
            { type: 'event', attributes, relationships: { profile: { data: { id: profile } }, metric: { data: { id: metric } } } },
            null,
            s === '' ? undefined : s,
          );
          return json.replace(/\n/g, ' ');
        });
        agree(lines);
      }),
      { numRuns: 300, seed: 1207 },
    );
  });
});
