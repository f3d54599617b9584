import type { ConformanceRunner, StoreFactory } from './conformance.js';
import { withStore } from './conformance.js';
import { acceptCandidate, buildCandidate, type CandidateFields } from './memory-fixtures.js';
import type { GaltStore } from './store.js';

/** Writes an accepted candidate with the version the caller read. */
function writeFact(store: GaltStore, fields: CandidateFields, expectedVersion: number) {
  const candidate = buildCandidate(fields);
  return store.memory.write(candidate, acceptCandidate(candidate), expectedVersion);
}

/** Writes a fact that must not conflict and returns the stored record and ledger records. */
function admitFact(store: GaltStore, fields: CandidateFields, expectedVersion: number) {
  const result = writeFact(store, fields, expectedVersion);
  if (result.outcome === 'conflict' || result.record === null) {
    throw new Error(`write of "${fields.content}" conflicted at version ${expectedVersion}`);
  }
  return { record: result.record, ledger: result.ledger, outcome: result.outcome };
}

/** Registers the memory cases of the conformance suite. */
export function describeMemoryConformance(factory: StoreFactory, runner: ConformanceRunner): void {
  const { describe, it, expect } = runner;
  describe('memory', () => {
    it('duplicate write is deduplicated', () =>
      withStore(factory, (store) => {
        const first = writeFact(store, { content: 'likes fishing' }, 0);
        const again = writeFact(store, { content: 'likes fishing', candidateId: 'c2' }, 0);
        expect(first.outcome).toBe('admitted');
        expect(again.outcome).toBe('deduplicated');
        expect(again.record).toEqual(first.record);
        expect(store.memory.active('npc-1')).toHaveLength(1);
        const kinds = store.ledger.read().map((record) => record.kind);
        expect(kinds).toEqual(['memory_admitted', 'memory_deduplicated']);
      }));

    it('contradiction supersedes old fact', () =>
      withStore(factory, (store) => {
        const old = admitFact(store, { content: 'loves fishing' }, 0);
        const next = admitFact(store, { content: 'hates fishing', tick: 2 }, 1);
        expect(next.outcome).toBe('superseded');
        expect(next.record.version).toBe(2);
        expect(next.record.supersedes).toBe(old.record.memoryId);
        const previous = store.memory.get(old.record.memoryId);
        expect(previous?.status).toBe('superseded');
        expect(previous?.supersededBy).toBe(next.record.memoryId);
        expect(store.memory.active('npc-1').map((record) => record.content)).toEqual([
          'hates fishing',
        ]);

        const before = store.memory.asOf(next.ledger[0]!.seq - 1, 'npc-1');
        expect(before.map((record) => [record.content, record.status])).toEqual([
          ['loves fishing', 'active'],
        ]);
        const after = store.memory.asOf(store.ledger.head().seq, 'npc-1');
        expect(after.map((record) => record.status)).toEqual(['superseded', 'active']);
      }));

    it('contradiction leaves other attributes', () =>
      withStore(factory, (store) => {
        writeFact(store, { content: 'likes fishing' }, 0);
        const home = admitFact(store, { content: 'lives by the mill', attribute: 'home' }, 0);
        const rival = admitFact(store, { content: 'likes fishing', subject: 'player-2' }, 0);
        writeFact(store, { content: 'hates fishing' }, 1);
        expect(store.memory.get(home.record.memoryId)?.status).toBe('active');
        expect(store.memory.get(rival.record.memoryId)?.status).toBe('active');
        expect(store.memory.active('npc-1')).toHaveLength(3);
      }));

    it('stale version gets a conflict', () =>
      withStore(factory, (store) => {
        const first = writeFact(store, { content: 'rides a horse' }, 0);
        const stale = writeFact(store, { content: 'rides a cart' }, 0);
        expect(stale.outcome).toBe('conflict');
        expect(stale.ledger).toHaveLength(0);
        expect(stale.record).toEqual(first.record);
        expect(store.memory.read('npc-1', 'player-1', 'hobby')?.content).toBe('rides a horse');
        if (stale.outcome !== 'conflict') return;
        const retried = writeFact(store, { content: 'rides a cart' }, stale.currentVersion);
        expect(retried.outcome).toBe('superseded');
      }));

    it('quarantine and release are recorded', () =>
      withStore(factory, (store) => {
        const fact = admitFact(store, { content: 'owes 3 coins', dependencyLayer: 'L2' }, 0);
        const id = fact.record.memoryId;
        expect(store.memory.quarantine(id, 'disputed', 2).record.status).toBe('quarantined');
        expect(store.memory.active('npc-1')).toHaveLength(0);
        expect(store.memory.release(id, 'settled', 3).record.status).toBe('active');
        const kinds = store.ledger.read().map((record) => record.kind);
        expect(kinds).toEqual(['memory_admitted', 'memory_quarantined', 'memory_released']);
      }));

    it('access rule quarantines lower layers', () =>
      withStore(factory, (store) => {
        const social = admitFact(store, { content: 'a', attribute: 'x', dependencyLayer: 'L1' }, 0);
        const habit = admitFact(store, { content: 'b', attribute: 'y', dependencyLayer: 'L3' }, 0);
        const moved = store.memory.applyAccessRule('npc-1', 'L2', 5);
        expect(moved.quarantined).toEqual([habit.record.memoryId]);
        expect(store.memory.get(social.record.memoryId)?.status).toBe('active');
        const cleared = store.memory.applyAccessRule('npc-1', 'none', 6);
        expect(cleared.released).toEqual([habit.record.memoryId]);
        expect(store.memory.active('npc-1')).toHaveLength(2);
      }));
  });
}
