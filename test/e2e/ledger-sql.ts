import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

/** The `prev_hash` of the first ledger record. */
const GENESIS_HASH = '0'.repeat(64);

/** One row of the `ledger` table, read with plain SQL. */
export interface LedgerRow {
  seq: number;
  kind: string;
  tick: number;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** Findings of an independent check of the ledger table. */
export interface LedgerRecomputation {
  rows: number;
  /** Rows whose payload text is not canonical JSON (sorted keys, no whitespace). */
  nonCanonicalSeqs: number[];
  /** Rows whose `prev_hash` is not the previous row's `hash` (or 64 zeros for the first). */
  brokenLinkSeqs: number[];
  /** Rows whose stored hash differs from the recomputed one. */
  wrongHashSeqs: number[];
  /** Rows whose seq is not the previous seq plus one. */
  seqGapSeqs: number[];
  headHash: string | null;
}

/** Writes a value as JSON with keys sorted at every level and no whitespace. */
export function canonicalJsonForTest(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJsonForTest).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const members = keys.map(
      (key) =>
        `${JSON.stringify(key)}:${canonicalJsonForTest((value as Record<string, unknown>)[key])}`,
    );
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Reads every ledger row of a database file, read-only, in sequence order. */
export function readLedgerRows(path: string): LedgerRow[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT seq, kind, tick, payload, prev_hash, hash FROM ledger ORDER BY seq')
      .all() as LedgerRow[];
  } finally {
    db.close();
  }
}

/**
 * Recomputes the hash chain from the rows alone: hash = sha256_hex(prev_hash + "\n" + seq + "\n"
 * + kind + "\n" + payload), starting from 64 zeros.
 */
export function recomputeLedger(rows: readonly LedgerRow[]): LedgerRecomputation {
  const result: LedgerRecomputation = {
    rows: rows.length,
    nonCanonicalSeqs: [],
    brokenLinkSeqs: [],
    wrongHashSeqs: [],
    seqGapSeqs: [],
    headHash: null,
  };
  let previousHash = GENESIS_HASH;
  let previousSeq = 0;
  for (const row of rows) {
    if (row.seq !== previousSeq + 1) result.seqGapSeqs.push(row.seq);
    if (canonicalJsonForTest(JSON.parse(row.payload)) !== row.payload) {
      result.nonCanonicalSeqs.push(row.seq);
    }
    if (row.prev_hash !== previousHash) result.brokenLinkSeqs.push(row.seq);
    const text = `${row.prev_hash}\n${row.seq}\n${row.kind}\n${row.payload}`;
    const expected = createHash('sha256').update(text, 'utf8').digest('hex');
    if (expected !== row.hash) result.wrongHashSeqs.push(row.seq);
    previousHash = row.hash;
    previousSeq = row.seq;
  }
  result.headHash = rows.length === 0 ? null : previousHash;
  return result;
}
