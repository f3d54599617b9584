import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder/graph-builder.js';
import { float32Tensor, float64Tensor, int64Tensor } from '../tensor.js';
import { evaluateReference } from './evaluate.js';

function pairGraph() {
  const b = new GraphBuilder('pair');
  const x = b.input('x', 'float32', ['batch', 2]);
  const y = b.input('y', 'float32', ['batch', 2]);
  b.output(b.add(x, y), 'sum');
  return b.build();
}

describe('evaluateReference', () => {
  it('adds with a symbolic batch', () => {
    const outputs = evaluateReference(pairGraph(), {
      x: float32Tensor([2, 2], [1, 2, 3, 4]),
      y: float32Tensor([2, 2], [10, 20, 30, 40]),
    });
    expect(Array.from(outputs['sum']?.data as Float32Array)).toEqual([11, 22, 33, 44]);
  });

  it('computes in float64 on request', () => {
    const outputs = evaluateReference(
      pairGraph(),
      { x: float64Tensor([1, 2], [0.1, 0.2]), y: float32Tensor([1, 2], [0, 0]) },
      { precision: 'float64' },
    );
    expect(outputs['sum']?.type).toBe('float64');
    expect(outputs['sum']?.data[0]).toBe(0.1);
  });

  it('rejects a missing feed', () => {
    expect(() => evaluateReference(pairGraph(), { x: float32Tensor([1, 2], [1, 2]) })).toThrow(
      /feed y is missing/,
    );
  });

  it('rejects a wrong type or rank', () => {
    const y = float32Tensor([1, 2], [1, 2]);
    expect(() => evaluateReference(pairGraph(), { x: int64Tensor([1, 2], [1, 2]), y })).toThrow(
      /feed x: type is int64, expected float32/,
    );
    expect(() => evaluateReference(pairGraph(), { x: float32Tensor([2], [1, 2]), y })).toThrow(
      /feed x: rank is 1, expected 2/,
    );
  });

  it('rejects inconsistent symbolic dimensions', () => {
    expect(() =>
      evaluateReference(pairGraph(), {
        x: float32Tensor([1, 2], [1, 2]),
        y: float32Tensor([2, 2], [1, 2, 3, 4]),
      }),
    ).toThrow(/dimension batch is 2 here but 1 in another feed/);
  });

  it('reports an out-of-range Gather index with the node', () => {
    const b = new GraphBuilder('lookup');
    const ids = b.input('ids', 'int64', [2]);
    b.output(b.gather(b.constant('table', float32Tensor([3, 1], [1, 2, 3])), ids), 'rows');
    expect(() => evaluateReference(b.build(), { ids: int64Tensor([2], [0, 7]) })).toThrow(
      /node Gather_\d+ \(Gather\) failed: Gather index 7 is out of range/,
    );
  });
});
