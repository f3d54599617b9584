import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, LEDGER_KINDS, type LedgerAppend } from '@galt/protocol';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ledgerRecordHash } from './ledger-hash.js';
import { type RawLedgerRow, verifyLedgerRows } from './ledger-verify.js';
import { openStore } from './store.js';

const directory = mkdtempSync(join(tmpdir(), 'galt-store-ledger-'));
let fileCount = 0;

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Creates a file store holding `count` records and returns its path. */
function ledgerFile(count: number): string {
  fileCount += 1;
  const path = join(directory, `ledger-${fileCount}.db`);
  const store = openStore(path);
  const entries: LedgerAppend[] = Array.from({ length: count }, (_, index) => ({
    kind: 'adjudication',
    tick: index,
    payload: { index, text: `record ${index}` },
  }));
  store.ledger.appendMany(entries);
  store.close();
  return path;
}

/** Opens the file without the store, drops the append-only triggers and runs `sql`. */
function tamper(path: string, sql: string): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER ledger_reject_update; DROP TRIGGER ledger_reject_delete;');
  db.exec(sql);
  db.close();
}

function verifyFile(path: string) {
  const store = openStore(path);
  try {
    return store.ledger.verify();
  } finally {
    store.close();
  }
}

describe('ledger append', () => {
  it('chains hashes from genesis', () => {
    const store = openStore(':memory:');
    const records = store.ledger.appendMany([
      { kind: 'checkpoint', tick: 1, payload: { name: 'a' } },
      { kind: 'checkpoint', tick: 2, payload: { name: 'b' } },
    ]);
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    expect(records[1]?.prevHash).toBe(records[0]?.hash);
    const payloadText = '{"name":"b","tick":2}';
    expect(records[1]?.hash).toBe(ledgerRecordHash(records[0]!.hash, 2, 'checkpoint', payloadText));
    expect(store.ledger.head()).toEqual({ seq: 2, hash: records[1]?.hash });
    store.close();
  });

  it('rejects payload tick mismatch', () => {
    const store = openStore(':memory:');
    const entry = { kind: 'checkpoint' as const, tick: 1, payload: { tick: 2 } };
    expect(() => store.ledger.append(entry)).toThrow(/tick 2 but the record has tick 1/);
    expect(store.ledger.head().seq).toBe(0);
    store.close();
  });

  it('rejects unknown kind with issues', () => {
    const store = openStore(':memory:');
    const entry = { kind: 'gossip', tick: 0, payload: {} } as unknown as LedgerAppend;
    expect(() => store.ledger.append(entry)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    store.close();
  });

  it('triggers reject UPDATE and DELETE', () => {
    const path = ledgerFile(3);
    const db = new Database(path);
    expect(() => db.exec("UPDATE ledger SET payload = '{}' WHERE seq = 2")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM ledger WHERE seq = 3')).toThrow(/append-only/);
    db.close();
    expect(verifyFile(path).ok).toBe(true);
  });
});

/** Builds a valid chain of `count` raw rows, as verify reads them. */
function rawChain(count: number): RawLedgerRow[] {
  const rows: RawLedgerRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const payload = `{"index":${seq},"tick":${seq}}`;
    const hash = ledgerRecordHash(prevHash, seq, 'checkpoint', payload);
    rows.push([seq, 'checkpoint', payload, prevHash, hash]);
    prevHash = hash;
  }
  return rows;
}

describe('verifyLedgerRows', () => {
  const count = 2_500;
  const chain = rawChain(count);
  const head = { seq: count, hash: chain.at(-1)![4] };

  it('accepts an array or a generator', () => {
    const fromArray = verifyLedgerRows(chain, head);
    const fromGenerator = verifyLedgerRows(
      (function* () {
        yield* chain;
      })(),
      head,
    );
    expect(fromArray).toMatchObject({ ok: true, records: count, headHash: head.hash });
    expect(fromGenerator).toEqual(fromArray);
  });

  it('names an edit past the first page', () => {
    const edited = [...chain];
    const [seq, kind, , prevHash, hash] = edited[1_499]!;
    edited[1_499] = [seq, kind, '{"index":0,"tick":1500}', prevHash, hash];
    const fromArray = verifyLedgerRows(edited, head);
    const fromGenerator = verifyLedgerRows(
      (function* () {
        yield* edited;
      })(),
      head,
    );
    expect(fromArray).toMatchObject({ ok: false, firstBadSeq: 1_500, records: 1_499 });
    expect(fromGenerator).toEqual(fromArray);
  });

  it('names a deleted tail', () => {
    const result = verifyLedgerRows(chain.slice(0, 2_000), head);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 2_001, records: 2_000 });
  });
});

describe('ledger verify', () => {
  it('names an edited record', () => {
    const path = ledgerFile(10);
    tamper(
      path,
      `UPDATE ledger SET payload = '{"index":4,"text":"forged","tick":4}' WHERE seq = 5`,
    );
    expect(verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 5, records: 4 });
  });

  it('names a deleted record', () => {
    const path = ledgerFile(10);
    tamper(path, 'DELETE FROM ledger WHERE seq = 7');
    expect(verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('names a deleted tail', () => {
    const path = ledgerFile(10);
    tamper(path, 'DELETE FROM ledger WHERE seq >= 9');
    const result = verifyFile(path);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 9 });
    expect(result.reason).toMatch(/head is seq 10/);
  });

  it('names the first of reordered records', () => {
    const path = ledgerFile(10);
    tamper(
      path,
      `UPDATE ledger SET seq = -1 WHERE seq = 3;
       UPDATE ledger SET seq = 3 WHERE seq = 6;
       UPDATE ledger SET seq = 6 WHERE seq = -1;`,
    );
    expect(verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('names an edited record anywhere', () => {
    const count = 12;
    const path = ledgerFile(count);
    const pristine = new Database(path, { readonly: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: count }),
        fc.constantFrom('payload', 'kind', 'tick_and_payload', 'hash'),
        (seq, field) => {
          const copy = join(directory, 'property.db');
          rmSync(copy, { force: true });
          pristine.exec(`VACUUM INTO '${copy}'`);
          const edits: Record<string, string> = {
            payload: `UPDATE ledger SET payload = '{"index":-1,"tick":${seq - 1}}' WHERE seq = ${seq}`,
            kind: `UPDATE ledger SET kind = 'checkpoint' WHERE seq = ${seq}`,
            tick_and_payload: `UPDATE ledger SET payload = replace(payload, '"tick":', '"tick":9') WHERE seq = ${seq}`,
            hash: `UPDATE ledger SET hash = '${'f'.repeat(64)}' WHERE seq = ${seq}`,
          };
          tamper(copy, edits[field]!);
          const result = verifyFile(copy);
          expect(result.ok).toBe(false);
          expect(result.firstBadSeq).toBe(seq);
        },
      ),
      { numRuns: 40 },
    );
    pristine.close();
  });

  it('accepts any sequence of appends', () => {
    const entry = fc.record({
      kind: fc.constantFrom(...LEDGER_KINDS),
      tick: fc.nat({ max: 1_000 }),
      payload: fc.dictionary(
        fc.string({ maxLength: 6 }).filter((key) => key !== 'tick'),
        fc.jsonValue(),
      ),
    });
    fc.assert(
      fc.property(fc.array(fc.array(entry, { maxLength: 5 }), { maxLength: 6 }), (batches) => {
        const store = openStore(':memory:', { checkOnOpen: false });
        let total = 0;
        for (const batch of batches) {
          const written = store.ledger.appendMany(batch as LedgerAppend[]);
          total += written.length;
        }
        const result = store.ledger.verify();
        store.close();
        expect(result).toMatchObject({ ok: true, records: total, firstBadSeq: null });
      }),
      { numRuns: 60 },
    );
  });
});
