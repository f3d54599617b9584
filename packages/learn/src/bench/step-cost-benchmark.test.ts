import { describe, expect, it } from 'vitest';
import { runStepCostBenchmark } from './step-cost-benchmark.js';

describe('runStepCostBenchmark', () => {
  it('times three steps on a small model', () => {
    const result = runStepCostBenchmark({ widths: [12, 6, 3], rows: 4, steps: 3 });
    expect(result.dimension).toBe(12 * 6 + 6 + 6 * 3 + 3);
    expect(result.blocks).toBe(4);
    expect(result.rows).toBe(4);
    for (const value of [result.adamMs, result.galtNoRowsMs, result.galtRowsMs, result.ratio]) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
  });
});
