import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { decideAccess } from '@galt/core';
import { SAFETY_LAYERS, type ViolationLayer } from '@galt/protocol';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptCandidate, buildCandidate, type CandidateFields } from './memory-fixtures.js';
import { type GaltStore, openStore } from './store.js';

const directory = mkdtempSync(join(tmpdir(), 'galt-store-memory-'));

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function write(store: GaltStore, fields: CandidateFields, expectedVersion: number) {
  const candidate = buildCandidate(fields);
  return store.memory.write(candidate, acceptCandidate(candidate), expectedVersion);
}

/** Reads the current version, yields to other writers, then writes, and retries on conflict. */
async function writeWithRetry(store: GaltStore, fields: CandidateFields, log: string[]) {
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const current = store.memory.read('npc-1', 'player-1', fields.attribute ?? 'hobby');
    await yieldToLoop();
    const result = write(store, fields, current?.version ?? 0);
    log.push(`${fields.content}:${result.outcome}`);
    if (result.outcome !== 'conflict') return result;
  }
  throw new Error(`write of ${fields.content} kept conflicting`);
}

describe('memory versioned writes', () => {
  it('interleaved async writers both survive', async () => {
    const store = openStore(':memory:');
    const log: string[] = [];
    const [first, second] = await Promise.all([
      writeWithRetry(store, { content: 'collects shells', candidateId: 'a' }, log),
      writeWithRetry(store, { content: 'collects stamps', candidateId: 'b' }, log),
    ]);
    expect(log).toEqual([
      'collects shells:admitted',
      'collects stamps:conflict',
      'collects stamps:superseded',
    ]);
    const history = store.memory.history('npc-1', 'player-1', 'hobby');
    expect(history.map((record) => record.content)).toEqual(['collects shells', 'collects stamps']);
    expect(history.map((record) => record.status)).toEqual(['superseded', 'active']);
    expect(history[0]?.supersededBy).toBe(second.record?.memoryId);
    expect(first.record?.memoryId).toBe(history[0]?.memoryId);
    store.close();
  });

  it('two connections on one file conflict', () => {
    const path = join(directory, 'two-connections.db');
    const left = openStore(path);
    const right = openStore(path);
    const seenByBoth = left.memory.read('npc-1', 'player-1', 'hobby')?.version ?? 0;
    expect(write(left, { content: 'sings' }, seenByBoth).outcome).toBe('admitted');
    const stale = write(right, { content: 'dances' }, seenByBoth);
    expect(stale.outcome).toBe('conflict');
    expect(right.memory.read('npc-1', 'player-1', 'hobby')?.content).toBe('sings');
    expect(write(right, { content: 'dances' }, 1).outcome).toBe('superseded');
    expect(left.memory.active('npc-1').map((record) => record.content)).toEqual(['dances']);
    expect(left.ledger.verify().ok).toBe(true);
    left.close();
    right.close();
  });

  it('expected version ahead is a conflict', () => {
    const store = openStore(':memory:');
    const result = write(store, { content: 'whistles' }, 3);
    expect(result).toMatchObject({ outcome: 'conflict', record: null, currentVersion: 0 });
    expect(store.ledger.head().seq).toBe(0);
    store.close();
  });
});

describe('memory input checks', () => {
  it('rejects a rejected adjudication', () => {
    const store = openStore(':memory:');
    const candidate = buildCandidate({ content: 'secret' });
    const adjudication = { ...acceptCandidate(candidate), decision: 'reject' as const };
    expect(() => store.memory.write(candidate, adjudication, 0)).toThrow(/only accepted/);
    store.close();
  });

  it('rejects a foreign adjudication', () => {
    const store = openStore(':memory:');
    const candidate = buildCandidate({ content: 'x' });
    const other = acceptCandidate(buildCandidate({ content: 'x', candidateId: 'other' }));
    expect(() => store.memory.write(candidate, other, 0)).toThrow(/candidateId differ/);
    store.close();
  });

  it('rejects an invalid candidate with paths', () => {
    const store = openStore(':memory:');
    const candidate = { ...buildCandidate({ content: 'x' }), importance: 2 };
    expect(() => store.memory.write(candidate, acceptCandidate(candidate), 0)).toThrow(
      /importance/,
    );
    store.close();
  });

  it('writeMany names the bad item path', () => {
    const store = openStore(':memory:');
    const good = buildCandidate({ content: 'x' });
    const bad = { ...buildCandidate({ content: 'y', attribute: 'home' }), importance: 2 };
    const items = [
      { candidate: good, adjudication: acceptCandidate(good), expectedVersion: 0 },
      { candidate: bad, adjudication: acceptCandidate(bad), expectedVersion: 0 },
    ];
    let thrown: unknown;
    try {
      store.memory.writeMany(items);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'invalid_input' });
    expect((thrown as Error).message).toMatch(/^memory write 1: memory candidate is invalid/);
    const paths = (thrown as { issues?: { path: unknown[] }[] }).issues?.map((i) => i.path);
    expect(paths).toEqual([[1, 'candidate', 'importance']]);
    expect(store.ledger.head().seq).toBe(0);
    store.close();
  });

  it('quarantine of unknown or superseded fails', () => {
    const store = openStore(':memory:');
    const old = write(store, { content: 'a' }, 0);
    write(store, { content: 'b' }, 1);
    const oldId = old.record?.memoryId ?? '';
    expect(() => store.memory.quarantine('mem-999', 'x', 1)).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(() => store.memory.quarantine(oldId, 'x', 1)).toThrow(/superseded/);
    store.close();
  });

  it('rejects invalid quarantine input', () => {
    const store = openStore(':memory:');
    const id = write(store, { content: 'a' }, 0).record?.memoryId ?? '';
    const badReason = 42 as unknown as string;
    expect(() => store.memory.quarantine(id, badReason, 1)).toThrow(/reason/);
    expect(() => store.memory.quarantine(id, 'x', -1)).toThrow(/tick/);
    const badLayer = 'L9' as ViolationLayer;
    expect(() => store.memory.applyAccessRule('npc-1', badLayer, 1)).toThrow(/violationLayer/);
    expect(store.memory.get(id)?.status).toBe('active');
    expect(store.ledger.head().seq).toBe(1);
    store.close();
  });

  it('repeated quarantine is a no-op', () => {
    const store = openStore(':memory:');
    const id = write(store, { content: 'a' }, 0).record?.memoryId ?? '';
    expect(store.memory.quarantine(id, 'first', 1).ledger?.kind).toBe('memory_quarantined');
    expect(store.memory.quarantine(id, 'again', 2).ledger).toBeNull();
    expect(store.memory.release(id, 'ok', 3).ledger?.kind).toBe('memory_released');
    expect(store.memory.release(id, 'ok', 4).ledger).toBeNull();
    store.close();
  });
});

describe('memory access rule', () => {
  const violation = fc.constantFrom<ViolationLayer>(...SAFETY_LAYERS, 'none');

  it('matches decideAccess for every layer pair', () => {
    fc.assert(
      fc.property(fc.array(violation, { minLength: 1, maxLength: 5 }), (violations) => {
        const store = openStore(':memory:', { checkOnOpen: false });
        const records = SAFETY_LAYERS.map(
          (layer) =>
            write(store, { content: layer, attribute: layer, dependencyLayer: layer }, 0).record!,
        );
        const manual = records[3]!.memoryId;
        store.memory.quarantine(manual, 'held by hand', 1);
        for (const [index, layer] of violations.entries()) {
          store.memory.applyAccessRule('npc-1', layer, 2 + index);
        }
        const last = violations.at(-1)!;
        for (const record of records) {
          const status = store.memory.get(record.memoryId)?.status;
          const expected =
            record.memoryId === manual ||
            decideAccess(record.dependencyLayer, last) === 'quarantine'
              ? 'quarantined'
              : 'active';
          expect(status).toBe(expected);
        }
        store.close();
      }),
      { numRuns: 50 },
    );
  });

  it('records each move in the ledger', () => {
    const store = openStore(':memory:');
    const id = write(store, { content: 'trusts the smith', dependencyLayer: 'L1' }, 0).record!
      .memoryId;
    const moved = store.memory.applyAccessRule('npc-1', 'L0', 4);
    expect(moved.quarantined).toEqual([id]);
    expect(moved.ledger[0]?.payload).toMatchObject({
      memoryId: id,
      source: 'access_rule',
      violationLayer: 'L0',
      tick: 4,
    });
    store.close();
  });
});

describe('memory replay', () => {
  const operation = fc.oneof(
    fc.record({
      type: fc.constant('write' as const),
      attribute: fc.constantFrom('a', 'b'),
      content: fc.constantFrom('x', 'y', 'z'),
    }),
    fc.record({
      type: fc.constant('rule' as const),
      layer: fc.constantFrom<ViolationLayer>('L1', 'L3', 'none'),
    }),
    fc.record({ type: fc.constant('quarantine' as const), attribute: fc.constantFrom('a', 'b') }),
  );

  it('asOf head equals the table', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 25 }), (operations) => {
        const store = openStore(':memory:', { checkOnOpen: false });
        operations.forEach((op, tick) => {
          if (op.type === 'write') {
            const current = store.memory.read('npc-1', 'player-1', op.attribute);
            const layer = op.content === 'x' ? 'L1' : 'L3';
            write(
              store,
              { ...op, dependencyLayer: layer, tick, candidateId: `c${tick}` },
              current?.version ?? 0,
            );
          } else if (op.type === 'rule') {
            store.memory.applyAccessRule('npc-1', op.layer, tick);
          } else {
            const current = store.memory.read('npc-1', 'player-1', op.attribute);
            if (current !== null) store.memory.quarantine(current.memoryId, 'test', tick);
          }
        });
        const table = store.memory
          .history('npc-1', 'player-1', 'a')
          .concat(store.memory.history('npc-1', 'player-1', 'b'));
        const replayed = store.memory.asOf(store.ledger.head().seq, 'npc-1');
        const byId = (x: { memoryId: string }, y: { memoryId: string }) =>
          x.memoryId.localeCompare(y.memoryId);
        expect(replayed.sort(byId)).toEqual(table.sort(byId));
        expect(store.memory.rebuild()).toBe(table.length);
        expect(
          store.memory
            .history('npc-1', 'player-1', 'a')
            .concat(store.memory.history('npc-1', 'player-1', 'b'))
            .sort(byId),
        ).toEqual(table);
        store.close();
      }),
      { numRuns: 60 },
    );
  });
});
