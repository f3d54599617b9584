import type { ChainVerification } from '@galt/protocol';
import { LEDGER_KINDS } from '@galt/protocol';
import { GENESIS_HASH, ledgerRecordHash } from './ledger-hash.js';

/** One ledger row as verify reads it: seq, kind, payload text, prev_hash, hash. */
export type RawLedgerRow = readonly [number, string, string, string, string];

const KNOWN_KINDS: ReadonlySet<string> = new Set(LEDGER_KINDS);

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
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (const [seq, kind, payload, storedPrev, storedHash] of rows) {
    const problem = checkRow(expectedSeq, prevHash, seq, kind, payload, storedPrev, storedHash);
    if (problem !== null) return failure(expectedSeq, expectedSeq - 1, problem);
    prevHash = storedHash;
    expectedSeq += 1;
  }

  const records = expectedSeq - 1;
  if (head.seq !== records) {
    const detail = `the recorded head is seq ${head.seq} but the ledger ends at seq ${records}`;
    return failure(Math.min(head.seq, records) + 1, records, detail);
  }
  if (head.hash !== prevHash) {
    return failure(records, records - 1, `the recorded head hash differs from record ${records}`);
  }
  return {
    ok: true,
    records,
    firstBadSeq: null,
    reason: null,
    headHash: records > 0 ? prevHash : null,
  };
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
