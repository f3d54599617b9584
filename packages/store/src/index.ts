export { type BenchRow, runStoreBenchmark, type StoreBenchOptions } from './bench/store-bench.js';
export type { Checkpoint, CheckpointStore } from './checkpoint-store.js';
export {
  type ConformanceAssertion,
  type ConformanceRunner,
  describeStoreConformance,
  type StoreFactory,
} from './conformance.js';
export { DEFAULT_BUSY_TIMEOUT_MS, type StoreOptions } from './connection.js';
export {
  type Experience,
  type ExperienceInput,
  ExperienceSchema,
  type ExperienceStore,
  type StoredExperience,
  StoredExperienceSchema,
} from './experience-store.js';
export { encodeLedgerPayload, ledgerRecordHash } from './ledger-hash.js';
export type { LedgerHead, LedgerStore } from './ledger-store.js';
export { type RawLedgerRow, verifyLedgerRows } from './ledger-verify.js';
export {
  MemoryAccessPayloadSchema,
  MemoryAdmittedPayloadSchema,
  MemoryDeduplicatedPayloadSchema,
  MemorySupersededPayloadSchema,
  type QuarantineSource,
  QuarantineSourceSchema,
} from './memory-payloads.js';
export { type ReplayedMemory, replayMemory } from './memory-replay.js';
export type {
  AccessRuleResult,
  MemoryAccessChange,
  MemoryStore,
  MemoryWriteItem,
  MemoryWriteResult,
} from './memory-store.js';
export { MIGRATIONS } from './migrations.js';
export { RUN_EXPORT_VERSION, type RunExportLine, RunExportLineSchema } from './run-export.js';
export {
  type EventAppend,
  EventAppendSchema,
  type ReadEventsOptions,
  type RunStart,
  RunStartSchema,
} from './run-store.js';
export { DEFAULT_STORE_PATH, type GaltStore, type LedgerApi, openStore } from './store.js';
