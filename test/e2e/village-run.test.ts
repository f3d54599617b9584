import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allCommands,
  createBufferedIo,
  parseCommandOptions,
  type RunResult,
  runCli,
  runOptions,
  runWorld,
} from '@galt/cli';
import { createMemoryLogger } from '@galt/core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventClient, subscribeToEvents } from './event-client.js';
import { readLedgerRows, recomputeLedger } from './ledger-sql.js';

/** Two hundred ticks: enough for admissions, recalls and parametric writes to happen. */
const TICKS = 200;
/** Close code the event server sends when it shuts down at the end of a run. */
const SERVER_SHUTDOWN_CLOSE_CODE = 4005;

let directory: string;
let databasePath: string;

interface WriteRecord {
  outcome: string;
  rows: { rowId: string; hard: boolean; after: number }[];
}
let result: RunResult;
let client: EventClient;
let closeCode: number;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'galt-e2e-run-'));
  databasePath = join(directory, 'galt.db');
  const io = createBufferedIo({ cwd: directory, env: {} });
  const argv = ['--ticks', String(TICKS), '--db', 'galt.db', '--port', '0', '--json'];
  const parsed = parseCommandOptions('run', runOptions, argv, io);
  if (parsed.help) throw new Error('unexpected help request');

  let connected: EventClient | null = null;
  result = await runWorld(parsed.values, io, createMemoryLogger(), {
    async onServing(endpoint) {
      expect(endpoint.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/events$/);
      connected = await subscribeToEvents(endpoint.url, endpoint.token);
    },
  });
  if (connected === null) throw new Error('onServing was never called');
  client = connected;
  closeCode = await client.closed;
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function storedEvents(runId: string): { seq: number; kind: string }[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seq, kind FROM events WHERE run_id = ? ORDER BY seq').all(runId) as {
      seq: number;
      kind: string;
    }[];
  } finally {
    db.close();
  }
}

describe('galt run, end to end', () => {
  it('reports the summary fields the CLI promises', () => {
    const { summary } = result;
    expect(result.interrupted).toBe(false);
    expect(summary.ticks).toBe(TICKS);
    expect(summary.agents).toBeGreaterThan(0);
    expect(summary.decisions).toBeGreaterThan(0);
    expect(summary.memory.candidates).toBeGreaterThan(0);
    expect(summary.memory.accepted).toBeGreaterThan(0);
    expect(summary.memory.rejected).toBeGreaterThan(0);
    expect(summary.memory.recalled).toBeGreaterThan(0);
    expect(summary.parametric.writes).toBeGreaterThan(0);
    expect(summary.parametric.hardViolationsAfterWrites).toBe(0);
    expect(summary.ledger.records).toBeGreaterThan(0);
  });

  it('streams every stored event to a subscriber', () => {
    const stored = storedEvents(result.summary.runId);
    expect(stored.length).toBeGreaterThan(0);
    expect(client.errors).toEqual([]);
    expect(client.gaps).toEqual([]);
    expect(client.events.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
    expect(client.events.map((event) => event.kind)).toEqual(stored.map((event) => event.kind));
    expect(closeCode).toBe(SERVER_SHUTDOWN_CLOSE_CODE);
  });

  it('numbers stored events without gaps', () => {
    const seqs = storedEvents(result.summary.runId).map((event) => event.seq);
    expect(seqs[0]).toBe(1);
    expect(seqs.at(-1)).toBe(seqs.length);
  });

  it('writes a ledger that matches the documented hash rule', () => {
    const rows = readLedgerRows(databasePath);
    const check = recomputeLedger(rows);
    expect(check.rows).toBe(result.summary.ledger.records);
    expect(check.seqGapSeqs).toEqual([]);
    expect(check.nonCanonicalSeqs).toEqual([]);
    expect(check.brokenLinkSeqs).toEqual([]);
    expect(check.wrongHashSeqs).toEqual([]);
    expect(check.headHash).toBe(result.summary.ledger.headHash);
  });

  it('records memory decisions in the ledger', () => {
    const kinds = new Set(readLedgerRows(databasePath).map((row) => row.kind));
    expect(kinds.has('run_started')).toBe(true);
    expect(kinds.has('adjudication')).toBe(true);
    expect(kinds.has('memory_admitted')).toBe(true);
    expect(kinds.has('parametric_write')).toBe(true);
  });

  it('leaves no hard row above zero after a committed write', () => {
    const writes = readLedgerRows(databasePath)
      .filter((row) => row.kind === 'parametric_write')
      .map((row) => (JSON.parse(row.payload) as { record: WriteRecord }).record);
    const committed = writes.filter((write) => write.outcome === 'committed');
    expect(committed.length).toBeGreaterThan(0);
    const violated = committed.flatMap((write) =>
      write.rows.filter((row) => row.hard && row.after > 0).map((row) => row.rowId),
    );
    expect(violated).toEqual([]);
  });

  it('passes galt audit', async () => {
    const io = createBufferedIo({ cwd: directory });
    const code = await runCli(['audit', '--db', 'galt.db', '--json'], io, allCommands);
    expect(io.stderr.text()).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(io.stdout.text()) as Record<string, unknown>;
    expect(report.ok).toBe(true);
    expect(report.records).toBe(result.summary.ledger.records);
    expect(report.firstBadSeq).toBeNull();
  });
});

describe('galt replay, end to end', () => {
  async function replay(file: string) {
    const io = createBufferedIo({ cwd: directory });
    const code = await runCli(['replay', '--db', file, '--json'], io, allCommands);
    const report = JSON.parse(io.stdout.text()) as {
      ok: boolean;
      events: number;
      mismatches: number;
    };
    return { code, report, stderr: io.stderr.text() };
  }

  it('reproduces every event digest', async () => {
    const { code, report, stderr } = await replay('galt.db');
    expect(code, stderr).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.events).toBe(storedEvents(result.summary.runId).length);
    expect(report.mismatches).toBe(0);
  });
});
