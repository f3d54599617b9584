/** Element types the builder, the reference interpreter and the sessions support. */
export type TensorType = 'float32' | 'float64' | 'int64' | 'bool';

/** Typed array that backs a tensor of each element type. */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

/** Dense tensor in row-major order. */
export interface TensorValue {
  type: TensorType;
  dims: readonly number[];
  data: TensorData;
}

/** Returns the number of elements of a tensor with the given dimensions. */
export function elementCount(dims: readonly number[]): number {
  let count = 1;
  for (const dim of dims) count *= dim;
  return count;
}

/** Returns true for the floating-point element types. */
export function isFloatType(type: TensorType): boolean {
  return type === 'float32' || type === 'float64';
}

/** Allocates a zero-filled typed array of `length` elements of `type`. */
export function allocateData(type: TensorType, length: number): TensorData {
  switch (type) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'bool':
      return new Uint8Array(length);
  }
}

/** Creates a float32 tensor from numbers. */
export function float32Tensor(dims: readonly number[], values: ArrayLike<number>): TensorValue {
  return { type: 'float32', dims: [...dims], data: Float32Array.from(values) };
}

/** Creates a float64 tensor from numbers. */
export function float64Tensor(dims: readonly number[], values: ArrayLike<number>): TensorValue {
  return { type: 'float64', dims: [...dims], data: Float64Array.from(values) };
}

/** Creates an int64 tensor from numbers. */
export function int64Tensor(dims: readonly number[], values: readonly number[]): TensorValue {
  return { type: 'int64', dims: [...dims], data: BigInt64Array.from(values, (v) => BigInt(v)) };
}

/** Creates a bool tensor from booleans. */
export function boolTensor(dims: readonly number[], values: readonly boolean[]): TensorValue {
  return { type: 'bool', dims: [...dims], data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
}

/** Reads element `index` of any tensor as a JavaScript number. */
export function readNumber(tensor: TensorValue, index: number): number {
  const value = tensor.data[index];
  if (value === undefined) return Number.NaN;
  return typeof value === 'bigint' ? Number(value) : value;
}

/** Copies a tensor's elements into a plain number array. */
export function toNumbers(tensor: TensorValue): number[] {
  const out = new Array<number>(tensor.data.length);
  for (let i = 0; i < out.length; i++) out[i] = readNumber(tensor, i);
  return out;
}
