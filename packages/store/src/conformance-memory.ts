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

/** Builds one `writeMany` item from test fields. */
function item(fields: CandidateFields, expectedVersion: number) {
  const candidate = buildCandidate(fields);
  return { candidate, adjudication: acceptCandidate(candidate), expectedVersion };
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

    it('writeMany dedupes within a batch', () =>
      withStore(factory, (store) => {
        const results = store.memory.writeMany([
          item({ content: 'likes fishing' }, 0),
          item({ content: 'likes fishing', candidateId: 'c2', attribute: 'pastime' }, 0),
        ]);
        expect(results.map((result) => result.outcome)).toEqual(['admitted', 'deduplicated']);
        expect(results[1]?.record).toEqual(results[0]?.record);
        expect(store.memory.active('npc-1')).toHaveLength(1);
        const kinds = store.ledger.read().map((record) => record.kind);
        expect(kinds).toEqual(['memory_admitted', 'memory_deduplicated']);
      }));

    it('writeMany supersedes within a batch', () =>
      withStore(factory, (store) => {
        const [old, next] = store.memory.writeMany([
          item({ content: 'loves fishing' }, 0),
          item({ content: 'hates fishing', tick: 2 }, 1),
        ]);
        expect(old?.outcome).toBe('admitted');
        expect(next?.outcome).toBe('superseded');
        expect(next?.record?.supersedes).toBe(old?.record?.memoryId);
        expect(store.memory.get(old?.record?.memoryId ?? '')?.status).toBe('superseded');
        const seqs = store.ledger.read().map((record) => [record.seq, record.kind]);
        expect(seqs).toEqual([
          [1, 'memory_admitted'],
          [2, 'memory_admitted'],
          [3, 'memory_superseded'],
        ]);
        expect(next?.ledger.map((record) => record.seq)).toEqual([2, 3]);
        expect(store.ledger.verify().ok).toBe(true);
      }));

    it('writeMany conflicts within a batch', () =>
      withStore(factory, (store) => {
        const results = store.memory.writeMany([
          item({ content: 'rides a horse' }, 0),
          item({ content: 'rides a cart' }, 0),
          item({ content: 'lives by the mill', attribute: 'home' }, 0),
        ]);
        expect(results.map((result) => result.outcome)).toEqual([
          'admitted',
          'conflict',
          'admitted',
        ]);
        const conflict = results[1];
        expect(conflict?.ledger).toHaveLength(0);
        expect(conflict?.record).toEqual(results[0]?.record);
        if (conflict?.outcome === 'conflict') expect(conflict.currentVersion).toBe(1);
        expect(store.memory.read('npc-1', 'player-1', 'hobby')?.content).toBe('rides a horse');
        expect(store.ledger.head().seq).toBe(2);
      }));

    it('writeMany equals a loop of write', async () => {
      const batch = [
        item({ content: 'a' }, 0),
        item({ content: 'b', attribute: 'home' }, 0),
        item({ content: 'c' }, 1),
        item({ content: 'c', candidateId: 'again' }, 2),
        item({ content: 'd' }, 1),
      ];
      const runs: unknown[] = [];
      await withStore(factory, (store) => {
        const results = store.memory.writeMany(batch);
        expect(results.flatMap((result) => result.ledger)).toEqual(store.ledger.read());
        runs.push({ results, ledger: store.ledger.read(), memory: store.memory.active('npc-1') });
      });
      await withStore(factory, (store) => {
        const results = batch.map(({ candidate, adjudication, expectedVersion }) =>
          store.memory.write(candidate, adjudication, expectedVersion),
        );
        runs.push({ results, ledger: store.ledger.read(), memory: store.memory.active('npc-1') });
      });
      expect(runs[0]).toEqual(runs[1]);
    });

    it('writeMany rejects a bad item whole', () =>
      withStore(factory, (store) => {
        const good = item({ content: 'a' }, 0);
        const bad = item({ content: 'b', attribute: 'home' }, -1);
        expect(() => store.memory.writeMany([good, bad])).toThrow(/memory write 1/);
        expect(store.ledger.head().seq).toBe(0);
        expect(store.memory.writeMany([])).toEqual([]);
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
