import { hashedNgramFeatures } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { createVillageWorld, say, villager } from '../testing/village-fixture.js';
import { checkHeadOutputs } from './decision-model.js';
import { encodeRandomLinearDecisionModel, OnnxDecisionModel } from './onnx-decision-model.js';

const DIMENSION = 16;
const HEADS = { task: 4, safety: 2 };

describe('OnnxDecisionModel', () => {
  it('returns logits of every head for a batch', async () => {
    const bytes = encodeRandomLinearDecisionModel(DIMENSION, HEADS, 5);
    const model = await OnnxDecisionModel.create(bytes, {
      featureDimension: DIMENSION,
      heads: HEADS,
    });
    try {
      const features = new Float32Array(3 * DIMENSION);
      for (let row = 0; row < 3; row += 1)
        hashedNgramFeatures(
          `line ${row}`,
          DIMENSION,
          features.subarray(row * DIMENSION, (row + 1) * DIMENSION),
        );
      const outputs = await model.infer(features, 3);
      expect(checkHeadOutputs(outputs, HEADS, 3)).toBeNull();
      expect([...(outputs['task'] ?? [])].some((value) => value !== 0)).toBe(true);
      expect(model.digest).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await model.close();
    }
  });

  it('drives a runtime tick end to end', async () => {
    const bytes = encodeRandomLinearDecisionModel(DIMENSION, HEADS, 5);
    const model = await OnnxDecisionModel.create(bytes, {
      featureDimension: DIMENSION,
      heads: HEADS,
    });
    try {
      const { runtime } = createVillageWorld({ model });
      runtime.addAgent(villager('smith'));
      runtime.addAgent(villager('baker'));
      runtime.inject(say('p1', undefined, 'Good morning, everyone'));
      const report = await runtime.tick();
      expect(report.decisions).toBe(2);
      expect(report.errors).toEqual([]);
    } finally {
      await model.close();
    }
  });
});
