/**
 * Refactorings between the three shapes of a segment file (server/src/features/refactorings.ts),
 * in process: which conversions are offered, and that each result is the same definition in a
 * valid file of the new shape.
 */
import assert from 'node:assert/strict';
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { shapeConversions } from '../../../server/src/features/refactorings';
import { applyEdits } from '../../support/lspText';
import { assertValid, plainFixture } from './fixture';

type Json = any;

const TO_BARE = 'Convert to a bare definition';
const TO_CREATE = 'Convert to a Segments API create body (POST)';
const TO_UPDATE = 'Convert to a Segments API update body (PATCH)';

const DEFINITION = {
  condition_groups: [
    {
      conditions: [
        {
          type: 'profile-metric',
          metric_id: 'VwxT3a',
          measurement: 'count',
          measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
          timeframe_filter: { type: 'date', operator: 'alltime' },
        },
      ],
    },
    { conditions: [{ type: 'profile-property', property: "location['city']", filter: { type: 'string', operator: 'equals', value: 'Boston' } }] },
  ],
};
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** The conversions offered for `text` saved as `fileName`, each with the document it gives. */
function conversions(text: string, fileName = 'fixture.json'): { title: string; result: Json; text: string }[] {
  const f = plainFixture(text, { uri: `file:///tiny-vinyl/segments/${fileName}` });
  return shapeConversions(f.document, f.parsed).map((action: CodeAction) => {
    assert.equal(action.kind, CodeActionKind.RefactorRewrite, action.title);
    const changes = action.edit?.changes ?? {};
    assert.deepEqual(Object.keys(changes), [f.document.uri], `${action.title} edits this document only`);
    const converted = applyEdits(f.text, changes[f.document.uri]);
    return { title: action.title, result: JSON.parse(converted), text: converted };
  });
}

const titled = (list: { title: string }[], title: string) => {
  const found = list.find((c) => c.title === title);
  assert.ok(found, `${title} among ${JSON.stringify(list.map((c) => c.title))}`);
  return found as { title: string; result: Json; text: string };
};

describe('refactorings: converting between file shapes', () => {
  it('a bare definition: only to a create body (no ID for an update), named after the file; and back', () => {
    const fromBare = conversions(pretty(DEFINITION), 'boston-purchasers-copy.json');
    assert.deepEqual(
      fromBare.map((c) => c.title),
      [TO_CREATE],
    );
    const create = fromBare[0];
    assert.equal(create.result.data.type, 'segment');
    assert.equal(create.result.data.id, undefined);
    assert.equal(create.result.data.attributes.name, 'Boston Purchasers Copy');
    assert.deepEqual(create.result.data.attributes.definition, DEFINITION);
    assertValid(create.text);

    const back = titled(conversions(create.text), TO_BARE);
    assert.deepEqual(back.result, DEFINITION);
    assertValid(back.text);
  });

  it('an update body: to a bare definition and to a create body (without the ID, with the name)', () => {
    const update = pretty({ data: { type: 'segment', id: 'UUvyMc', attributes: { name: 'Columbus Regulars', definition: DEFINITION } } });
    const fromUpdate = conversions(update);
    assert.deepEqual(new Set(fromUpdate.map((c) => c.title)), new Set([TO_BARE, TO_CREATE]));
    const create = titled(fromUpdate, TO_CREATE);
    assert.equal(create.result.data.id, undefined);
    assert.equal(create.result.data.attributes.name, 'Columbus Regulars');
    assert.deepEqual(create.result.data.attributes.definition, DEFINITION);
    assertValid(create.text);
    assert.deepEqual(titled(fromUpdate, TO_BARE).result, DEFINITION);
  });

  it('a segment resource (as headless-klaviyo saves it): to all three, the update body keeping its ID and name', () => {
    const resource = pretty({
      type: 'segment',
      id: 'SgM4xT',
      attributes: {
        name: 'Jazz Fans',
        definition: DEFINITION,
        created: '2026-03-02T18:22:41+00:00',
        updated: '2026-09-14T09:05:12+00:00',
        is_active: true,
        is_processing: false,
        is_starred: false,
      },
    });
    const fromResource = conversions(resource, 'segment-SgM4xT-copy.json');
    assert.deepEqual(new Set(fromResource.map((c) => c.title)), new Set([TO_BARE, TO_CREATE, TO_UPDATE]));
    const update = titled(fromResource, TO_UPDATE);
    assert.equal(update.result.data.id, 'SgM4xT');
    assert.equal(update.result.data.attributes.name, 'Jazz Fans');
    assert.deepEqual(update.result.data.attributes.definition, DEFINITION);
    assertValid(update.text);
  });

  it('a file name without a segment name becomes a title: "segment-" and ".segment.json" dropped', () => {
    assert.equal(titled(conversions(pretty(DEFINITION), 'segment-win_back.segment.json'), TO_CREATE).result.data.attributes.name, 'Win Back');
  });

  it('nothing for a file that holds no definition', () => {
    assert.deepEqual(conversions('{ "name": "not a segment" }'), []);
    assert.deepEqual(conversions(''), []);
  });
});
