import { SeededRandom } from '@galt/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMlpClassifier } from '../models/mlp.js';
import { evaluateReference } from '../reference/evaluate.js';
import { elementCount, int64Tensor, type TensorValue } from '../tensor.js';
import { gradientGraph } from './gradient-graph.js';
import { jacobianGraph } from './jacobian-graph.js';

/** Float64 sums of the same terms in different orders agree to rounding error. */
const SUM_TOLERANCE = 1e-9;

function mlpFeeds(layers: number[], batch: number, seed: number) {
  const graph = buildMlpClassifier({ layers, activation: seed % 2 === 0 ? 'relu' : 'tanh' });
  const random = new SeededRandom(seed);
  const draw = (dims: number[]): TensorValue => ({
    type: 'float64',
    dims,
    data: Float64Array.from({ length: elementCount(dims) }, () => random.nextFloat() * 2 - 1),
  });
  const classes = layers[layers.length - 1] as number;
  const feeds: Record<string, TensorValue> = {
    x: draw([batch, layers[0] as number]),
    labels: int64Tensor(
      [batch],
      Array.from({ length: batch }, () => random.nextInt(classes)),
    ),
  };
  for (const parameter of graph.parameters)
    feeds[parameter.name] = draw(parameter.shape.map(Number));
  return { graph, feeds };
}

describe('autodiff properties', () => {
  it('Jacobian rows average to the gradient of the mean loss', () => {
    const shapes = fc.record({
      layers: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
      batch: fc.integer({ min: 1, max: 4 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(shapes, ({ layers, batch, seed }) => {
        const withClasses = [
          ...layers.slice(0, -1),
          Math.max(2, layers[layers.length - 1] as number),
        ];
        const { graph, feeds } = mlpFeeds(withClasses, batch, seed);
        const parameters = graph.parameters.map((parameter) => parameter.name);
        const jacobian = evaluateReference(
          jacobianGraph(graph, { rows: 'rowLoss', parameters }),
          feeds,
          { precision: 'float64' },
        )['jacobian'] as TensorValue;
        const gradients = evaluateReference(
          gradientGraph(graph, { loss: 'loss', parameters }),
          feeds,
          {
            precision: 'float64',
          },
        );
        const flat = parameters.flatMap((name) =>
          Array.from(gradients[`grad.${name}`]?.data as Float64Array),
        );
        const width = jacobian.dims[1] as number;
        expect(width).toBe(flat.length);
        for (let column = 0; column < width; column++) {
          let mean = 0;
          for (let row = 0; row < batch; row++)
            mean += jacobian.data[row * width + column] as number;
          mean /= batch;
          expect(Math.abs(mean - (flat[column] as number))).toBeLessThan(SUM_TOLERANCE);
        }
      }),
      { numRuns: 25, seed: 17 },
    );
  });
});
