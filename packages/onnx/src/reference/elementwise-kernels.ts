import type { TensorType, TensorValue } from '../tensor.js';
import { broadcastDims, broadcastIndex, type Elements, emptyTensor, floats } from './tensor-ops.js';

/** Applies a float function element by element. */
export function mapUnary(x: TensorValue, fn: (value: number) => number): TensorValue {
  const out = emptyTensor(x.type, x.dims);
  const source = floats(x);
  const target = floats(out);
  for (let i = 0; i < source.length; i++) target[i] = fn(source[i] as number);
  return out;
}

/** Applies a float function to two broadcast tensors. */
export function mapBinary(
  a: TensorValue,
  b: TensorValue,
  fn: (x: number, y: number) => number,
): TensorValue {
  const dims = broadcastDims(a.dims, b.dims);
  const out = emptyTensor(a.type, dims);
  const left = floats(a);
  const right = floats(b);
  const target = floats(out);
  const leftIndex = broadcastIndex(dims, a.dims);
  const rightIndex = broadcastIndex(dims, b.dims);
  for (let i = 0; i < target.length; i++) {
    target[i] = fn(
      left[leftIndex[i] as number] as number,
      right[rightIndex[i] as number] as number,
    );
  }
  return out;
}

/** Compares two broadcast tensors of any type into a bool tensor. */
export function compare(
  a: TensorValue,
  b: TensorValue,
  fn: (x: number | bigint, y: number | bigint) => boolean,
): TensorValue {
  const dims = broadcastDims(a.dims, b.dims);
  const out = emptyTensor('bool', dims);
  const left = a.data as Elements;
  const right = b.data as Elements;
  const leftIndex = broadcastIndex(dims, a.dims);
  const rightIndex = broadcastIndex(dims, b.dims);
  const target = out.data as Uint8Array;
  for (let i = 0; i < target.length; i++) {
    const x = left[leftIndex[i] as number] as number | bigint;
    const y = right[rightIndex[i] as number] as number | bigint;
    target[i] = fn(x, y) ? 1 : 0;
  }
  return out;
}

/** Selects from two broadcast tensors by a broadcast bool condition. */
export function where(condition: TensorValue, x: TensorValue, y: TensorValue): TensorValue {
  const dims = broadcastDims(broadcastDims(condition.dims, x.dims), y.dims);
  const out = emptyTensor(x.type, dims);
  const conditionIndex = broadcastIndex(dims, condition.dims);
  const xIndex = broadcastIndex(dims, x.dims);
  const yIndex = broadcastIndex(dims, y.dims);
  const flags = condition.data as Uint8Array;
  const xs = x.data as Elements;
  const ys = y.data as Elements;
  const target = out.data as Elements;
  for (let i = 0; i < target.length; i++) {
    const chosen = flags[conditionIndex[i] as number]
      ? xs[xIndex[i] as number]
      : ys[yIndex[i] as number];
    target[i] = chosen as number | bigint;
  }
  return out;
}

/** Converts a tensor to another element type. */
export function cast(x: TensorValue, to: TensorType): TensorValue {
  const out = emptyTensor(to, x.dims);
  const source = x.data as Elements;
  const target = out.data as Elements;
  for (let i = 0; i < source.length; i++) {
    const value = source[i] as number | bigint;
    if (to === 'int64') target[i] = BigInt(Math.trunc(Number(value)));
    else if (to === 'bool') target[i] = Number(value) !== 0 ? 1 : 0;
    else target[i] = Number(value);
  }
  return out;
}

/** Sigmoid computed without overflow for large negative inputs. */
export function sigmoid(value: number): number {
  if (value >= 0) return 1 / (1 + Math.exp(-value));
  const e = Math.exp(value);
  return e / (1 + e);
}
