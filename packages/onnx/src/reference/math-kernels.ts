import { elementCount, type TensorValue } from '../tensor.js';
import {
  aroundAxis,
  axisOf,
  broadcastDims,
  broadcastIndex,
  emptyTensor,
  floats,
} from './tensor-ops.js';

/** Multiplies matrices with NumPy batch broadcasting (both inputs of rank 2 or more). */
export function matMul(a: TensorValue, b: TensorValue): TensorValue {
  const m = a.dims[a.dims.length - 2] as number;
  const k = a.dims[a.dims.length - 1] as number;
  const n = b.dims[b.dims.length - 1] as number;
  if (b.dims[b.dims.length - 2] !== k) throw new Error('MatMul inner dimensions differ');
  const aBatch = a.dims.slice(0, -2);
  const bBatch = b.dims.slice(0, -2);
  const batch = broadcastDims(aBatch, bBatch);

  const out = emptyTensor(a.type, [...batch, m, n]);
  const aIndex = broadcastIndex(batch, aBatch);
  const bIndex = broadcastIndex(batch, bBatch);
  const left = floats(a);
  const right = floats(b);
  const target = floats(out);
  for (let p = 0; p < elementCount(batch); p++) {
    const aBase = (aIndex[p] as number) * m * k;
    const bBase = (bIndex[p] as number) * k * n;
    const outBase = p * m * n;
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < k; l++) {
        const scale = left[aBase + i * k + l] as number;
        if (scale === 0) continue;
        const row = bBase + l * n;
        const outRow = outBase + i * n;
        for (let j = 0; j < n; j++) {
          target[outRow + j] = (target[outRow + j] as number) + scale * (right[row + j] as number);
        }
      }
    }
  }
  return out;
}

/** Returns the rows x columns matrix `source` transposed, as a new array of the same kind. */
function transposed(source: Float32Array | Float64Array, rows: number, columns: number) {
  const out =
    source instanceof Float32Array
      ? new Float32Array(source.length)
      : new Float64Array(source.length);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) out[j * rows + i] = source[i * columns + j] as number;
  }
  return out;
}

/** Computes `alpha * op(A) op(B) + beta * C` for rank-2 A and B. */
export function gemm(
  a: TensorValue,
  b: TensorValue,
  c: TensorValue | undefined,
  options: { alpha: number; beta: number; transA: boolean; transB: boolean },
): TensorValue {
  const [rowsA, colsA] = a.dims as [number, number];
  const [rowsB, colsB] = b.dims as [number, number];
  const m = options.transA ? colsA : rowsA;
  const k = options.transA ? rowsA : colsA;
  const n = options.transB ? rowsB : colsB;
  const out = emptyTensor(a.type, [m, n]);
  // Transposed operands are copied once so the inner loop reads both matrices row by row.
  const left = options.transA ? transposed(floats(a), rowsA, colsA) : floats(a);
  const right = options.transB ? transposed(floats(b), rowsB, colsB) : floats(b);
  const target = floats(out);
  for (let i = 0; i < m; i++) {
    const outRow = i * n;
    for (let l = 0; l < k; l++) {
      const scale = left[i * k + l] as number;
      if (scale === 0) continue;
      const row = l * n;
      for (let j = 0; j < n; j++)
        target[outRow + j] = (target[outRow + j] as number) + scale * (right[row + j] as number);
    }
  }
  const cIndex = c === undefined ? undefined : broadcastIndex([m, n], c.dims);
  const bias = c === undefined ? undefined : floats(c);
  for (let offset = 0; offset < target.length; offset++) {
    const shift =
      bias === undefined ? 0 : (bias[(cIndex as Int32Array)[offset] as number] as number);
    target[offset] = options.alpha * (target[offset] as number) + options.beta * shift;
  }
  return out;
}

/** Computes softmax (or log-softmax) along one axis, shifted by the maximum for stability. */
export function softmax(x: TensorValue, axisAttribute: number, logarithm: boolean): TensorValue {
  const axis = axisOf(axisAttribute, x.dims.length);
  const { outer, length, inner } = aroundAxis(x.dims, axis);
  const out = emptyTensor(x.type, x.dims);
  const source = floats(x);
  const target = floats(out);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (i: number) => (o * length + i) * inner + j;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < length; i++) max = Math.max(max, source[at(i)] as number);
      let sum = 0;
      for (let i = 0; i < length; i++) sum += Math.exp((source[at(i)] as number) - max);
      const logSum = Math.log(sum);
      for (let i = 0; i < length; i++) {
        const shifted = (source[at(i)] as number) - max;
        target[at(i)] = logarithm ? shifted - logSum : Math.exp(shifted) / sum;
      }
    }
  }
  return out;
}

/** Reduction kinds of the Reduce operators. */
export type ReduceKind = 'sum' | 'mean' | 'max';

/** Reduces over `axes` (all axes when empty), keeping size-1 axes when `keepDims`. */
export function reduce(
  x: TensorValue,
  axes: readonly number[],
  keepDims: boolean,
  kind: ReduceKind,
): TensorValue {
  const rank = x.dims.length;
  const set = new Set(
    axes.length === 0 ? x.dims.map((_, i) => i) : axes.map((a) => axisOf(a, rank)),
  );
  const keptDims = x.dims.map((dim, i) => (set.has(i) ? 1 : dim));
  const out = emptyTensor(x.type, keptDims);
  const target = floats(out);
  target.fill(kind === 'max' ? Number.NEGATIVE_INFINITY : 0);
  const index = broadcastIndex(x.dims, keptDims);
  const source = floats(x);
  for (let i = 0; i < source.length; i++) {
    const slot = index[i] as number;
    const value = source[i] as number;
    target[slot] =
      kind === 'max' ? Math.max(target[slot] as number, value) : (target[slot] as number) + value;
  }
  if (kind === 'mean') {
    const count = elementCount(x.dims) / Math.max(1, elementCount(keptDims));
    for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) / count;
  }
  const dims = keepDims ? keptDims : x.dims.filter((_, i) => !set.has(i));
  return { type: out.type, dims, data: out.data };
}

/** Normalizes over the axes from `axis` on, then applies scale and bias. */
export function layerNormalization(
  x: TensorValue,
  scale: TensorValue,
  bias: TensorValue | undefined,
  axisAttribute: number,
  epsilon: number,
): TensorValue {
  const axis = axisOf(axisAttribute, x.dims.length);
  const rows = elementCount(x.dims.slice(0, axis));
  const width = elementCount(x.dims.slice(axis));
  const normalizedDims = x.dims.slice(axis);
  const scaleIndex = broadcastIndex(normalizedDims, scale.dims);
  const biasIndex = bias === undefined ? undefined : broadcastIndex(normalizedDims, bias.dims);
  const out = emptyTensor(x.type, x.dims);
  const source = floats(x);
  const target = floats(out);
  const gamma = floats(scale);
  const beta = bias === undefined ? undefined : floats(bias);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let j = 0; j < width; j++) mean += source[r * width + j] as number;
    mean /= width;
    let variance = 0;
    for (let j = 0; j < width; j++) variance += ((source[r * width + j] as number) - mean) ** 2;
    const inverse = 1 / Math.sqrt(variance / width + epsilon);
    for (let j = 0; j < width; j++) {
      const normalized = ((source[r * width + j] as number) - mean) * inverse;
      const shift =
        beta === undefined ? 0 : (beta[(biasIndex as Int32Array)[j] as number] as number);
      target[r * width + j] = normalized * (gamma[scaleIndex[j] as number] as number) + shift;
    }
  }
  return out;
}
