import { createMemoryLogger, SeededRandom } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../encoding/encode-model.js';
import { buildMlpClassifier, initializeParameters } from '../models/mlp.js';
import { ParameterLayout } from '../models/parameter-layout.js';
import { evaluateReference } from '../reference/evaluate.js';
import { float32Tensor, int64Tensor } from '../tensor.js';
import { OnnxSession } from './onnx-session.js';

function mlpFeeds(batch: number) {
  const graph = buildMlpClassifier({ layers: [5, 8, 3] });
  const random = new SeededRandom('session-test');
  const parameters = initializeParameters(graph, random);
  const x = float32Tensor(
    [batch, 5],
    Array.from({ length: batch * 5 }, () => random.nextFloat() * 2 - 1),
  );
  const labels = int64Tensor(
    [batch],
    Array.from({ length: batch }, (_, i) => i % 3),
  );
  return { graph, feeds: { ...parameters, x, labels } };
}

describe('OnnxSession', () => {
  it('matches the reference interpreter on an MLP', async () => {
    const { graph, feeds } = mlpFeeds(4);
    const session = await OnnxSession.create(encodeModel(graph));
    const outputs = await session.run(feeds);
    const expected = evaluateReference(graph, feeds);
    await session.close();
    for (const name of ['logits', 'rowLoss', 'loss']) {
      const actual = Array.from(outputs[name]?.data as Float32Array);
      const reference = Array.from(expected[name]?.data as Float32Array);
      expect(outputs[name]?.dims).toEqual(expected[name]?.dims);
      actual.forEach((value, i) => {
        expect(value).toBeCloseTo(reference[i] as number, 5);
      });
    }
  });

  it('runs with parameters stored as initializers', async () => {
    const { graph, feeds } = mlpFeeds(2);
    const { x, labels, ...parameters } = feeds;
    const session = await OnnxSession.create(encodeModel(graph, { initializers: parameters }));
    expect(session.inputNames).toEqual(['x', 'labels']);
    const outputs = await session.run({ x, labels });
    await session.close();
    const expected = evaluateReference(graph, feeds);
    expect(outputs['loss']?.data[0]).toBeCloseTo(expected['loss']?.data[0] as number, 5);
  });

  it('accepts feeds that view a larger buffer', async () => {
    const { graph, feeds } = mlpFeeds(3);
    const layout = new ParameterLayout(graph);
    const flat = new Float32Array(layout.size + 5);
    layout.pack(feeds, flat.subarray(5));
    const views = layout.unpack(flat.subarray(5));
    const session = await OnnxSession.create(encodeModel(graph));
    const outputs = await session.run({ ...feeds, ...views });
    await session.close();
    const expected = evaluateReference(graph, feeds)['loss']?.data[0] as number;
    expect(outputs['loss']?.data[0]).toBeCloseTo(expected, 5);
  });

  it('falls back to CPU when CUDA cannot load', async () => {
    const { graph } = mlpFeeds(1);
    const logger = createMemoryLogger();
    const session = await OnnxSession.create(encodeModel(graph), {
      executionProvider: 'cuda',
      logger,
    });
    await session.close();
    expect(session.executionProvider).toBe('cpu');
    expect(session.fallbackReason).toMatch(/libonnxruntime_providers/);
    expect(logger.entriesAt('warn')).toHaveLength(1);
  });

  it('rejects a missing feed', async () => {
    const { graph, feeds } = mlpFeeds(1);
    const session = await OnnxSession.create(encodeModel(graph));
    const { x: _x, ...withoutX } = feeds;
    await expect(session.run(withoutX)).rejects.toThrow(/feed x is missing/);
    await session.close();
  });
});
