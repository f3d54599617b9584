import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGalt, spawnGalt, waitUntil } from './galt-process.js';
import { type LedgerRow, readLedgerRows, recomputeLedger } from './ledger-sql.js';

/** More ticks than the test waits for, so the process is always killed mid-run. */
const ENDLESS_TICKS = '1000000';
/** Ledger records committed before the kill: a few ticks' worth of adjudications and writes. */
const RECORDS_BEFORE_KILL = 100;

let directory: string;
let databasePath: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'galt-e2e-kill-'));
  databasePath = join(directory, 'galt.db');
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Reads committed ledger rows through a second, read-only connection while the run writes. */
function committedRows(): LedgerRow[] {
  try {
    return readLedgerRows(databasePath);
  } catch {
    // The file or its tables may not exist yet while the run starts up.
    return [];
  }
}

function countRuns(): { total: number; ended: number } {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT COUNT(*) AS total, COUNT(ended_at) AS ended FROM runs').get() as {
      total: number;
      ended: number;
    };
  } finally {
    db.close();
  }
}

describe('galt run killed with SIGKILL', () => {
  it('leaves a database that audits clean with every committed record', async () => {
    const galt = spawnGalt(
      ['run', '--ticks', ENDLESS_TICKS, '--db', databasePath, '--port', '0'],
      directory,
      { GALT_DEBUG: '1' },
    );
    let seen: LedgerRow[] = [];
    await waitUntil(() => {
      seen = committedRows();
      return seen.length >= RECORDS_BEFORE_KILL || galt.child.exitCode !== null;
    }, 'ledger records from the running galt process');
    expect(galt.child.exitCode, galt.stderr()).toBeNull();

    galt.child.kill('SIGKILL');
    const ended = await galt.exited;
    expect(ended.signal).toBe('SIGKILL');

    const after = readLedgerRows(databasePath);
    expect(after.length).toBeGreaterThanOrEqual(seen.length);
    expect(after.slice(0, seen.length)).toEqual(seen);
    const check = recomputeLedger(after);
    expect(check.wrongHashSeqs).toEqual([]);
    expect(check.brokenLinkSeqs).toEqual([]);
    expect(check.seqGapSeqs).toEqual([]);

    const audit = await runGalt(['audit', '--db', databasePath, '--json'], directory);
    expect(audit.code, audit.stderr).toBe(0);
    const report = JSON.parse(audit.stdout) as { ok: boolean; records: number };
    expect(report.ok).toBe(true);
    expect(report.records).toBe(after.length);
    expect(countRuns()).toEqual({ total: 1, ended: 0 });

    const replay = await runGalt(['replay', '--db', databasePath, '--json'], directory);
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ ok: true, ended: false });
    expect(replay.stderr).toContain('never finished');
  });

  it('accepts a new run in the same file afterwards', async () => {
    const galt = spawnGalt(
      ['run', '--ticks', ENDLESS_TICKS, '--db', databasePath, '--port', '0'],
      directory,
    );
    await waitUntil(
      () => committedRows().length >= RECORDS_BEFORE_KILL || galt.child.exitCode !== null,
      'ledger records from the running galt process',
    );
    galt.child.kill('SIGKILL');
    await galt.exited;
    const recordsBefore = readLedgerRows(databasePath).length;

    const second = await runGalt(
      ['run', '--ticks', '5', '--db', databasePath, '--port', '0', '--json'],
      directory,
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('already exists');
    const summary = JSON.parse(second.stdout) as { ledger: { records: number } };
    expect(summary.ledger.records).toBeGreaterThan(recordsBefore);
    expect(countRuns()).toEqual({ total: 2, ended: 1 });

    const audit = await runGalt(['audit', '--db', databasePath, '--json'], directory);
    expect(audit.code, audit.stderr).toBe(0);
  });
});
