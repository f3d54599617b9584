import { describe, expect, it } from 'vitest';
import { runRuntimeBenchmark } from './runtime-bench.js';

describe('runRuntimeBenchmark', () => {
  it('reports one decision per agent per tick', async () => {
    const row = await runRuntimeBenchmark({ agents: 20, ticks: 3 });
    expect(row.decisions).toBe(60);
    expect(row.decisionsPerSecond).toBeGreaterThan(0);
    expect(row.p99TickMs).toBeGreaterThanOrEqual(row.p50TickMs);
    expect(row.eventsPerTick).toBeGreaterThan(20 * 4);
    expect(row.cpuMicrosPerDecision).toBeGreaterThan(0);
  });

  it('world feed receives every event', async () => {
    for (const storage of ['none', 'sqlite'] as const) {
      const row = await runRuntimeBenchmark({ agents: 10, ticks: 2, storage, worldFeed: true });
      expect(row.decisions).toBe(20);
    }
  });

  it('rejected agents fail the benchmark', async () => {
    await expect(
      runRuntimeBenchmark({ agents: 2, ticks: 1, storage: 'none', taskHead: 'missing' }),
    ).rejects.toThrow(/agent npc-0 was rejected/);
  });
});
