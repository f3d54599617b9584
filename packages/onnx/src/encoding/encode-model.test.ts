import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder/graph-builder.js';
import { GraphError } from '../errors.js';
import { buildMlpClassifier } from '../models/mlp.js';
import { float32Tensor } from '../tensor.js';
import { readModelSignature } from './decode-model.js';
import { encodeModel } from './encode-model.js';
import { ModelProtoType } from './onnx-proto.js';

describe('encodeModel', () => {
  it('writes IR 8, opset 17 and the graph interface', () => {
    const bytes = encodeModel(buildMlpClassifier({ layers: [4, 3] }));
    const signature = readModelSignature(bytes);
    expect(signature.irVersion).toBe(8);
    expect(signature.opset).toBe(17);
    expect(signature.inputs.map((input) => input.name)).toEqual(['x', 'labels', 'w0', 'b0']);
    expect(signature.outputs).toEqual([
      { name: 'logits', type: 'float32', shape: ['batch', 3] },
      { name: 'rowLoss', type: 'float32', shape: ['batch'] },
      { name: 'loss', type: 'float32', shape: [] },
    ]);
  });

  it('stores parameters as initializers when given', () => {
    const graph = buildMlpClassifier({ layers: [2, 2] });
    const bytes = encodeModel(graph, {
      initializers: { w0: float32Tensor([2, 2], [1, 2, 3, 4]), b0: float32Tensor([2], [5, 6]) },
    });
    expect(readModelSignature(bytes).inputs.map((input) => input.name)).toEqual(['x', 'labels']);
    const decoded = ModelProtoType.toObject(ModelProtoType.decode(bytes), { longs: Number }) as {
      graph: { initializer: { name: string; rawData: Uint8Array }[] };
    };
    const w0 = decoded.graph.initializer.find((tensor) => tensor.name === 'w0');
    const raw = w0?.rawData as Uint8Array;
    expect(Array.from(new Float32Array(Uint8Array.from(raw).buffer))).toEqual([1, 2, 3, 4]);
  });

  it('rejects initializers that do not fit their parameter', () => {
    const graph = buildMlpClassifier({ layers: [2, 2] });
    expect(() =>
      encodeModel(graph, { initializers: { w0: float32Tensor([3], [1, 2, 3]) } }),
    ).toThrow(GraphError);
    expect(() =>
      encodeModel(graph, { initializers: { x: float32Tensor([1, 2], [1, 2]) } }),
    ).toThrow(/not a parameter/);
  });

  it('encodes every attribute kind the builder emits', () => {
    const b = new GraphBuilder('attributes');
    const x = b.input('x', 'float32', [2, 3]);
    b.output(b.gemm(x, b.parameter('w', [2, 3]), undefined, { transA: true, alpha: 0.5 }), 'y');
    b.output(b.transpose(x, [1, 0]), 't');
    const decoded = ModelProtoType.toObject(ModelProtoType.decode(encodeModel(b.build())), {
      longs: Number,
    }) as {
      graph: {
        node: {
          opType: string;
          attribute?: { name: string; f?: number; i?: number; ints?: number[] }[];
        }[];
      };
    };
    const gemm = decoded.graph.node.find((node) => node.opType === 'Gemm');
    expect(gemm?.attribute?.find((a) => a.name === 'alpha')?.f).toBe(0.5);
    expect(gemm?.attribute?.find((a) => a.name === 'transA')?.i).toBe(1);
    const transpose = decoded.graph.node.find((node) => node.opType === 'Transpose');
    expect(transpose?.attribute?.[0]?.ints).toEqual([1, 0]);
  });
});
