import { GaltError } from '@galt/core';
import type { Graph, ValueInfo } from '../graph.js';
import { elementCount, type TensorValue } from '../tensor.js';

/** Returns the inputs and parameters a run of `graph` must be fed. */
export function requiredFeeds(graph: Graph): ValueInfo[] {
  return [...graph.inputs, ...graph.parameters];
}

/**
 * Checks that every required feed is present with the declared type and shape, and that each
 * symbolic dimension has one size across all feeds. Throws an `invalid_input` GaltError if not.
 * With `acceptFloat64`, a float64 tensor may feed a float32 input.
 */
export function checkFeeds(
  graph: Graph,
  feeds: Readonly<Record<string, TensorValue>>,
  options: { acceptFloat64?: boolean } = {},
): void {
  const bound = new Map<string, number>();
  for (const info of requiredFeeds(graph)) {
    const value = feeds[info.name];
    if (value === undefined) {
      throw new GaltError('invalid_input', `feed ${info.name} is missing`, {
        remedy: `pass a ${info.type} tensor of shape [${info.shape.join(', ')}]`,
      });
    }
    checkFeed(info, value, bound, options.acceptFloat64 === true);
  }
}

function checkFeed(
  info: ValueInfo,
  value: TensorValue,
  bound: Map<string, number>,
  acceptFloat64: boolean,
): void {
  const fail = (problem: string) =>
    new GaltError('invalid_input', `feed ${info.name}: ${problem}`, {
      remedy: `pass a ${info.type} tensor of shape [${info.shape.join(', ')}]`,
    });
  const widened = acceptFloat64 && info.type === 'float32' && value.type === 'float64';
  if (value.type !== info.type && !widened) {
    throw fail(`type is ${value.type}, expected ${info.type}`);
  }
  if (value.dims.length !== info.shape.length)
    throw fail(`rank is ${value.dims.length}, expected ${info.shape.length}`);
  if (value.data.length !== elementCount(value.dims)) {
    throw fail(`has ${value.data.length} elements for dims [${value.dims.join(', ')}]`);
  }
  info.shape.forEach((dim, i) => {
    const actual = value.dims[i] as number;
    if (typeof dim === 'number') {
      if (dim !== actual) throw fail(`dimension ${i} is ${actual}, expected ${dim}`);
      return;
    }
    const previous = bound.get(dim);
    if (previous !== undefined && previous !== actual) {
      throw fail(`dimension ${dim} is ${actual} here but ${previous} in another feed`);
    }
    bound.set(dim, actual);
  });
}
