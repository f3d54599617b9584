import type { ChainVerification } from '@galt/protocol';
import { LEDGER_KINDS } from '@galt/protocol';
import { GENESIS_HASH, ledgerRecordHash } from './ledger-hash.js';

/** One ledger row as verify reads it: seq, kind, payload text, prev_hash, hash. */
export type RawLedgerRow = readonly [number, string, string, string, string];

const KNOWN_KINDS: ReadonlySet<string> = new Set(LEDGER_KINDS);

/** Rows buffered from a non-array iterable before each check, which bounds memory. */
const ITERABLE_PAGE = 1_000;

/**
 * Recomputes the hash chain over rows in seq order, fed one page at a time, so a caller can
 * stream a large ledger without holding it in memory. It checks hashes and links only: payloads
 * are not validated by schema here, because reading them with `ledger.read()` does that.
 */
export class ChainChecker {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private problem: ChainVerification | null = null;

  /** Checks the next rows; returns false once a row fails, and later pages are ignored. */
  push(rows: readonly RawLedgerRow[]): boolean {
    if (this.problem !== null) return false;
    let expectedSeq = this.expectedSeq;
    let prevHash = this.prevHash;
    for (let index = 0; index < rows.length; index += 1) {
      const [seq, kind, payload, storedPrev, storedHash] = rows[index]!;
      const reason = checkRow(expectedSeq, prevHash, seq, kind, payload, storedPrev, storedHash);
      if (reason !== null) {
        this.problem = failure(expectedSeq, expectedSeq - 1, reason);
        return false;
      }
      prevHash = storedHash;
      expectedSeq += 1;
    }
    this.expectedSeq = expectedSeq;
    this.prevHash = prevHash;
    return true;
  }

  /** Compares the end of the chain with the recorded head and returns the verdict. */
  finish(head: { seq: number; hash: string }): ChainVerification {
    if (this.problem !== null) return this.problem;
    const records = this.expectedSeq - 1;
    if (head.seq !== records) {
      const detail = `the recorded head is seq ${head.seq} but the ledger ends at seq ${records}`;
      return failure(Math.min(head.seq, records) + 1, records, detail);
    }
    if (head.hash !== this.prevHash) {
      return failure(records, records - 1, `the recorded head hash differs from record ${records}`);
    }
    return {
      ok: true,
      records,
      firstBadSeq: null,
      reason: null,
      headHash: records > 0 ? this.prevHash : null,
    };
  }
}

/**
 * Recomputes the hash chain over rows in seq order and checks it against the recorded head.
 * Detects an edited row (hash mismatch), a deleted or reordered row (seq gap or broken link) and
 * a deleted tail (the head names a later seq). It cannot detect a rewrite that recomputes every
 * later hash and the head, so anchor `headHash` outside the database for that.
 */
export function verifyLedgerRows(
  rows: Iterable<RawLedgerRow>,
  head: { seq: number; hash: string },
): ChainVerification {
  const checker = new ChainChecker();
  if (Array.isArray(rows)) {
    checker.push(rows);
    return checker.finish(head);
  }
  let page: RawLedgerRow[] = [];
  for (const row of rows) {
    page.push(row);
    if (page.length < ITERABLE_PAGE) continue;
    if (!checker.push(page)) return checker.finish(head);
    page = [];
  }
  checker.push(page);
  return checker.finish(head);
}

function checkRow(
  expectedSeq: number,
  prevHash: string,
  seq: number,
  kind: string,
  payload: string,
  storedPrev: string,
  storedHash: string,
): string | null {
  if (seq !== expectedSeq) return `expected seq ${expectedSeq}, found seq ${seq}`;
  if (storedPrev !== prevHash) return `prev_hash of record ${seq} does not match record ${seq - 1}`;
  if (!KNOWN_KINDS.has(kind)) return `record ${seq} has unknown kind ${JSON.stringify(kind)}`;
  if (ledgerRecordHash(storedPrev, seq, kind, payload) !== storedHash) {
    return `hash of record ${seq} does not match its contents`;
  }
  return null;
}

function failure(firstBadSeq: number, records: number, reason: string): ChainVerification {
  return { ok: false, records, firstBadSeq, reason, headHash: null };
}
