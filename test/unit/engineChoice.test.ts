import assert from 'node:assert/strict';
import { autoEngine, DEFAULT_DUCKDB_THRESHOLD_BYTES, inMemoryEstimate } from '../../server/src/duckdb/engineChoice';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('segmentLens.engine "auto" / --engine auto', () => {
  it('estimates a first load in memory from the data files: 0.3 bytes per byte of JSON, gzip counted at 9×', () => {
    // L: 1.62 GB of profiles.jsonl and a 0.50 GB events.jsonl.gz (4.55 GB of JSON): 1,518–1,669 MB measured at the peak.
    const l = inMemoryEstimate([
      { bytes: 1_616_350_807, gzip: false },
      { bytes: 498_585_020, gzip: true },
    ]);
    assert.ok(l > 1_669 * MiB && l < 2 * GiB, `${l}`);
    assert.equal(inMemoryEstimate([{ bytes: 1000, gzip: true }]), 2700);
    assert.equal(inMemoryEstimate([]), 0);
  });

  it('by default keeps L (2.1 GB of data files) in memory where its load fits, and takes DuckDB where it does not', () => {
    const l = [
      { bytes: 1_616_350_807, gzip: false },
      { bytes: 498_585_020, gzip: true },
    ];
    assert.equal(DEFAULT_DUCKDB_THRESHOLD_BYTES, 4 * GiB);
    assert.equal(autoEngine(l, DEFAULT_DUCKDB_THRESHOLD_BYTES, 16 * GiB).duck, false);
    assert.equal(autoEngine(l, DEFAULT_DUCKDB_THRESHOLD_BYTES, 1.5 * GiB).duck, true);
    // XL (3M profiles, 30M events: about three times L's files) goes to DuckDB by its size.
    assert.equal(
      autoEngine(
        l.map((f) => ({ ...f, bytes: 3 * f.bytes })),
        DEFAULT_DUCKDB_THRESHOLD_BYTES,
        64 * GiB,
      ).duck,
      true,
    );
  });

  it('takes DuckDB from the threshold on', () => {
    const choice = autoEngine([{ bytes: GiB, gzip: false }], GiB, 64 * GiB);
    assert.equal(choice.duck, true);
    assert.match(choice.reason, /^the data files hold 1\.00 GiB, at least the DuckDB threshold of 1\.00 GiB$/);
  });

  it('keeps memory below it when the load fits in the memory available', () => {
    const choice = autoEngine([{ bytes: 500 * MiB, gzip: false }], GiB, 4 * GiB);
    assert.deepEqual(choice, { duck: false, reason: 'the data files hold 500.0 MiB, below the DuckDB threshold of 1.00 GiB' });
  });

  it('takes DuckDB below the threshold too when the load would not fit, and says so', () => {
    // 200 MiB gzip: about 540 MiB in memory, with 400 MiB available.
    const choice = autoEngine([{ bytes: 200 * MiB, gzip: true }], GiB, 400 * MiB);
    assert.equal(choice.duck, true);
    assert.match(
      choice.reason,
      /^the data files hold 200\.0 MiB, below the DuckDB threshold of 1\.00 GiB, but loading them in memory takes about 540\.0 MiB and 400\.0 MiB is available$/,
    );
  });
});
