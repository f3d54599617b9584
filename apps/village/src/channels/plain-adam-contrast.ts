import { GaltError } from '@galt/core';
import { AdamOptimizer, MlpReference, mlpParameterNames } from '@galt/learn';
import { z } from 'zod';
import {
  LiveMemoryHead,
  LiveMemoryHeadStateSchema,
  MEMORY_HEAD_BIAS,
  MEMORY_HEAD_WEIGHT,
} from '../model/live-memory-head.js';
import { countViolations, type EncodedRow } from './probe-rows.js';

const MEMORY_CLASSES = 2;

/**
 * The contrast to the constrained writer: a copy of the memory head that learns the same
 * admitted rows with plain Adam fine-tuning, without constraint rows or rollback. After every
 * write it counts the hard probe rows it violates; that count is what the constrained writer
 * must beat.
 */
export class PlainAdamContrast {
  /** Hard probe rows above tolerance, summed over the checks after every write. */
  violationsAfterWrites = 0;
  readonly #head: LiveMemoryHead;
  readonly #classifier: MlpReference;
  readonly #optimizer: AdamOptimizer;
  readonly #steps: number;

  constructor(head: LiveMemoryHead, learningRate: number, steps: number) {
    const weight = head.parameters.get(MEMORY_HEAD_WEIGHT) as Float32Array;
    const bias = head.parameters.get(MEMORY_HEAD_BIAS) as Float32Array;
    this.#head = new LiveMemoryHead(weight, bias);
    this.#classifier = new MlpReference(
      [head.hiddenSize, MEMORY_CLASSES],
      this.#head.parameters,
      mlpParameterNames(1),
    );
    this.#optimizer = new AdamOptimizer(this.#classifier.dimension, { learningRate });
    this.#steps = steps;
  }

  /** Takes `steps` Adam steps on the mean cross-entropy of `admitted`, then counts violations. */
  async write(admitted: readonly EncodedRow[], probes: readonly EncodedRow[]): Promise<void> {
    if (admitted.length === 0) return;
    const width = this.#head.hiddenSize;
    const inputs = new Float32Array(admitted.length * width);
    admitted.forEach((row, index) => {
      inputs.set(row.features, index * width);
    });
    const parameters = mlpParameterNames(1).map(
      (name) => this.#head.parameters.get(name) as Float32Array,
    );
    for (let step = 0; step < this.#steps; step += 1) {
      const logits = await this.#classifier.forward(inputs, admitted.length);
      const weights = crossEntropyLogitGradient(logits, admitted);
      this.#optimizer.step(
        parameters,
        await this.#classifier.gradient(inputs, admitted.length, weights),
      );
    }
    this.violationsAfterWrites += countViolations(this.#head, probes);
  }

  snapshot(): PlainAdamContrastState {
    const moments = this.#optimizer.snapshot();
    return {
      violationsAfterWrites: this.violationsAfterWrites,
      head: this.#head.snapshot(),
      step: moments.step,
      first: Array.from(moments.first),
      second: Array.from(moments.second),
    };
  }

  /** Restores a snapshot; raises `invalid_input` when it is malformed. */
  restore(state: unknown): void {
    const parsed = PlainAdamContrastStateSchema.safeParse(state);
    if (!parsed.success) {
      throw new GaltError('invalid_input', 'plain-Adam contrast snapshot is malformed', {
        remedy: 'Pass a value returned by PlainAdamContrast.snapshot()',
      });
    }
    this.#head.restore(parsed.data.head);
    this.#optimizer.restore({
      step: parsed.data.step,
      first: Float64Array.from(parsed.data.first),
      second: Float64Array.from(parsed.data.second),
    });
    this.violationsAfterWrites = parsed.data.violationsAfterWrites;
  }
}

/** Serialisable state of a `PlainAdamContrast`. */
export const PlainAdamContrastStateSchema = z.object({
  violationsAfterWrites: z.number().int().nonnegative(),
  head: LiveMemoryHeadStateSchema,
  step: z.number().int().nonnegative(),
  first: z.array(z.number()),
  second: z.array(z.number()),
});
export type PlainAdamContrastState = z.infer<typeof PlainAdamContrastStateSchema>;

/** Returns ∂(mean cross-entropy)/∂logits: (softmax − one-hot) / rows. */
function crossEntropyLogitGradient(
  logits: Float32Array,
  rows: readonly EncodedRow[],
): Float32Array {
  const gradient = new Float32Array(logits.length);
  rows.forEach((row, index) => {
    const offset = index * MEMORY_CLASSES;
    const first = logits[offset] ?? 0;
    const second = logits[offset + 1] ?? 0;
    const peak = Math.max(first, second);
    const total = Math.exp(first - peak) + Math.exp(second - peak);
    for (let column = 0; column < MEMORY_CLASSES; column += 1) {
      const probability = Math.exp((logits[offset + column] ?? 0) - peak) / total;
      const target = column === row.label ? 1 : 0;
      gradient[offset + column] = (probability - target) / rows.length;
    }
  });
  return gradient;
}
