import { decideAccess, GaltError, sha256Hex } from '@galt/core';
import type {
  AdjudicationRecord,
  LedgerAppend,
  LedgerRecord,
  MemoryCandidate,
  MemoryRecord,
  ViolationLayer,
} from '@galt/protocol';
import { ViolationLayerSchema } from '@galt/protocol';
import type { Connection } from './connection.js';
import type { LedgerStore } from './ledger-store.js';
import {
  type MemoryAccessPayload,
  MemoryAccessPayloadSchema,
  type QuarantineSource,
} from './memory-payloads.js';
import { MEMORY_STATE_KINDS, replayMemory } from './memory-replay.js';
import { MemoryRows } from './memory-rows.js';
import { validateWriteRequest } from './memory-validation.js';
import { validate } from './run-store.js';

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

/** Result of a quarantine or release. `ledger` is null when the record was already in that state. */
export interface MemoryAccessChange {
  readonly record: MemoryRecord;
  readonly ledger: LedgerRecord | null;
}

/** Memory ids the access rule moved, and the ledger records of the moves. */
export interface AccessRuleResult {
  readonly quarantined: string[];
  readonly released: string[];
  readonly ledger: LedgerRecord[];
}

/** Versioned, deduplicated, superseding memory whose every change is a ledger record. */
export class MemoryStore {
  private readonly rows: MemoryRows;

  constructor(
    private readonly connection: Connection,
    private readonly ledger: LedgerStore,
  ) {
    this.rows = new MemoryRows(connection);
  }

  /** Returns the current record of a subject and attribute (active or quarantined), or null. */
  read(agentId: string, subject: string, attribute: string): MemoryRecord | null {
    return this.connection.run(() => this.rows.current(agentId, subject, attribute));
  }

  /** Returns one record by id, or null. */
  get(memoryId: string): MemoryRecord | null {
    return this.connection.run(() => this.rows.get(memoryId));
  }

  /** Returns every version of a subject and attribute, oldest first. */
  history(agentId: string, subject: string, attribute: string): MemoryRecord[] {
    return this.connection.run(() =>
      this.rows.list('agent_id = ? AND subject = ? AND attribute = ?', agentId, subject, attribute),
    );
  }

  /**
   * Writes an accepted candidate. `expectedVersion` is the version the caller read (0 for none).
   * The same content about the same subject is a deduplication. Different content for the same
   * attribute supersedes the current record, and a stale `expectedVersion` is a conflict.
   */
  write(
    candidate: MemoryCandidate,
    adjudication: AdjudicationRecord,
    expectedVersion: number,
  ): MemoryWriteResult {
    const request = validateWriteRequest(candidate, adjudication, expectedVersion);
    return this.connection.transaction(() =>
      this.writeInTransaction(request.candidate, request.adjudication, expectedVersion),
    );
  }

  /** Quarantines an active record by hand. Only `release` lifts it, never `applyAccessRule`. */
  quarantine(memoryId: string, reason: string, tick: number): MemoryAccessChange {
    return this.connection.transaction(() =>
      this.setAccess(memoryId, 'quarantined', { reason, tick, source: 'manual' }),
    );
  }

  /** Releases a quarantined record back to active. */
  release(memoryId: string, reason: string, tick: number): MemoryAccessChange {
    return this.connection.transaction(() =>
      this.setAccess(memoryId, 'active', { reason, tick, source: 'manual' }),
    );
  }

  /**
   * Applies core's `decideAccess` to every live record of an agent: records whose layer the
   * violation reaches are quarantined, and records this rule quarantined earlier are released
   * once the rule grants access again. Hand-made quarantines are left alone.
   */
  applyAccessRule(agentId: string, violationLayer: ViolationLayer, tick: number): AccessRuleResult {
    validate(ViolationLayerSchema, violationLayer, 'violationLayer');
    return this.connection.transaction(() => {
      const result: AccessRuleResult = { quarantined: [], released: [], ledger: [] };
      const live = this.rows.list("agent_id = ? AND status != 'superseded'", agentId);
      for (const record of live) this.applyRuleTo(record, violationLayer, tick, result);
      return result;
    });
  }

  /** Returns the active records of an agent, optionally about one subject, oldest first. */
  active(agentId: string, subject?: string): MemoryRecord[] {
    return this.connection.run(() =>
      subject === undefined
        ? this.rows.list("agent_id = ? AND status = 'active'", agentId)
        : this.rows.list("agent_id = ? AND subject = ? AND status = 'active'", agentId, subject),
    );
  }

  /**
   * Returns every memory record (any status) as it stood right after ledger record `seq`,
   * rebuilt from the ledger alone, oldest first.
   */
  asOf(seq: number, agentId?: string): MemoryRecord[] {
    return this.connection.snapshot(() => {
      const records = this.ledger.readKinds(MEMORY_STATE_KINDS, seq);
      const memories = [...replayMemory(records).values()].map((entry) => entry.record);
      return agentId === undefined ? memories : memories.filter((m) => m.agentId === agentId);
    });
  }

  /** Recreates the memory table from the ledger, e.g. after an import or a damaged table. */
  rebuild(): number {
    return this.connection.transaction(() => {
      const head = this.ledger.head();
      const replayed = replayMemory(this.ledger.readKinds(MEMORY_STATE_KINDS, head.seq));
      this.rows.clear();
      for (const entry of replayed.values()) this.rows.put(entry.record, entry.quarantineSource);
      return replayed.size;
    });
  }

  private applyRuleTo(
    record: MemoryRecord,
    violationLayer: ViolationLayer,
    tick: number,
    result: AccessRuleResult,
  ): void {
    const access = decideAccess(record.dependencyLayer, violationLayer);
    const reason = `access rule: violation ${violationLayer}, memory layer ${record.dependencyLayer}`;
    const change = { reason, tick, source: 'access_rule' as const, violationLayer };

    if (access === 'quarantine' && record.status === 'active') {
      result.ledger.push(this.setAccess(record.memoryId, 'quarantined', change).ledger!);
      result.quarantined.push(record.memoryId);
      return;
    }
    const quarantinedByRule = this.rows.quarantineSource(record.memoryId) === 'access_rule';
    if (access === 'access' && quarantinedByRule) {
      result.ledger.push(this.setAccess(record.memoryId, 'active', change).ledger!);
      result.released.push(record.memoryId);
    }
  }

  private writeInTransaction(
    candidate: MemoryCandidate,
    adjudication: AdjudicationRecord,
    expectedVersion: number,
  ): MemoryWriteResult {
    const contentHash = sha256Hex(candidate.content);
    const duplicate = this.rows.sameContent(candidate.agentId, candidate.subject, contentHash);
    if (duplicate !== null) {
      const payload = {
        memoryId: duplicate.memoryId,
        agentId: candidate.agentId,
        subject: candidate.subject,
        candidateId: candidate.candidateId,
        contentHash,
        adjudication,
      };
      const ledger = this.ledger.appendInTransaction([
        { kind: 'memory_deduplicated', tick: candidate.tick, payload },
      ]);
      return { outcome: 'deduplicated', record: duplicate, ledger };
    }

    const current = this.rows.current(candidate.agentId, candidate.subject, candidate.attribute);
    const currentVersion = current?.version ?? 0;
    if (expectedVersion !== currentVersion) {
      this.connection.logger.debug('memory write conflict', {
        candidateId: candidate.candidateId,
        expectedVersion,
        currentVersion,
      });
      return { outcome: 'conflict', record: current, currentVersion, ledger: [] };
    }
    return this.admit(candidate, adjudication, contentHash, current);
  }

  private admit(
    candidate: MemoryCandidate,
    adjudication: AdjudicationRecord,
    contentHash: string,
    current: MemoryRecord | null,
  ): MemoryWriteResult {
    const createdSeq = this.ledger.head().seq + 1;
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
      this.rows.put({ ...current, status: 'superseded', supersededBy: record.memoryId }, null);
    }
    const ledger = this.ledger.appendInTransaction(entries);
    this.rows.put(record, null);
    return { outcome: current === null ? 'admitted' : 'superseded', record, ledger };
  }

  private setAccess(
    memoryId: string,
    status: 'active' | 'quarantined',
    change: Omit<MemoryAccessPayload, 'memoryId' | 'agentId'>,
  ): MemoryAccessChange {
    const record = this.rows.get(memoryId);
    if (record === null) {
      throw new GaltError('not_found', `memory ${memoryId} not found`, {
        remedy: 'Pass a memoryId returned by memory.write or memory.active',
      });
    }
    if (record.status === 'superseded') {
      throw new GaltError('invalid_input', `memory ${memoryId} is superseded and cannot change`, {
        remedy: `Quarantine or release its successor ${record.supersededBy ?? ''}`.trim(),
      });
    }
    if (record.status === status) return { record, ledger: null };

    const kind = status === 'quarantined' ? 'memory_quarantined' : 'memory_released';
    const payload = validate(
      MemoryAccessPayloadSchema,
      { ...change, memoryId, agentId: record.agentId },
      `${kind} of ${memoryId}`,
    );
    const [ledger] = this.ledger.appendInTransaction([{ kind, tick: change.tick, payload }]);
    const updated: MemoryRecord = { ...record, status };
    const source: QuarantineSource | null = status === 'quarantined' ? change.source : null;
    this.rows.put(updated, source);
    return { record: updated, ledger: ledger! };
  }
}
