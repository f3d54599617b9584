import { SeededRandom } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { gradientGraph } from '../autodiff/gradient-graph.js';
import { jacobianGraph } from '../autodiff/jacobian-graph.js';
import { evaluateReference } from '../reference/evaluate.js';
import { float32Tensor, int64Tensor, type TensorValue } from '../tensor.js';
import { buildMlpClassifier, initializeParameters } from './mlp.js';
import { ParameterLayout } from './parameter-layout.js';

describe('ParameterLayout', () => {
  const graph = buildMlpClassifier({ layers: [3, 4, 2] });
  const parameters = initializeParameters(graph, new SeededRandom('layout'));

  it('packs and unpacks without loss', () => {
    const layout = new ParameterLayout(graph);
    expect(layout.size).toBe(3 * 4 + 4 + 4 * 2 + 2);
    const flat = layout.pack(parameters);
    const unpacked = layout.unpack(flat);
    for (const [name, value] of Object.entries(parameters)) {
      expect(Array.from(unpacked[name]?.data as Float32Array)).toEqual(
        Array.from(value.data as Float32Array),
      );
    }
    flat[0] = 42;
    expect(unpacked['w0']?.data[0]).toBe(42);
  });

  it('matches the Jacobian column order', () => {
    const names = ['b1', 'w0'];
    const layout = new ParameterLayout(graph, names);
    const feeds: Record<string, TensorValue> = {
      ...parameters,
      x: float32Tensor([1, 3], [0.5, -1, 2]),
      labels: int64Tensor([1], [1]),
    };
    const jacobian = evaluateReference(
      jacobianGraph(graph, { rows: 'rowLoss', parameters: names }),
      feeds,
    );
    const gradients = evaluateReference(
      gradientGraph(graph, { loss: 'loss', parameters: names }),
      feeds,
    );
    const packed = layout.pack({
      b1: gradients['grad.b1'] as TensorValue,
      w0: gradients['grad.w0'] as TensorValue,
    });
    const row = jacobian['jacobian']?.data as Float32Array;
    packed.forEach((value, i) => {
      expect(row[i]).toBeCloseTo(value, 6);
    });
  });

  it('rejects unknown parameters and wrong sizes', () => {
    expect(() => new ParameterLayout(graph, ['nope'])).toThrow(/not a float32 parameter/);
    const layout = new ParameterLayout(graph);
    expect(() => layout.unpack(new Float32Array(3))).toThrow(/expected 26/);
  });
});
