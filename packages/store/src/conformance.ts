import { sha256Hex } from '@galt/core';
import { GENESIS_HASH } from '@galt/protocol';
import { describeMemoryConformance } from './conformance-memory.js';
import type { GaltStore } from './store.js';

/** The assertions the conformance suite uses. Vitest's `expect` provides them. */
export interface ConformanceAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeNull(): void;
  toHaveLength(length: number): void;
  toThrow(expected?: unknown): void;
  toMatchObject(expected: Record<string, unknown>): void;
}

/** Test functions the suite registers its cases with, so the package never imports a runner. */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void): void;
  expect(actual: unknown): ConformanceAssertion;
}

/** Creates a new, empty store for one test case. The suite closes it. */
export type StoreFactory = () => GaltStore | Promise<GaltStore>;

/** Runs `body` against a fresh store and closes the store afterwards. */
export async function withStore(
  factory: StoreFactory,
  body: (store: GaltStore) => void | Promise<void>,
): Promise<void> {
  const store = await factory();
  try {
    await body(store);
  } finally {
    store.close();
  }
}

/**
 * Registers the behaviour every store implementation must show: the hash chain rule, atomic
 * batches, memory semantics, access rule, events, checkpoints, experiences and export round trip.
 */
export function describeStoreConformance(
  name: string,
  factory: StoreFactory,
  runner: ConformanceRunner,
): void {
  const { describe, it, expect } = runner;
  describe(`${name} store conformance`, () => {
    it('empty ledger verifies', () =>
      withStore(factory, (store) => {
        expect(store.ledger.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
        expect(store.ledger.verify()).toMatchObject({ ok: true, records: 0, firstBadSeq: null });
      }));

    it('ledger hash follows the published rule', () =>
      withStore(factory, (store) => {
        const first = store.ledger.append({
          kind: 'adjudication',
          tick: 3,
          payload: { b: 1, a: [2] },
        });
        const second = store.ledger.append({ kind: 'checkpoint', tick: 4, payload: { z: 'x' } });
        const payloadText = '{"a":[2],"b":1,"tick":3}';
        const expected = sha256Hex(`${GENESIS_HASH}\n1\nadjudication\n${payloadText}`);
        expect(first.seq).toBe(1);
        expect(first.prevHash).toBe(GENESIS_HASH);
        expect(first.hash).toBe(expected);
        expect(second.prevHash).toBe(first.hash);
        expect(store.ledger.read()).toEqual([first, second]);
        expect(store.ledger.verify()).toMatchObject({
          ok: true,
          records: 2,
          headHash: second.hash,
        });
      }));

    it('appendMany is all or nothing', () =>
      withStore(factory, (store) => {
        store.ledger.append({ kind: 'checkpoint', tick: 0, payload: {} });
        const bad = { kind: 'not_a_kind', tick: 1, payload: {} } as never;
        const good = { kind: 'checkpoint' as const, tick: 1, payload: {} };
        expect(() => store.ledger.appendMany([good, bad])).toThrow();
        expect(store.ledger.head().seq).toBe(1);
        expect(store.ledger.appendMany([good, good]).map((record) => record.seq)).toEqual([2, 3]);
      }));

    it('events get consecutive seqs', () =>
      withStore(factory, (store) => {
        store.startRun({ runId: 'run-a', seed: 7, config: { agents: 2 }, modelDigest: 'm' });
        const base = { runId: 'run-a', tick: 1, agentId: 'npc-1', kind: 'action' as const };
        const written = store.appendEvents([
          { ...base, payload: { n: 1 } },
          { ...base, agentId: null, payload: { n: 2 } },
        ]);
        expect(written.map((event) => event.seq)).toEqual([1, 2]);
        expect(store.headSeq()).toBe(2);
        expect(store.readEvents({ runId: 'run-a' })).toEqual(written);
        expect(store.readEvents({ fromSeq: 2 })).toEqual([written[1]]);
        expect(store.readEvents({ runId: 'other' })).toHaveLength(0);
      }));

    it('checkpoint loads latest bytes', () =>
      withStore(factory, (store) => {
        store.checkpoints.save('updater', new Uint8Array([1, 2, 3]), 5);
        const saved = store.checkpoints.save('updater', new Uint8Array([4, 5]), 9);
        const loaded = store.checkpoints.load('updater');
        expect(loaded?.digest).toBe(saved.digest);
        expect(loaded?.digest).toBe(sha256Hex(new Uint8Array([4, 5])));
        expect(Array.from(loaded?.bytes ?? [])).toEqual([4, 5]);
        expect(loaded?.tick).toBe(9);
        expect(store.checkpoints.load('missing')).toBeNull();
      }));

    it('experiences read back in order', () =>
      withStore(factory, (store) => {
        const row = {
          agentId: 'npc-1',
          tick: 1,
          state: [0.5, 1],
          action: 'wave',
          reward: 1,
          done: false,
        };
        store.experiences.append([row, { ...row, tick: 2, agentId: 'npc-2' }, { ...row, tick: 3 }]);
        const rows = store.experiences.read('npc-1');
        expect(rows.map((stored) => stored.tick)).toEqual([1, 3]);
        expect(rows[0]).toMatchObject({
          state: [0.5, 1],
          action: 'wave',
          nextState: null,
          runId: null,
        });
        expect(store.experiences.read(undefined, 1).map((stored) => stored.tick)).toEqual([3]);
      }));

    it('run export round-trips', async () => {
      let exported = '';
      await withStore(factory, (store) => {
        store.startRun({ runId: 'run-x', seed: 1, config: { mode: 'demo' }, modelDigest: 'd' });
        store.appendEvents([
          { runId: 'run-x', tick: 0, agentId: null, kind: 'world_event', payload: {} },
        ]);
        store.endRun('run-x', 4);
        exported = store.exportRun('run-x');
      });
      await withStore(factory, (copy) => {
        copy.importRun(exported);
        expect(copy.exportRun('run-x')).toBe(exported);
        expect(copy.ledger.verify().ok).toBe(true);
      });
    });

    describeMemoryConformance(factory, runner);
  });
}
