import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGaltError } from '@galt/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './store.js';

const directory = mkdtempSync(join(tmpdir(), 'galt-store-read-only-'));

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function ledgerFile(name: string, records: number): string {
  const path = join(directory, name);
  const store = openStore(path);
  for (let index = 0; index < records; index += 1) {
    store.ledger.append({ kind: 'checkpoint', tick: index, payload: { index } });
  }
  store.close();
  return path;
}

describe('read-only store', () => {
  it('verifies a ledger without changing the file', () => {
    const path = ledgerFile('audit.db', 5);
    const before = readFileSync(path);
    const store = openStore(path, { readOnly: true });

    const verification = store.ledger.verify();
    store.close();

    expect(verification.ok).toBe(true);
    expect(verification.records).toBe(5);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('rejects writes', () => {
    const path = ledgerFile('no-writes.db', 1);
    const store = openStore(path, { readOnly: true });

    expect(() => store.ledger.append({ kind: 'checkpoint', tick: 0, payload: {} })).toThrow();
    store.close();
    const reopened = openStore(path);
    expect(reopened.ledger.head().seq).toBe(1);
    reopened.close();
  });

  it('refuses a missing file instead of creating it', () => {
    expect(() => openStore(join(directory, 'missing.db'), { readOnly: true })).toThrow();
  });

  it('refuses a SQLite file galt never wrote and leaves it untouched', () => {
    const path = join(directory, 'foreign.db');
    const foreign = new Database(path);
    foreign.pragma('journal_mode = WAL');
    foreign.exec('CREATE TABLE notes (text TEXT)');
    foreign.close();

    let caught: unknown;
    try {
      openStore(path, { readOnly: true }).ledger.verify();
    } catch (error) {
      caught = error;
    }

    expect(isGaltError(caught, 'database_unreadable')).toBe(true);
    expect(String((caught as Error).message)).toContain('not a galt database');
    const check = new Database(path, { readonly: true });
    const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    check.close();
    expect(tables).toEqual([{ name: 'notes' }]);
  });

  it("refuses another program's database", () => {
    const path = join(directory, 'other-program.db');
    const foreign = new Database(path);
    foreign.exec('CREATE TABLE x (a)');
    foreign.close();

    expect(() => openStore(path)).toThrow(/is not a galt database: .*other tables \(x\)/);
    const check = new Database(path, { readonly: true });
    const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    const mode = check.pragma('journal_mode', { simple: true });
    check.close();
    expect(tables).toEqual([{ name: 'x' }]);
    expect(mode).toBe('delete');
  });
});
