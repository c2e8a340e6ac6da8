import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bitset } from '../../server/src/engine/bitset';
import { overlapOfCells, overlapOfSets } from '../../server/src/engine/overlap';

describe('overlap of segments (engine/overlap.ts)', () => {
  it('counts pairs and exclusive cells of sets', () => {
    const set = (...members: number[]) => {
      const s = new Bitset(6);
      for (const p of members) s.add(p);
      return s;
    };
    // A: 0 1 2 3, B: 2 3 4, C: 3; profile 5 in none.
    const overlap = overlapOfSets([set(0, 1, 2, 3), set(2, 3, 4), set(3)], 6);
    assert.equal(overlap.union, 5);
    assert.deepEqual(overlap.pairwise, [
      [4, 2, 1],
      [2, 3, 1],
      [1, 1, 1],
    ]);
    assert.deepEqual(overlap.cells, [
      { members: [0], count: 2 },
      { members: [1], count: 1 },
      { members: [0, 1], count: 1 },
      { members: [0, 1, 2], count: 1 },
    ]);
  });

  it('gives the same overlap from the cells alone (as the DuckDB engine counts them) as from the sets', () => {
    const sizes = fc.record({ profiles: fc.integer({ min: 0, max: 80 }), segments: fc.integer({ min: 1, max: 6 }) });
    const scenario = sizes.chain(({ profiles, segments }) =>
      fc
        .array(fc.array(fc.boolean(), { minLength: profiles, maxLength: profiles }), { minLength: segments, maxLength: segments })
        .map((rows) => ({ profiles, rows })),
    );
    fc.assert(
      fc.property(scenario, ({ profiles, rows }) => {
        const sets = rows.map((row) => {
          const s = new Bitset(profiles);
          row.forEach((inside, p) => inside && s.add(p));
          return s;
        });
        // Each profile's membership, grouped as SQL's GROUP BY would, the empty membership included.
        const groups = new Map<string, { members: number[]; count: number }>();
        for (let p = 0; p < profiles; p++) {
          const members = rows.flatMap((row, s) => (row[p] ? [s] : []));
          const key = members.join(',');
          const cell = groups.get(key) ?? { members, count: 0 };
          cell.count++;
          groups.set(key, cell);
        }
        assert.deepEqual(overlapOfCells([...groups.values()].reverse(), rows.length), overlapOfSets(sets, profiles));
      }),
      { numRuns: 200, seed: 14 },
    );
  });
});
