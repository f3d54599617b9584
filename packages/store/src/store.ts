import type {
  ChainVerification,
  LedgerAppend,
  LedgerRecord,
  RunInfo,
  StreamEvent,
} from '@galt/protocol';
import { CheckpointStore } from './checkpoint-store.js';
import { Connection, type StoreOptions } from './connection.js';
import { ExperienceStore } from './experience-store.js';
import { type LedgerHead, LedgerStore } from './ledger-store.js';
import { MemoryStore } from './memory-store.js';
import { exportRun, importRun } from './run-export.js';
import { type EventAppend, type ReadEventsOptions, type RunStart, RunStore } from './run-store.js';

/** Default database file, relative to the working directory. */
export const DEFAULT_STORE_PATH = './galt.db';

/** The hash-chained ledger of a store. */
export interface LedgerApi {
  append(entry: LedgerAppend): LedgerRecord;
  appendMany(entries: readonly LedgerAppend[]): LedgerRecord[];
  read(fromSeq?: number, limit?: number): LedgerRecord[];
  head(): LedgerHead;
  verify(): ChainVerification;
}

/** Experience store and memory ledger of one world, on one SQLite file. */
export interface GaltStore {
  readonly path: string;
  startRun(info: RunStart): RunInfo;
  endRun(runId: string, tick?: number): RunInfo;
  getRun(runId: string): RunInfo | null;
  appendEvents(events: readonly EventAppend[]): StreamEvent[];
  readEvents(options?: ReadEventsOptions): StreamEvent[];
  headSeq(): number;
  readonly ledger: LedgerApi;
  readonly memory: MemoryStore;
  readonly checkpoints: CheckpointStore;
  readonly experiences: ExperienceStore;
  exportRun(runId: string): string;
  importRun(jsonl: string): void;
  close(): void;
}

/**
 * Opens (or creates) the store at `path`, `:memory:` for a private in-memory one. A file that is
 * not a readable SQLite database throws a `GaltError` with code `database_unreadable`.
 */
export function openStore(
  path: string = DEFAULT_STORE_PATH,
  options: StoreOptions = {},
): GaltStore {
  const connection = Connection.open(path, options);
  const ledger = new LedgerStore(connection);
  const runs = new RunStore(connection, ledger);
  const memory = new MemoryStore(connection, ledger);
  const parts = { connection, runs, ledger, memory };
  return {
    path,
    startRun: (info) => runs.startRun(info),
    endRun: (runId, tick) => runs.endRun(runId, tick),
    getRun: (runId) => runs.getRun(runId),
    appendEvents: (events) => runs.appendEvents(events),
    readEvents: (readOptions) => runs.readEvents(readOptions),
    headSeq: () => runs.headSeq(),
    ledger,
    memory,
    checkpoints: new CheckpointStore(connection, ledger),
    experiences: new ExperienceStore(connection),
    exportRun: (runId) => exportRun(parts, runId),
    importRun: (jsonl) => importRun(parts, jsonl),
    close: () => connection.close(),
  };
}
