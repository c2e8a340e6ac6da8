/**
 * Diagnostics as the server publishes them (validation, then server/src/features/diagnostics.ts
 * turning problems into LSP diagnostics), in process. Cases assert the code, severity, range and
 * tags a user sees; message text only where it carries a workspace fact. The expected range is the
 * `^^^ <code>` annotation (markers: ./fixture.ts).
 */
import assert from 'node:assert/strict';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostics, type DiagnosticData } from '../../../server/src/features/diagnostics';
import { countsOf, definition, diagnose, fixture, type SegmentFixture } from './fixture';
import { DATA_CODES, PROBLEM_CASES, type ProblemCase } from './problemCases';

const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : String(d.message));
const codes = (ds: readonly Diagnostic[]) => ds.map((d) => String(d.code));

/** The diagnostics of a problem case, with its counts when it needs them. */
export function caseDiagnostics(c: ProblemCase): { f: SegmentFixture; diagnostics: Diagnostic[]; code: string } {
  const f = fixture(c.source, { uri: c.uri });
  assert.equal(f.annotations.length, 1, 'a problem case marks one problem');
  const diagnostics = diagnose(f, { matched: c.counts ? countsOf(f).matched : undefined });
  return { f, diagnostics, code: f.annotations[0].label };
}

describe('diagnostics: problems found with the workspace data', () => {
  for (const c of PROBLEM_CASES) {
    it(c.title, () => {
      const { f, diagnostics, code } = caseDiagnostics(c);
      const found = diagnostics.filter((d) => d.code === code);
      assert.equal(found.length, 1, `one ${code} in ${JSON.stringify(diagnostics.map((d) => [d.code, d.message]))}`);
      const [d] = found;
      assert.equal(d.source, 'segment-lens');
      assert.equal(d.severity, c.severity, `severity of ${code}`);
      assert.deepEqual(d.range, f.range(code), `range of ${code}`);
      assert.deepEqual(d.tags, c.tags, `tags of ${code}`);
      if (c.message) assert.match(messageOf(d), c.message);
    });
  }

  it('matches-no-one needs counts that say 0: none without counts, none when someone matches', () => {
    const c = PROBLEM_CASES.find((p) => p.counts)!;
    assert.deepEqual(
      codes(diagnose(fixture(c.source))).filter((code) => code === 'matches-no-one'),
      [],
    );
    const someone = fixture(c.source.replace('Tw7pCm', 'VwxT3a'));
    assert.ok((countsOf(someone).matched ?? 0) > 0, 'precondition: someone placed an order in the last 30 days');
    assert.deepEqual(
      codes(diagnose(someone, { matched: countsOf(someone).matched })).filter((code) => code === 'matches-no-one'),
      [],
    );
  });

  it('outside a data workspace, none of them appear and an unknown ID is never an error', () => {
    for (const c of PROBLEM_CASES) {
      const diagnostics = diagnose(fixture(c.source, { uri: c.uri }), { workspace: false });
      assert.deepEqual(
        codes(diagnostics).filter((code) => DATA_CODES.includes(code)),
        [],
        `${c.title}: ${JSON.stringify(codes(diagnostics))}`,
      );
      assert.deepEqual(
        diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => d.code),
        [],
        `${c.title}: no errors`,
      );
    }
  });
});

describe('diagnostics: the marketing-consent hint (setting segmentLens.consentHint)', () => {
  const BUYERS = definition(
    '{ "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count", "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }, "timeframe_filter": { "type": "date", "operator": "alltime" } }',
  );
  const hinted = (f: SegmentFixture, consentHint?: 'marketing-names' | 'always' | 'off') =>
    diagnose(f, { consentHint }).filter((d) => d.code === 'no-consent-condition');

  it('not for a segment whose name does not suggest marketing', () => {
    assert.deepEqual(hinted(fixture(BUYERS, { uri: 'file:///tiny-vinyl/segments/eu-residents-copy.json' })), []);
  });

  it('reads the name of a create body before the file name', () => {
    const f = fixture(
      `{"data":{"type":"segment","attributes":{"name":"VIP win-back","definition":{"condition_groups":[{"conditions":[{"type":"profile-region","in_region":true,"region":"united_states"}]}]}}}}
//                                                                          ^^^^^^^^^^^^^^^^^^ key`,
      { uri: 'file:///tiny-vinyl/segments/some-file.json' },
    );
    const [d] = hinted(f);
    assert.ok(d, JSON.stringify(codes(diagnose(f))));
    assert.match(messageOf(d), /"VIP win-back"/);
    assert.deepEqual(d.range, f.range('key'));
  });

  it('"always" hints at any segment without consent; "off" at none; a consent condition silences it', () => {
    const plain = fixture(BUYERS, { uri: 'file:///tiny-vinyl/segments/eu-residents-copy.json' });
    assert.equal(hinted(plain, 'always').length, 1);
    const promo = fixture(BUYERS, { uri: 'file:///tiny-vinyl/segments/spring-promo.json' });
    assert.deepEqual(hinted(promo, 'off'), []);
    const withConsent = fixture(
      definition(
        '{ "type": "profile-marketing-consent", "consent": { "channel": "email", "can_receive_marketing": true, "consent_status": { "subscription": "any" } } }',
      ),
      { uri: 'file:///tiny-vinyl/segments/spring-promo.json' },
    );
    assert.deepEqual(hinted(withConsent, 'always'), []);
  });
});

describe('diagnostics: syntax (setting segmentLens.allowComments)', () => {
  const source = `{
  // a note
//^^^^^^^^^ json-comment
  "condition_groups": [
    { "conditions": [ { "type": "profile-region", "in_region": "yes", "region": "european_union" }, ] }
    //                                                         ^^^^^ wrong-type
    //                                                                                            ^ json-trailing-comma
  ]
}`;

  it('comments and trailing commas are errors by default, and the rest of the file is still checked', () => {
    const f = fixture(source);
    const diagnostics = diagnose(f, { workspace: false });
    assert.deepEqual(codes(diagnostics).sort(), ['json-comment', 'json-trailing-comma', 'wrong-type']);
    for (const d of diagnostics) {
      assert.equal(d.severity, DiagnosticSeverity.Error, String(d.code));
      assert.deepEqual(d.range, f.range(String(d.code)), String(d.code));
    }
  });

  it('with allowComments, only the schema error remains', () => {
    assert.deepEqual(codes(diagnose(fixture(source), { workspace: false, allowComments: true })), ['wrong-type']);
  });

  it('an empty file is one error at its start', () => {
    const diagnostics = diagnose(fixture(''), { workspace: false });
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.range]),
      [['empty-file', DiagnosticSeverity.Error, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }]],
    );
  });
});

describe('diagnostics: conversion of problems to LSP diagnostics', () => {
  const text = 'ab\ncdé\r\nfg';
  const document = TextDocument.create('file:///x.json', 'json', 3, text);
  const fix = { title: 'Do it', edits: [{ offset: 0, length: 1, newText: 'A' }] };

  it('offsets become positions (multi-line, CRLF, non-ASCII), severities and tags map, fixes travel in data', () => {
    const diagnostics = toDiagnostics(document, [
      { offset: 1, length: 4, severity: 'error', code: 'e', message: 'an error', fixes: [fix] },
      { offset: 8, length: 2, severity: 'warning', code: 'w', message: 'a warning', deprecated: true },
      { offset: 0, length: 0, severity: 'information', code: 'i', message: 'information', unnecessary: true },
      { offset: 0, length: 0, severity: 'hint', code: 'h', message: 'a hint', deprecated: true, unnecessary: true },
    ]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.source, d.message, d.tags]),
      [
        ['e', DiagnosticSeverity.Error, 'segment-lens', 'an error', undefined],
        ['w', DiagnosticSeverity.Warning, 'segment-lens', 'a warning', [DiagnosticTag.Deprecated]],
        ['i', DiagnosticSeverity.Information, 'segment-lens', 'information', [DiagnosticTag.Unnecessary]],
        ['h', DiagnosticSeverity.Hint, 'segment-lens', 'a hint', [DiagnosticTag.Deprecated, DiagnosticTag.Unnecessary]],
      ],
    );
    // "b\ncd": from line 0 character 1 to line 1 character 2; "fg" starts after "\r\n" on line 2.
    assert.deepEqual(diagnostics[0].range, { start: { line: 0, character: 1 }, end: { line: 1, character: 2 } });
    assert.deepEqual(diagnostics[1].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 2 } });
    assert.deepEqual((diagnostics[0].data as DiagnosticData).fixes, [fix]);
  });
});
