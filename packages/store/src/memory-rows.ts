import { GaltError } from '@galt/core';
import { formatIssues, type MemoryRecord, MemoryRecordSchema, parseWith } from '@galt/protocol';
import type { Connection } from './connection.js';
import type { QuarantineSource } from './memory-payloads.js';

/** A `memories` row as SQLite returns it. */
interface MemoryRow {
  memory_id: string;
  agent_id: string;
  subject: string;
  attribute: string;
  content: string;
  dependency_layer: string;
  provenance: string;
  consent: string;
  importance: number;
  content_hash: string;
  version: number;
  status: string;
  supersedes: string | null;
  superseded_by: string | null;
  created_seq: number;
  tick: number;
  quarantine_source: string | null;
}

const COLUMNS =
  'memory_id, agent_id, subject, attribute, content, dependency_layer, provenance, consent, ' +
  'importance, content_hash, version, status, supersedes, superseded_by, created_seq, tick, ' +
  'quarantine_source';

const SELECT = `SELECT ${COLUMNS} FROM memories`;

// The statement cache is keyed by SQL text, so hot queries are built once here rather than per
// call, which would hash a new string on every lookup.
const GET_SQL = `${SELECT} WHERE memory_id = ?`;
const CURRENT_SQL =
  `${SELECT} WHERE agent_id = ? AND subject = ? AND attribute = ? AND status != 'superseded'` +
  ' ORDER BY version DESC LIMIT 1';
const SAME_CONTENT_SQL =
  `${SELECT} WHERE agent_id = ? AND subject = ? AND content_hash = ? AND status != 'superseded'` +
  ' ORDER BY created_seq LIMIT 1';
const PUT_SQL =
  `INSERT OR REPLACE INTO memories (${COLUMNS}) VALUES ` +
  '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Reads and writes the `memories` table, the current-state projection of the ledger. */
export class MemoryRows {
  constructor(private readonly connection: Connection) {}

  /** Returns the record of `memoryId`, or null. */
  get(memoryId: string): MemoryRecord | null {
    return this.one(GET_SQL, memoryId);
  }

  /** Returns the newest record of a subject and attribute unless it is superseded (the head). */
  current(agentId: string, subject: string, attribute: string): MemoryRecord | null {
    return this.one(CURRENT_SQL, agentId, subject, attribute);
  }

  /** Returns the live record about `subject` with this content hash, whatever its attribute. */
  sameContent(agentId: string, subject: string, contentHash: string): MemoryRecord | null {
    return this.one(SAME_CONTENT_SQL, agentId, subject, contentHash);
  }

  /** Returns who quarantined `memoryId`, or null when it is not quarantined. */
  quarantineSource(memoryId: string): QuarantineSource | null {
    const row = this.connection
      .statement('SELECT quarantine_source FROM memories WHERE memory_id = ?')
      .get(memoryId) as { quarantine_source: QuarantineSource | null } | undefined;
    return row?.quarantine_source ?? null;
  }

  /** Returns records matching a WHERE clause over the columns, in admission order. */
  list(where: string, ...parameters: unknown[]): MemoryRecord[] {
    const rows = this.connection
      .statement(`${SELECT} WHERE ${where} ORDER BY created_seq`)
      .all(...parameters) as MemoryRow[];
    return rows.map((row) => this.parse(row));
  }

  /** Inserts a record, or replaces the row with the same id. */
  put(record: MemoryRecord, quarantineSource: QuarantineSource | null): void {
    this.connection
      .statement(PUT_SQL)
      .run(
        record.memoryId,
        record.agentId,
        record.subject,
        record.attribute,
        record.content,
        record.dependencyLayer,
        record.provenance,
        record.consent,
        record.importance,
        record.contentHash,
        record.version,
        record.status,
        record.supersedes,
        record.supersededBy,
        record.createdSeq,
        record.tick,
        quarantineSource,
      );
  }

  /** Deletes every row, before a rebuild from the ledger. */
  clear(): void {
    this.connection.statement('DELETE FROM memories').run();
  }

  private one(sql: string, ...parameters: unknown[]): MemoryRecord | null {
    const row = this.connection.statement(sql).get(...parameters) as MemoryRow | undefined;
    return row === undefined ? null : this.parse(row);
  }

  private parse(row: MemoryRow): MemoryRecord {
    const parsed = parseWith(MemoryRecordSchema, {
      memoryId: row.memory_id,
      agentId: row.agent_id,
      subject: row.subject,
      attribute: row.attribute,
      content: row.content,
      dependencyLayer: row.dependency_layer,
      provenance: row.provenance,
      consent: row.consent,
      importance: row.importance,
      contentHash: row.content_hash,
      version: row.version,
      status: row.status,
      supersedes: row.supersedes,
      supersededBy: row.superseded_by,
      createdSeq: row.created_seq,
      tick: row.tick,
    });
    if (parsed.ok) return parsed.value;
    throw new GaltError(
      'database_unreadable',
      `memory ${row.memory_id} in ${this.connection.path} is invalid: ${formatIssues(parsed.issues)}`,
      { remedy: 'Call memory.rebuild() to recreate the memory table from the ledger' },
    );
  }
}
