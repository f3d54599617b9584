import { sha256Hex } from '@galt/core';
import type { TensorValue } from '@galt/onnx';
import type { DecisionModel, HeadOutputs } from '@galt/runtime';
import { CLASS_HEAD_NAMES, CLASS_HEADS, GATE_OUTPUT, GATE_WIDTH, logitsName } from './heads.js';
import { LiveMemoryHead } from './live-memory-head.js';
import { HIDDEN_OUTPUT } from './typed-channel-graph.js';
import type { TypedChannelModel } from './typed-channel-model.js';

/**
 * The typed-channel model as the runtime's `DecisionModel`. The onnxruntime session computes the
 * encoder and every head. The memory head's logits are then recomputed from the encoder output
 * with the live memory head, so committed online memory writes take effect on the next tick.
 */
export class VillageDecisionModel implements DecisionModel {
  readonly featureDimension: number;
  readonly heads: Readonly<Record<string, number>>;
  readonly memoryHead: LiveMemoryHead;
  readonly #model: TypedChannelModel;
  readonly #baseDigest: string;

  constructor(model: TypedChannelModel, bytes: Uint8Array) {
    this.#model = model;
    this.featureDimension = model.featureDimension;
    this.memoryHead = LiveMemoryHead.fromModel(bytes);
    this.#baseDigest = sha256Hex(bytes);
    const heads: Record<string, number> = {};
    for (const head of CLASS_HEAD_NAMES) heads[logitsName(head)] = CLASS_HEADS[head].length;
    heads[GATE_OUTPUT] = GATE_WIDTH;
    heads[HIDDEN_OUTPUT] = this.memoryHead.hiddenSize;
    this.heads = heads;
  }

  /** SHA-256 of the shipped model file; online writes are recorded in the ledger instead. */
  get digest(): string {
    return this.#baseDigest;
  }

  async infer(features: Float32Array, batch: number): Promise<HeadOutputs> {
    const input: TensorValue = {
      type: 'float32',
      dims: [batch, this.featureDimension],
      data: features.slice(0, batch * this.featureDimension),
    };
    const outputs = await this.#model.session.run({ features: input });
    const result: HeadOutputs = {};
    for (const name of Object.keys(this.heads)) {
      result[name] = outputs[name]?.data as Float32Array;
    }
    const hidden = result[HIDDEN_OUTPUT] as Float32Array;
    result[logitsName('memory')] = this.memoryHead.logits(hidden, batch);
    return result;
  }

  async close(): Promise<void> {
    await this.#model.close();
  }
}
