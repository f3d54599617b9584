import { GaltError } from '@galt/core';
import type { DecisionModel, HeadOutputs } from './decision-model.js';

/** A recorded model call: the batch size and the outputs it returned. */
export interface RecordedCall {
  tick: number;
  batch: number;
  outputs: HeadOutputs;
}

/**
 * Returns recorded outputs in call order instead of running a model, so a replay receives
 * exactly the outputs of the original run. Throws `model_mismatch` when a call's batch size differs from the
 * recording or the recording runs out.
 */
export class ReplayingDecisionModel implements DecisionModel {
  readonly featureDimension: number;
  readonly heads: Readonly<Record<string, number>>;
  readonly digest: string;
  readonly #calls: RecordedCall[];
  #next = 0;

  constructor(
    template: Pick<DecisionModel, 'featureDimension' | 'heads' | 'digest'>,
    calls: readonly RecordedCall[],
  ) {
    this.featureDimension = template.featureDimension;
    this.heads = template.heads;
    this.digest = template.digest;
    this.#calls = [...calls];
  }

  /** Number of recorded calls not yet replayed. */
  get remaining(): number {
    return this.#calls.length - this.#next;
  }

  async infer(_features: Float32Array, batch: number): Promise<HeadOutputs> {
    const call = this.#calls[this.#next];
    if (call === undefined) {
      throw new GaltError(
        'model_mismatch',
        `replay asked for model call ${this.#next + 1}, but the recording has ${this.#calls.length}`,
        {
          remedy: 'Replay with the inputs of the recorded run, or record the run again',
        },
      );
    }
    if (call.batch !== batch) {
      throw new GaltError(
        'model_mismatch',
        `replayed model call ${this.#next + 1} has batch ${batch}; the recording has ${call.batch}`,
        {
          remedy: 'The replay diverged before this call; compare the event digests before it',
        },
      );
    }
    this.#next += 1;
    return call.outputs;
  }
}
