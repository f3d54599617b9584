import { hashedNgramFeatures } from '@galt/core';
import type { TensorValue } from '@galt/onnx';

/** Default feature width: enough hashed slots for the curriculum's vocabulary at low collision. */
export const DEFAULT_FEATURE_DIMENSION = 1024;

/** Encodes texts as one float32 `features` tensor [texts.length, dimension]. */
export function featurizeTexts(texts: readonly string[], dimension: number): TensorValue {
  const data = new Float32Array(texts.length * dimension);
  texts.forEach((text, row) => {
    hashedNgramFeatures(text, dimension, data.subarray(row * dimension, (row + 1) * dimension));
  });
  return { type: 'float32', dims: [texts.length, dimension], data };
}

/** Copies rows `indices` of a [rows, width] float32 tensor into a new tensor. */
export function selectRows(tensor: TensorValue, indices: readonly number[]): TensorValue {
  const width = tensor.dims[1] ?? 0;
  const source = tensor.data as Float32Array;
  const data = new Float32Array(indices.length * width);
  indices.forEach((index, row) => {
    data.set(source.subarray(index * width, (index + 1) * width), row * width);
  });
  return { type: 'float32', dims: [indices.length, width], data };
}
