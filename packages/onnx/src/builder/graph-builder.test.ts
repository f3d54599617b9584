import { describe, expect, it } from 'vitest';
import { GraphError } from '../errors.js';
import { float32Tensor } from '../tensor.js';
import { GraphBuilder } from './graph-builder.js';

function expectGraphError(build: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    build();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GraphError);
  expect((caught as GraphError).code).toBe('graph_invalid');
  expect((caught as GraphError).message).toMatch(pattern);
}

describe('GraphBuilder shape inference', () => {
  it('infers shapes with a symbolic batch', () => {
    const b = new GraphBuilder('mlp');
    const x = b.input('x', 'float32', ['batch', 4]);
    const h = b.gemm(x, b.parameter('w', [4, 8]), b.parameter('bias', [8]));
    const logits = b.matMul(b.tanh(h), b.parameter('v', [8, 3]));
    expect(logits.shape).toEqual(['batch', 3]);
    expect(b.reduceMean(logits, [1], false).shape).toEqual(['batch']);
    expect(b.reshape(logits, [-1]).shape).toEqual(['batch*3']);
    expect(b.unsqueeze(logits, [0, -1]).shape).toEqual([1, 'batch', 3, 1]);
    expect(b.transpose(logits).shape).toEqual([3, 'batch']);
    expect(b.concat([logits, logits], 1).shape).toEqual(['batch', 6]);
    expect(b.slice(logits, [1], [-1], [1]).shape).toEqual(['batch', 1]);
    expect(b.crossEntropy(logits, b.input('labels', 'int64', ['batch'])).shape).toEqual(['batch']);
  });

  it('gathers embeddings', () => {
    const b = new GraphBuilder('embed');
    const ids = b.input('ids', 'int64', ['batch', 7]);
    expect(b.gather(b.parameter('table', [100, 16]), ids).shape).toEqual(['batch', 7, 16]);
  });

  it('reports a MatMul shape mismatch naming the node', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', ['batch', 4]);
    expectGraphError(
      () => b.matMul(x, b.parameter('w', [5, 2])),
      /node MatMul_\d+: MatMul of \(x, w\): MatMul inner dimensions differ/,
    );
  });

  it('reports a broadcast mismatch naming the node and the inputs', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', ['batch', 4]);
    expectGraphError(
      () => b.add(x, b.parameter('bias', [3])),
      /node Add_\d+: Add of \(x, bias\): shapes \[batch, 4\] and \[3\] do not broadcast/,
    );
  });

  it('reports an unknown operator', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', [2]);
    expectGraphError(() => b.node('Conv', [x]), /node Conv_\d+: unknown operator Conv/);
  });

  it('reports an input that is not in the graph', () => {
    const other = new GraphBuilder('other');
    const foreign = other.input('foreign', 'float32', [2]);
    const b = new GraphBuilder('bad');
    expectGraphError(() => b.relu(foreign), /node Relu_\d+: input foreign is not defined/);
    expectGraphError(() => b.relu('missing'), /input missing is not defined/);
  });

  it('reports type errors', () => {
    const b = new GraphBuilder('bad');
    const ids = b.input('ids', 'int64', [3]);
    const x = b.input('x', 'float32', [3]);
    expectGraphError(() => b.tanh(ids), /must be a float/);
    expectGraphError(() => b.add(ids, x), /types int64 and float32 differ/);
    expectGraphError(() => b.gather(x, x), /indices must be int64/);
    expectGraphError(() => b.where(x, x, x), /condition must be bool/);
  });

  it('reports invalid axes, reshapes and permutations', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', ['batch', 6]);
    expectGraphError(() => b.softmax(x, 2), /axis 2 is out of range/);
    expectGraphError(() => b.reshape(x, [4, -1]), /cannot reshape/);
    expectGraphError(() => b.transpose(x, [0, 0]), /not a permutation/);
    expectGraphError(
      () => b.layerNormalization(x, b.parameter('scale', [5])),
      /LayerNormalization of \(x, scale\)/,
    );
  });

  it('rejects duplicate names and graphs without outputs', () => {
    const b = new GraphBuilder('bad');
    b.input('x', 'float32', [2]);
    expectGraphError(() => b.parameter('x', [2]), /already used/);
    expectGraphError(() => b.build(), /has no outputs/);
  });

  it('builds a graph with constants and outputs', () => {
    const b = new GraphBuilder('ok');
    const x = b.input('x', 'float32', [2]);
    b.output(b.mul(x, b.constant('two', float32Tensor([2], [2, 2]))), 'y');
    const graph = b.build();
    expect(graph.outputs.map((output) => output.name)).toEqual(['y']);
    expect(Object.keys(graph.constants)).toContain('two');
  });
});
