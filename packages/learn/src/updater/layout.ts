import { GaltError } from '@galt/core';
import type { ParameterBlock } from './options.js';

/** Block offsets and parameter order of the flat vector that concatenates all blocks in order. */
export interface FlatLayout {
  readonly dimension: number;
  readonly blocks: readonly { name: string; offset: number; size: number; learningRate: number }[];
  /** Parameters in layout order with the index of their block; offsets follow from the arrays. */
  readonly parameters: readonly { name: string; block: number }[];
}

/** Builds the flat layout; the parameter sizes are checked later against the actual arrays. */
export function buildLayout(
  blocks: readonly ParameterBlock[],
  defaultLearningRate: number,
): FlatLayout {
  let offset = 0;
  const seen = new Set<string>();
  const layoutBlocks: FlatLayout['blocks'][number][] = [];
  const parameters: FlatLayout['parameters'][number][] = [];
  blocks.forEach((block, index) => {
    layoutBlocks.push({
      name: block.name,
      offset,
      size: block.size,
      learningRate: block.learningRate ?? defaultLearningRate,
    });
    for (const name of block.parameters) {
      if (seen.has(name)) {
        throw new GaltError('invalid_config', `parameter ${name} appears in more than one block`, {
          remedy: 'list each parameter in exactly one block',
        });
      }
      seen.add(name);
      parameters.push({ name, block: index });
    }
    offset += block.size;
  });
  return { dimension: offset, blocks: layoutBlocks, parameters };
}

/** Returns the arrays of the layout's parameters in order, checking that each block's sizes add up. */
export function resolveParameters(
  layout: FlatLayout,
  values: ReadonlyMap<string, Float32Array>,
): { arrays: Float32Array[]; offsets: number[] } {
  const arrays: Float32Array[] = [];
  const offsets: number[] = [];
  const blockTotals = new Array<number>(layout.blocks.length).fill(0);
  let offset = 0;
  for (const parameter of layout.parameters) {
    const array = values.get(parameter.name);
    if (array === undefined) {
      throw new GaltError(
        'invalid_input',
        `parameter ${parameter.name} is missing from the values`,
        {
          remedy: 'pass a value for every parameter named in the blocks',
        },
      );
    }
    arrays.push(array);
    offsets.push(offset);
    offset += array.length;
    blockTotals[parameter.block]! += array.length;
  }
  layout.blocks.forEach((block, index) => {
    if (blockTotals[index] !== block.size) {
      throw new GaltError(
        'invalid_input',
        `block ${block.name} declares size ${block.size} but its parameters hold ${blockTotals[index]} values`,
        { remedy: 'set the block size to the total element count of its parameters' },
      );
    }
  });
  return { arrays, offsets };
}

/** Copies the parameters into one flat float64 vector, `into` when given. */
export function gatherFlat(
  arrays: readonly Float32Array[],
  dimension: number,
  into?: Float64Array,
): Float64Array {
  const flat = into ?? new Float64Array(dimension);
  let offset = 0;
  for (const array of arrays) {
    flat.set(array, offset);
    offset += array.length;
  }
  return flat;
}
