import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands, createBufferedIo, runCli } from '@galt/cli';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let directory: string;
let databasePath: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'galt-e2e-replay-'));
  databasePath = join(directory, 'galt.db');
  const io = createBufferedIo({ cwd: directory });
  const argv = ['run', '--ticks', '20', '--db', databasePath, '--port', '0', '--json'];
  const code = await runCli(argv, io, allCommands);
  if (code !== 0) throw new Error(`galt run failed: ${io.stderr.text()}`);
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Overwrites the payload of the first event of `kind` with plain SQL and returns its seq. */
function alterFirstEvent(kind: string): number {
  const db = new Database(databasePath);
  try {
    const row = db
      .prepare('SELECT seq FROM events WHERE kind = ? ORDER BY seq LIMIT 1')
      .get(kind) as { seq: number } | undefined;
    if (row === undefined) throw new Error(`the run recorded no ${kind} event`);
    db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run('{"forged":true}', row.seq);
    return row.seq;
  } finally {
    db.close();
  }
}

describe('galt replay on an altered database', () => {
  it('exits 1 and names the altered event', async () => {
    const alteredSeq = alterFirstEvent('action');
    const io = createBufferedIo({ cwd: directory });
    const code = await runCli(['replay', '--db', databasePath, '--json'], io, allCommands);
    expect(code).toBe(1);
    const report = JSON.parse(io.stdout.text()) as {
      ok: boolean;
      mismatches: number;
      firstMismatches: { recordedSeq: number | null; kind: string | null }[];
    };
    expect(report.ok).toBe(false);
    expect(report.mismatches).toBe(1);
    expect(report.firstMismatches[0]?.recordedSeq).toBe(alteredSeq);
    expect(report.firstMismatches[0]?.kind).toBe('action');
  });
});
