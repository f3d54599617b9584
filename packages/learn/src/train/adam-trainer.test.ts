import { SeededRandom } from '@galt/core';
import { buildMlpClassifier, initializeParameters, type TensorValue } from '@galt/onnx';
import { describe, expect, it } from 'vitest';
import { trainGraph } from './adam-trainer.js';

/** Two Gaussian blobs in 4 dimensions, labelled by which blob they come from. */
function blobs(count: number): Record<string, TensorValue> {
  const random = new SeededRandom('blobs');
  const features = new Float32Array(count * 4);
  const labels = new BigInt64Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    labels[i] = BigInt(label);
    for (let j = 0; j < 4; j++)
      features[i * 4 + j] = (label === 0 ? -1 : 1) + (random.nextFloat() - 0.5);
  }
  return {
    x: { type: 'float32', dims: [count, 4], data: features },
    labels: { type: 'int64', dims: [count], data: labels },
  };
}

const graph = buildMlpClassifier({ layers: [4, 8, 2] });

async function train(seed: number) {
  return trainGraph(graph, {
    loss: 'loss',
    parameters: initializeParameters(graph, new SeededRandom(1)),
    data: blobs(64),
    batchSize: 16,
    epochs: 5,
    seed,
    learningRate: 0.05,
  });
}

describe('trainGraph', () => {
  it('lowers the loss of a separable problem', async () => {
    const result = await train(3);
    expect(result.steps).toBe(20);
    expect(result.losses.at(-1)!).toBeLessThan(result.losses[0]! / 4);
  });

  it('is deterministic for a seed', async () => {
    const first = await train(4);
    const second = await train(4);
    expect(second.losses).toEqual(first.losses);
    expect(second.parameters['w0']!.data).toEqual(first.parameters['w0']!.data);
  });

  it('rejects data of mismatched lengths', async () => {
    const data = blobs(8);
    data['labels'] = { type: 'int64', dims: [4], data: new BigInt64Array(4) };
    await expect(
      trainGraph(graph, {
        loss: 'loss',
        parameters: initializeParameters(graph, new SeededRandom(1)),
        data,
        batchSize: 4,
        epochs: 1,
        seed: 1,
      }),
    ).rejects.toThrow(/share a non-zero first/);
  });
});
