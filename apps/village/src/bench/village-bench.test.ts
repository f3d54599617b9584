import { describe, expect, it } from 'vitest';
import { runVillageBenchmark } from './village-bench.js';

describe('runVillageBenchmark', () => {
  it('returns one row per seed', async () => {
    const rows = await runVillageBenchmark({ ticks: 15, seeds: [2, 3] });
    expect(rows.map((row) => row.seed)).toEqual([2, 3]);
    for (const row of rows) {
      expect(row.ticks).toBe(15);
      expect(row.hardViolationsAfterWrites).toBe(0);
    }
  });
});
