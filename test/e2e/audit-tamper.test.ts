import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@galt/store';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGalt } from './galt-process.js';
import { readLedgerRows, recomputeLedger } from './ledger-sql.js';

const RECORDS = 20;
const TAMPERED_SEQ = 7;

let directory: string;
let databasePath: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'galt-e2e-audit-'));
  databasePath = join(directory, 'galt.db');
  const store = openStore(databasePath);
  try {
    for (let tick = 0; tick < RECORDS; tick += 1) {
      store.ledger.append({ kind: 'checkpoint', tick, payload: { name: `state-${tick}` } });
    }
  } finally {
    store.close();
  }
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Rewrites one payload behind the store's back, as an attacker with file access could. */
function tamperWithPayload(seq: number): void {
  const db = new Database(databasePath);
  try {
    db.exec('DROP TRIGGER ledger_reject_update');
    db.prepare('UPDATE ledger SET payload = ? WHERE seq = ?').run(
      '{"name":"forged","tick":6}',
      seq,
    );
  } finally {
    db.close();
  }
}

describe('galt audit on a real database', () => {
  it('accepts the chain the store wrote', async () => {
    const result = await runGalt(['audit', '--db', databasePath, '--json'], directory);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; records: number };
    expect(report.ok).toBe(true);
    expect(report.records).toBe(RECORDS);
    expect(recomputeLedger(readLedgerRows(databasePath)).wrongHashSeqs).toEqual([]);
  });

  it('exits 1 at the first forged record', async () => {
    tamperWithPayload(TAMPERED_SEQ);
    const result = await runGalt(['audit', '--db', databasePath, '--json'], directory);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; firstBadSeq: number };
    expect(report.ok).toBe(false);
    expect(report.firstBadSeq).toBe(TAMPERED_SEQ);
    expect(recomputeLedger(readLedgerRows(databasePath)).wrongHashSeqs).toEqual([TAMPERED_SEQ]);
  });

  it('exits 2 on a truncated file without a stack trace', async () => {
    const bytes = readFileSync(databasePath);
    rmSync(`${databasePath}-wal`, { force: true });
    rmSync(`${databasePath}-shm`, { force: true });
    writeFileSync(databasePath, bytes.subarray(0, 100));
    const result = await runGalt(['audit', '--db', databasePath], directory);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(databasePath);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on garbage bytes without a stack trace', async () => {
    rmSync(`${databasePath}-wal`, { force: true });
    rmSync(`${databasePath}-shm`, { force: true });
    writeFileSync(databasePath, Buffer.alloc(8192, 0x5a));
    const result = await runGalt(['audit', '--db', databasePath], directory);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('database_unreadable');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
