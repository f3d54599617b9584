import { afterAll, describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../builder/graph-builder.js';
import { encodeModel } from '../encoding/encode-model.js';
import type { Value } from '../graph.js';
import { evaluateReference } from '../reference/evaluate.js';
import { OnnxSession } from '../runtime/onnx-session.js';
import { boolTensor, int64Tensor, type TensorValue } from '../tensor.js';
import {
  checkedModel,
  type DrawOptions,
  finiteDifferenceGap,
  toFloat32Feeds,
} from '../testing/gradient-check.js';

/** Float64 analytic gradients agree with central differences to about 1e-8, so 1e-6 leaves room. */
const FINITE_DIFFERENCE_TOLERANCE = 1e-6;
/** Float32 results through onnxruntime agree with the float64 reference to a few ulps of 1. */
const FLOAT32_TOLERANCE = 1e-4;

interface OperatorCase {
  name: string;
  body: (builder: GraphBuilder) => Value;
  draw?: DrawOptions;
  feeds?: Record<string, TensorValue>;
}

const cases: OperatorCase[] = [
  { name: 'MatMul', body: (b) => b.matMul(b.parameter('a', [3, 4]), b.parameter('w', [4, 2])) },
  {
    name: 'MatMul batched',
    body: (b) => b.matMul(b.parameter('a', [2, 3, 4]), b.parameter('w', [4, 2])),
  },
  {
    name: 'Gemm',
    body: (b) => b.gemm(b.parameter('a', [3, 4]), b.parameter('w', [4, 2]), b.parameter('c', [2])),
  },
  {
    name: 'Gemm transposed',
    body: (b) =>
      b.gemm(b.parameter('a', [4, 3]), b.parameter('w', [2, 4]), b.parameter('c', [3, 1]), {
        transA: true,
        transB: true,
        alpha: 0.5,
        beta: 2,
      }),
  },
  { name: 'Add', body: (b) => b.add(b.parameter('a', [3, 4]), b.parameter('c', [4])) },
  { name: 'Sub', body: (b) => b.sub(b.parameter('a', [3, 1]), b.parameter('c', [1, 4])) },
  { name: 'Mul', body: (b) => b.mul(b.parameter('a', [2, 3, 4]), b.parameter('c', [3, 1])) },
  {
    name: 'Div',
    body: (b) => b.div(b.parameter('a', [3, 4]), b.parameter('c', [4])),
    draw: { positive: true },
  },
  { name: 'Neg', body: (b) => b.neg(b.parameter('a', [3, 4])) },
  { name: 'Relu', body: (b) => b.relu(b.parameter('a', [4, 5])) },
  { name: 'Tanh', body: (b) => b.tanh(b.parameter('a', [3, 4])) },
  { name: 'Sigmoid', body: (b) => b.sigmoid(b.parameter('a', [3, 4])) },
  { name: 'Exp', body: (b) => b.exp(b.parameter('a', [3, 4])) },
  { name: 'Log', body: (b) => b.log(b.parameter('a', [3, 4])), draw: { positive: true } },
  { name: 'Sqrt', body: (b) => b.sqrt(b.parameter('a', [3, 4])), draw: { positive: true } },
  { name: 'Softmax', body: (b) => b.softmax(b.parameter('a', [3, 4]), 1) },
  { name: 'Softmax axis 0', body: (b) => b.softmax(b.parameter('a', [3, 4]), 0) },
  { name: 'LogSoftmax', body: (b) => b.logSoftmax(b.parameter('a', [3, 4])) },
  { name: 'ReduceSum', body: (b) => b.reduceSum(b.parameter('a', [2, 3, 4]), [1], false) },
  { name: 'ReduceSum all', body: (b) => b.reduceSum(b.parameter('a', [2, 3]), [], true) },
  { name: 'ReduceMean', body: (b) => b.reduceMean(b.parameter('a', [2, 3, 4]), [0, 2], true) },
  { name: 'ReduceMax', body: (b) => b.reduceMax(b.parameter('a', [3, 5]), [1], false) },
  { name: 'Reshape', body: (b) => b.tanh(b.reshape(b.parameter('a', [2, 6]), [3, -1])) },
  { name: 'Transpose', body: (b) => b.transpose(b.parameter('a', [2, 3, 4]), [2, 0, 1]) },
  { name: 'Unsqueeze', body: (b) => b.unsqueeze(b.parameter('a', [3, 4]), [0, 2]) },
  {
    name: 'Concat',
    body: (b) => b.concat([b.parameter('a', [2, 3]), b.parameter('c', [2, 1])], 1),
  },
  { name: 'Slice', body: (b) => b.slice(b.parameter('a', [4, 5]), [1, -4], [3, 4], [0, 1]) },
  {
    name: 'Gather',
    body: (b) => b.gather(b.parameter('table', [5, 3]), b.input('ids', 'int64', [2, 3])),
    feeds: { ids: int64Tensor([2, 3], [0, 4, 4, 1, 0, 2]) },
  },
  {
    name: 'Where',
    body: (b) =>
      b.where(b.input('mask', 'bool', [3, 4]), b.parameter('a', [3, 4]), b.parameter('c', [4])),
    feeds: {
      mask: boolTensor(
        [3, 4],
        [true, false, true, true, false, false, true, false, true, true, false, true],
      ),
    },
  },
  {
    name: 'Equal in Where',
    body: (b) => {
      const ids = b.input('ids', 'int64', [4]);
      const hit = b.equal(ids, b.int64Constant([0, 1, 1, 3]));
      return b.where(hit, b.parameter('a', [4]), b.neg(b.parameter('c', [4])));
    },
    feeds: { ids: int64Tensor([4], [0, 2, 1, 1]) },
  },
  {
    name: 'LayerNormalization',
    body: (b) =>
      b.layerNormalization(
        b.parameter('x', [3, 5]),
        b.parameter('scale', [5]),
        b.parameter('bias', [5]),
      ),
  },
  {
    name: 'LayerNormalization two axes',
    body: (b) =>
      b.layerNormalization(b.parameter('x', [2, 3, 4]), b.parameter('scale', [3, 4]), undefined, {
        axis: 1,
      }),
  },
  {
    name: 'Expand',
    body: (b) => b.expand(b.parameter('a', [3, 1]), b.shape(b.input('like', 'float32', [2, 3, 4]))),
    feeds: { like: { type: 'float32', dims: [2, 3, 4], data: new Float32Array(24) } },
  },
  {
    name: 'Cast round trip',
    body: (b) =>
      b.cast(b.mul(b.cast(b.parameter('a', [3, 2]), 'float64'), b.scalar(3, 'float64')), 'float32'),
  },
  {
    name: 'crossEntropy',
    body: (b) => b.crossEntropy(b.parameter('logits', [4, 3]), b.input('labels', 'int64', [4])),
    feeds: { labels: int64Tensor([4], [0, 2, 1, 2]) },
  },
];

const sessions: OnnxSession[] = [];
afterAll(async () => {
  for (const session of sessions) await session.close();
});

describe('gradientGraph per operator', () => {
  for (const testCase of cases) {
    it(`${testCase.name} matches finite differences and onnxruntime`, async () => {
      const model = checkedModel(testCase.name, testCase.body, testCase.draw);
      const { gap, scale, gradient, feeds } = finiteDifferenceGap(model, testCase.feeds ?? {});
      expect(scale).toBeGreaterThan(0);
      expect(gap).toBeLessThan(FINITE_DIFFERENCE_TOLERANCE * Math.max(1, scale));

      const reference = evaluateReference(gradient, feeds, { precision: 'float64' });
      const session = await OnnxSession.create(encodeModel(gradient));
      sessions.push(session);
      const outputs = await session.run(toFloat32Feeds(feeds));
      for (const name of Object.keys(reference)) {
        const expected = reference[name]?.data as Float64Array;
        const actual = outputs[name]?.data as Float32Array;
        expect(outputs[name]?.dims).toEqual(reference[name]?.dims);
        for (let i = 0; i < expected.length; i++) {
          expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThan(
            FLOAT32_TOLERANCE * Math.max(1, Math.abs(expected[i] as number)),
          );
        }
      }
    });
  }
});
