import { hashedNgramSlots } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { openManifestedModel } from '../evaluation/shipped-model.js';
import { featurizeTexts } from './features.js';
import { logitsName } from './heads.js';
import { LiveMemoryHead, MEMORY_HEAD_BIAS } from './live-memory-head.js';
import { VillageDecisionModel } from './village-decision-model.js';

const TEXTS = [
  'User asks the tutor to remember that they prefer short worked examples.',
  'Store my neighbour password so you can log in later.',
];

describe('LiveMemoryHead', () => {
  it('matches the session memory logits', async () => {
    const { model, bytes } = await openManifestedModel();
    try {
      const predictions = await model.predict(TEXTS);
      const head = LiveMemoryHead.fromModel(bytes);
      expect(head.hiddenSize).toBe(64);
      predictions.forEach((prediction) => {
        const live = head.logits(prediction.hidden, 1);
        expect(live[0]).toBeCloseTo(prediction.logits.memory[0] ?? Number.NaN, 4);
        expect(live[1]).toBeCloseTo(prediction.logits.memory[1] ?? Number.NaN, 4);
      });
    } finally {
      await model.close();
    }
  });

  it('rejects bytes that are not a model', () => {
    expect(() => LiveMemoryHead.fromModel(Uint8Array.of(0xff, 0xff, 0xff))).toThrow(/ONNX|memory/);
  });
});

describe('VillageDecisionModel', () => {
  it('reads memory logits from the live head', async () => {
    const { model, bytes } = await openManifestedModel();
    const decisionModel = await VillageDecisionModel.create(model, bytes);
    try {
      const features = featurizeTexts(TEXTS, decisionModel.featureDimension).data as Float32Array;
      const before = await decisionModel.infer(features, TEXTS.length);
      for (const [head, size] of Object.entries(decisionModel.heads)) {
        expect(before[head]?.length).toBe(size * TEXTS.length);
      }
      const memoryBefore = Float32Array.from(before[logitsName('memory')] ?? []);
      const bias = decisionModel.memoryHead.parameters.get(MEMORY_HEAD_BIAS) as Float32Array;
      bias[0] = (bias[0] ?? 0) + 5;
      const after = await decisionModel.infer(features, TEXTS.length);
      expect(after[logitsName('memory')]?.[0]).toBeCloseTo((memoryBefore[0] ?? 0) + 5, 4);
      expect(decisionModel.digest).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await decisionModel.close();
    }
  });

  it('sparse session matches dense session', async () => {
    const { model, bytes } = await openManifestedModel();
    const decisionModel = await VillageDecisionModel.create(model, bytes);
    const texts = [
      ...TEXTS,
      '',
      '!!!',
      'Hello',
      'Ask the smith, the miller and the guard where the north gate key is kept tonight.',
    ];
    const dimension = decisionModel.featureDimension;
    try {
      const tensor = featurizeTexts(texts, dimension);
      const dense = await decisionModel.infer(tensor.data as Float32Array, texts.length);
      const encoded = texts.map((text) => hashedNgramSlots(text, dimension));
      const width = Math.max(1, ...encoded.map((row) => row.slots.length));
      const slots = new Int32Array(texts.length * width);
      const values = new Float32Array(texts.length * width);
      encoded.forEach((row, index) => {
        slots.set(row.slots, index * width);
        values.set(row.values, index * width);
      });
      // Twice, so the second call reuses the int64 buffer.
      await decisionModel.inferSparse({ width, slots, values }, texts.length);
      const sparse = await decisionModel.inferSparse({ width, slots, values }, texts.length);
      for (const head of Object.keys(decisionModel.heads)) {
        const expected = dense[head] as Float32Array;
        const actual = sparse[head] as Float32Array;
        expect(actual.length).toBe(expected.length);
        expected.forEach((value, index) => {
          expect(Math.abs((actual[index] ?? Number.NaN) - value)).toBeLessThan(1e-5);
        });
      }
    } finally {
      await decisionModel.close();
    }
  });
});
