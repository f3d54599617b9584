import { describe, expect, it } from 'vitest';
import { runStoreBenchmark } from './store-bench.js';

describe('runStoreBenchmark', () => {
  it('returns append, write and verify rows', () => {
    const rows = runStoreBenchmark({ records: 400 });
    expect(rows.map((row) => row.name)).toEqual([
      'ledger append, one per transaction',
      'ledger append, one per transaction',
      'ledger append, 1000 per transaction',
      'appendEvents, 1000 per call',
      'memory.writeMany, 1000 per call',
      'ledger verify',
    ]);
    expect(rows.map((row) => row.notes)).toEqual([
      'WAL, synchronous=FULL',
      'WAL, synchronous=NORMAL',
      'WAL, synchronous=FULL',
      'WAL, synchronous=FULL',
      'WAL, synchronous=FULL, every write admitted',
      'recomputes every hash from genesis',
    ]);
    // Verify covers the appends, run_started and one memory_admitted record per write.
    expect(rows.map((row) => row.records)).toEqual([40, 40, 400, 400, 40, 481]);
    expect(rows.map((row) => row.unit)).toEqual([
      'records/s',
      'records/s',
      'records/s',
      'events/s',
      'writes/s',
      'records/s',
    ]);
    for (const row of rows) expect(row.value).toBeGreaterThan(0);
  });
});
