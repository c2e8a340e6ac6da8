/**
 * Go to definition and find references (server/src/features/navigation.ts), in process. The
 * records' places on disk come from the workspace summary (the loader fills them in; here
 * ./tinyShop.ts does); which segment files exist is the server's business, so references get the
 * other files as the server would hand them over. `^^^ ref` annotations mark each expected
 * reference (markers: ./fixture.ts).
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { definition, references } from '../../../server/src/features/navigation';
import { definition as definitionOf, fixture, type SegmentFixture } from './fixture';
import { LISTS_FILE, METRICS_FILE, recordLine, tinyShop } from './tinyShop';

const at = (f: SegmentFixture) => definition(f.parsed, f.offset, tinyShop().summary);

/** Where go to definition lands for a record: the start of its line in the data file. */
function recordLocation(kind: 'metric' | 'list', id: string): Location {
  const line = recordLine(kind, id) - 1;
  return {
    uri: pathToFileURL(kind === 'metric' ? METRICS_FILE : LISTS_FILE).toString(),
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
  };
}

describe('navigation: go to definition', () => {
  it('from a metric ID: its record in the metrics file', () => {
    const f = fixture(
      definitionOf(
        '{ "type": "profile-metric", "metric_id": "Mc9|yTe", "measurement": "count", "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }, "timeframe_filter": { "type": "date", "operator": "alltime" } }',
      ),
    );
    assert.deepEqual(at(f), [recordLocation('metric', 'Mc9yTe')]);
  });

  it('from a list ID: its record in the lists file', () => {
    const f = fixture(definitionOf('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["VpC|4rX"] }'));
    assert.deepEqual(at(f), [recordLocation('list', 'VpC4rX')]);
  });

  it("from a funnel step's metric ID", () => {
    const f = fixture(
      definitionOf(
        '{ "type": "profile-metric-funnel", "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 }, "steps": [ { "metric_exists": true, "metric_id": "Mc9yTe" }, { "metric_exists": true, "metric_id": "Ls5|hWq" } ] }',
      ),
    );
    assert.deepEqual(at(f), [recordLocation('metric', 'Ls5hWq')]);
  });

  it('nowhere from an ID the workspace does not have, from anything but an ID, or outside a workspace', () => {
    assert.deepEqual(at(fixture(definitionOf('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NOPE|00"] }'))), []);
    assert.deepEqual(at(fixture(definitionOf('{ "type": "profile-region", "in_region": true, "region": "united_st|ates" }'))), []);
    const f = fixture(definitionOf('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["VpC|4rX"] }'));
    assert.deepEqual(definition(f.parsed, f.offset, undefined), []);
  });
});

describe('navigation: find references', () => {
  // Another segment file: the metric in a metric condition and in a funnel step count; the same
  // text as a list ID does not.
  const openers = fixture(
    `{
  "condition_groups": [
    { "conditions": [
      { "type": "profile-metric", "metric_id": "Mc9yTe", "measurement": "count", "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 2 }, "timeframe_filter": { "type": "date", "operator": "alltime" } },
      //                                       ^^^^^^^^ ref
      { "type": "profile-group-membership", "is_member": true, "group_ids": ["Mc9yTe"] }
    ] },
    { "conditions": [
      { "type": "profile-metric-funnel", "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 }, "steps": [ { "metric_exists": true, "metric_id": "Ls5hWq" }, { "metric_exists": true, "metric_id": "Mc9yTe" } ] }
      //                                                                                                                                                                                                                                      ^^^^^^^^ ref
    ] }
  ]
}`,
    { uri: 'file:///tiny-vinyl/segments/more/openers.json' },
  );
  // A create body in another folder.
  const welcome = fixture(
    `{"data":{"type":"segment","attributes":{"name":"Welcome","definition":{"condition_groups":[{"conditions":[
{"type":"profile-metric","metric_id":"Mc9yTe","measurement":"count","measurement_filter":{"type":"numeric","operator":"equals","value":0},"timeframe_filter":{"type":"date","operator":"alltime"}}
//                                   ^^^^^^^^ ref
]}]}}}}`,
    { uri: 'file:///marketing-repo/campaigns/welcome.segment.json' },
  );
  const current = fixture(
    definitionOf(
      '{ "type": "profile-metric", "metric_id": "Mc9y|Te", "measurement": "count", "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }, "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 7 } }',
    ),
  );
  const segments = [openers, welcome].map((f) => ({ uri: f.document.uri, parsed: f.parsed, document: f.document }));

  const key = (l: Location) => `${l.uri} ${JSON.stringify(l.range)}`;
  const expected = (...files: SegmentFixture[]) =>
    files.flatMap((f) => f.annotations.filter((a) => a.label === 'ref').map((a) => key({ uri: f.document.uri, range: a.range })));
  const currentRef = (): Location => {
    const start = current.text.indexOf('"Mc9yTe"');
    return { uri: current.document.uri, range: { start: current.document.positionAt(start), end: current.document.positionAt(start + '"Mc9yTe"'.length) } };
  };

  it('of a metric ID: every metric_id with that ID in the segment files and the open document', () => {
    const found = references(current.document, current.parsed, current.offset, segments, false, tinyShop().summary);
    assert.deepEqual(found.map(key).sort(), [...expected(openers, welcome), key(currentRef())].sort());
  });

  it("with the declaration: the metric's record as well", () => {
    const found = references(current.document, current.parsed, current.offset, segments, true, tinyShop().summary);
    const withoutDeclaration = new Set([...expected(openers, welcome), key(currentRef())]);
    assert.deepEqual(
      found.filter((l) => !withoutDeclaration.has(key(l))),
      [recordLocation('metric', 'Mc9yTe')],
    );
  });

  it('the open document is counted once when it is among the segment files', () => {
    const withCurrent = [...segments, { uri: current.document.uri, parsed: current.parsed, document: current.document }];
    const found = references(current.document, current.parsed, current.offset, withCurrent, false, tinyShop().summary);
    assert.equal(found.filter((l) => l.uri === current.document.uri).length, 1);
  });

  it('of a list ID: the group_ids items with that ID, not metric IDs spelled the same', () => {
    const list = fixture(definitionOf('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["Mc9|yTe"] }'));
    const found = references(list.document, list.parsed, list.offset, segments, false, tinyShop().summary);
    const start = openers.text.indexOf('["Mc9yTe"]') + 1;
    const inOpeners: Location = {
      uri: openers.document.uri,
      range: { start: openers.document.positionAt(start), end: openers.document.positionAt(start + 8) },
    };
    const own = list.text.indexOf('"Mc9yTe"');
    const inList: Location = { uri: list.document.uri, range: { start: list.document.positionAt(own), end: list.document.positionAt(own + 8) } };
    assert.deepEqual(found.map(key).sort(), [key(inOpeners), key(inList)].sort());
  });

  it('of anything but an ID: none', () => {
    const f = fixture(definitionOf('{ "type": "profile-region", "in_region": true, "region": "united_st|ates" }'));
    assert.deepEqual(references(f.document, f.parsed, f.offset, segments, true, tinyShop().summary), []);
  });
});
