import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@galt/store';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { ExitCode } from '../exit-codes.js';
import { createBufferedIo } from '../io.js';
import { allCommands } from './index.js';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'galt-cli-audit-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function audit(...args: string[]) {
  const io = createBufferedIo({ cwd: directory });
  const code = await runCli(['audit', ...args], io, allCommands);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

function writeLedger(path: string, records: number): void {
  const store = openStore(path);
  try {
    // Reading the head creates the schema, so even a file with no records is a galt database.
    store.ledger.head();
    for (let tick = 0; tick < records; tick += 1) {
      store.ledger.append({ kind: 'checkpoint', tick, payload: { name: `c${tick}` } });
    }
  } finally {
    store.close();
  }
}

describe('galt audit', () => {
  it('reports an intact chain as JSON', async () => {
    writeLedger(join(directory, 'run.db'), 5);
    const result = await audit('--db', 'run.db', '--json');
    expect(result.code).toBe(ExitCode.ok);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(parsed.ok).toBe(true);
    expect(parsed.records).toBe(5);
    expect(parsed.firstBadSeq).toBeNull();
    expect(parsed.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints a table without --json', async () => {
    writeLedger(join(directory, 'run.db'), 2);
    const result = await audit('--db', 'run.db');
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/records\s+2/);
    expect(result.stdout).toContain('ledger verified: 2 records');
  });

  it('exits 2 for a missing file without creating it', async () => {
    const result = await audit('--db', 'absent.db');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('absent.db not found');
    expect(result.stderr).not.toContain('    at ');
    const again = await audit('--db', 'absent.db');
    expect(again.stderr).toContain('not found');
  });

  it('exits 2 for a file that is not a database', async () => {
    writeFileSync(
      join(directory, 'garbage.db'),
      'this is not a SQLite file, only text '.repeat(200),
    );
    const result = await audit('--db', 'garbage.db');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('database_unreadable');
    expect(result.stderr).not.toContain('    at ');
  });

  it('exits 2 for a database without ledger records', async () => {
    writeLedger(join(directory, 'empty.db'), 0);
    const result = await audit('--db', 'empty.db');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('contains no ledger records');
  });

  it('leaves a SQLite file galt never wrote untouched', async () => {
    const path = join(directory, 'foreign.db');
    const foreign = new Database(path);
    foreign.pragma('journal_mode = WAL');
    foreign.exec('CREATE TABLE notes (text TEXT)');
    foreign.close();

    const result = await audit('--db', 'foreign.db');

    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('not a galt database');
    const check = new Database(path, { readonly: true });
    const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    check.close();
    expect(tables).toEqual([{ name: 'notes' }]);
  });
});
