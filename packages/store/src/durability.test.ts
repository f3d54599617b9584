import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './store.js';

const sourceDirectory = dirname(fileURLToPath(import.meta.url));
const betterSqlitePackage = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
const nodeModules = dirname(dirname(betterSqlitePackage));

// The child appends ledger records one transaction at a time and prints each seq after commit,
// so every printed seq is a record the parent must find after the child is killed.
const writerSource = `
import { openStore } from './index.ts';
const [path, count, writer] = process.argv.slice(2);
const store = openStore(path);
for (let index = 0; index < Number(count); index += 1) {
  const record = store.ledger.append({ kind: 'adjudication', tick: index, payload: { writer, index } });
  process.stdout.write(record.seq + '\\n');
}
store.close();
`;

let workDirectory = '';
let writerScript = '';

beforeAll(async () => {
  workDirectory = mkdtempSync(join(tmpdir(), 'galt-store-durability-'));
  writerScript = join(workDirectory, 'writer.cjs');
  await build({
    stdin: { contents: writerSource, resolveDir: sourceDirectory, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['source'],
    external: ['better-sqlite3'],
    outfile: writerScript,
    logLevel: 'silent',
  });
});

afterAll(() => {
  rmSync(workDirectory, { recursive: true, force: true });
});

function startWriter(path: string, count: number, writer: string): ChildProcess {
  return spawn(process.execPath, [writerScript, path, String(count), writer], {
    env: { ...process.env, NODE_PATH: nodeModules },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects the child's stdout lines and stderr text until it exits. */
function watch(child: ChildProcess, onSeq: (seq: number) => void) {
  let pending = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onSeq(Number(line));
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

// The child creates a rollback-journal database, as another galt process that has just created
// the file would (with the schema table, so it is not a foreign database), and keeps a write
// transaction open for a while. Switching to WAL needs an exclusive lock, and SQLite returns SQLITE_BUSY at once rather
// than call the busy handler, because waiting there could deadlock, so openStore must retry.
const lockHolderSource = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL)');
db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY)');
db.exec('BEGIN IMMEDIATE');
db.prepare('INSERT INTO holder DEFAULT VALUES').run();
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);
`;

describe('durability across processes', () => {
  it('open waits out a lock on WAL switch', async () => {
    const path = join(workDirectory, 'locked.db');
    const holder = spawn(process.execPath, ['-e', lockHolderSource, path], {
      env: { ...process.env, NODE_PATH: nodeModules },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let opened: ReturnType<typeof openStore> | null = null;
    let failure: unknown = null;
    const exit = await watch(holder, () => {
      try {
        opened = openStore(path);
      } catch (error) {
        failure = error;
      }
    });
    expect(exit.stderr).toBe('');
    expect(failure).toBeNull();
    const store = opened as ReturnType<typeof openStore> | null;
    expect(store?.ledger.append({ kind: 'checkpoint', tick: 0, payload: {} }).seq).toBe(1);
    store?.close();
  });

  it('keeps committed records after SIGKILL', async () => {
    const path = join(workDirectory, 'killed.db');
    const child = startWriter(path, 1_000_000, 'killed');
    const committed: number[] = [];
    const killAfter = 300;
    const exit = await watch(child, (seq) => {
      committed.push(seq);
      if (committed.length === killAfter) child.kill('SIGKILL');
    });
    expect(exit.signal).toBe('SIGKILL');
    expect(committed.length).toBeGreaterThanOrEqual(killAfter);

    const store = openStore(path);
    const verification = store.ledger.verify();
    expect(verification.ok).toBe(true);
    expect(verification.records).toBeGreaterThanOrEqual(committed.length);
    const records = store.ledger.read(1, verification.records);
    for (const seq of committed) {
      expect(records[seq - 1]?.payload).toEqual({
        writer: 'killed',
        index: seq - 1,
        tick: seq - 1,
      });
    }
    store.close();
  });

  it('two processes append without lock errors', async () => {
    const path = join(workDirectory, 'shared.db');
    const perWriter = 1_000;
    const writers = ['left', 'right'].map((name) =>
      watch(startWriter(path, perWriter, name), () => {}),
    );
    const exits = await Promise.all(writers);
    for (const exit of exits) {
      expect(exit.stderr).toBe('');
      expect(exit.code).toBe(0);
    }

    const store = openStore(path);
    const verification = store.ledger.verify();
    expect(verification).toMatchObject({ ok: true, records: 2 * perWriter });
    const records = store.ledger.read(1, 2 * perWriter);
    const left = records.filter((record) => record.payload['writer'] === 'left');
    expect(left.map((record) => record.payload['index'])).toEqual([...Array(perWriter).keys()]);
    store.close();
  });
});
