import { sha256Hex } from '@galt/core';
import type {
  AdjudicationRecord,
  LedgerAppend,
  LedgerRecord,
  MemoryCandidate,
  MemoryRecord,
} from '@galt/protocol';
import type { Connection } from './connection.js';
import type { LedgerStore } from './ledger-store.js';
import type { MemoryRows } from './memory-rows.js';
import type { WriteRequest } from './memory-validation.js';

/** Result of `memory.write`. A conflict changes nothing, so read again and retry. */
export type MemoryWriteResult =
  | {
      readonly outcome: 'admitted' | 'deduplicated' | 'superseded';
      readonly record: MemoryRecord;
      readonly ledger: LedgerRecord[];
    }
  | {
      readonly outcome: 'conflict';
      /** The record that is current now, or null when the expected version is ahead of it. */
      readonly record: MemoryRecord | null;
      /** The version a retry must name. */
      readonly currentVersion: number;
      readonly ledger: LedgerRecord[];
    };

/** One item of `memory.writeMany`: the arguments of one `memory.write` call. */
export interface MemoryWriteItem {
  readonly candidate: MemoryCandidate;
  readonly adjudication: AdjudicationRecord;
  /** The version the caller read, 0 for none. */
  readonly expectedVersion: number;
}

/** The tables one write touches. */
export interface MemoryWriteTables {
  readonly connection: Connection;
  readonly ledger: LedgerStore;
  readonly rows: MemoryRows;
}

/**
 * Writes one validated request. The caller must hold an IMMEDIATE transaction, so the duplicate
 * and version checks see every earlier write, including earlier items of the same batch.
 */
export function writeInTransaction(
  tables: MemoryWriteTables,
  { candidate, adjudication, expectedVersion }: WriteRequest,
): MemoryWriteResult {
  const contentHash = sha256Hex(candidate.content);
  const duplicate = tables.rows.sameContent(candidate.agentId, candidate.subject, contentHash);
  if (duplicate !== null) {
    const payload = {
      memoryId: duplicate.memoryId,
      agentId: candidate.agentId,
      subject: candidate.subject,
      candidateId: candidate.candidateId,
      contentHash,
      adjudication,
    };
    const ledger = tables.ledger.appendInTransaction([
      { kind: 'memory_deduplicated', tick: candidate.tick, payload },
    ]);
    return { outcome: 'deduplicated', record: duplicate, ledger };
  }

  const current = tables.rows.current(candidate.agentId, candidate.subject, candidate.attribute);
  const currentVersion = current?.version ?? 0;
  if (expectedVersion !== currentVersion) {
    tables.connection.logger.debug('memory write conflict', {
      candidateId: candidate.candidateId,
      expectedVersion,
      currentVersion,
    });
    return { outcome: 'conflict', record: current, currentVersion, ledger: [] };
  }
  return admit(tables, candidate, adjudication, contentHash, current);
}

function admit(
  tables: MemoryWriteTables,
  candidate: MemoryCandidate,
  adjudication: AdjudicationRecord,
  contentHash: string,
  current: MemoryRecord | null,
): MemoryWriteResult {
  const createdSeq = tables.ledger.head().seq + 1;
  const record: MemoryRecord = {
    memoryId: `mem-${createdSeq}`,
    agentId: candidate.agentId,
    subject: candidate.subject,
    attribute: candidate.attribute,
    content: candidate.content,
    dependencyLayer: candidate.dependencyLayer,
    provenance: candidate.provenance,
    consent: candidate.consent,
    importance: candidate.importance,
    contentHash,
    version: (current?.version ?? 0) + 1,
    status: 'active',
    supersedes: current?.memoryId ?? null,
    supersededBy: null,
    createdSeq,
    tick: candidate.tick,
  };
  const tick = candidate.tick;
  const entries: LedgerAppend[] = [
    { kind: 'memory_admitted', tick, payload: { memory: record, adjudication } },
  ];
  if (current !== null) {
    const payload = {
      memoryId: current.memoryId,
      supersededBy: record.memoryId,
      agentId: current.agentId,
      subject: current.subject,
      attribute: current.attribute,
    };
    entries.push({ kind: 'memory_superseded', tick, payload });
    tables.rows.put({ ...current, status: 'superseded', supersededBy: record.memoryId }, null);
  }
  const ledger = tables.ledger.appendInTransaction(entries);
  tables.rows.put(record, null);
  return { outcome: current === null ? 'admitted' : 'superseded', record, ledger };
}
