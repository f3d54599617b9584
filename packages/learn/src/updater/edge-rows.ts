import { GaltError } from '@galt/core';
import type { FlatLayout } from './layout.js';
import type { BlockEdge } from './options.js';
import type { RowValue } from './row-state.js';

/**
 * Checks the rows that belong to forward-consistency edges. Each must name a declared edge. A fresh
 * Jacobian row of an edge must be zero on the edge's `to` block and every block after it, because
 * the interface is computed before `to` and no block from `to` onwards can change it.
 * Throws `invalid_input` (and the step changes nothing) when a row breaks either rule.
 */
export function checkEdgeRows(
  rows: readonly RowValue[],
  jacobians: ReadonlyMap<string, Float32Array | Float64Array> | undefined,
  edges: readonly BlockEdge[],
  layout: FlatLayout,
): void {
  for (const row of rows) {
    if (row.edge === undefined) continue;
    const edge = edges.find((candidate) => candidate.id === row.edge);
    if (edge === undefined) {
      throw new GaltError('invalid_input', `row ${row.id} names undeclared edge ${row.edge}`, {
        remedy: 'declare the edge in the updater options or drop the row',
      });
    }
    const jacobian = jacobians?.get(row.id);
    if (jacobian === undefined) continue;
    const start = downstreamStart(layout, edge.to);
    for (let i = start; i < jacobian.length; i++) {
      if (jacobian[i] !== 0) {
        throw new GaltError(
          'invalid_input',
          `Jacobian row ${row.id} of edge ${edge.id} is non-zero at flat index ${i}, at or after block ${edge.to}`,
          {
            remedy:
              'differentiate the interface activation, which depends only on blocks before the edge target',
          },
        );
      }
    }
  }
}

/** Returns the flat offset where block `name` starts, the first index downstream of its input. */
function downstreamStart(layout: FlatLayout, name: string): number {
  const block = layout.blocks.find((candidate) => candidate.name === name);
  return block === undefined ? layout.dimension : block.offset;
}
