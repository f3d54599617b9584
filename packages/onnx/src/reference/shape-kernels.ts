import { elementCount, type TensorValue } from '../tensor.js';
import {
  axisOf,
  broadcastDims,
  broadcastIndex,
  type Elements,
  emptyTensor,
  gatherElements,
  integers,
  stridesOf,
} from './tensor-ops.js';

/** Reshapes with ONNX rules: 0 copies the input dimension, -1 is inferred. */
export function reshape(x: TensorValue, target: readonly number[]): TensorValue {
  const dims = target.map((dim, i) => (dim === 0 ? (x.dims[i] as number) : dim));
  const inferred = dims.indexOf(-1);
  if (inferred >= 0) {
    const known = elementCount(dims.filter((dim) => dim !== -1));
    dims[inferred] = known === 0 ? 0 : elementCount(x.dims) / known;
  }
  if (elementCount(dims) !== elementCount(x.dims)) {
    throw new Error(`cannot reshape [${x.dims.join(', ')}] to [${target.join(', ')}]`);
  }
  return { type: x.type, dims, data: x.data };
}

/** Permutes axes, reversing them when no permutation is given. */
export function transpose(x: TensorValue, perm?: readonly number[]): TensorValue {
  const rank = x.dims.length;
  const order = perm ?? x.dims.map((_, i) => rank - 1 - i);
  const dims = order.map((axis) => x.dims[axis] as number);
  const inStrides = stridesOf(x.dims);
  const outStrides = stridesOf(dims);
  return gatherElements(x, dims, (flat) => {
    let source = 0;
    let rest = flat;
    for (let axis = 0; axis < rank; axis++) {
      const index = Math.floor(rest / (outStrides[axis] as number));
      rest -= index * (outStrides[axis] as number);
      source += index * (inStrides[order[axis] as number] as number);
    }
    return source;
  });
}

/** Inserts size-1 axes at `axes` of the output. */
export function unsqueeze(x: TensorValue, axes: readonly number[]): TensorValue {
  const rank = x.dims.length + axes.length;
  const set = new Set(axes.map((axis) => axisOf(axis, rank)));
  const dims: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) dims.push(set.has(i) ? 1 : (x.dims[next++] as number));
  return { type: x.type, dims, data: x.data };
}

/** Joins tensors along `axis`. */
export function concat(values: readonly TensorValue[], axisAttribute: number): TensorValue {
  const first = values[0] as TensorValue;
  const axis = axisOf(axisAttribute, first.dims.length);
  const dims = [...first.dims];
  dims[axis] = values.reduce((sum, value) => sum + (value.dims[axis] as number), 0);
  const out = emptyTensor(first.type, dims);
  const outer = elementCount(dims.slice(0, axis));
  const inner = elementCount(dims.slice(axis + 1));
  const target = out.data as Elements;
  let offset = 0;
  for (const value of values) {
    const length = value.dims[axis] as number;
    const source = value.data as Elements;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < length * inner; j++) {
        target[(o * (dims[axis] as number) + offset) * inner + j] = source[
          o * length * inner + j
        ] as number | bigint;
      }
    }
    offset += length;
  }
  return out;
}

/** Slices with ONNX clamping rules for starts, ends and steps. */
export function slice(
  x: TensorValue,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  steps: readonly number[],
): TensorValue {
  const rank = x.dims.length;
  const begin = new Array<number>(rank).fill(0);
  const step = new Array<number>(rank).fill(1);
  const dims = [...x.dims];
  axes.forEach((axisAttribute, i) => {
    const axis = axisOf(axisAttribute, rank);
    const size = x.dims[axis] as number;
    const stride = steps[i] ?? 1;
    const resolve = (value: number) => (value < 0 ? value + size : value);
    const low = stride > 0 ? 0 : -1;
    const high = stride > 0 ? size : size - 1;
    const from = Math.min(Math.max(resolve(starts[i] ?? 0), low), high);
    const to = Math.min(Math.max(resolve(ends[i] ?? 0), low), high);
    begin[axis] = from;
    step[axis] = stride;
    dims[axis] = Math.max(0, Math.ceil((to - from) / stride));
  });
  const inStrides = stridesOf(x.dims);
  const outStrides = stridesOf(dims);
  return gatherElements(x, dims, (flat) => {
    let source = 0;
    let rest = flat;
    for (let axis = 0; axis < rank; axis++) {
      const index = Math.floor(rest / (outStrides[axis] as number));
      rest -= index * (outStrides[axis] as number);
      source +=
        ((begin[axis] as number) + index * (step[axis] as number)) * (inStrides[axis] as number);
    }
    return source;
  });
}

/** Gathers slices of `data` along `axis` at `indices` (negative indices count from the end). */
export function gather(
  data: TensorValue,
  indices: TensorValue,
  axisAttribute: number,
): TensorValue {
  const axis = axisOf(axisAttribute, data.dims.length);
  const ids = integers(indices);
  const size = data.dims[axis] as number;
  const inner = elementCount(data.dims.slice(axis + 1));
  const dims = [...data.dims.slice(0, axis), ...indices.dims, ...data.dims.slice(axis + 1)];
  for (const id of ids) {
    if (id < -size || id >= size)
      throw new Error(`Gather index ${id} is out of range [0, ${size})`);
  }
  return gatherElements(data, dims, (flat) => {
    const j = flat % inner;
    const k = Math.floor(flat / inner) % ids.length;
    const o = Math.floor(flat / (inner * ids.length));
    const id = ids[k] as number;
    return (o * size + (id < 0 ? id + size : id)) * inner + j;
  });
}

/** Broadcasts `x` to `shape` by the NumPy rule. */
export function expand(x: TensorValue, shape: readonly number[]): TensorValue {
  const dims = broadcastDims(x.dims, shape);
  const index = broadcastIndex(dims, x.dims);
  return gatherElements(x, dims, (flat) => index[flat] as number);
}

/** Pads with zeros. `pads` lists the start pads of every axis, then the end pads. */
export function pad(x: TensorValue, pads: readonly number[]): TensorValue {
  const rank = x.dims.length;
  const dims = x.dims.map((dim, i) => dim + (pads[i] as number) + (pads[i + rank] as number));
  const out = emptyTensor(x.type, dims);
  const inStrides = stridesOf(x.dims);
  const outStrides = stridesOf(dims);
  const source = x.data as Elements;
  const target = out.data as Elements;
  for (let flat = 0; flat < source.length; flat++) {
    let position = 0;
    let rest = flat;
    for (let axis = 0; axis < rank; axis++) {
      const index = Math.floor(rest / (inStrides[axis] as number));
      rest -= index * (inStrides[axis] as number);
      position += (index + (pads[axis] as number)) * (outStrides[axis] as number);
    }
    target[position] = source[flat] as number | bigint;
  }
  return out;
}
