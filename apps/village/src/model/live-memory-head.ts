import { GaltError } from '@galt/core';
import { z } from 'zod';
import { CLASS_HEADS } from './heads.js';
import { readFloatInitializers } from './read-initializers.js';

/** Parameter names of the memory head inside the adaptable head (learn's MLP naming). */
export const MEMORY_HEAD_WEIGHT = 'w0';
export const MEMORY_HEAD_BIAS = 'b0';

const MEMORY_CLASSES = CLASS_HEADS.memory.length;

/** Serialisable state of a `LiveMemoryHead`. */
export const LiveMemoryHeadStateSchema = z.object({
  weight: z.array(z.number()),
  bias: z.array(z.number()),
});
export type LiveMemoryHeadState = z.infer<typeof LiveMemoryHeadStateSchema>;

/**
 * The memory head as live float32 arrays: weight [hidden, 2] and bias [2]. Online memory writes
 * update these arrays in place, and every forward pass reads them, so an accepted write changes
 * the very next decision.
 */
export class LiveMemoryHead {
  readonly hiddenSize: number;
  readonly parameters: Map<string, Float32Array>;

  constructor(weight: Float32Array, bias: Float32Array) {
    this.hiddenSize = weight.length / MEMORY_CLASSES;
    this.parameters = new Map([
      [MEMORY_HEAD_WEIGHT, Float32Array.from(weight)],
      [MEMORY_HEAD_BIAS, Float32Array.from(bias)],
    ]);
  }

  /** Copies the trained memory head out of the model file's initializers. */
  static fromModel(bytes: Uint8Array): LiveMemoryHead {
    const initializers = readFloatInitializers(bytes);
    const weight = initializers.get('memory.weight')?.data;
    const bias = initializers.get('memory.bias')?.data;
    if (weight === undefined || bias === undefined) {
      throw new GaltError(
        'model_mismatch',
        'the model has no float32 memory.weight and memory.bias',
        {
          remedy: 'rebuild the model with `galt train`',
        },
      );
    }
    return new LiveMemoryHead(weight, bias);
  }

  /** Returns the current weight and bias as plain JSON data. */
  snapshot(): LiveMemoryHeadState {
    return {
      weight: Array.from(this.parameters.get(MEMORY_HEAD_WEIGHT) as Float32Array),
      bias: Array.from(this.parameters.get(MEMORY_HEAD_BIAS) as Float32Array),
    };
  }

  /**
   * Copies a snapshot into the live arrays, so every holder of them reads the restored values.
   * Raises `invalid_input` when the snapshot's sizes differ from this head's.
   */
  restore(state: unknown): void {
    const parsed = LiveMemoryHeadStateSchema.safeParse(state);
    const weight = this.parameters.get(MEMORY_HEAD_WEIGHT) as Float32Array;
    const bias = this.parameters.get(MEMORY_HEAD_BIAS) as Float32Array;
    if (
      !parsed.success ||
      parsed.data.weight.length !== weight.length ||
      parsed.data.bias.length !== bias.length
    ) {
      throw new GaltError('invalid_input', 'memory head snapshot is malformed or has other sizes', {
        remedy: 'Pass a value returned by LiveMemoryHead.snapshot() of the same model',
      });
    }
    weight.set(parsed.data.weight);
    bias.set(parsed.data.bias);
  }

  /** Computes memory logits [rows, 2] from encoder activations [rows, hiddenSize] into `out`. */
  logits(hidden: Float32Array, rows: number, out = new Float32Array(rows * MEMORY_CLASSES)) {
    const weight = this.parameters.get(MEMORY_HEAD_WEIGHT) as Float32Array;
    const bias = this.parameters.get(MEMORY_HEAD_BIAS) as Float32Array;
    for (let row = 0; row < rows; row += 1) {
      for (let column = 0; column < MEMORY_CLASSES; column += 1) {
        let sum = bias[column] ?? 0;
        for (let unit = 0; unit < this.hiddenSize; unit += 1) {
          sum +=
            (hidden[row * this.hiddenSize + unit] ?? 0) *
            (weight[unit * MEMORY_CLASSES + column] ?? 0);
        }
        out[row * MEMORY_CLASSES + column] = sum;
      }
    }
    return out;
  }
}
