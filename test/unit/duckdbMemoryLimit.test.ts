import assert from 'node:assert/strict';
import { DEFAULT_EVALUATE_MEMORY_LIMIT, editorMemoryLimits } from '../../server/src/duckdb/engineChoice';

const GiB = 1024 ** 3;
const MB = (bytes: number) => `${Math.floor(bytes / 2 ** 20)}MB`;

describe("the editor's DuckDB memory limits", () => {
  it('converts under 40% of RAM, at least 4 GiB, never above DuckDB’s own 80%', () => {
    assert.equal(editorMemoryLimits(24 * GiB, {}).convert, MB(0.4 * 24 * GiB));
    assert.equal(editorMemoryLimits(8 * GiB, {}).convert, MB(4 * GiB));
    assert.equal(editorMemoryLimits(4 * GiB, {}).convert, MB(0.8 * 4 * GiB));
  });

  it('evaluates under 768MB whatever the RAM', () => {
    assert.equal(DEFAULT_EVALUATE_MEMORY_LIMIT, '768MB');
    for (const ram of [4, 8, 24, 256])
      assert.deepEqual(editorMemoryLimits(ram * GiB, {}), { convert: editorMemoryLimits(ram * GiB, {}).convert, evaluate: '768MB', invalid: [] });
  });

  it('SEGMENT_LENS_DUCKDB_MEMORY_LIMIT sets the one to evaluate, SEGMENT_LENS_DUCKDB_CONVERT_MEMORY_LIMIT the one to convert', () => {
    assert.deepEqual(editorMemoryLimits(24 * GiB, { SEGMENT_LENS_DUCKDB_MEMORY_LIMIT: '2GB' }), { convert: MB(0.4 * 24 * GiB), evaluate: '2GB', invalid: [] });
    assert.deepEqual(editorMemoryLimits(24 * GiB, { SEGMENT_LENS_DUCKDB_CONVERT_MEMORY_LIMIT: ' 12GB ' }), { convert: '12GB', evaluate: '768MB', invalid: [] });
  });

  it('a value that is not a size is said and ignored', () => {
    const limits = editorMemoryLimits(24 * GiB, { SEGMENT_LENS_DUCKDB_MEMORY_LIMIT: 'lots', SEGMENT_LENS_DUCKDB_CONVERT_MEMORY_LIMIT: '12' });
    assert.equal(limits.evaluate, '768MB');
    assert.equal(limits.convert, MB(0.4 * 24 * GiB));
    assert.deepEqual(limits.invalid, [
      'SEGMENT_LENS_DUCKDB_CONVERT_MEMORY_LIMIT must be a size such as 4GB, not "12"',
      'SEGMENT_LENS_DUCKDB_MEMORY_LIMIT must be a size such as 4GB, not "lots"',
    ]);
  });
});
