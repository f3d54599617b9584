import { SeededRandom } from '@galt/core';
import { buildMlpClassifier } from '@galt/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { ClassifierMemoryWriter } from './classifier-memory-writer.js';
import { crossEntropy, marginRows } from './logit-functions.js';
import { initMlpParameters, MlpReference } from './mlp-reference.js';
import { OnnxClassifier } from './onnx-classifier.js';

const sizes = [7, 6, 5, 4];
const random = new SeededRandom(21);
const parameters = initMlpParameters(sizes, random);
for (const name of ['b0', 'b1', 'b2']) {
  const bias = parameters.get(name)!;
  for (let i = 0; i < bias.length; i++) bias[i] = random.nextFloat() - 0.5;
}
const inputs = Float32Array.from({ length: 5 * 7 }, () => random.nextFloat() * 2 - 1);
const labels = [0, 3, 1, 2, 3];
const trainable = ['w1', 'b1', 'w2', 'b2'];
const graph = buildMlpClassifier({ layers: sizes });
const reference = new MlpReference(sizes, parameters, trainable);
const onnx = await OnnxClassifier.create({
  graph,
  inputName: 'x',
  logitsName: 'logits',
  parameters,
  trainable,
});

afterAll(async () => {
  await onnx.close();
});

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]!).toBeCloseTo(expected[i]!, 4);
}

describe('OnnxClassifier', () => {
  it('matches the reference forward pass', async () => {
    expectClose(await onnx.forward(inputs, 5), await reference.forward(inputs, 5));
  });

  it('matches the reference cross-entropy gradient', async () => {
    const logits = await reference.forward(inputs, 5);
    const { logitGradient } = crossEntropy(logits, labels, 4);
    expect(onnx.dimension).toBe(reference.dimension);
    expectClose(
      await onnx.gradient(inputs, 5, logitGradient),
      await reference.gradient(inputs, 5, logitGradient),
    );
  });

  it('matches the reference margin-row Jacobian', async () => {
    const logits = await reference.forward(inputs, 5);
    const { logitGradient } = marginRows(logits, labels, [1, 1, 1, 1, 1], 4);
    expectClose(
      await onnx.jacobian(inputs, 5, logitGradient),
      await reference.jacobian(inputs, 5, logitGradient),
    );
  });

  it('reads parameters updated in place', async () => {
    const before = await onnx.forward(inputs, 5);
    parameters.get('b2')![0]! += 1;
    const after = await onnx.forward(inputs, 5);
    parameters.get('b2')![0]! -= 1;
    expect(after[0]! - before[0]!).toBeCloseTo(1, 5);
  });
});

describe('ClassifierMemoryWriter over ONNX', () => {
  it('matches the reference writer record', async () => {
    const onnxValues = new Map(
      [...parameters].map(([name, values]) => [name, Float32Array.from(values)]),
    );
    const referenceValues = new Map(
      [...parameters].map(([name, values]) => [name, Float32Array.from(values)]),
    );
    const blocks = [{ name: 'head', parameters: ['w2', 'b2'], size: 5 * 4 + 4 }];
    const writer = await ClassifierMemoryWriter.create({
      graph,
      inputName: 'x',
      logitsName: 'logits',
      parameters: onnxValues,
      blocks,
    });

    const oracle = new ClassifierMemoryWriter({
      model: new MlpReference(sizes, referenceValues, ['w2', 'b2']),
      blocks,
    });

    const request = {
      agentId: 'npc',
      tick: 1,
      admitted: [{ features: Array.from(inputs.subarray(0, 7)), label: 2 }],
      safetyProbes: [
        { id: 'p', features: Array.from(inputs.subarray(7, 14)), label: 3, margin: -10 },
      ],
      retention: [{ id: 'r', features: Array.from(inputs.subarray(14, 21)), label: 1 }],
    };

    const fromOnnx = await writer.write(request);
    const fromReference = await oracle.write(request);
    await writer.classifier.close();

    expect(fromOnnx.outcome).toBe(fromReference.outcome);
    expect(fromOnnx.passes).toEqual(fromReference.passes);
    expect(fromOnnx.taskLossAfter).toBeCloseTo(fromReference.taskLossAfter, 4);
    const head = onnxValues.get('w2')!;
    const expected = referenceValues.get('w2')!;
    for (let i = 0; i < head.length; i++) expect(head[i]!).toBeCloseTo(expected[i]!, 4);
  });
});
