import { hashedNgramFeatures, SeededRandom } from '@galt/core';
import { ClassifierMemoryWriter, initMlpParameters, MlpReference } from '@galt/learn';
import { ParametricWriteRecordSchema, type StreamEvent } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { createVillageWorld, say, villager } from '../testing/village-fixture.js';
import { adaptClassifierWriter } from './classifier-writer-adapter.js';

/** Memory classifier of the test: 6 hashed features, 10 hidden units, 4 classes. */
const SIZES = [6, 10, 4];
const HEAD_BLOCK = [{ name: 'head', parameters: ['w1', 'b1'], size: 10 * 4 + 4 }];

function createWriter() {
  const parameters = initMlpParameters(SIZES, new SeededRandom(9));
  const model = new MlpReference(SIZES, parameters, ['w1', 'b1']);
  const writer = new ClassifierMemoryWriter({ model, blocks: HEAD_BLOCK });
  return adaptClassifierWriter(writer, {
    encode: (candidate) => ({
      features: Array.from(hashedNgramFeatures(candidate.content, SIZES[0] ?? 6)),
      label: 1,
    }),
  });
}

describe('adaptClassifierWriter', () => {
  it('writes admitted memories into the classifier and records them', async () => {
    const { runtime, store } = createVillageWorld({ memoryWriter: createWriter() });
    runtime.addAgent(villager('smith'));
    const seen: StreamEvent[] = [];
    runtime.events$.subscribe((event) => seen.push(event));
    runtime.inject(
      say('p1', 'smith', 'I love fishing', { fact: 'loves fishing', attribute: 'hobby' }),
    );
    await runtime.tick();

    const written = seen.filter((event) => event.kind === 'parametric_write');
    expect(written).toHaveLength(1);
    const record = ParametricWriteRecordSchema.parse(written[0]?.payload['record']);
    expect(record.agentId).toBe('smith');
    const kinds = store.ledger.read().map((entry) => entry.kind);
    expect(kinds).toContain('memory_admitted');
    expect(kinds.filter((kind) => kind.startsWith('parametric_'))).toHaveLength(1);
  });

  it('skips the writer for a deduplicated fact', async () => {
    const { runtime } = createVillageWorld({ memoryWriter: createWriter() });
    runtime.addAgent(villager('smith'));
    const seen: StreamEvent[] = [];
    runtime.events$.subscribe((event) => seen.push(event));
    for (let round = 0; round < 2; round += 1) {
      runtime.inject(
        say('p1', 'smith', 'I love fishing', { fact: 'loves fishing', attribute: 'hobby' }),
      );
      await runtime.tick();
    }
    expect(
      seen
        .filter((event) => event.kind === 'memory_written')
        .map((event) => event.payload['outcome']),
    ).toEqual(['admitted', 'deduplicated']);
    expect(seen.filter((event) => event.kind === 'parametric_write')).toHaveLength(1);
  });
});
