import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GaltError, isGaltError } from '@galt/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './store.js';

const directory = mkdtempSync(join(tmpdir(), 'galt-store-damaged-'));

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Returns what `openStore` throws for `path`, failing the test if it opens. */
function openError(path: string): unknown {
  try {
    openStore(path).close();
  } catch (error) {
    return error;
  }
  throw new Error(`openStore(${path}) succeeded on a damaged file`);
}

/** Creates a store file with enough records to span many pages. */
function filledFile(name: string): string {
  const path = join(directory, name);
  const store = openStore(path);
  const text = 'x'.repeat(200);
  for (let batch = 0; batch < 20; batch += 1) {
    store.ledger.appendMany(
      Array.from({ length: 50 }, (_, index) => ({
        kind: 'checkpoint' as const,
        tick: batch,
        payload: { index, text },
      })),
    );
  }
  store.close();
  return path;
}

describe('damaged database file', () => {
  it('garbage file is database_unreadable', () => {
    const path = join(directory, 'garbage.db');
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const error = openError(path);
    expect(isGaltError(error, 'database_unreadable')).toBe(true);
    expect(String((error as Error).message)).toContain(path);
    expect((error as GaltError).remedy).toMatch(/Restore the file from a backup/);
  });

  it('missing directory is database_unreadable', () => {
    const path = join(directory, 'no-such-directory', 'galt.db');
    const error = openError(path);
    expect(isGaltError(error, 'database_unreadable')).toBe(true);
    expect(String((error as Error).message)).toContain(path);
  });

  it('truncated file is database_unreadable', () => {
    const path = filledFile('truncated.db');
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const error = openError(path);
    expect(isGaltError(error, 'database_unreadable')).toBe(true);
    expect(String((error as Error).message)).toContain(path);
  });

  it('truncated file fails reads cleanly', () => {
    const path = filledFile('truncated-unchecked.db');
    truncateSync(path, Math.floor(statSync(path).size / 2));
    let failure: unknown = null;
    try {
      const store = openStore(path, { checkOnOpen: false });
      try {
        store.ledger.verify();
      } finally {
        store.close();
      }
    } catch (error) {
      failure = error;
    }
    expect(isGaltError(failure, 'database_unreadable')).toBe(true);
  });

  it('overwritten pages are database_unreadable', () => {
    const path = filledFile('overwritten.db');
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096, bytes.length - 4096);
    writeFileSync(path, bytes);
    expect(isGaltError(openError(path), 'database_unreadable')).toBe(true);
  });

  it('failed write keeps committed state', () => {
    const path = join(directory, 'capped.db');
    const store = openStore(path, { maxSizeBytes: 256 * 1024 });
    const text = 'y'.repeat(1_000);
    let committed = 0;
    let failure: unknown = null;
    while (failure === null) {
      try {
        store.ledger.appendMany(
          Array.from({ length: 20 }, (_, index) => ({
            kind: 'checkpoint' as const,
            tick: 1,
            payload: { index, text },
          })),
        );
        committed += 20;
      } catch (error) {
        failure = error;
      }
    }
    expect(isGaltError(failure, 'storage_full')).toBe(true);
    expect(store.ledger.head().seq).toBe(committed);
    store.close();

    const reopened = openStore(path);
    expect(reopened.ledger.verify()).toMatchObject({ ok: true, records: committed });
    expect(reopened.ledger.append({ kind: 'checkpoint', tick: 2, payload: {} }).seq).toBe(
      committed + 1,
    );
    reopened.close();
  });
});

describe('run import checks', () => {
  function exportedRun(): string {
    const store = openStore(':memory:');
    store.startRun({ runId: 'r1', seed: 3, config: {}, modelDigest: 'm' });
    store.appendEvents([
      { runId: 'r1', tick: 1, agentId: 'npc-1', kind: 'action', payload: { go: 'north' } },
    ]);
    store.ledger.append({ kind: 'adjudication', tick: 1, payload: { decision: 'accept' } });
    const jsonl = store.exportRun('r1');
    store.close();
    return jsonl;
  }

  it('rejects a tampered ledger line', () => {
    const tampered = exportedRun().replace('"decision":"accept"', '"decision":"reject"');
    const store = openStore(':memory:');
    expect(() => store.importRun(tampered)).toThrow(/fails verification at seq 2/);
    expect(store.ledger.head().seq).toBe(0);
    store.close();
  });

  it('rejects broken JSON with its line', () => {
    const lines = exportedRun().split('\n');
    lines[2] = '{"type":"event",';
    const store = openStore(':memory:');
    expect(() => store.importRun(lines.join('\n'))).toThrow(/line 3 is invalid/);
    store.close();
  });

  it('rejects a diverging ledger', () => {
    const store = openStore(':memory:');
    store.ledger.append({ kind: 'checkpoint', tick: 0, payload: { other: true } });
    expect(() => store.importRun(exportedRun())).toThrow(/diverges/);
    expect(store.getRun('r1')).toBeNull();
    store.close();
  });

  it('rejects importing a run twice', () => {
    const jsonl = exportedRun();
    const store = openStore(':memory:');
    store.importRun(jsonl);
    expect(() => store.importRun(jsonl)).toThrow(/already exists/);
    expect(store.exportRun('r1')).toBe(jsonl);
    store.close();
  });
});
