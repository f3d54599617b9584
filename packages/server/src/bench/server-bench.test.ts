import { describe, expect, it } from 'vitest';
import { runServerBenchmark } from './server-bench.js';

describe('runServerBenchmark', () => {
  it('delivers every event to every subscriber', async () => {
    const rows = await runServerBenchmark({ events: 5000, subscribers: 3, batchSize: 64 });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.events).toBe(5000);
    expect(row.subscribers).toBe(3);
    expect(row.gaps).toBe(0);
    expect(row.duplicates).toBe(0);
    expect(row.eventsPerSecondPerSubscriber).toBeGreaterThan(0);
  });
});
