import { SeededRandom, sha256Hex } from '@galt/core';
import type { DecisionModel, HeadOutputs, SparseFeatureRows } from './decision-model.js';

/**
 * Scale of the random initial weights. Uniform weights in [-1, 1] give logits of unit-norm features
 * a standard deviation of about 0.58 (the square root of 1/3), so softmax stays far from one-hot.
 */
const INITIAL_WEIGHT_SCALE = 1;

/**
 * A dense linear model in plain TypeScript: one weight matrix per head. It needs no model file, so
 * tests, benchmarks and demos can run the runtime end to end; games load a trained ONNX model.
 */
export class LinearDecisionModel implements DecisionModel {
  readonly featureDimension: number;
  readonly heads: Readonly<Record<string, number>>;
  readonly digest: string;
  readonly #weights: Record<string, Float32Array>;

  /** Builds a model with weights `[featureDimension, size]` per head, row major. */
  constructor(featureDimension: number, weights: Record<string, Float32Array>) {
    this.featureDimension = featureDimension;
    const heads: Record<string, number> = {};
    for (const [head, matrix] of Object.entries(weights)) {
      const size = matrix.length / featureDimension;
      if (!Number.isInteger(size) || size < 1) {
        throw new RangeError(
          `weights of head '${head}' have ${matrix.length} values; expected a multiple of ${featureDimension}`,
        );
      }
      heads[head] = size;
    }
    this.heads = heads;
    this.#weights = weights;
    const bytes = Object.entries(weights).map(
      ([head, matrix]) =>
        `${head}:${sha256Hex(new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength))}`,
    );
    this.digest = sha256Hex(bytes.join('\n'));
  }

  /** Builds a model with seeded uniform random weights. */
  static random(
    featureDimension: number,
    heads: Record<string, number>,
    seed: number | string,
  ): LinearDecisionModel {
    const random = new SeededRandom(seed);
    const weights: Record<string, Float32Array> = {};
    for (const [head, size] of Object.entries(heads)) {
      const matrix = new Float32Array(featureDimension * size);
      for (let index = 0; index < matrix.length; index += 1) {
        matrix[index] = (random.nextFloat() * 2 - 1) * INITIAL_WEIGHT_SCALE;
      }
      weights[head] = matrix;
    }
    return new LinearDecisionModel(featureDimension, weights);
  }

  async infer(features: Float32Array, batch: number): Promise<HeadOutputs> {
    const dimension = this.featureDimension;
    if (features.length < batch * dimension) {
      throw new RangeError(
        `features have ${features.length} values; expected ${batch * dimension}`,
      );
    }
    const outputs: HeadOutputs = {};
    for (const [head, matrix] of Object.entries(this.#weights)) {
      const size = this.heads[head] ?? 0;
      const logits = new Float32Array(batch * size);
      for (let row = 0; row < batch; row += 1) {
        multiplyRow(features, row * dimension, dimension, matrix, size, logits, row * size);
      }
      outputs[head] = logits;
    }
    return outputs;
  }

  /**
   * Reads only the rows' non-zero slots. Slots come in ascending order and zeros are skipped as
   * in `infer`, so the float32 sums are the same, bit for bit.
   */
  async inferSparse(rows: SparseFeatureRows, batch: number): Promise<HeadOutputs> {
    const { width, slots, values } = rows;
    if (slots.length < batch * width || values.length < batch * width) {
      throw new RangeError(`sparse rows have ${slots.length} slots; expected ${batch * width}`);
    }
    const outputs: HeadOutputs = {};
    for (const [head, matrix] of Object.entries(this.#weights)) {
      const size = this.heads[head] ?? 0;
      const logits = new Float32Array(batch * size);
      for (let entry = 0; entry < batch * width; entry += 1) {
        const value = values[entry] ?? 0;
        if (value === 0) continue;
        const base = (slots[entry] ?? 0) * size;
        const outOffset = Math.floor(entry / width) * size;
        for (let outputIndex = 0; outputIndex < size; outputIndex += 1) {
          logits[outOffset + outputIndex] =
            (logits[outOffset + outputIndex] ?? 0) + value * (matrix[base + outputIndex] ?? 0);
        }
      }
      outputs[head] = logits;
    }
    return outputs;
  }
}

/** Adds `features[offset..offset+dimension) x matrix` into `out[outOffset..outOffset+size)`. */
function multiplyRow(
  features: Float32Array,
  offset: number,
  dimension: number,
  matrix: Float32Array,
  size: number,
  out: Float32Array,
  outOffset: number,
): void {
  for (let inputIndex = 0; inputIndex < dimension; inputIndex += 1) {
    const value = features[offset + inputIndex] ?? 0;
    if (value === 0) continue;
    const base = inputIndex * size;
    for (let outputIndex = 0; outputIndex < size; outputIndex += 1) {
      out[outOffset + outputIndex] =
        (out[outOffset + outputIndex] ?? 0) + value * (matrix[base + outputIndex] ?? 0);
    }
  }
}
