import { SeededRandom } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder/graph-builder.js';
import { encodeModel } from '../encoding/encode-model.js';
import { GraphError } from '../errors.js';
import type { Graph } from '../graph.js';
import { evaluateReference } from '../reference/evaluate.js';
import { OnnxSession } from '../runtime/onnx-session.js';
import { elementCount, int64Tensor, type TensorValue } from '../tensor.js';
import { toFloat32Feeds } from '../testing/gradient-check.js';
import { gradientGraph } from './gradient-graph.js';
import { jacobianGraph } from './jacobian-graph.js';

/** Float64 Jacobian rows and single-row gradients are the same sums in another order. */
const EXACT_TOLERANCE = 1e-10;
/** Float32 onnxruntime results against the float64 reference. */
const FLOAT32_TOLERANCE = 1e-4;
const BATCH = 3;

interface RowModel {
  graph: Graph;
  feeds: Record<string, TensorValue>;
  /** Feeds with a batch axis, sliced per row for the single-row check. */
  batched: string[];
}

function draw(random: SeededRandom, dims: number[]): TensorValue {
  const data = Float64Array.from({ length: elementCount(dims) }, () => random.nextFloat() * 2 - 1);
  return { type: 'float64', dims, data };
}

function finish(builder: GraphBuilder, rows: ReturnType<GraphBuilder['neg']>): Graph {
  builder.output(rows, 'rows');
  builder.output(builder.reduceSum(rows, [], false), 'total');
  return builder.build();
}

function mlpModel(): RowModel {
  const random = new SeededRandom('jacobian-mlp');
  const b = new GraphBuilder('mlp');
  const x = b.input('x', 'float32', ['batch', 4]);
  const labels = b.input('labels', 'int64', ['batch']);
  const hidden = b.relu(b.gemm(x, b.parameter('w0', [4, 5]), b.parameter('b0', [5])));
  const logits = b.gemm(hidden, b.parameter('w1', [3, 5]), b.parameter('b1', [3]), {
    transB: true,
  });
  const graph = finish(b, b.crossEntropy(logits, labels));
  const feeds: Record<string, TensorValue> = {
    x: draw(random, [BATCH, 4]),
    labels: int64Tensor([BATCH], [0, 2, 1]),
  };
  for (const p of graph.parameters) feeds[p.name] = draw(random, p.shape.map(Number));
  return { graph, feeds, batched: ['x', 'labels'] };
}

function sequenceModel(): RowModel {
  const random = new SeededRandom('jacobian-sequence');
  const b = new GraphBuilder('sequence');
  const x = b.input('x', 'float32', ['batch', 2, 4]);
  const projected = b.tanh(b.add(b.matMul(x, b.parameter('w', [4, 3])), b.parameter('bias', [3])));
  const normalized = b.layerNormalization(
    projected,
    b.parameter('scale', [3]),
    b.parameter('shift', [3]),
  );
  const gated = b.mul(b.sigmoid(normalized), b.parameter('gate', [1, 3]));
  const pooled = b.reduceMean(gated, [1], false);
  const graph = finish(b, b.reduceSum(b.mul(pooled, pooled), [1], false));
  const feeds: Record<string, TensorValue> = { x: draw(random, [BATCH, 2, 4]) };
  for (const p of graph.parameters) feeds[p.name] = draw(random, p.shape.map(Number));
  return { graph, feeds, batched: ['x'] };
}

function embeddingModel(): RowModel {
  const random = new SeededRandom('jacobian-embedding');
  const b = new GraphBuilder('embedding');
  const ids = b.input('ids', 'int64', ['batch', 2]);
  const labels = b.input('labels', 'int64', ['batch']);
  const vectors = b.reduceMean(b.gather(b.parameter('table', [6, 4]), ids), [1], false);
  const logits = b.matMul(vectors, b.parameter('w', [4, 3]));
  const graph = finish(b, b.crossEntropy(b.sub(logits, b.parameter('offset', [3])), labels));
  const feeds: Record<string, TensorValue> = {
    ids: int64Tensor([BATCH, 2], [0, 5, 3, 3, 1, 0]),
    labels: int64Tensor([BATCH], [2, 0, 1]),
  };
  for (const p of graph.parameters) feeds[p.name] = draw(random, p.shape.map(Number));
  return { graph, feeds, batched: ['ids', 'labels'] };
}

function sliceRow(value: TensorValue, row: number): TensorValue {
  const width = elementCount(value.dims.slice(1));
  const data = value.data.slice(row * width, (row + 1) * width);
  return { type: value.type, dims: [1, ...value.dims.slice(1)], data } as TensorValue;
}

function singleRowGradient(model: RowModel, row: number, parameters: string[]): number[] {
  const gradient = gradientGraph(model.graph, { loss: 'total', parameters });
  const feeds = { ...model.feeds };
  for (const name of model.batched) feeds[name] = sliceRow(model.feeds[name] as TensorValue, row);
  const outputs = evaluateReference(gradient, feeds, { precision: 'float64' });
  return parameters.flatMap((name) => Array.from(outputs[`grad.${name}`]?.data as Float64Array));
}

const models: [string, () => RowModel][] = [
  ['MLP with Gemm', mlpModel],
  ['sequence with MatMul and LayerNormalization', sequenceModel],
  ['embedding with Gather', embeddingModel],
];

describe('jacobianGraph', () => {
  for (const [label, make] of models) {
    it(`${label}: rows equal single-row gradients`, () => {
      const model = make();
      const parameters = model.graph.parameters.map((p) => p.name);
      const jacobian = jacobianGraph(model.graph, { rows: 'rows', parameters });
      const outputs = evaluateReference(jacobian, model.feeds, { precision: 'float64' });
      const matrix = outputs['jacobian'] as TensorValue;
      const width = matrix.dims[1] as number;
      expect(matrix.dims[0]).toBe(BATCH);
      for (let row = 0; row < BATCH; row++) {
        const expected = singleRowGradient(model, row, parameters);
        expect(expected).toHaveLength(width);
        const actual = Array.from(
          matrix.data.slice(row * width, (row + 1) * width) as Float64Array,
        );
        const gap = Math.max(
          ...actual.map((value, i) => Math.abs(value - (expected[i] as number))),
        );
        expect(gap).toBeLessThan(EXACT_TOLERANCE);
      }
    });

    it(`${label}: onnxruntime agrees with the reference`, async () => {
      const model = make();
      const parameters = model.graph.parameters.map((p) => p.name).reverse();
      const jacobian = jacobianGraph(model.graph, { rows: 'rows', parameters });
      const reference = evaluateReference(jacobian, model.feeds, { precision: 'float64' });
      const session = await OnnxSession.create(encodeModel(jacobian));
      const outputs = await session.run(toFloat32Feeds(model.feeds));
      await session.close();
      const expected = reference['jacobian']?.data as Float64Array;
      const actual = outputs['jacobian']?.data as Float32Array;
      expect(outputs['jacobian']?.dims).toEqual(reference['jacobian']?.dims);
      for (let i = 0; i < expected.length; i++) {
        expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThan(
          FLOAT32_TOLERANCE,
        );
      }
    });
  }

  it('fills zeros for a parameter the rows ignore', () => {
    const b = new GraphBuilder('partial');
    const x = b.input('x', 'float32', ['batch', 2]);
    const used = b.parameter('used', [2]);
    b.parameter('unused', [3]);
    b.output(b.reduceSum(b.mul(x, used), [1], false), 'rows');
    const graph = b.build();
    const feeds: Record<string, TensorValue> = {
      x: { type: 'float64', dims: [2, 2], data: Float64Array.of(1, 2, 3, 4) },
      used: { type: 'float64', dims: [2], data: Float64Array.of(5, 6) },
      unused: { type: 'float64', dims: [3], data: new Float64Array(3) },
    };
    const jacobian = jacobianGraph(graph, { rows: 'rows', parameters: ['used', 'unused'] });
    const matrix = evaluateReference(jacobian, feeds, { precision: 'float64' })[
      'jacobian'
    ] as TensorValue;
    expect(matrix.dims).toEqual([2, 5]);
    expect(Array.from(matrix.data as Float64Array)).toEqual([1, 2, 0, 0, 0, 3, 4, 0, 0, 0]);
  });

  it('rejects a parameter used through a computed value', () => {
    const b = new GraphBuilder('tied');
    const x = b.input('x', 'float32', ['batch', 3]);
    const tied = b.transpose(b.parameter('w', [2, 3]), [1, 0]);
    b.output(b.reduceSum(b.matMul(x, tied), [1], false), 'rows');
    const graph = b.build();
    expect(() => jacobianGraph(graph, { rows: 'rows', parameters: ['w'] })).toThrow(GraphError);
    expect(() => jacobianGraph(graph, { rows: 'rows', parameters: ['w'] })).toThrow(
      /node MatMul_\d+/,
    );
  });

  it('rejects rows that mix batch items', () => {
    const b = new GraphBuilder('mixing');
    const x = b.input('x', 'float32', ['batch', 3]);
    const weighted = b.mul(x, b.parameter('w', [3]));
    const centered = b.sub(weighted, b.reduceMean(weighted, [0], true));
    b.output(b.reduceSum(centered, [1], false), 'rows');
    b.output(b.reduceSum(b.softmax(weighted, 0), [1], false), 'softmaxRows');
    const graph = b.build();
    expect(() => jacobianGraph(graph, { rows: 'rows', parameters: ['w'] })).toThrow(
      /node ReduceMean_\d+: .*does not keep the batch axis/,
    );
    expect(() => jacobianGraph(graph, { rows: 'softmaxRows', parameters: ['w'] })).toThrow(
      /node Softmax_\d+: Softmax along the batch axis/,
    );
  });

  it('rejects rows that are not a vector', () => {
    const model = mlpModel();
    expect(() => jacobianGraph(model.graph, { rows: 'total', parameters: ['w0'] })).toThrow(
      /\[k\]/,
    );
  });
});
