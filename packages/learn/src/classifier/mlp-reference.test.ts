import { SeededRandom } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { crossEntropy, marginRows } from './logit-functions.js';
import { initMlpParameters, MlpReference } from './mlp-reference.js';

const sizes = [5, 4, 3, 3];

function setup(seed: number) {
  const random = new SeededRandom(seed);
  const parameters = initMlpParameters(sizes, random);
  const inputs = new Float32Array(4 * 5);
  for (let i = 0; i < inputs.length; i++) inputs[i] = random.nextFloat() * 2 - 1;
  return { parameters, inputs, labels: [0, 2, 1, 2] };
}

async function meanLoss(
  model: MlpReference,
  inputs: Float32Array,
  labels: number[],
): Promise<number> {
  const logits = await model.forward(inputs, labels.length);
  const { values } = crossEntropy(logits, labels, 3);
  return values.reduce((sum, value) => sum + value, 0);
}

describe('MlpReference', () => {
  it('matches central finite differences', async () => {
    const { parameters, inputs, labels } = setup(1);
    const model = new MlpReference(sizes, parameters);
    const logits = await model.forward(inputs, 4);
    const { logitGradient } = crossEntropy(logits, labels, 3);
    const gradient = await model.gradient(inputs, 4, logitGradient);
    let index = 0;
    for (const name of model.parameterNames) {
      const values = parameters.get(name)!;
      for (let i = 0; i < values.length; i++, index++) {
        const original = values[i]!;
        const h = 1e-2;
        values[i] = original + h;
        const up = await meanLoss(model, inputs, labels);
        values[i] = original - h;
        const down = await meanLoss(model, inputs, labels);
        values[i] = original;
        expect(gradient[index]!).toBeCloseTo((up - down) / (2 * h), 2);
      }
    }
  });

  it('has Jacobian rows that sum to the gradient', async () => {
    const { parameters, inputs, labels } = setup(2);
    const model = new MlpReference(sizes, parameters, ['w1', 'b1', 'w2', 'b2']);
    const logits = await model.forward(inputs, 4);
    const { logitGradient } = marginRows(logits, labels, [1, 1, 1, 1], 3);
    const gradient = await model.gradient(inputs, 4, logitGradient);
    const jacobian = await model.jacobian(inputs, 4, logitGradient);
    expect(gradient.length).toBe(model.dimension);
    for (let j = 0; j < model.dimension; j++) {
      let sum = 0;
      for (let i = 0; i < 4; i++) sum += jacobian[i * model.dimension + j]!;
      expect(sum).toBeCloseTo(gradient[j]!, 5);
    }
  });
});

describe('marginRows', () => {
  it('is negative when the label leads by more than the margin', () => {
    const logits = Float32Array.of(3, 0, 1, 0, 2, 1.5);
    const { values } = marginRows(logits, [0, 1], [1, 1], 3);
    expect(values[0]).toBeCloseTo(-1, 6);
    expect(values[1]).toBeCloseTo(0.5, 6);
  });
});
