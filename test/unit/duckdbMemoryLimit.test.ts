import assert from 'node:assert/strict';
import { editorMemoryLimit } from '../../server/src/duckdb/engineChoice';

const GiB = 1024 ** 3;

describe("the editor's DuckDB memory limit", () => {
  it('is 40% of RAM, at least 4 GiB, never above DuckDB’s own 80%', () => {
    assert.deepEqual(editorMemoryLimit(24 * GiB, undefined), { limit: `${Math.floor((0.4 * 24 * GiB) / 2 ** 20)}MB` });
    assert.deepEqual(editorMemoryLimit(8 * GiB, undefined), { limit: `${4 * 1024}MB` });
    assert.deepEqual(editorMemoryLimit(4 * GiB, undefined), { limit: `${Math.floor((0.8 * 4 * GiB) / 2 ** 20)}MB` });
  });

  it('SEGMENT_LENS_DUCKDB_MEMORY_LIMIT sets another; a value that is not a size is said and ignored', () => {
    assert.deepEqual(editorMemoryLimit(24 * GiB, '12GB'), { limit: '12GB' });
    const invalid = editorMemoryLimit(24 * GiB, 'lots');
    assert.equal(invalid.limit, `${Math.floor((0.4 * 24 * GiB) / 2 ** 20)}MB`);
    assert.match(invalid.invalid ?? '', /SEGMENT_LENS_DUCKDB_MEMORY_LIMIT must be a size such as 4GB, not "lots"/);
  });
});
