/**
 * Per-document isolation (issue 16): a failure inside one document's validation becomes one
 * `validation-failed` error on that document, with the reason, instead of an exception that
 * escapes to the server (where it stopped every other document's diagnostics) or the CLI.
 */
import assert from 'node:assert/strict';
import { SegmentLanguage } from '../../../server/src/segment/languageService';

describe('validation failures stay inside their document', () => {
  it('an exception in a check becomes one validation-failed error with its reason; the failure is handed to the caller', () => {
    const language = new SegmentLanguage();
    // Stands for any defect in a check: the schema validator throws.
    language.schema.errors = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    const failures: unknown[] = [];
    const problems = language.validate(language.parse('{"condition_groups": []}'), { onFailure: (error) => failures.push(error) });
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.offset]),
      [['validation-failed', 'error', 0]],
    );
    assert.match(problems[0].message, /Maximum call stack size exceeded/);
    assert.equal(failures.length, 1);
    assert.ok(failures[0] instanceof RangeError);
  });

  it('syntax problems found before the failure are still reported', () => {
    const language = new SegmentLanguage();
    language.schema.errors = () => {
      throw new Error('broken check');
    };
    const problems = language.validate(language.parse('{"condition_groups": [] // note\n}'));
    assert.deepEqual(
      problems.map((p) => p.code),
      ['validation-failed', 'json-comment'],
    );
  });
});
