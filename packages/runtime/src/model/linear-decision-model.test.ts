import { hashedNgramFeatures, hashedNgramSlots, isGaltError } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { LinearDecisionModel } from './linear-decision-model.js';
import { ReplayingDecisionModel } from './replaying-decision-model.js';

describe('LinearDecisionModel', () => {
  it('multiplies each row by the head weights', async () => {
    const model = new LinearDecisionModel(2, { task: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    expect(model.heads).toEqual({ task: 3 });
    const outputs = await model.infer(Float32Array.from([1, 0, 0.5, 2]), 2);
    expect([...(outputs['task'] ?? [])]).toEqual([1, 2, 3, 8.5, 11, 13.5]);
  });

  it('sparse rows give dense logits exactly', async () => {
    const model = LinearDecisionModel.random(16, { task: 3, memory: 2 }, 'sparse');
    const texts = ['Good morning!', '', 'the cat sat on the mat', 'Is the north gate open?'];
    const dense = new Float32Array(texts.length * 16);
    const encoded = texts.map((text, row) => {
      hashedNgramFeatures(text, 16, dense.subarray(row * 16, (row + 1) * 16));
      return hashedNgramSlots(text, 16);
    });
    const width = Math.max(1, ...encoded.map((row) => row.slots.length)) + 2;
    const slots = new Int32Array(texts.length * width);
    const values = new Float32Array(texts.length * width);
    encoded.forEach((row, index) => {
      slots.set(row.slots, index * width);
      values.set(row.values, index * width);
    });
    const fromDense = await model.infer(dense, texts.length);
    const fromSparse = await model.inferSparse({ width, slots, values }, texts.length);
    expect(fromSparse).toEqual(fromDense);
    await expect(model.inferSparse({ width, slots, values }, texts.length + 1)).rejects.toThrow(
      RangeError,
    );
  });

  it('gives equal digests for equal seeds only', () => {
    const a = LinearDecisionModel.random(8, { task: 3 }, 'seed-a');
    expect(LinearDecisionModel.random(8, { task: 3 }, 'seed-a').digest).toBe(a.digest);
    expect(LinearDecisionModel.random(8, { task: 3 }, 'seed-b').digest).not.toBe(a.digest);
  });

  it('rejects weights that do not fit the feature dimension', () => {
    expect(() => new LinearDecisionModel(3, { task: new Float32Array(4) })).toThrow(
      /multiple of 3/,
    );
  });
});

describe('ReplayingDecisionModel', () => {
  it('returns recorded outputs in order and then refuses', async () => {
    const outputs = { task: Float32Array.from([0.5]) };
    const model = new ReplayingDecisionModel(
      { featureDimension: 4, heads: { task: 1 }, digest: 'd' },
      [{ tick: 1, batch: 1, outputs }],
    );
    expect(await model.infer(new Float32Array(4), 1)).toBe(outputs);
    expect(model.remaining).toBe(0);
    const error = await model.infer(new Float32Array(4), 1).catch((caught: unknown) => caught);
    expect(isGaltError(error, 'model_mismatch')).toBe(true);
  });

  it('refuses a call whose batch differs from the recording', async () => {
    const model = new ReplayingDecisionModel(
      { featureDimension: 4, heads: { task: 1 }, digest: 'd' },
      [{ tick: 1, batch: 2, outputs: { task: new Float32Array(2) } }],
    );
    await expect(model.infer(new Float32Array(4), 1)).rejects.toThrow(
      /batch 1; the recording has 2/,
    );
  });
});
