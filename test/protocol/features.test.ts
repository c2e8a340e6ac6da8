/**
 * Fixture-style tests of the language features through the real protocol, against the built
 * server (dist/server.js). Each case is segment text with a `|` cursor marker. Completions are
 * applied the way an editor does (snippet tab stops expanded to their defaults) and the result is
 * validated by the server itself.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseTree, findNodeAtLocation, type Node } from 'jsonc-parser';
import {
  CodeActionKind, CodeActionRequest, CompletionItemKind, DefinitionRequest, DiagnosticTag, DocumentFormattingRequest, DocumentSymbolRequest, FoldingRangeRequest,
  InsertTextFormat, ReferencesRequest, SelectionRangeRequest, type CodeAction, type CompletionItem, type Diagnostic, type DocumentSymbol, type Location,
  type Range, type SelectionRange, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyCompletion, applyEdits, blockRange, cursor, editOf, editorFilter, item, offsetAt, positionAt, rangeOf, sorted } from '../support/lspText';
import { TestClient } from './lspClient';
import {
  copyWorkspace, ERROR, fmt, INFORMATION, listMemberCount, metricFacts, profilesInCity, removeDir, SAMPLE, segmentFilesUnder, Session, WARNING, writeFile,
} from './fixtures';
import type { CountsReport } from '../../server/src/protocol';

/** Validation right after each change: the tests wait for diagnostics of many documents. */
const FAST = { debounceMs: 0 };

const CONDITION_TYPES = [
  'profile-metric', 'profile-property', 'profile-group-membership', 'profile-marketing-consent', 'profile-metric-funnel', 'profile-postal-code-distance',
  'profile-region', 'profile-predictive-analytics', 'profile-has-custom-object', 'profile-permissions',
];

/** A bare definition with one group holding `conditions` (JSON texts), pretty enough to read. */
const definition = (...conditions: string[]) => `{
  "condition_groups": [
    {
      "conditions": [
        ${conditions.join(',\n        ')}
      ]
    }
  ]
}`;

const PLACED_ORDER_30_DAYS = `{ "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count",
          "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 },
          "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 } }`;

const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const labels = (items: readonly CompletionItem[]) => items.map((i) => i.label);
const emptyRangeAt = (text: string, offset: number): Range => ({ start: positionAt(text, offset), end: positionAt(text, offset) });

/** Offset right after the text `item` inserted into `text` (where the editor leaves the cursor when no tab stop is left). */
function endOfInsertion(before: string, item: CompletionItem, after: string): number {
  const edit = editOf(item);
  const start = offsetAt(before, edit.range.start);
  return start + (after.length - (before.length - (offsetAt(before, edit.range.end) - start)));
}

/** A server started on a fresh copy of the sample workspace, with the workspace loaded. */
async function startOnSampleCopy(): Promise<{ client: TestClient; root: string; s: Session }> {
  const root = copyWorkspace(SAMPLE);
  const client = new TestClient({ settings: FAST });
  await client.initialize();
  const s = new Session(client, root);
  assert.equal((await s.ready()).state, 'ok');
  return { client, root, s };
}

// =============================================================================================

describe('features over the protocol: completion (Mint Vinyl sample workspace)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => ({ client, root, s } = await startOnSampleCopy()));
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  // --- keys ----------------------------------------------------------------------------------

  it('keys of an empty profile-metric condition: only its keys, the required ones first', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": "profile-metric", | }'));
    const shown = sorted(items);
    assert.deepEqual(new Set(labels(shown.slice(0, 4))), new Set(['metric_id', 'measurement', 'measurement_filter', 'timeframe_filter']));
    assert.deepEqual(labels(shown.slice(4)), ['metric_filters']);
    for (const i of shown.slice(0, 4)) assert.equal(i.detail, 'required', i.label);
    assert.equal(item(items, 'metric_filters').detail, 'optional');
    assert.deepEqual(editOf(item(items, 'metric_id')), { range: emptyRangeAt(text, offset), newText: '"metric_id": "$1"' });
    const result = applyCompletion(text, item(items, 'measurement'));
    assert.match(result, /\{ "type": "profile-metric", "measurement": "count" \}/);
    // A single key of an otherwise empty condition: only the keys still missing may be reported.
    await s.assertValid(result, ['missing-property']);
  });

  it('keys of a profile-region condition, accepted one after the other, give a valid condition', async () => {
    let { text, items } = await s.complete(definition('{ "type": "profile-region", | }'));
    assert.deepEqual(labels(sorted(items)), ['in_region', 'region']);
    let first = sorted(items)[0];
    let result = applyCompletion(text, first);
    const end = endOfInsertion(text, first, result);
    ({ text, items } = await s.complete(`${result.slice(0, end)}, |${result.slice(end)}`));
    assert.deepEqual(labels(items), ['region'], 'in_region is no longer offered');
    first = items[0];
    result = applyCompletion(text, first);
    assert.match(result, /\{ "type": "profile-region", "in_region": true, "region": "european_union" \}/);
    const diagnostics = await s.assertValid(result);
    assert.deepEqual(diagnostics, []);
  });

  it('keys of an empty profile-group-membership condition: is_member and group_ids', async () => {
    const { text, items } = await s.complete(definition('{ "type": "profile-group-membership", | }'));
    assert.ok(items.some((i) => i.label === 'is_member'), `is_member offered; got ${JSON.stringify(labels(items))}`);
    assert.ok(items.some((i) => i.label === 'group_ids'), 'group_ids offered');
    assert.equal(item(items, 'is_member').detail, 'required');
    assert.ok(!items.some((i) => ['metric_id', 'region', 'property'].includes(i.label)), 'no keys of other condition types');
    await s.assertValid(applyCompletion(text, item(items, 'is_member')), ['missing-property']);
  });

  it('keys of an empty profile-predictive-analytics condition: dimension and filter', async () => {
    const { items } = await s.complete(definition('{ "type": "profile-predictive-analytics", | }'));
    assert.ok(items.some((i) => i.label === 'dimension'), `dimension offered; got ${JSON.stringify(labels(items))}`);
    assert.ok(items.some((i) => i.label === 'filter'), 'filter offered');
  });

  it('keys of a condition that is still empty: "type" first', async () => {
    const { text, items } = await s.complete(definition('{ | }'));
    assert.ok(items.length > 0, 'something is offered in an empty condition');
    const top = sorted(items)[0];
    assert.equal(top.label, 'type');
    assert.equal(top.detail, 'required');
    await s.assertValid(applyCompletion(text, top), ['missing-property']);
  });

  it('keys of a date filter after "type": "date" (metric timeframe): operator first, only date operands', async () => {
    const { text, items } = await s.complete(definition(`{ "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count",
          "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 },
          "timeframe_filter": { "type": "date", | } }`));
    assert.ok(items.length > 0, 'keys are offered in a date filter whose operator is not written yet');
    assert.equal(sorted(items)[0].label, 'operator');
    assert.equal(item(items, 'operator').detail, 'required');
    const allowed = new Set(['operator', 'date', 'start', 'end', 'unit', 'quantity']);
    assert.deepEqual(labels(items).filter((l) => !allowed.has(l)), [], 'only keys of date filters valid in a metric timeframe');
    await s.assertValid(applyCompletion(text, item(items, 'operator')), ['missing-property']);
  });

  it('keys of a date filter with its operator: exactly what that operator needs', async () => {
    const { text, offset, items } = await s.complete(definition(`{ "type": "profile-property", "property": "created",
          "filter": { "type": "date", "operator": "in-the-last", "quantity": 30, | } }`));
    assert.deepEqual(labels(items), ['unit']);
    assert.deepEqual(editOf(items[0]), { range: emptyRangeAt(text, offset), newText: '"unit": "${1|hour,day,week|}"' });
    assert.deepEqual(await s.assertValid(applyCompletion(text, items[0])), []);
  });

  it('keys of an empty consent object: channel and can_receive_marketing', async () => {
    const { items } = await s.complete(definition('{ "type": "profile-marketing-consent", "consent": { | } }'));
    assert.ok(items.some((i) => i.label === 'channel'), `channel offered; got ${JSON.stringify(labels(items))}`);
    assert.ok(items.some((i) => i.label === 'can_receive_marketing'), 'can_receive_marketing offered');
    assert.equal(item(items, 'channel').detail, 'required');
  });

  it('keys of a consent object with channel and can_receive_marketing: consent_status', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": "profile-marketing-consent", "consent": { "channel": "email", "can_receive_marketing": true, | } }'));
    assert.deepEqual(labels(items), ['consent_status']);
    assert.equal(items[0].detail, 'required');
    assert.deepEqual(editOf(items[0]), { range: emptyRangeAt(text, offset), newText: '"consent_status": {$1}' });
    await s.assertValid(applyCompletion(text, items[0]), ['missing-property']);
  });

  it('keys of an empty consent_status: subscription', async () => {
    const { items } = await s.complete(definition('{ "type": "profile-marketing-consent", "consent": { "channel": "email", "can_receive_marketing": true, "consent_status": { | } } }'));
    assert.ok(items.some((i) => i.label === 'subscription'), `subscription offered; got ${JSON.stringify(labels(items))}`);
  });

  // --- condition types and snippets -----------------------------------------------------------

  it('type values in an empty condition: every condition type, each a complete skeleton', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": | }'));
    assert.deepEqual(new Set(labels(items)), new Set(CONDITION_TYPES.map((t) => JSON.stringify(t))));
    for (const i of items) {
      const edit = editOf(i);
      assert.deepEqual(edit.range, emptyRangeAt(text, offset), i.label);
      assert.ok(edit.newText.startsWith(`${i.label}, "`), `${i.label} inserts the rest of the condition: ${edit.newText}`);
      assert.equal(i.insertTextFormat, InsertTextFormat.Snippet);
    }
  });

  for (const type of CONDITION_TYPES) {
    it(`type value ${type} in an empty condition inserts a valid condition`, async () => {
      const { text, items } = await s.complete(definition('{ "type": | }'));
      const result = applyCompletion(text, item(items, JSON.stringify(type)));
      const condition = (JSON.parse(result) as { condition_groups: { conditions: Record<string, unknown>[] }[] }).condition_groups[0].conditions[0];
      assert.equal(condition.type, type);
      assert.ok(Object.keys(condition).length > 1, 'more than the type');
      await s.assertValid(result);
    });
  }

  it('type value typed inside the quotes replaces the whole string', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": "profile-re|" }'));
    const region = item(editorFilter(items, text, offset), '"profile-region"');
    const start = text.indexOf('"profile-re"');
    assert.deepEqual(editOf(region).range, { start: positionAt(text, start), end: positionAt(text, start + '"profile-re"'.length) });
    const result = applyCompletion(text, region);
    assert.match(result, /\{ "type": "profile-region", "in_region": true, "region": "european_union" \}/);
    assert.deepEqual(await s.assertValid(result), []);
  });

  it('condition snippets inside "conditions": [ | ]: one per condition type', async () => {
    const { text, offset, items } = await s.complete(definition('|'));
    assert.deepEqual(new Set(items.map((i) => i.detail)), new Set(CONDITION_TYPES));
    for (const i of items) {
      assert.equal(i.kind, CompletionItemKind.Snippet);
      assert.deepEqual(editOf(i).range, emptyRangeAt(text, offset));
      assert.ok(editOf(i).newText.startsWith('{ "type": '), i.label);
    }
  });

  for (const type of CONDITION_TYPES) {
    it(`condition snippet ${type} inserts a valid condition`, async () => {
      const { text, items } = await s.complete(definition('|'));
      const snippet = items.find((i) => i.detail === type);
      assert.ok(snippet, `a snippet for ${type}`);
      const result = applyCompletion(text, snippet);
      assert.equal((JSON.parse(result) as { condition_groups: { conditions: { type: string }[] }[] }).condition_groups[0].conditions[0].type, type);
      await s.assertValid(result);
    });
  }

  it('a condition snippet before an existing condition adds the comma after it', async () => {
    const region = '{ "type": "profile-region", "in_region": true, "region": "united_states" }';
    const { text, items } = await s.complete(definition(`| ${region}`));
    const snippet = items.find((i) => i.detail === 'profile-property');
    assert.ok(snippet);
    assert.ok(editOf(snippet).newText.endsWith('},'), editOf(snippet).newText);
    const result = applyCompletion(text, snippet);
    assert.equal((JSON.parse(result) as { condition_groups: { conditions: unknown[] }[] }).condition_groups[0].conditions.length, 2);
    await s.assertValid(result);
  });

  it('a condition snippet after an existing condition and its comma adds no comma', async () => {
    const region = '{ "type": "profile-region", "in_region": true, "region": "united_states" }';
    const { text, items } = await s.complete(definition(`${region}, |`));
    const snippet = items.find((i) => i.detail === 'profile-region');
    assert.ok(snippet);
    const result = applyCompletion(text, snippet);
    assert.equal((JSON.parse(result) as { condition_groups: { conditions: unknown[] }[] }).condition_groups[0].conditions.length, 2);
    await s.assertValid(result);
  });

  it('a condition snippet after an existing condition without a comma adds the comma before it', async () => {
    const region = '{ "type": "profile-region", "in_region": true, "region": "united_states" }';
    const { text, items } = await s.complete(definition(`${region}\n        |`));
    const snippet = items.find((i) => i.detail === 'profile-region');
    assert.ok(snippet, `condition snippets offered after a condition; got ${JSON.stringify(labels(items))}`);
    const result = applyCompletion(text, snippet);
    assert.doesNotThrow(() => JSON.parse(result), `the result is valid JSON:\n${result}`);
    await s.assertValid(result);
  });

  // --- operators, units, timeframe shapes -----------------------------------------------------

  const metricWith = (measurementFilter: string, timeframe: string) => definition(`{ "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count",
          "measurement_filter": ${measurementFilter},
          "timeframe_filter": ${timeframe} }`);

  it('operator values after "type": "numeric" in a measurement filter: the numeric operators', async () => {
    const { text, offset, items } = await s.complete(metricWith('{ "type": "numeric", "operator": |, "value": 1 }', '{ "type": "date", "operator": "alltime" }'));
    assert.deepEqual(new Set(labels(items)), new Set(['"equals"', '"not-equals"', '"greater-than"', '"greater-than-or-equal"', '"less-than"', '"less-than-or-equal"']));
    const gte = item(items, '"greater-than-or-equal"');
    assert.deepEqual(editOf(gte), { range: emptyRangeAt(text, offset), newText: '"greater-than-or-equal"' });
    assert.deepEqual(await s.assertValid(applyCompletion(text, gte)), []);
  });

  it('operator values after "type": "date" in a metric timeframe: relative, static, anniversary and alltime', async () => {
    const { text, items } = await s.complete(metricWith('{ "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }', '{ "type": "date", "operator": | }'));
    assert.deepEqual(new Set(labels(items)), new Set(['"before"', '"after"', '"between-static"', '"in-the-last"', '"at-least"', '"in-the-next"', '"anniversary-last"', '"anniversary-next"', '"between"', '"alltime"']));
    assert.deepEqual(await s.assertValid(applyCompletion(text, item(items, '"alltime"'))), []);
  });

  it('operator values after "type": "date" in a list-join timeframe: no alltime, no anniversaries', async () => {
    const { text, items } = await s.complete(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kQ"], "timeframe_filter": { "type": "date", "operator": |, "unit": "day", "quantity": 30 } }'));
    assert.deepEqual(new Set(labels(items)), new Set(['"before"', '"after"', '"between-static"', '"in-the-last"', '"at-least"', '"in-the-next"', '"between"']));
    assert.deepEqual(await s.assertValid(applyCompletion(text, item(items, '"in-the-last"'))), []);
  });

  it('operator values after "type": "date" in a profile-property filter: calendar and anniversary operators too', async () => {
    const { items } = await s.complete(definition('{ "type": "profile-property", "property": "properties[\'Birthday\']", "filter": { "type": "date", "operator": | } }'));
    assert.deepEqual(new Set(labels(items)), new Set(['"before"', '"after"', '"between-static"', '"in-the-last"', '"at-least"', '"in-the-next"', '"anniversary-last"', '"anniversary-next"', '"between"', '"calendar-month"', '"anniversary"', '"anniversary-month"']));
  });

  it('unit values in a relative timeframe: hour, day, week', async () => {
    const { text, offset, items } = await s.complete(metricWith('{ "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }', '{ "type": "date", "operator": "in-the-last", "quantity": 30, "unit": | }'));
    assert.deepEqual(labels(sorted(items)), ['"hour"', '"day"', '"week"']);
    assert.deepEqual(editOf(item(items, '"day"')), { range: emptyRangeAt(text, offset), newText: '"day"' });
    assert.deepEqual(await s.assertValid(applyCompletion(text, item(items, '"day"'))), []);
  });

  it('unit values of a postal-code distance: miles, kilometers', async () => {
    const { text, items } = await s.complete(definition('{ "type": "profile-postal-code-distance", "country_code": "USA", "postal_code": "02141", "unit": |, "filter": { "type": "numeric", "operator": "less-than", "value": 10 } }'));
    assert.deepEqual(new Set(labels(items)), new Set(['"miles"', '"kilometers"']));
    assert.deepEqual(await s.assertValid(applyCompletion(text, item(items, '"kilometers"'))), []);
  });

  const METRIC_SHAPES = ['static date filter', 'static date range filter', 'relative date filter', 'relative anniversary filter', 'relative date range filter', 'all-time filter'];
  it('timeframe shapes for "timeframe_filter": | of a metric condition', async () => {
    const { text, offset, items } = await s.complete(metricWith('{ "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }', '|'));
    assert.deepEqual(new Set(labels(items)), new Set(METRIC_SHAPES));
    for (const i of items) {
      assert.equal(i.kind, CompletionItemKind.Snippet);
      assert.deepEqual(editOf(i).range, emptyRangeAt(text, offset));
      assert.match(editOf(i).newText, /^\{ "type": "date", "operator": /);
    }
  });

  for (const shape of METRIC_SHAPES) {
    it(`timeframe shape "${shape}" gives a valid metric condition`, async () => {
      const { text, items } = await s.complete(metricWith('{ "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }', '|'));
      assert.deepEqual(await s.assertValid(applyCompletion(text, item(items, shape))), []);
    });
  }

  it('timeframe shapes of a list join: only those a list join accepts, each valid', async () => {
    const { text, items } = await s.complete(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kQ"], "timeframe_filter": | }'));
    assert.deepEqual(new Set(labels(items)), new Set(['static date filter', 'static date range filter', 'relative date filter', 'relative date range filter']));
    for (const i of items) assert.deepEqual(await s.assertValid(applyCompletion(text, i)), [], i.label);
  });

  // --- workspace data --------------------------------------------------------------------------

  it('metric_id by name: the ID is inserted, detail with integration and event count, most events first', async () => {
    const { text, offset, items } = await s.complete(metricWith('{ "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }', '{ "type": "date", "operator": "alltime" }').replace('"VwxT3a"', '|'));
    const metrics = (JSON.parse(readFileSync(join(root, 'data', 'metrics.json'), 'utf8')) as { data: { id: string; attributes: { name: string } }[] }).data;
    assert.deepEqual(new Set(labels(items)), new Set(metrics.map((m) => m.attributes.name)));
    const placed = item(items, 'Placed Order');
    const facts = metricFacts(root, 'VwxT3a');
    assert.deepEqual(editOf(placed), { range: emptyRangeAt(text, offset), newText: '"VwxT3a"' });
    assert.match(String(placed.detail), /Shopify/);
    assert.ok(String(placed.detail).includes(`${fmt(facts.count)} events`), `${placed.detail} has the event count ${fmt(facts.count)}`);
    const counts = sorted(items).map((i) => metricFacts(root, metrics.find((m) => m.attributes.name === i.label)!.id).count);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), `ordered by most events: ${labels(sorted(items))}`);
    assert.deepEqual(await s.assertValid(applyCompletion(text, placed)), []);
  });

  it('metric_id: typing "Plac keeps Placed Order (filterText) and replaces the whole string', async () => {
    const { text, offset, items } = await s.complete(metricWith('{ "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }', '{ "type": "date", "operator": "alltime" }').replace('"VwxT3a"', '"Plac|"'));
    const kept = editorFilter(items, text, offset);
    assert.deepEqual(labels(kept), ['Placed Order']);
    const start = text.indexOf('"Plac"');
    assert.deepEqual(editOf(kept[0]), { range: { start: positionAt(text, start), end: positionAt(text, start + '"Plac"'.length) }, newText: '"VwxT3a"' });
    const result = applyCompletion(text, kept[0]);
    assert.match(result, /"metric_id": "VwxT3a", "measurement"/);
    assert.deepEqual(await s.assertValid(result), []);
  });

  it('group_ids items: list names with member counts, the ID inserted', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": [|] }'));
    const lists = (JSON.parse(readFileSync(join(root, 'data', 'lists.json'), 'utf8')) as { data: { id: string; attributes: { name: string } }[] }).data;
    assert.deepEqual(new Set(labels(items)), new Set(lists.map((l) => l.attributes.name)));
    for (const list of lists) {
      const i = item(items, list.attributes.name);
      assert.equal(editOf(i).newText, JSON.stringify(list.id));
      assert.ok(String(i.detail).includes(`${fmt(listMemberCount(root, list.id))} members`), `${i.detail}: ${listMemberCount(root, list.id)} members`);
    }
    const newsletter = item(items, 'Newsletter');
    assert.deepEqual(editOf(newsletter).range, emptyRangeAt(text, offset));
    assert.deepEqual(await s.assertValid(applyCompletion(text, newsletter)), []);
  });

  it('property of a profile-property condition: built-ins, location fields and custom properties with their observed types', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": "profile-property", "property": |, "filter": { "type": "string", "operator": "equals", "value": "Boston" } }'));
    for (const name of ['email', 'phone_number', 'created', "location['city']", "location['country']"]) item(items, name);
    const types: Record<string, string> = {
      "properties['Favorite Genre']": 'string', "properties['Loyalty Points']": 'number', "properties['Birthday']": 'date', "properties['Tags']": 'list', "properties['Accepts Marketing']": 'boolean',
    };
    for (const [name, type] of Object.entries(types)) assert.match(String(item(items, name).detail), new RegExp(`^${type}\\b`), `${name}: ${item(items, name).detail}`);
    const city = item(items, "location['city']");
    assert.deepEqual(editOf(city), { range: emptyRangeAt(text, offset), newText: '"location[\'city\']"' });
    assert.deepEqual(await s.assertValid(applyCompletion(text, city)), []);
  });

  it('filter value of location[\'city\']: the cities seen in the workspace, with profile counts', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": "profile-property", "property": "location[\'city\']", "filter": { "type": "string", "operator": "equals", "value": | } }'));
    const boston = item(items, '"Boston"');
    item(items, '"Columbus"');
    assert.equal(boston.detail, `${fmt(profilesInCity(root, 'Boston'))} profiles`);
    assert.deepEqual(editOf(boston), { range: emptyRangeAt(text, offset), newText: '"Boston"' });
    assert.deepEqual(await s.assertValid(applyCompletion(text, boston)), []);
  });

  it('filter value typed "Bo keeps Boston and replaces the string', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": "profile-property", "property": "location[\'city\']", "filter": { "type": "string", "operator": "equals", "value": "Bo|" } }'));
    const kept = editorFilter(items, text, offset);
    assert.ok(labels(kept).includes('"Boston"'), JSON.stringify(labels(kept)));
    assert.ok(labels(kept).every((l) => l.startsWith('"Bo')));
    const result = applyCompletion(text, item(kept, '"Boston"'));
    assert.match(result, /"value": "Boston" \}/);
    assert.deepEqual(await s.assertValid(result), []);
  });

  it('metric_filters[].property: the event properties of that metric', async () => {
    const clicked = await s.complete(definition(`{ "type": "profile-metric", "metric_id": "Ls5hWq", "measurement": "count",
          "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 },
          "timeframe_filter": { "type": "date", "operator": "alltime" },
          "metric_filters": [ { "property": |, "filter": { "type": "boolean", "operator": "equals", "value": false } } ] }`));
    const bot = item(clicked.items, 'Bot Click');
    assert.match(String(bot.detail), /^boolean/);
    assert.ok(!labels(clicked.items).includes('Categories'), 'no property of another metric');
    assert.deepEqual(editOf(bot), { range: emptyRangeAt(clicked.text, clicked.offset), newText: '"Bot Click"' });
    assert.deepEqual(await s.assertValid(applyCompletion(clicked.text, bot)), []);

    const placed = await s.complete(metricWith('{ "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }', '{ "type": "date", "operator": "alltime" }, "metric_filters": [ { "property": | } ]'));
    for (const name of ['$value', 'Categories', 'Item Count']) item(placed.items, name);
    assert.ok(!labels(placed.items).includes('Bot Click'));
    assert.deepEqual(await s.assertValid(applyCompletion(placed.text, item(placed.items, '$value'))), []);
  });

  it('filter value of a numeric filter: only the numbers seen (Loyalty Points is sometimes a string)', async () => {
    const { text, items } = await s.complete(definition('{ "type": "profile-property", "property": "properties[\'Loyalty Points\']", "filter": { "type": "numeric", "operator": "greater-than", "value": | } }'));
    assert.ok(items.length > 0, 'observed values are offered');
    for (const i of items) assert.equal(typeof JSON.parse(editOf(i).newText), 'number', `${i.label} is a number`);
    assert.deepEqual(await s.assertValid(applyCompletion(text, items[0])), []);
  });

  it('date values of a static date filter: midnight UTC days around the workspace\'s now', async () => {
    const { text, offset, items } = await s.complete(definition('{ "type": "profile-property", "property": "created", "filter": { "type": "date", "operator": "after", "date": | } }'));
    const byDetail = new Map(items.map((i) => [i.detail, i]));
    assert.equal(editOf(byDetail.get('today (the whole day, UTC)')!).newText, '"2026-11-01T00:00:00+00:00"');
    assert.equal(editOf(byDetail.get('30 days ago')!).newText, '"2026-10-02T00:00:00+00:00"');
    assert.deepEqual(editOf(byDetail.get('30 days ago')!).range, emptyRangeAt(text, offset));
    assert.deepEqual(await s.assertValid(applyCompletion(text, byDetail.get('30 days ago')!)), []);
  });

  it('filter shapes for "filter": | of a profile-property condition: every family, each valid', async () => {
    const { text, items } = await s.complete(definition('{ "type": "profile-property", "property": "properties[\'Favorite Genre\']", "filter": | }'));
    for (const family of ['text filter', 'numeric filter', 'boolean filter', 'relative date filter', 'calendar month filter', 'list length filter', 'existence filter']) item(items, family);
    for (const i of items) assert.deepEqual((await s.assertValid(applyCompletion(text, i))).filter((d) => d.severity === ERROR), [], i.label);
  });

  // --- commas ----------------------------------------------------------------------------------

  it('a key completed before another key gets a comma after it', async () => {
    const { text, items } = await s.complete(definition('{ "type": "profile-region", | "region": "united_states" }'));
    const inRegion = item(items, 'in_region');
    assert.ok(editOf(inRegion).newText.endsWith(','), editOf(inRegion).newText);
    assert.deepEqual(await s.assertValid(applyCompletion(text, inRegion)), []);
  });

  it('a value completed before another key gets a comma after it', async () => {
    const { text, items } = await s.complete(definition('{ "type": "profile-region", "region": |\n          "in_region": true }'));
    const eu = item(items, '"european_union"');
    assert.equal(editOf(eu).newText, '"european_union",');
    assert.deepEqual(await s.assertValid(applyCompletion(text, eu)), []);
  });

  it('a key completed on a new line after a value without a comma gets the comma before it', async () => {
    const { text, items } = await s.complete(definition('{\n          "type": "profile-region",\n          "in_region": true\n          |\n        }'));
    assert.ok(items.some((i) => i.label === 'region'), `region offered; got ${JSON.stringify(labels(items))}`);
    const result = applyCompletion(text, item(items, 'region'));
    assert.doesNotThrow(() => JSON.parse(result), `the result is valid JSON:\n${result}`);
    assert.deepEqual(await s.assertValid(result), []);
  });
});

// =============================================================================================

describe('features over the protocol: hover (Mint Vinyl sample workspace)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => ({ client, root, s } = await startOnSampleCopy()));
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  const TWO_GROUPS = `{
  "condition_groups": [
    {
      "conditions": [
        ${PLACED_ORDER_30_DAYS}
      ]
    },
    {
      "conditions": [
        { "type": "profile-region", "in_region": true, "region": "united_states" },
        { "type": "profile-region", "in_region": true, "region": "european_union" }
      ]
    }
  ]
}`;

  it('on a condition\'s "type" key: the plain-English reading and its count', async () => {
    const { markdown, range, text, counts } = await s.hover(TWO_GROUPS.replace('"type": "profile-metric"', '"ty|pe": "profile-metric"'), { counts: true });
    assert.equal(counts?.state, 'ok');
    assert.match(markdown, /\*\*Reads:\*\* Placed Order at least once in the last 30 days/);
    const matched = counts!.groups[0].conditions[0].matched!;
    assert.ok(markdown.includes(`${fmt(matched)} profiles match this condition`), markdown);
    assert.deepEqual(range, rangeOf(text, '"type"'));
  });

  it('on a condition\'s "type" value: the same reading', async () => {
    const { markdown, range, text } = await s.hover(TWO_GROUPS.replace('"profile-metric"', '"profile-me|tric"'), { counts: true });
    assert.match(markdown, /\*\*Reads:\*\* Placed Order at least once in the last 30 days/);
    assert.match(markdown, /profiles match this condition/);
    assert.deepEqual(range, rangeOf(text, '"profile-metric"'));
  });

  it('on a condition in an OR group: its reading, the group\'s, and the region rule note', async () => {
    const { markdown, counts } = await s.hover(TWO_GROUPS.replace('"type": "profile-region", "in_region": true, "region": "european_union"', '"type": "profile-re|gion", "in_region": true, "region": "european_union"'), { counts: true });
    assert.match(markdown, /\*\*Reads:\*\* is in the EU/);
    assert.ok(markdown.includes(`${fmt(counts!.groups[1].conditions[1].matched!)} profiles match this condition`), markdown);
    assert.match(markdown, /Group 2 \(ORed\): is in the US OR is in the EU/);
    assert.match(markdown, /Profiles without a country match neither/);
  });

  it('on "condition_groups": the whole definition and its count', async () => {
    const { markdown, counts, range, text } = await s.hover(TWO_GROUPS.replace('"condition_groups"', '"condition|_groups"'), { counts: true });
    assert.match(markdown, /\*\*Segment:\*\* Placed Order at least once in the last 30 days AND \(is in the US OR is in the EU\)/);
    assert.ok(markdown.includes(`Matches ${fmt(counts!.matched!)} of ${fmt(counts!.total)} profiles`), markdown);
    assert.match(markdown, /Groups are ANDed; the conditions inside a group are ORed/);
    assert.deepEqual(range, rangeOf(text, '"condition_groups"'));
  });

  it('on a metric_id value: name, integration, event and profile counts, first and last event', async () => {
    const { markdown, range, text } = await s.hover(TWO_GROUPS.replace('"VwxT3a"', '"Vwx|T3a"'));
    const facts = metricFacts(root, 'VwxT3a');
    assert.match(markdown, /\*\*Placed Order\*\*/);
    assert.match(markdown, /`VwxT3a`/);
    assert.match(markdown, /Shopify/);
    assert.ok(markdown.includes(`${fmt(facts.count)} events from ${fmt(facts.profiles)} profiles`), `${markdown}\nexpected ${facts.count} events from ${facts.profiles} profiles`);
    assert.ok(markdown.includes(String(facts.first)) && markdown.includes(String(facts.last)), `first ${facts.first}, last ${facts.last} in:\n${markdown}`);
    assert.deepEqual(range, rangeOf(text, '"VwxT3a"'));
  });

  it('on a metric_id whose events carry no $value: says a sum would be 0', async () => {
    const facts = metricFacts(root, 'Mc9yTe');
    assert.ok(facts.count > 0 && facts.withValue === 0, 'precondition: Opened Email events have no $value');
    const { markdown } = await s.hover(TWO_GROUPS.replace('"VwxT3a"', '"Mc9y|Te"'));
    assert.match(markdown, /\*\*Opened Email\*\*/);
    assert.match(markdown, /No event carries a \$value/);
  });

  it('on a metric_id that is not in the workspace: says so, naming the workspace', async () => {
    const { markdown } = await s.hover(TWO_GROUPS.replace('"VwxT3a"', '"Nope|00"'));
    assert.match(markdown, /Unknown metric/);
    assert.match(markdown, /Mint Vinyl \(sample\)/);
  });

  it('on a group_ids value: the list name and member count', async () => {
    const { markdown, range, text } = await s.hover(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS|7kQ"] }'));
    assert.match(markdown, /\*\*Newsletter\*\*/);
    assert.ok(markdown.includes(`${fmt(listMemberCount(root, 'NwS7kQ'))} members`), markdown);
    assert.match(markdown, /double opt in/);
    assert.deepEqual(range, rangeOf(text, '"NwS7kQ"'));
  });

  it('on a key: its schema documentation, with the values it takes', async () => {
    const { markdown, range, text } = await s.hover(TWO_GROUPS.replace('"measurement"', '"measure|ment"'));
    assert.match(markdown, /\*\*measurement\*\*/);
    assert.match(markdown, /What to measure over the matching events/);
    assert.match(markdown, /`"count"`: How many events/);
    assert.match(markdown, /`"sum"`: The sum of the events' values/);
    assert.deepEqual(range, rangeOf(text, '"measurement"'));
  });

  it('on a key inside a timeframe: the documentation of that filter\'s key', async () => {
    const { markdown } = await s.hover(TWO_GROUPS.replace('"quantity"', '"quan|tity"'));
    assert.match(markdown, /\*\*quantity\*\*/);
    assert.match(markdown, /How many units/);
  });

  it('rule notes: a sum explains $value, a negated text filter explains missing values', async () => {
    const sum = await s.hover(definition(`{ "ty|pe": "profile-metric", "metric_id": "VwxT3a", "measurement": "sum",
          "measurement_filter": { "type": "numeric", "operator": "greater-than", "value": 100 },
          "timeframe_filter": { "type": "date", "operator": "alltime" } }`));
    assert.match(sum.markdown, /\*\*Reads:\*\* Placed Order with a total value that is greater than 100 over all time/);
    assert.match(sum.markdown, /The sum adds each event's "\$value"/);
    const negated = await s.hover(definition('{ "ty|pe": "profile-property", "property": "email", "filter": { "type": "string", "operator": "not-ends-with", "value": "@hotmail.com" } }'));
    assert.match(negated.markdown, /\*\*Reads:\*\* email does not end with "@hotmail.com"/);
    assert.match(negated.markdown, /Profiles without this property do not match/);
    assert.match(negated.markdown, /case-sensitive/);
  });
});

// =============================================================================================

describe('features over the protocol: navigation and structure (Mint Vinyl sample workspace)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let parent: string;
  let root: string;
  let editorFolder: string;
  let s: Session;

  before(async () => {
    parent = mkdtempSync(join(tmpdir(), 'segment-lens-nav-'));
    root = copyWorkspace(SAMPLE, join(parent, 'shop'));
    editorFolder = join(parent, 'marketing-repo');
    // An editor workspace folder that is not under the data workspace.
    writeFile(join(editorFolder, 'segments', 'promo.json'), definition('{ "type": "profile-metric", "metric_id": "Mc9yTe", "measurement": "count", "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }, "timeframe_filter": { "type": "date", "operator": "alltime" } }'));
    client = new TestClient({ rootUri: pathToFileURL(editorFolder).toString(), settings: FAST });
    await client.initialize();
    s = new Session(client, root);
    assert.equal((await s.ready()).state, 'ok');
  });
  after(async () => {
    await client?.stop();
    removeDir(parent);
  });

  /** Line (0-based) where the record with `id` starts in a `{"data": [...]}` file, and the line of its `"id"`. */
  function recordLines(file: string, id: string): { start: number; idLine: number } {
    const text = readFileSync(file, 'utf8');
    const tree = parseTree(text) as Node;
    const records = findNodeAtLocation(tree, ['data'])?.children ?? [];
    const record = records.find((r) => findNodeAtLocation(r, ['id'])?.value === id);
    assert.ok(record, `${id} in ${file}`);
    return { start: positionAt(text, record.offset).line, idLine: positionAt(text, findNodeAtLocation(record, ['id'])!.offset).line };
  }

  async function definitionAt(textWithCursor: string): Promise<Location[]> {
    const { text, offset } = cursor(textWithCursor);
    return s.with(text, async (uri) => {
      const result = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: positionAt(text, offset) });
      return (Array.isArray(result) ? result : result ? [result] : []) as Location[];
    });
  }

  it('definition from a metric ID: its record in data/metrics.json', async () => {
    const locations = await definitionAt(definition(PLACED_ORDER_30_DAYS.replace('"VwxT3a"', '"Mc9|yTe"')));
    assert.equal(locations.length, 1);
    const file = join(root, 'data', 'metrics.json');
    assert.equal(locations[0].uri, client.uriOf(file));
    const { start, idLine } = recordLines(file, 'Mc9yTe');
    const line = locations[0].range.start.line;
    assert.ok(line >= start && line <= idLine, `line ${line} is the record of Mc9yTe (lines ${start}–${idLine})`);
  });

  it('definition from a list ID: its record in data/lists.json', async () => {
    const locations = await definitionAt(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["VpC|4rX"] }'));
    assert.equal(locations.length, 1);
    const file = join(root, 'data', 'lists.json');
    assert.equal(locations[0].uri, client.uriOf(file));
    const { start, idLine } = recordLines(file, 'VpC4rX');
    const line = locations[0].range.start.line;
    assert.ok(line >= start && line <= idLine, `line ${line} is the record of VpC4rX (lines ${start}–${idLine})`);
  });

  it('definition from a funnel step\'s metric ID', async () => {
    const locations = await definitionAt(definition('{ "type": "profile-metric-funnel", "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 }, "steps": [ { "metric_exists": true, "metric_id": "Xq4mPc" }, { "metric_exists": true, "metric_id": "Hn7|sLd" } ] }'));
    assert.equal(locations.length, 1);
    const { start, idLine } = recordLines(join(root, 'data', 'metrics.json'), 'Hn7sLd');
    assert.ok(locations[0].range.start.line >= start && locations[0].range.start.line <= idLine);
  });

  it('references of a metric ID across the segment files of the workspace and of the editor\'s folders', async () => {
    writeFile(join(root, 'segments', 'more', 'openers.json'), `{
  "condition_groups": [
    { "conditions": [
      { "type": "profile-metric", "metric_id": "Mc9yTe", "measurement": "count", "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 2 }, "timeframe_filter": { "type": "date", "operator": "alltime" } },
      { "type": "profile-group-membership", "is_member": true, "group_ids": ["Mc9yTe"] }
    ] },
    { "conditions": [
      { "type": "profile-metric-funnel", "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 }, "steps": [ { "metric_exists": true, "metric_id": "Rf3nBk" }, { "metric_exists": true, "metric_id": "Mc9yTe" } ] }
    ] }
  ]
}`);
    writeFile(join(root, 'campaigns', 'welcome.segment.json'), `{"data":{"type":"segment","attributes":{"name":"Welcome","definition":{"condition_groups":[{"conditions":[{"type":"profile-metric","metric_id":"Mc9yTe","measurement":"count","measurement_filter":{"type":"numeric","operator":"equals","value":0},"timeframe_filter":{"type":"date","operator":"alltime"}}]}]}}}}`);
    writeFile(join(root, 'notes', 'not-a-segment.json'), '{"condition_groups":[{"conditions":[{"type":"profile-metric","metric_id":"Mc9yTe"}]}]}');

    const expected: string[] = [];
    for (const file of [...segmentFilesUnder(root), ...segmentFilesUnder(editorFolder)]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/"metric_id"\s*:\s*("Mc9yTe")/g)) {
        const at = m.index! + m[0].length - m[1].length;
        expected.push(`${client.uriOf(file)} ${JSON.stringify({ start: positionAt(text, at), end: positionAt(text, at + m[1].length) })}`);
      }
    }
    assert.ok(expected.some((e) => e.includes('/marketing-repo/')) && expected.some((e) => e.includes('welcome.segment.json')), 'precondition');

    const path = join(root, 'segments', 'more', 'openers.json');
    const text = readFileSync(path, 'utf8');
    const uri = client.uriOf(path);
    await client.open(uri, text);
    try {
      const position = positionAt(text, text.indexOf('"Mc9yTe"') + 3);
      const refs = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: false } })) ?? [];
      const got = refs.map((l) => `${l.uri} ${JSON.stringify(l.range)}`);
      assert.deepEqual([...got].sort(), [...expected].sort());
      const withDeclaration = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: true } })) ?? [];
      const extra = withDeclaration.filter((l) => !got.includes(`${l.uri} ${JSON.stringify(l.range)}`));
      assert.deepEqual(extra.map((l) => l.uri), [client.uriOf(join(root, 'data', 'metrics.json'))]);
    } finally {
      await client.close(uri);
    }
  });

  it('document symbols: the segment, its groups and conditions named in plain English', async () => {
    const text = `{
  "data": {
    "type": "segment",
    "attributes": {
      "name": "Recent buyers in the US or on the newsletter",
      "definition": {
        "condition_groups": [
          {
            "conditions": [
              ${PLACED_ORDER_30_DAYS}
            ]
          },
          {
            "conditions": [
              { "type": "profile-region", "in_region": true, "region": "united_states" },
              { "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kQ"] }
            ]
          }
        ]
      }
    }
  }
}`;
    const symbols = await s.with(text, async (uri) => (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[]);
    assert.equal(symbols.length, 1);
    const [segment] = symbols;
    assert.equal(segment.name, 'Recent buyers in the US or on the newsletter');
    assert.deepEqual(segment.range, blockRange(text, '{\n        "condition_groups"'));
    assert.deepEqual(segment.children?.map((g) => [g.name, g.detail]), [
      ['Group 1', 'Placed Order at least once in the last 30 days'],
      ['Group 2 (AND)', 'is in the US OR is in list Newsletter'],
    ]);
    assert.deepEqual(segment.children?.[1].range, blockRange(text, '{\n            "conditions"', 1));
    assert.deepEqual(segment.children?.flatMap((g) => g.children?.map((c) => c.name)), ['Placed Order at least once in the last 30 days', 'is in the US', 'is in list Newsletter']);
    assert.deepEqual(segment.children?.[1].children?.[0].range, blockRange(text, '{ "type": "profile-region"'));
    assert.deepEqual(segment.children?.[1].children?.[1].range, blockRange(text, '{ "type": "profile-group-membership"'));
  });

  it('folding ranges: every object and array spanning lines, up to the line before its closing bracket', async () => {
    const path = join(root, 'segments', 'boston-purchasers.json');
    const text = readFileSync(path, 'utf8');
    const expected: string[] = [];
    const open: number[] = [];
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') open.push(positionAt(text, i).line);
      else if (c === '}' || c === ']') {
        const start = open.pop()!;
        const end = positionAt(text, i).line;
        if (end > start) expected.push(`${start}-${end - 1}`);
      }
    }
    const ranges = await s.with(text, async (uri) => (await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? []);
    assert.deepEqual(ranges.map((r) => `${r.startLine}-${r.endLine}`).sort(), expected.sort());
  });

  it('selection ranges: value, property, filter, …, the whole file', async () => {
    const path = join(root, 'segments', 'boston-purchasers.json');
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf('"Boston"') + 3;
    const [selection] = await s.with(text, async (uri) => (await client.connection.sendRequest(SelectionRangeRequest.type, { textDocument: { uri }, positions: [positionAt(text, at)] })) ?? []);
    const chain: Range[] = [];
    for (let r: SelectionRange | undefined = selection; r; r = r.parent) chain.push(r.range);
    assert.deepEqual(chain[0], rangeOf(text, '"Boston"'));
    assert.deepEqual(chain[1], rangeOf(text, '"value": "Boston"'));
    assert.deepEqual(chain[2], blockRange(text, '{\n            "type": "string"'));
    const contains = (outer: Range, inner: Range) => offsetAt(text, outer.start) <= offsetAt(text, inner.start) && offsetAt(text, outer.end) >= offsetAt(text, inner.end);
    for (let i = 1; i < chain.length; i++) {
      assert.ok(contains(chain[i], chain[i - 1]) && JSON.stringify(chain[i]) !== JSON.stringify(chain[i - 1]), `range ${i} strictly contains range ${i - 1}`);
    }
    assert.ok(chain.some((r) => JSON.stringify(r) === JSON.stringify(blockRange(text, '{\n          "type": "profile-property"'))), 'the condition is one step');
    assert.deepEqual(chain[chain.length - 1], { start: { line: 0, character: 0 }, end: positionAt(text, text.trimEnd().length) });
  });

  it('formatting: 2-space indent, "key": value, the document stays valid', async () => {
    const text = '{"condition_groups":[{"conditions":[{"type":"profile-group-membership","is_member":true,"group_ids":["NwS7kQ"]},{"type":"profile-region","in_region":false,"region":"european_union"}]},{"conditions":[{"type":"profile-property","property":"properties[\'Tags\']","filter":{"type":"list","operator":"length-equals","value":0}}]}]}';
    const edits = await s.with(text, async (uri) => (await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) ?? []);
    const formatted = applyEdits(text, edits);
    assert.equal(formatted, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    assert.deepEqual(await s.assertValid(formatted), []);
  });

  interface Rewrite {
    title: string;
    kind: string | undefined;
    edits: TextEdit[];
  }
  async function refactorings(text: string, name?: string): Promise<Rewrite[]> {
    return s.with(text, async (uri) => {
      const result = await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: [CodeActionKind.RefactorRewrite] },
      });
      return ((result ?? []) as CodeAction[]).map((a) => {
        const changes = a.edit?.changes ?? {};
        assert.deepEqual(Object.keys(changes), [uri], `${a.title} edits this document only`);
        return { title: a.title, kind: a.kind, edits: changes[uri] };
      });
    }, name);
  }
  const applyAction = (text: string, action: Rewrite) => applyEdits(text, action.edits);
  const action = (actions: Rewrite[], title: RegExp) => {
    const found = actions.find((a) => title.test(a.title));
    assert.ok(found, `${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
    return found;
  };

  it('refactorings: bare definition → create body → bare definition, each valid', async () => {
    const text = readFileSync(join(root, 'segments', 'boston-purchasers.json'), 'utf8');
    const original = JSON.parse(text);
    const fromBare = await refactorings(text, 'boston-purchasers-copy.json');
    assert.deepEqual(fromBare.map((a) => a.title), ['Convert to a Segments API create body (POST)'], 'no update body without an ID; not to itself');
    assert.ok(fromBare.every((a) => a.kind === CodeActionKind.RefactorRewrite));
    const create = applyAction(text, fromBare[0]);
    const body = JSON.parse(create);
    assert.equal(body.data.type, 'segment');
    assert.equal(body.data.attributes.name, 'Boston Purchasers Copy');
    assert.deepEqual(body.data.attributes.definition, original);
    await s.assertValid(create);

    const back = applyAction(create, action(await refactorings(create), /bare definition/));
    assert.deepEqual(JSON.parse(back), original);
    await s.assertValid(back);
  });

  it('refactorings: update body → create body and bare definition; resource → update body; each valid', async () => {
    const update = readFileSync(join(root, 'segments', 'columbus-group.json'), 'utf8');
    const fromUpdate = await refactorings(update);
    assert.deepEqual(new Set(fromUpdate.map((a) => a.title)), new Set(['Convert to a bare definition', 'Convert to a Segments API create body (POST)']));
    const create = JSON.parse(applyAction(update, action(fromUpdate, /create body/)));
    assert.equal(create.data.id, undefined);
    assert.equal(create.data.attributes.name, 'Mint Vinyl Columbus Group');
    assert.deepEqual(create.data.attributes.definition, JSON.parse(update).data.attributes.definition);
    await s.assertValid(JSON.stringify(create, null, 2));
    await s.assertValid(applyAction(update, action(fromUpdate, /bare definition/)));

    const resource = readFileSync(join(root, 'segments', 'segment-SgM4xT.json'), 'utf8');
    const fromResource = await refactorings(resource, 'segment-SgM4xT-copy.json');
    assert.equal(fromResource.length, 3);
    const patched = applyAction(resource, action(fromResource, /update body/));
    const body = JSON.parse(patched);
    assert.equal(body.data.id, 'SgM4xT');
    assert.equal(body.data.attributes.name, 'Jazz Fans');
    assert.deepEqual(body.data.attributes.definition, JSON.parse(resource).attributes.definition);
    await s.assertValid(patched);
  });
});

// =============================================================================================

interface ProblemCase {
  title: string;
  text: string;
  name?: string;
  code: string;
  severity: number;
  /** The expected range. */
  range: (text: string) => Range;
  /** Only the start of the range is asserted. */
  startOnly?: boolean;
  message?: RegExp;
  tags?: number[];
  /** The quick fix to apply; the problem must be gone afterwards. */
  fix?: RegExp;
  /** Waits for the counts (problems that need them). */
  counts?: boolean;
}

const metric = (id: string, extra = '', measurement = 'count') => `{ "type": "profile-metric", "metric_id": "${id}", "measurement": "${measurement}",
          "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 },
          "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 }${extra} }`;
const US = '{ "type": "profile-region", "in_region": true, "region": "united_states" }';
const NOT_US = '{ "type": "profile-region", "in_region": false, "region": "united_states" }';
const groups = (...conditionLists: string[][]) => `{
  "condition_groups": [
${conditionLists.map((conditions) => `    {
      "conditions": [
        ${conditions.join(',\n        ')}
      ]
    }`).join(',\n')}
  ]
}`;

const PROBLEM_CASES: ProblemCase[] = [
  {
    title: 'unknown-metric-id: warning on the ID, "did you mean" fix',
    text: definition(metric('VwxT3b')), code: 'unknown-metric-id', severity: WARNING, range: (t) => rangeOf(t, '"VwxT3b"'),
    message: /No metric "VwxT3b" in workspace Mint Vinyl \(sample\)\. Did you mean Placed Order \(VwxT3a\)\?/, fix: /Change to Placed Order \(VwxT3a\)/,
  },
  {
    title: 'unknown-list-id: warning on the ID, "did you mean" fix',
    text: definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kq"] }'), code: 'unknown-list-id', severity: WARNING,
    range: (t) => rangeOf(t, '"NwS7kq"'), message: /Did you mean Newsletter \(NwS7kQ\)\?/, fix: /Change to Newsletter \(NwS7kQ\)/,
  },
  {
    title: 'segment-id-in-group-ids: error on the ID, naming the segment',
    text: definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["UUvyMc"] }'), code: 'segment-id-in-group-ids', severity: ERROR,
    range: (t) => rangeOf(t, '"UUvyMc"'), message: /segment "Mint Vinyl Columbus Group"/,
  },
  {
    title: 'sum-without-value: warning on "sum" for a metric without $value, fix to "count"',
    text: definition(metric('Mc9yTe', '', 'sum')), code: 'sum-without-value', severity: WARNING, range: (t) => rangeOf(t, '"sum"'),
    message: /Opened Email/, fix: /Change to "count"/,
  },
  {
    title: 'filter-type-mismatch (profile property): warning on the filter type',
    text: definition('{ "type": "profile-property", "property": "properties[\'Favorite Genre\']", "filter": { "type": "numeric", "operator": "greater-than", "value": 3 } }'),
    code: 'filter-type-mismatch', severity: WARNING, range: (t) => rangeOf(t, '"numeric"'), message: /Use a string filter/,
  },
  {
    title: 'filter-type-mismatch (event property): warning on the filter type',
    text: definition(metric('Ls5hWq', ',\n          "metric_filters": [ { "property": "Bot Click", "filter": { "type": "string", "operator": "equals", "value": "true" } } ]')),
    code: 'filter-type-mismatch', severity: WARNING, range: (t) => rangeOf(t, '"string"'), message: /"Bot Click" holds booleans/,
  },
  {
    title: 'unseen-property: information on the property, fix to the close name',
    text: definition('{ "type": "profile-property", "property": "properties[\'Favorite Genra\']", "filter": { "type": "string", "operator": "equals", "value": "Jazz" } }'),
    code: 'unseen-property', severity: INFORMATION, range: (t) => rangeOf(t, '"properties[\'Favorite Genra\']"'), fix: /Change to properties\['Favorite Genre'\]/,
  },
  {
    title: 'unseen-event-property: information on the event property, listing what the events have',
    text: definition(metric('VwxT3a', ',\n          "metric_filters": [ { "property": "Categorys", "filter": { "type": "list", "operator": "contains-any", "value": ["Jazz"] } } ]')),
    code: 'unseen-event-property', severity: INFORMATION, range: (t) => rangeOf(t, '"Categorys"'), message: /"Categories"/,
  },
  {
    title: 'far-future-date: warning on the date',
    text: definition('{ "type": "profile-property", "property": "created", "filter": { "type": "date", "operator": "after", "date": "2062-01-01T00:00:00+00:00" } }'),
    code: 'far-future-date', severity: WARNING, range: (t) => rangeOf(t, '"2062-01-01T00:00:00+00:00"'),
  },
  {
    title: 'duplicate-condition: warning over the repeated condition, tagged unnecessary, fix removes it',
    text: definition(US, metric('VwxT3a'), US), code: 'duplicate-condition', severity: WARNING, range: (t) => blockRange(t, US, 1),
    tags: [DiagnosticTag.Unnecessary], fix: /Remove the duplicate condition/,
  },
  {
    title: 'duplicate-group: warning over the repeated group, tagged unnecessary',
    text: groups([US], [metric('VwxT3a')], [US]), code: 'duplicate-group', severity: WARNING,
    range: (t) => blockRange(t, '{\n      "conditions"', 2), tags: [DiagnosticTag.Unnecessary],
  },
  {
    title: 'contradiction: warning at the condition that cannot hold together with another group',
    text: groups([US], [NOT_US]), code: 'contradiction', severity: WARNING, range: (t) => blockRange(t, NOT_US), startOnly: true, message: /matches no one/,
  },
  {
    title: 'no-consent-condition: information on "condition_groups" of a marketing segment, fix adds a consent group',
    text: definition(metric('VwxT3a')), name: 'spring-promo.json', code: 'no-consent-condition', severity: INFORMATION, range: (t) => rangeOf(t, '"condition_groups"'),
    message: /"spring promo" looks like a marketing audience/, fix: /Add a group: can receive email marketing/,
  },
  {
    title: 'matches-no-one: information on "condition_groups" once the counts say 0',
    text: definition(metric('Tw7pCm')), code: 'matches-no-one', severity: INFORMATION, range: (t) => rangeOf(t, '"condition_groups"'), counts: true,
  },
];

const DATA_CODES = ['unknown-metric-id', 'unknown-list-id', 'segment-id-in-group-ids', 'sum-without-value', 'filter-type-mismatch', 'unseen-property', 'unseen-event-property', 'far-future-date', 'duplicate-condition', 'duplicate-group', 'contradiction', 'matches-no-one'];

describe('features over the protocol: workspace diagnostics (Mint Vinyl sample workspace)', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => ({ client, root, s } = await startOnSampleCopy()));
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  /** Diagnostics of `uri` at `version`, waiting until `until` holds (counts republish the same version). */
  async function diagnosticsUntil(uri: string, version: number, until: (d: Diagnostic[]) => boolean, timeoutMs = 15_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const published = client.publishedFor(uri).filter((p) => p.version === version);
      const last = published[published.length - 1]?.diagnostics;
      if (last && until(last)) return last;
      if (Date.now() > deadline) return last ?? [];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  for (const c of PROBLEM_CASES) {
    it(c.title, async () => {
      const path = s.path(c.name);
      const uri = client.uriOf(path);
      await client.open(uri, c.text);
      try {
        await client.diagnostics(uri, 1);
        if (c.counts) assert.equal((await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri })).state, 'ok');
        const diagnostics = await diagnosticsUntil(uri, 1, (ds) => ds.some((d) => d.code === c.code));
        const found = diagnostics.filter((d) => d.code === c.code);
        assert.equal(found.length, 1, `one ${c.code} in ${JSON.stringify(diagnostics.map((d) => [d.code, d.message]))}`);
        const [d] = found;
        assert.equal(d.source, 'segment-lens');
        assert.equal(d.severity, c.severity, `severity of ${c.code}`);
        const expected = c.range(c.text);
        if (c.startOnly) assert.deepEqual(d.range.start, expected.start);
        else assert.deepEqual(d.range, expected, `range of ${c.code}`);
        if (c.message) assert.match(messageOf(d), c.message);
        if (c.tags) assert.deepEqual(d.tags, c.tags);
        if (!c.fix) return;

        const actions = await s.actions(uri, d);
        const fix = actions.find((a) => c.fix!.test(a.title));
        assert.ok(fix?.edit?.changes?.[uri], `fix ${c.fix} among ${JSON.stringify(actions.map((a) => a.title))}`);
        assert.equal(fix.kind, CodeActionKind.QuickFix);
        const fixed = applyEdits(c.text, fix.edit.changes[uri]);
        assert.doesNotThrow(() => JSON.parse(fixed), `valid JSON after the fix:\n${fixed}`);
        const version = await client.change(uri, fixed);
        const after = (await client.diagnostics(uri, version)).diagnostics;
        assert.deepEqual(after.filter((x) => x.code === c.code || x.severity === ERROR).map((x) => `${x.code}: ${x.message}`), [], `after the fix:\n${fixed}`);
      } finally {
        await client.close(uri);
      }
    });
  }

  it('no-consent-condition is not offered for a segment whose name does not suggest marketing', async () => {
    const diagnostics = await s.problems(definition(metric('VwxT3a')), 'eu-residents-copy.json');
    assert.deepEqual(diagnostics.filter((d) => d.code === 'no-consent-condition'), []);
  });

  it('no-consent-condition reads the name of a create body', async () => {
    const text = `{"data":{"type":"segment","attributes":{"name":"VIP win-back","definition":${definition(metric('VwxT3a'))}}}}`;
    const diagnostics = await s.problems(text, 'some-file.json');
    const d = diagnostics.find((x) => x.code === 'no-consent-condition');
    assert.ok(d, JSON.stringify(diagnostics.map((x) => x.code)));
    assert.match(messageOf(d), /"VIP win-back"/);
    assert.deepEqual(d.range, rangeOf(text, '"condition_groups"'));
  });
});

// =============================================================================================

describe('features over the protocol: outside a data workspace', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let s: Session;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'segment-lens-no-workspace-'));
    client = new TestClient({ settings: FAST });
    await client.initialize();
    s = new Session(client, root);
  });
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  it('none of the data-dependent diagnostics appear, and unknown IDs are never errors', async () => {
    for (const c of PROBLEM_CASES) {
      const diagnostics = await s.problems(c.text, c.name);
      const codes = diagnostics.map((d) => String(d.code));
      assert.deepEqual(codes.filter((code) => DATA_CODES.includes(code)), [], `${c.title}: ${JSON.stringify(codes)}`);
      assert.deepEqual(diagnostics.filter((d) => d.severity === ERROR).map((d) => d.code), [], `${c.title}: no errors`);
    }
  });

  it('completion and hover on IDs still answer, without workspace data', async () => {
    const { items } = await s.complete(definition(metric('|')).replace('"|"', '|'));
    assert.deepEqual(items.filter((i) => i.kind === CompletionItemKind.Value), [], 'no metrics to offer');
    const { markdown } = await s.hover(definition(metric('VwxT3a')).replace('"VwxT3a"', '"Vwx|T3a"'));
    assert.doesNotMatch(markdown, /Unknown metric/);
    const counts = await s.with(definition(metric('VwxT3a')), (uri) => client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri }));
    assert.equal(counts.state, 'no-workspace');
  });
});

// =============================================================================================

describe('features over the protocol: opening a document is validated at once', function () {
  this.timeout(30_000);
  let client: TestClient;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'segment-lens-open-'));
    // A long typing debounce: it applies to edits, not to opening a file.
    client = new TestClient({ settings: { debounceMs: 3000 } });
    await client.initialize();
    await new Promise((resolve) => setTimeout(resolve, 300)); // settings pulled
  });
  after(async () => {
    await client?.stop();
    removeDir(root);
  });

  it('publishes the diagnostics of an opened file without waiting for the typing debounce', async () => {
    const uri = client.uriOf(join(root, 'segments', 'opened.json'));
    const started = Date.now();
    await client.open(uri, definition(metric('VwxT3a', '', 'suum')));
    const { diagnostics } = await client.diagnostics(uri, 1, 10_000);
    const elapsed = Date.now() - started;
    assert.deepEqual(diagnostics.map((d) => d.code), ['invalid-value']);
    assert.ok(elapsed < 1500, `published ${elapsed} ms after opening (debounce 3000 ms)`);
    await client.close(uri);
  });
});
