import { describe, expect, it } from 'vitest';
import { runStoreBenchmark } from './store-bench.js';

describe('runStoreBenchmark', () => {
  it('returns append and verify rows', () => {
    const rows = runStoreBenchmark({ records: 400 });
    expect(rows.map((row) => row.name)).toEqual([
      'ledger append, one per transaction',
      'ledger append, one per transaction',
      'ledger append, 1000 per transaction',
      'ledger verify',
    ]);
    expect(rows.map((row) => row.notes)).toEqual([
      'WAL, synchronous=FULL',
      'WAL, synchronous=NORMAL',
      'WAL, synchronous=FULL',
      'recomputes every hash from genesis',
    ]);
    expect(rows.map((row) => row.records)).toEqual([40, 40, 400, 440]);
    for (const row of rows) {
      expect(row.unit).toBe('records/s');
      expect(row.value).toBeGreaterThan(0);
    }
  });
});
