import { describe, expect, it } from 'vitest';
import { runCoreBenchmark } from './core-bench.js';

describe('runCoreBenchmark', () => {
  it('returns one row per operation', () => {
    const rows = runCoreBenchmark({ scale: 0.001 });
    expect(rows.map((row) => row.name)).toHaveLength(5);
    for (const row of rows) {
      expect(row.iterations).toBeGreaterThan(0);
      expect(row.nsPerOp).toBeGreaterThanOrEqual(0);
    }
  });
});
