import { GaltError } from '@galt/core';
import { formatIssues, type LedgerRecord, type MemoryRecord, parseWith } from '@galt/protocol';
import type { z } from 'zod';
import {
  MemoryAccessPayloadSchema,
  MemoryAdmittedPayloadSchema,
  MemorySupersededPayloadSchema,
  type QuarantineSource,
} from './memory-payloads.js';

/** Ledger kinds that change memory state. Other kinds leave it unchanged. */
export const MEMORY_STATE_KINDS = [
  'memory_admitted',
  'memory_superseded',
  'memory_quarantined',
  'memory_released',
] as const;

/** A memory record and the source of its quarantine, as replay rebuilds them. */
export interface ReplayedMemory {
  record: MemoryRecord;
  quarantineSource: QuarantineSource | null;
}

/**
 * Rebuilds memory state by applying ledger records in seq order. The result is keyed by memory
 * id, in admission order. The ledger alone decides memory state, so this equals the table.
 */
export function replayMemory(records: Iterable<LedgerRecord>): Map<string, ReplayedMemory> {
  const memories = new Map<string, ReplayedMemory>();
  for (const record of records) applyRecord(memories, record);
  return memories;
}

function applyRecord(memories: Map<string, ReplayedMemory>, record: LedgerRecord): void {
  switch (record.kind) {
    case 'memory_admitted': {
      const { memory } = parsePayload(MemoryAdmittedPayloadSchema, record);
      memories.set(memory.memoryId, { record: { ...memory }, quarantineSource: null });
      return;
    }
    case 'memory_superseded': {
      const payload = parsePayload(MemorySupersededPayloadSchema, record);
      const entry = findMemory(memories, payload.memoryId, record);
      entry.record = { ...entry.record, status: 'superseded', supersededBy: payload.supersededBy };
      entry.quarantineSource = null;
      return;
    }
    case 'memory_quarantined':
    case 'memory_released': {
      const payload = parsePayload(MemoryAccessPayloadSchema, record);
      const entry = findMemory(memories, payload.memoryId, record);
      const quarantined = record.kind === 'memory_quarantined';
      entry.record = { ...entry.record, status: quarantined ? 'quarantined' : 'active' };
      entry.quarantineSource = quarantined ? payload.source : null;
      return;
    }
    default:
      return;
  }
}

function findMemory(
  memories: Map<string, ReplayedMemory>,
  memoryId: string,
  record: LedgerRecord,
): ReplayedMemory {
  const entry = memories.get(memoryId);
  if (entry !== undefined) return entry;
  throw corrupt(record, `it names memory ${memoryId}, which no earlier record admitted`);
}

function parsePayload<S extends z.ZodType>(schema: S, record: LedgerRecord): z.output<S> {
  const parsed = parseWith(schema, record.payload);
  if (parsed.ok) return parsed.value;
  throw corrupt(record, formatIssues(parsed.issues));
}

function corrupt(record: LedgerRecord, detail: string): GaltError {
  return new GaltError(
    'ledger_corrupt',
    `ledger record ${record.seq} (${record.kind}) cannot be replayed: ${detail}`,
    { remedy: 'Run verify() to check the chain; restore the file from a backup if it fails' },
  );
}
