import type { MemoryRecord, SafetyLayer } from '@galt/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryRetriever, type RetrievalQuery } from './retrieval.js';

function record(overrides: Partial<MemoryRecord> & { memoryId: string }): MemoryRecord {
  return {
    agentId: 'smith',
    subject: 'player-1',
    attribute: 'hobby',
    content: 'likes fishing by the river',
    dependencyLayer: 'L3',
    provenance: 'user_sourced',
    consent: 'given',
    importance: 0.5,
    contentHash: '0'.repeat(64),
    version: 1,
    status: 'active',
    supersedes: null,
    supersededBy: null,
    createdSeq: 1,
    tick: 0,
    ...overrides,
  };
}

const query = (overrides: Partial<RetrievalQuery> = {}): RetrievalQuery => ({
  subjects: ['player-1'],
  text: 'any fishing spots around here',
  tick: 10,
  violationLayer: 'none',
  limit: 5,
  ...overrides,
});

describe('MemoryRetriever', () => {
  it('ranks the matching subject first', () => {
    const retriever = new MemoryRetriever();
    const result = retriever.retrieve(
      [record({ memoryId: 'other', subject: 'player-2' }), record({ memoryId: 'mine' })],
      query(),
    );
    expect(result.recalled.map((item) => item.record.memoryId)).toEqual(['mine', 'other']);
    expect(result.recalled[0]?.subjectMatch).toBe(1);
  });

  it('ranks relevant content above unrelated content', () => {
    const retriever = new MemoryRetriever();
    const result = retriever.retrieve(
      [
        record({ memoryId: 'sword', content: 'owes two silver for a sword' }),
        record({ memoryId: 'fish', content: 'asked about fishing spots' }),
      ],
      query(),
    );
    expect(result.recalled[0]?.record.memoryId).toBe('fish');
    expect(result.recalled[0]?.relevance).toBeGreaterThan(result.recalled[1]?.relevance ?? 1);
  });

  it('prefers recent and important memories when all else is equal', () => {
    const retriever = new MemoryRetriever({ recencyHalfLifeTicks: 10 });
    const byAge = retriever.retrieve(
      [record({ memoryId: 'old', tick: 0 }), record({ memoryId: 'new', tick: 9 })],
      query(),
    );
    expect(byAge.recalled[0]?.record.memoryId).toBe('new');
    const byImportance = retriever.retrieve(
      [
        record({ memoryId: 'minor', importance: 0.1 }),
        record({ memoryId: 'major', importance: 0.9 }),
      ],
      query(),
    );
    expect(byImportance.recalled[0]?.record.memoryId).toBe('major');
  });

  it('skips superseded memories and honours the limit', () => {
    const retriever = new MemoryRetriever();
    const result = retriever.retrieve(
      [
        record({ memoryId: 'a', status: 'superseded' }),
        record({ memoryId: 'b' }),
        record({ memoryId: 'c' }),
      ],
      query({ limit: 1 }),
    );
    expect(result.recalled).toHaveLength(1);
    expect(result.recalled[0]?.record.memoryId).not.toBe('a');
  });

  it('never recalls a memory the access rule quarantines', () => {
    const layers: SafetyLayer[] = ['L0', 'L1', 'L2', 'L3'];
    const retriever = new MemoryRetriever();
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...layers), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('L0', 'L1', 'L2', 'L3', 'none' as const),
        (memoryLayers, violationLayer) => {
          const records = memoryLayers.map((layer, index) =>
            record({ memoryId: `m${index}`, dependencyLayer: layer }),
          );
          const result = retriever.retrieve(records, query({ violationLayer, limit: 10 }));
          const rank = (layer: string) =>
            layer === 'none' ? 4 : layers.indexOf(layer as SafetyLayer);
          for (const item of result.recalled) {
            expect(rank(violationLayer)).toBeGreaterThan(rank(item.record.dependencyLayer));
          }
          expect(result.recalled.length + result.quarantined.length).toBe(records.length);
        },
      ),
    );
  });
});
