import { decideAccess, GaltError } from '@galt/core';
import type {
  AdjudicationRecord,
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
import {
  type MemoryWriteItem,
  type MemoryWriteResult,
  type MemoryWriteTables,
  writeInTransaction,
} from './memory-write.js';
import { validate } from './run-store.js';

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

export type { MemoryWriteItem, MemoryWriteResult };

/** Versioned, deduplicated, superseding memory whose every change is a ledger record. */
export class MemoryStore {
  private readonly rows: MemoryRows;
  private readonly tables: MemoryWriteTables;

  constructor(
    private readonly connection: Connection,
    private readonly ledger: LedgerStore,
  ) {
    this.rows = new MemoryRows(connection);
    this.tables = { connection, ledger, rows: this.rows };
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
    return this.connection.transaction(() => writeInTransaction(this.tables, request));
  }

  /**
   * Writes several candidates in one IMMEDIATE transaction, in order, with the same per-item
   * outcomes as calling `write` for each. Each item is checked against the earlier items too, so
   * it can duplicate one of them, supersede one or conflict with one. Every item is validated
   * before anything is written, and an invalid item throws `invalid_input` naming its index.
   */
  writeMany(items: readonly MemoryWriteItem[]): MemoryWriteResult[] {
    if (!Array.isArray(items)) {
      throw new GaltError('invalid_input', 'memory writeMany items must be an array', {
        remedy: 'Pass an array of { candidate, adjudication, expectedVersion }',
      });
    }
    const requests = items.map((item: MemoryWriteItem | null, index) =>
      validateWriteRequest(item?.candidate, item?.adjudication, item?.expectedVersion, index),
    );
    if (requests.length === 0) return [];
    return this.connection.transaction(() =>
      requests.map((request) => writeInTransaction(this.tables, request)),
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
