import { describe, expect, it } from 'vitest';
import { runMemoryWriteBenchmark } from './memory-write-benchmark.js';

describe('runMemoryWriteBenchmark', () => {
  it('leaves no probe violated after GALT writes', async () => {
    const result = await runMemoryWriteBenchmark({ writes: 9, probes: 10 });
    expect(result.probes).toBe(10);
    expect(result.galt.committed + result.galt.rolledBack + result.galt.refused).toBe(9);
    expect(result.galt.committed).toBeGreaterThan(0);
    expect(result.galt.refused).toBe(0);
    expect(result.galt.writesLeavingViolation).toBe(0);
    expect(result.galt.violatedProbeChecks).toBe(0);
    expect(result.adam.writesLeavingViolation).toBeGreaterThan(0);
  });
});
