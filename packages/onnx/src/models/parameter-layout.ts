import { GraphError } from '../errors.js';
import type { Graph } from '../graph.js';
import { elementCount, type TensorValue } from '../tensor.js';

/** Position of one parameter inside the flat parameter vector. */
export interface ParameterSlot {
  name: string;
  dims: readonly number[];
  offset: number;
  size: number;
}

/**
 * Map between named float32 parameters and one flat vector, in the column order that
 * `jacobianGraph` and the `grad.<name>` outputs use for the same parameter list.
 */
export class ParameterLayout {
  readonly slots: readonly ParameterSlot[];
  /** Total element count `d`. */
  readonly size: number;

  constructor(graph: Graph, names: readonly string[] = graph.parameters.map((p) => p.name)) {
    let offset = 0;
    this.slots = names.map((name) => {
      const info = graph.parameters.find((parameter) => parameter.name === name);
      if (info === undefined || info.type !== 'float32') {
        throw new GraphError(null, `${name} is not a float32 parameter of graph ${graph.name}`);
      }
      const dims = info.shape.map(Number);
      const slot = { name, dims, offset, size: elementCount(dims) };
      offset += slot.size;
      return slot;
    });
    this.size = offset;
  }

  /** Copies named parameter tensors into one flat vector, into `out` when given. */
  pack(
    values: Readonly<Record<string, TensorValue>>,
    out = new Float32Array(this.size),
  ): Float32Array {
    for (const slot of this.slots) {
      const value = values[slot.name];
      if (value === undefined || value.data.length !== slot.size) {
        throw new GraphError(
          null,
          `parameter ${slot.name} is missing or does not have ${slot.size} elements`,
        );
      }
      out.set(value.data as Float32Array, slot.offset);
    }
    return out;
  }

  /** Returns float32 tensors that view slices of `flat` without copying. */
  unpack(flat: Float32Array): Record<string, TensorValue> {
    if (flat.length !== this.size) {
      throw new GraphError(
        null,
        `flat parameter vector has ${flat.length} elements, expected ${this.size}`,
      );
    }
    const values: Record<string, TensorValue> = {};
    for (const slot of this.slots) {
      const data = flat.subarray(slot.offset, slot.offset + slot.size);
      values[slot.name] = { type: 'float32', dims: slot.dims, data };
    }
    return values;
  }
}
