import { GaltError } from '@galt/core';
import {
  type ChainVerification,
  formatIssues,
  LEDGER_KINDS,
  type LedgerAppend,
  LedgerAppendSchema,
  type LedgerKind,
  type LedgerRecord,
  LedgerRecordSchema,
  parseWith,
} from '@galt/protocol';
import type { Connection } from './connection.js';
import { isPlainRecord, isTick } from './input-checks.js';
import {
  encodeLedgerEntry,
  encodeLedgerPayload,
  GENESIS_HASH,
  ledgerRecordHash,
} from './ledger-hash.js';
import { ChainChecker, type RawLedgerRow } from './ledger-verify.js';

/** The last record of the chain, or seq 0 and the genesis hash for an empty ledger. */
export interface LedgerHead {
  readonly seq: number;
  readonly hash: string;
}

/** Page size of `read()` without a limit, which bounds memory per query. */
const DEFAULT_READ_LIMIT = 10_000;

/** Rows per query in `verify()`: large enough to amortise the query, small enough for memory. */
const VERIFY_PAGE = 5_000;

const INSERT_SQL =
  'INSERT INTO ledger (seq, kind, tick, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)';
const HEAD_SQL = 'SELECT seq, hash FROM ledger_head WHERE id = 1';
const SET_HEAD_SQL = 'UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1';
const VERIFY_SQL =
  'SELECT seq, kind, payload, prev_hash, hash FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?';
const READ_SQL =
  'SELECT seq, kind, tick, payload, prev_hash, hash FROM ledger WHERE seq >= ? ORDER BY seq LIMIT ?';

interface LedgerRow {
  seq: number;
  kind: string;
  tick: number;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** The append-only, hash-chained ledger of one store. */
export class LedgerStore {
  constructor(private readonly connection: Connection) {}

  /** Appends one record in its own IMMEDIATE transaction and returns it with seq and hashes. */
  append(entry: LedgerAppend): LedgerRecord {
    const [record] = this.appendMany([entry]);
    return record!;
  }

  /** Appends records in one IMMEDIATE transaction: all of them commit or none does. */
  appendMany(entries: readonly LedgerAppend[]): LedgerRecord[] {
    return this.connection.transaction(() => this.appendInTransaction(entries));
  }

  /**
   * Validates and appends records. The caller must hold an IMMEDIATE transaction, so the head
   * read here cannot move before the insert.
   */
  appendInTransaction(entries: readonly LedgerAppend[]): LedgerRecord[] {
    if (entries.length === 0) return [];
    const valid = entries.map((entry, index) => validateAppend(entry, index));
    const insert = this.connection.statement(INSERT_SQL);
    let { seq, hash } = this.head();
    const records: LedgerRecord[] = [];
    for (const entry of valid) {
      // The returned payload is the object that was encoded, not a parse of the stored text, so
      // it shares nested objects with the caller's entry.
      const { payload, text } = encodeLedgerEntry(entry.kind, entry.tick, entry.payload);
      const prevHash = hash;
      seq += 1;
      hash = ledgerRecordHash(prevHash, seq, entry.kind, text);
      insert.run(seq, entry.kind, entry.tick, text, prevHash, hash);
      records.push({ seq, kind: entry.kind, tick: entry.tick, payload, prevHash, hash });
    }
    this.connection.statement(SET_HEAD_SQL).run(seq, hash);
    return records;
  }

  /**
   * Inserts already-verified records with their own hashes after `head`, for imports. The caller
   * must hold an IMMEDIATE transaction and must have checked the chain.
   */
  insertVerbatim(records: readonly LedgerRecord[], head: LedgerHead): void {
    const first = records[0];
    if (first === undefined) return;
    if (first.seq !== head.seq + 1 || first.prevHash !== head.hash) {
      throw new GaltError(
        'invalid_input',
        `imported record ${first.seq} does not follow the head`,
        {
          remedy: 'Import records that continue this ledger from its head',
        },
      );
    }
    const insert = this.connection.statement(INSERT_SQL);
    for (const record of records) {
      const payloadText = encodeLedgerPayload(record.kind, record.tick, record.payload);
      insert.run(record.seq, record.kind, record.tick, payloadText, record.prevHash, record.hash);
    }
    const last = records.at(-1)!;
    this.connection.statement(SET_HEAD_SQL).run(last.seq, last.hash);
  }

  /** Returns up to `limit` records from `fromSeq` on, each validated by `LedgerRecordSchema`. */
  read(fromSeq = 1, limit = DEFAULT_READ_LIMIT): LedgerRecord[] {
    return this.connection.run(() => {
      const rows = this.connection.statement(READ_SQL).all(fromSeq, limit) as LedgerRow[];
      return rows.map((row) => this.parseRow(row));
    });
  }

  /** Returns every record from `fromSeq` up to and including `toSeq`, in pages. */
  readRange(fromSeq: number, toSeq: number): LedgerRecord[] {
    const records: LedgerRecord[] = [];
    let next = fromSeq;
    while (next <= toSeq) {
      const page = this.read(next, Math.min(DEFAULT_READ_LIMIT, toSeq - next + 1));
      if (page.length === 0) break;
      records.push(...page);
      next = page.at(-1)!.seq + 1;
    }
    return records;
  }

  /** Returns the records of the given kinds up to and including `toSeq`, in seq order. */
  readKinds(kinds: readonly LedgerKind[], toSeq: number): LedgerRecord[] {
    return this.connection.run(() => {
      const marks = kinds.map(() => '?').join(', ');
      const sql =
        'SELECT seq, kind, tick, payload, prev_hash, hash FROM ledger ' +
        `WHERE seq <= ? AND kind IN (${marks}) ORDER BY seq`;
      const rows = this.connection.statement(sql).all(toSeq, ...kinds) as LedgerRow[];
      return rows.map((row) => this.parseRow(row));
    });
  }

  /** Returns the committed head: seq 0 and 64 zeros while the ledger is empty. */
  head(): LedgerHead {
    return this.connection.run(() => {
      const row = this.connection.statement(HEAD_SQL).get() as LedgerHead | undefined;
      return row ?? { seq: 0, hash: GENESIS_HASH };
    });
  }

  /**
   * Recomputes the chain from the first record and names the first bad sequence number. Rows
   * are read a page at a time inside one read transaction, so memory stays bounded and every
   * page sees the same snapshot.
   */
  verify(): ChainVerification {
    return this.connection.snapshot(() => {
      const checker = new ChainChecker();
      const page = this.connection.statement(VERIFY_SQL).raw(true);
      let after = 0;
      for (;;) {
        const rows = page.all(after, VERIFY_PAGE) as RawLedgerRow[];
        if (!checker.push(rows) || rows.length < VERIFY_PAGE) break;
        after = rows[rows.length - 1]![0];
      }
      return checker.finish(this.head());
    });
  }

  private parseRow(row: LedgerRow): LedgerRecord {
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      payload = null;
    }
    const parsed = parseWith(LedgerRecordSchema, {
      seq: row.seq,
      kind: row.kind,
      tick: row.tick,
      payload,
      prevHash: row.prev_hash,
      hash: row.hash,
    });
    if (parsed.ok) return parsed.value;
    throw new GaltError(
      'ledger_corrupt',
      `ledger record ${row.seq} in ${this.connection.path} is invalid: ${formatIssues(parsed.issues)}`,
      { remedy: 'Run verify() to locate the damage and restore the file from a backup' },
    );
  }
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(LEDGER_KINDS);

/** Returns the entry when the cheap checks pass, and otherwise validates it by schema. */
function validateAppend(entry: LedgerAppend, index: number): LedgerAppend {
  const wellFormed =
    typeof entry === 'object' &&
    entry !== null &&
    KNOWN_KINDS.has(entry.kind) &&
    isTick(entry.tick) &&
    isPlainRecord(entry.payload);
  if (wellFormed) return entry;
  const parsed = parseWith(LedgerAppendSchema, entry);
  if (parsed.ok) return parsed.value;
  throw new GaltError(
    'invalid_input',
    `ledger entry ${index} is invalid: ${formatIssues(parsed.issues)}`,
    {
      remedy: 'Pass { kind, tick, payload } with a known kind and a non-negative integer tick',
      issues: parsed.issues,
    },
  );
}
