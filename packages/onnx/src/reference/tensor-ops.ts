import { allocateData, elementCount, type TensorType, type TensorValue } from '../tensor.js';

/** Element access to any tensor data array, whose elements are numbers or bigints. */
export type Elements = { length: number; [index: number]: number | bigint };

/** Returns the row-major strides of `dims`. */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) {
    strides[i] = (strides[i + 1] as number) * (dims[i + 1] as number);
  }
  return strides;
}

/** Returns the NumPy broadcast of two fixed shapes. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Maps each flat index of `outDims` to the flat index of a tensor broadcast from `inDims`. */
export function broadcastIndex(outDims: readonly number[], inDims: readonly number[]): Int32Array {
  const count = elementCount(outDims);
  const map = new Int32Array(count);
  const rank = outDims.length;
  const inStrides = stridesOf(inDims);
  const offset = rank - inDims.length;
  const effective = outDims.map((_, axis) => {
    const inAxis = axis - offset;
    if (inAxis < 0 || inDims[inAxis] === 1) return 0;
    return inStrides[inAxis] as number;
  });
  const counter = new Array<number>(rank).fill(0);
  let position = 0;
  for (let flat = 0; flat < count; flat++) {
    map[flat] = position;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis] = (counter[axis] as number) + 1;
      position += effective[axis] as number;
      if ((counter[axis] as number) < (outDims[axis] as number)) break;
      position -= (effective[axis] as number) * (outDims[axis] as number);
      counter[axis] = 0;
    }
  }
  return map;
}

/** Creates a tensor of `type` and `dims` with zeroed data. */
export function emptyTensor(type: TensorType, dims: readonly number[]): TensorValue {
  return { type, dims: [...dims], data: allocateData(type, elementCount(dims)) };
}

/** Returns the float elements of a tensor, failing for integer and bool tensors. */
export function floats(tensor: TensorValue): Float32Array | Float64Array {
  if (tensor.data instanceof Float32Array || tensor.data instanceof Float64Array)
    return tensor.data;
  throw new Error(`expected a float tensor, got ${tensor.type}`);
}

/** Reads the elements of an int64 tensor as numbers. */
export function integers(tensor: TensorValue): number[] {
  if (!(tensor.data instanceof BigInt64Array))
    throw new Error(`expected int64, got ${tensor.type}`);
  return Array.from(tensor.data, (value) => Number(value));
}

/** Resolves a possibly negative axis. */
export function axisOf(axis: number, rank: number): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) throw new Error(`axis ${axis} out of range`);
  return resolved;
}

/** Splits `dims` around `axis` into the outer count, the axis length and the inner count. */
export function aroundAxis(dims: readonly number[], axis: number) {
  return {
    outer: elementCount(dims.slice(0, axis)),
    length: dims[axis] as number,
    inner: elementCount(dims.slice(axis + 1)),
  };
}

/** Copies elements selected by `sourceIndex` into a new tensor of `dims`. */
export function gatherElements(
  source: TensorValue,
  dims: readonly number[],
  sourceIndex: (flat: number) => number,
): TensorValue {
  const out = emptyTensor(source.type, dims);
  const from = source.data as Elements;
  const to = out.data as Elements;
  for (let i = 0; i < to.length; i++) to[i] = from[sourceIndex(i)] as number | bigint;
  return out;
}
