/**
 * Inlay hints (server/src/features/inlayHints.ts), in process: each condition's own count after
 * it, only for the conditions the editor asks about, and none without counts.
 */
import assert from 'node:assert/strict';
import { InlayHintKind, type Range } from 'vscode-languageserver';
import { inlayHints } from '../../../server/src/features/inlayHints';
import { COUNTED, EXPECTED } from './countsDocument';
import { countsOf, definition, fixture } from './fixture';

const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };
const profiles = (n: number) => ` ${n} ${n === 1 ? 'profile' : 'profiles'}`;

describe('inlay hints', () => {
  it('after each condition: its count ("1 profile", "3 profiles"), its reading as the tooltip', () => {
    const f = fixture(COUNTED);
    const hints = inlayHints(f.document, f.parsed, countsOf(f), WHOLE);
    assert.deepEqual(
      hints.map((h) => [h.position, h.label]),
      [
        [f.range('vip').end, profiles(EXPECTED.vip)],
        [f.range('us').end, profiles(EXPECTED.us)],
        [f.range('eu').end, profiles(EXPECTED.eu)],
      ],
    );
    assert.ok(
      hints.every((h) => h.kind === InlayHintKind.Parameter && h.paddingLeft),
      'parameter-like hints, padded',
    );
    assert.deepEqual(
      hints.map((h) => h.tooltip),
      ['is in list VIP Club', 'is in the US', 'is in the EU'],
    );
  });

  it('only for the conditions that end inside the requested range', () => {
    const f = fixture(COUNTED);
    const hints = inlayHints(f.document, f.parsed, countsOf(f), { start: f.range('us').start, end: f.range('us').end });
    assert.deepEqual(
      hints.map((h) => h.position),
      [f.range('us').end],
    );
  });

  it('a condition that cannot be evaluated locally says so, and why in the tooltip', () => {
    const f = fixture(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NOPE00"] }'));
    const [hint] = inlayHints(f.document, f.parsed, countsOf(f), WHOLE);
    assert.equal(hint.label, ' not evaluable locally');
    assert.equal(hint.tooltip, 'Not evaluable locally: list NOPE00 is not in the workspace');
  });

  it('none while counting or when the counts are not ok', () => {
    const f = fixture(COUNTED);
    assert.deepEqual(inlayHints(f.document, f.parsed, undefined, WHOLE), []);
    assert.deepEqual(inlayHints(f.document, f.parsed, { ...countsOf(f), state: 'errors' }, WHOLE), []);
  });
});
