import { sha256Hex } from '@galt/core';
import { encodeModel, OnnxSession, type TensorValue } from '@galt/onnx';
import type { DecisionModel, HeadOutputs, SparseFeatureRows } from '@galt/runtime';
import { CLASS_HEAD_NAMES, CLASS_HEADS, GATE_OUTPUT, GATE_WIDTH, logitsName } from './heads.js';
import { Int64Slots } from './int64-slots.js';
import { LiveMemoryHead } from './live-memory-head.js';
import { readFloatInitializers } from './read-initializers.js';
import {
  buildSparseTypedChannelGraph,
  FEATURE_IDS_INPUT,
  FEATURE_VALUES_INPUT,
  HIDDEN_OUTPUT,
} from './typed-channel-graph.js';
import type { TypedChannelModel } from './typed-channel-model.js';

/**
 * The typed-channel model as the runtime's `DecisionModel`. A second onnxruntime session has
 * the same parameters in the sparse-input graph (`buildSparseTypedChannelGraph`), because hashed
 * n-gram rows are mostly zeros and the dense encoder product dominates a tick of many agents.
 * The memory head's logits are then recomputed from the encoder output with the live memory head,
 * so committed online memory writes take effect on the next tick.
 */
export class VillageDecisionModel implements DecisionModel {
  readonly featureDimension: number;
  readonly heads: Readonly<Record<string, number>>;
  readonly memoryHead: LiveMemoryHead;
  readonly #model: TypedChannelModel;
  readonly #sparse: OnnxSession;
  readonly #ids = new Int64Slots();
  readonly #baseDigest: string;

  /**
   * Opens the sparse session on the parameters of the shipped model bytes, with the execution
   * provider the dense session ended up on.
   */
  static async create(model: TypedChannelModel, bytes: Uint8Array): Promise<VillageDecisionModel> {
    const memoryHead = LiveMemoryHead.fromModel(bytes);
    const initializers: Record<string, TensorValue> = {};
    for (const [name, tensor] of readFloatInitializers(bytes))
      initializers[name] = { type: 'float32', dims: tensor.dims, data: tensor.data };
    const graph = buildSparseTypedChannelGraph({
      featureDimension: model.featureDimension,
      hiddenSize: memoryHead.hiddenSize,
    });
    const sparse = await OnnxSession.create(encodeModel(graph, { initializers }), {
      executionProvider: model.session.executionProvider,
      intraOpThreads: 1,
    });
    return new VillageDecisionModel(model, bytes, memoryHead, sparse);
  }

  private constructor(
    model: TypedChannelModel,
    bytes: Uint8Array,
    memoryHead: LiveMemoryHead,
    sparse: OnnxSession,
  ) {
    this.#model = model;
    this.#sparse = sparse;
    this.featureDimension = model.featureDimension;
    this.memoryHead = memoryHead;
    this.#baseDigest = sha256Hex(bytes);
    const heads: Record<string, number> = {};
    for (const head of CLASS_HEAD_NAMES) heads[logitsName(head)] = CLASS_HEADS[head].length;
    heads[GATE_OUTPUT] = GATE_WIDTH;
    this.heads = heads;
  }

  /** SHA-256 of the shipped model file; online writes are recorded in the ledger instead. */
  get digest(): string {
    return this.#baseDigest;
  }

  /** Runs the dense session on `batch` rows of `featureDimension` features. */
  async infer(features: Float32Array, batch: number): Promise<HeadOutputs> {
    const input: TensorValue = {
      type: 'float32',
      dims: [batch, this.featureDimension],
      data: features.subarray(0, batch * this.featureDimension),
    };
    return this.#read(await this.#model.session.run({ features: input }), batch);
  }

  /** Runs the sparse session on the rows' non-zero slots. The runtime calls this every tick. */
  async inferSparse(rows: SparseFeatureRows, batch: number): Promise<HeadOutputs> {
    const dims = [batch, rows.width];
    const outputs = await this.#sparse.run({
      [FEATURE_IDS_INPUT]: this.#ids.tensor(rows.slots, dims),
      [FEATURE_VALUES_INPUT]: { type: 'float32', dims, data: rows.values },
    });
    return this.#read(outputs, batch);
  }

  #read(outputs: Record<string, TensorValue>, batch: number): HeadOutputs {
    const result: HeadOutputs = {};
    for (const name of Object.keys(this.heads)) {
      result[name] = outputs[name]?.data as Float32Array;
    }
    // The encoder output feeds the live memory head only. It is not a head of its own, so the
    // runtime neither hands it to policies nor records its 64 values per agent every tick.
    const hidden = outputs[HIDDEN_OUTPUT]?.data as Float32Array;
    result[logitsName('memory')] = this.memoryHead.logits(hidden, batch);
    return result;
  }

  async close(): Promise<void> {
    await this.#sparse.close();
    await this.#model.close();
  }
}
