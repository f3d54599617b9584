import { SeededRandom } from '@galt/core';
import type { ChannelName } from './declaration.js';
import type { DecisionModel, HeadOutputs } from './model/decision-model.js';

/** A channel to probe: the model head that carries its route and the metric it owns. */
export interface ProbedChannel {
  channel: ChannelName;
  head: string;
  /** The channel's own metric on a batch of outputs, higher is better (an accuracy, say). */
  metric(outputs: HeadOutputs, batch: number): number;
}

export interface CausalProbeOptions {
  model: DecisionModel;
  /** `batch` feature rows, `model.featureDimension` values each. */
  features: Float32Array;
  batch: number;
  channels: readonly ProbedChannel[];
  seed: number | string;
  /** Scrambles averaged per channel; more give a steadier scramble gap. */
  scrambles?: number;
}

/** Probe result for one channel: the metric normal, zeroed and scrambled, and the two gaps. */
export interface CausalProbeRow {
  channel: ChannelName;
  head: string;
  normal: number;
  zeroed: number;
  scrambled: number;
  /** metric(normal) - metric(zeroed): how much the channel's route matters at all. */
  zeroGap: number;
  /** metric(normal) - metric(scrambled): how much it matters that each row gets its own route. */
  scrambleGap: number;
}

/**
 * Measures whether each channel is necessary: its route (head output) is zeroed, or permuted
 * across the batch with a seeded shuffle, and the gap in the metric the channel owns is reported.
 * The model runs once; the probes only change its outputs.
 */
export async function runCausalProbes(options: CausalProbeOptions): Promise<CausalProbeRow[]> {
  const outputs = await options.model.infer(options.features, options.batch);
  const random = new SeededRandom(options.seed);
  const scrambles = Math.max(1, options.scrambles ?? 1);
  return options.channels.map((probe) => {
    const size = options.model.heads[probe.head];
    const values = outputs[probe.head];
    if (size === undefined || values === undefined) {
      throw new RangeError(
        `channel '${probe.channel}' names head '${probe.head}', which the model does not have`,
      );
    }
    const normal = probe.metric(outputs, options.batch);
    const zeroed = probe.metric(
      { ...outputs, [probe.head]: new Float32Array(values.length) },
      options.batch,
    );
    let scrambledSum = 0;
    for (let round = 0; round < scrambles; round += 1) {
      const permuted = permuteRows(
        values,
        size,
        options.batch,
        random.split(`${probe.channel}:${round}`),
      );
      scrambledSum += probe.metric({ ...outputs, [probe.head]: permuted }, options.batch);
    }
    const scrambled = scrambledSum / scrambles;
    return {
      channel: probe.channel,
      head: probe.head,
      normal,
      zeroed,
      scrambled,
      zeroGap: normal - zeroed,
      scrambleGap: normal - scrambled,
    };
  });
}

/** Returns a copy of `values` with its rows of `size` values shuffled across the batch. */
function permuteRows(
  values: Float32Array,
  size: number,
  batch: number,
  random: SeededRandom,
): Float32Array {
  const order = random.shuffle(Array.from({ length: batch }, (_, row) => row));
  const permuted = new Float32Array(values.length);
  order.forEach((source, row) => {
    permuted.set(values.subarray(source * size, (source + 1) * size), row * size);
  });
  return permuted;
}

/** Metric: the share of rows whose argmax on `head` equals the row's label. */
export function argmaxAccuracy(
  head: string,
  size: number,
  labels: readonly number[],
): ProbedChannel['metric'] {
  return (outputs, batch) => {
    const values = outputs[head];
    if (values === undefined || batch === 0) return 0;
    let correct = 0;
    for (let row = 0; row < batch; row += 1) {
      if (argmax(values, row * size, size) === labels[row]) correct += 1;
    }
    return correct / batch;
  };
}

/** Index of the largest of `size` values from `offset`; the first one wins ties. */
export function argmax(values: Float32Array, offset: number, size: number): number {
  let best = 0;
  for (let index = 1; index < size; index += 1) {
    if ((values[offset + index] ?? 0) > (values[offset + best] ?? 0)) best = index;
  }
  return best;
}
