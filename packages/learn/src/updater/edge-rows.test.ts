import { isGaltError } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { GaltUpdater } from './galt-updater.js';
import type { BlockEdge } from './options.js';
import type { RowValue } from './row-state.js';

const blocks = [
  { name: 'lower', parameters: ['a'], size: 2 },
  { name: 'middle', parameters: ['b'], size: 2 },
  { name: 'upper', parameters: ['c'], size: 2 },
];

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

function declare(edges: BlockEdge[]) {
  return errorOf(() => new GaltUpdater({ blocks, edges }));
}

function parameters() {
  return new Map([
    ['a', Float32Array.of(0.1, 0.2)],
    ['b', Float32Array.of(0.3, 0.4)],
    ['c', Float32Array.of(0.5, 0.6)],
  ]);
}

const edge: BlockEdge = { id: 'hidden', from: 'lower', to: 'middle', tolerance: 0.01 };
const row: RowValue = { id: 'drift', kind: 'consistency', hard: false, value: 0.5, edge: 'hidden' };

describe('forward-consistency edges', () => {
  it('accepts edges between declared blocks in forward order', () => {
    expect(declare([edge, { id: 'top', from: 'middle', to: 'upper', tolerance: 0 }])).toBe(
      undefined,
    );
  });

  it.each([
    ['an unknown block', [{ ...edge, to: 'nowhere' }], /not declared/],
    ['a self loop', [{ ...edge, to: 'lower' }], /same block/],
    ['a repeated id', [edge, { ...edge, from: 'middle', to: 'upper' }], /used twice/],
    ['a backward edge', [{ ...edge, from: 'upper' }], /after to/],
    ['a negative tolerance', [{ ...edge, tolerance: -1 }], /invalid GALT updater options/],
    ['an infinite tolerance', [{ ...edge, tolerance: Number.POSITIVE_INFINITY }], /options/],
  ])('rejects %s with invalid_config and a remedy', (_name, edges, message) => {
    const error = declare(edges);
    expect(isGaltError(error, 'invalid_config')).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as { remedy?: string }).remedy).toBeTruthy();
  });

  it('rejects an edge Jacobian that is non-zero downstream and changes nothing', () => {
    const values = parameters();
    const updater = new GaltUpdater({ blocks, edges: [edge] });
    const snapshot = updater.snapshot();
    const jacobians = new Map([['drift', Float32Array.of(1, 1, 0, 0.5, 0, 0)]]);
    const error = errorOf(() =>
      updater.step({ parameters: values, gradient: new Float32Array(6), rows: [row], jacobians }),
    );
    expect(isGaltError(error, 'invalid_input')).toBe(true);
    expect(values).toEqual(parameters());
    expect(updater.snapshot()).toEqual(snapshot);
  });

  it('rejects a row that names an undeclared edge', () => {
    const updater = new GaltUpdater({ blocks, edges: [edge] });
    const jacobians = new Map([['drift', Float32Array.of(1, 1, 0, 0, 0, 0)]]);
    const error = errorOf(() =>
      updater.step({
        parameters: parameters(),
        gradient: new Float32Array(6),
        rows: [{ ...row, edge: 'other' }],
        jacobians,
      }),
    );
    expect(isGaltError(error, 'invalid_input')).toBe(true);
  });

  it('moves only upstream blocks to satisfy an edge row', () => {
    const values = parameters();
    const updater = new GaltUpdater({ blocks, edges: [edge], initialRho: 1e6, trustRadius: 1e6 });
    const jacobians = new Map([['drift', Float32Array.of(1, -1, 0, 0, 0, 0)]]);
    updater.step({ parameters: values, gradient: new Float32Array(6), rows: [row], jacobians });
    const a = values.get('a')!;
    expect(a[0]! - a[1]!).toBeLessThan(-0.1 - 0.5 + 1e-3);
    expect(values.get('b')).toEqual(parameters().get('b'));
    expect(values.get('c')).toEqual(parameters().get('c'));
  });
});
