import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerAppend } from '@galt/protocol';
import type { StoreOptions } from '../connection.js';
import { acceptCandidate, buildCandidate } from '../memory-fixtures.js';
import type { MemoryWriteItem } from '../memory-write.js';
import type { EventAppend } from '../run-store.js';
import { type GaltStore, openStore } from '../store.js';

/** One benchmark result: a rate with the work and time behind it. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly records: number;
  readonly seconds: number;
  readonly notes: string;
}

/** Options of `runStoreBenchmark`. */
export interface StoreBenchOptions {
  /** Ledger records per batched measurement; single appends use a tenth of them. */
  readonly records?: number;
  /** Database file for the FULL-sync measurements; a new temp file when absent. It must be new. */
  readonly path?: string;
}

/** Default record count: enough for a stable rate, a few seconds on a 2-core machine. */
const DEFAULT_RECORDS = 100_000;
/** Records per transaction in the batched measurement, about one busy tick of a world. */
const BATCH_SIZE = 1_000;
/** Single appends wait for a WAL sync on every commit, so they run on a tenth of the records. */
const SINGLE_APPEND_SHARE = 0.1;
/** Memory writes cost several queries each, so they run on a tenth of the records. */
const MEMORY_WRITE_SHARE = 0.1;
/** Agents the benchmark's events and memory writes are spread over. */
const BENCH_AGENTS = 1_000;

/**
 * Measures ledger appends with the hash chain in WAL mode: one transaction per append at
 * `synchronous = FULL` (power-loss durable) and `NORMAL` (crash durable), `BATCH_SIZE` appends
 * per transaction at FULL, then `appendEvents` and `memory.writeMany` in batches of `BATCH_SIZE`
 * at FULL, then verification of the whole FULL-sync chain.
 */
export function runStoreBenchmark(options: StoreBenchOptions = {}): BenchRow[] {
  const records = options.records ?? DEFAULT_RECORDS;
  const singleCount = Math.max(1, Math.floor(records * SINGLE_APPEND_SHARE));
  const directory = mkdtempSync(join(tmpdir(), 'galt-bench-'));
  const path = options.path ?? join(directory, 'full.db');
  const store = openStore(path, { synchronous: 'full' });
  try {
    const singleFull = measureSingle(store, singleCount);
    const singleNormal = measureSingleOnNewFile(join(directory, 'normal.db'), singleCount, {
      synchronous: 'normal',
    });
    const batched = measure(() => {
      for (let start = 0; start < records; start += BATCH_SIZE) {
        const size = Math.min(BATCH_SIZE, records - start);
        store.ledger.appendMany(Array.from({ length: size }, (_, offset) => entry(start + offset)));
      }
    });
    const eventSeconds = measureEvents(store, records);
    const writeCount = Math.max(1, Math.floor(records * MEMORY_WRITE_SHARE));
    const writeSeconds = measureMemoryWrites(store, writeCount);
    let verified = 0;
    const verify = measure(() => {
      verified = store.ledger.verify().records;
    });
    return [
      row('ledger append, one per transaction', singleCount, singleFull, 'WAL, synchronous=FULL'),
      row(
        'ledger append, one per transaction',
        singleCount,
        singleNormal,
        'WAL, synchronous=NORMAL',
      ),
      row(
        `ledger append, ${BATCH_SIZE} per transaction`,
        records,
        batched,
        'WAL, synchronous=FULL',
      ),
      {
        ...row(
          `appendEvents, ${BATCH_SIZE} per call`,
          records,
          eventSeconds,
          'WAL, synchronous=FULL',
        ),
        unit: 'events/s',
      },
      {
        ...row(
          `memory.writeMany, ${BATCH_SIZE} per call`,
          writeCount,
          writeSeconds,
          'WAL, synchronous=FULL, every write admitted',
        ),
        unit: 'writes/s',
      },
      row('ledger verify', verified, verify, 'recomputes every hash from genesis'),
    ];
  } finally {
    store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

function measureEvents(store: GaltStore, count: number): number {
  store.startRun({ runId: 'bench', seed: 1, config: {}, modelDigest: 'bench' });
  const event = (index: number): EventAppend => ({
    runId: 'bench',
    tick: Math.floor(index / BENCH_AGENTS),
    agentId: `npc-${index % BENCH_AGENTS}`,
    kind: 'action',
    payload: { action: 'wave', target: `player-${index % 7}`, score: index / 2 },
  });
  return measure(() => {
    for (let start = 0; start < count; start += BATCH_SIZE) {
      const size = Math.min(BATCH_SIZE, count - start);
      store.appendEvents(Array.from({ length: size }, (_, offset) => event(start + offset)));
    }
  });
}

function measureMemoryWrites(store: GaltStore, count: number): number {
  const item = (index: number): MemoryWriteItem => {
    const candidate = buildCandidate({
      agentId: `npc-${index % BENCH_AGENTS}`,
      attribute: `fact-${Math.floor(index / BENCH_AGENTS)}`,
      content: `fact ${index}`,
      candidateId: `bench-${index}`,
    });
    return { candidate, adjudication: acceptCandidate(candidate), expectedVersion: 0 };
  };
  return measure(() => {
    for (let start = 0; start < count; start += BATCH_SIZE) {
      const size = Math.min(BATCH_SIZE, count - start);
      store.memory.writeMany(Array.from({ length: size }, (_, offset) => item(start + offset)));
    }
  });
}

function measureSingle(store: GaltStore, count: number): number {
  return measure(() => {
    for (let index = 0; index < count; index += 1) store.ledger.append(entry(index));
  });
}

function measureSingleOnNewFile(path: string, count: number, options: StoreOptions): number {
  const store = openStore(path, options);
  try {
    return measureSingle(store, count);
  } finally {
    store.close();
  }
}

function entry(index: number): LedgerAppend {
  return {
    kind: 'adjudication',
    tick: index,
    payload: {
      agentId: `npc-${index % 64}`,
      candidateId: `c-${index}`,
      decision: 'accept',
      gate: 1,
    },
  };
}

function measure(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function row(name: string, records: number, seconds: number, notes: string): BenchRow {
  return { name, value: Math.round(records / seconds), unit: 'records/s', records, seconds, notes };
}
