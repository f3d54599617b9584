import { type Graph, GraphBuilder, type Value } from '@galt/onnx';
import {
  CLASS_HEAD_NAMES,
  CLASS_HEADS,
  FEATURES_INPUT,
  GATE_OUTPUT,
  GATE_WIDTH,
  logitsName,
} from './heads.js';

/** Sizes of the typed-channel model. */
export interface TypedChannelShape {
  /** Length of the hashed n-gram feature vector (core `hashedNgramFeatures`). */
  featureDimension: number;
  /** Width of the shared tanh encoder. */
  hiddenSize: number;
}

/** Output name of the encoder activations, float32 [batch, hiddenSize]. */
export const HIDDEN_OUTPUT = 'hidden';
/** Output name of the training loss, a float32 scalar (training graph only). */
export const LOSS_OUTPUT = 'loss';

/** Returns the name of the target input of a class head in the training graph. */
export function targetName(head: string): string {
  return `${head}_targets`;
}

/** Name of the gate target input of the training graph, float32 [batch, 3]. */
export const GATE_TARGETS = 'gate_targets';
/** Name of the gate row-weight input of the training graph, float32 [batch, 1]. */
export const GATE_WEIGHTS = 'gate_weights';

interface Trunk {
  builder: GraphBuilder;
  hidden: Value;
  logits: Map<string, Value>;
  gate: Value;
}

/** Input of the sparse inference graph: feature slot per row and position, int64 [batch, slots]. */
export const FEATURE_IDS_INPUT = 'feature_ids';
/** Input of the sparse inference graph: value of each slot, float32 [batch, slots]. */
export const FEATURE_VALUES_INPUT = 'feature_values';

/** The encoder's input form: the dense feature vector, or its non-zero slots and their values. */
type EncoderInput = 'dense' | 'sparse';

function buildTrunk(name: string, shape: TypedChannelShape, input: EncoderInput = 'dense'): Trunk {
  const builder = new GraphBuilder(name);
  const encoderWeight = builder.parameter('encoder.weight', [
    shape.featureDimension,
    shape.hiddenSize,
  ]);
  const encoderBias = builder.parameter('encoder.bias', [shape.hiddenSize]);
  const hidden = builder.tanh(
    input === 'dense'
      ? builder.gemm(
          builder.input(FEATURES_INPUT, 'float32', ['batch', shape.featureDimension]),
          encoderWeight,
          encoderBias,
        )
      : builder.add(sparseProduct(builder, encoderWeight), encoderBias),
  );
  const logits = new Map<string, Value>();
  for (const head of CLASS_HEAD_NAMES) {
    const classes = CLASS_HEADS[head].length;
    const weight = builder.parameter(`${head}.weight`, [shape.hiddenSize, classes]);
    const bias = builder.parameter(`${head}.bias`, [classes]);
    logits.set(head, builder.gemm(hidden, weight, bias));
  }
  const gateWeight = builder.parameter('gate.weight', [shape.hiddenSize, GATE_WIDTH]);
  const gateBias = builder.parameter('gate.bias', [GATE_WIDTH]);
  const gate = builder.sigmoid(builder.gemm(hidden, gateWeight, gateBias));
  return { builder, hidden, logits, gate };
}

/**
 * Builds the inference graph: `features` [batch, F] → tanh encoder → one logits output per class
 * head, the sigmoid `gate` [batch, 3] and the encoder activations `hidden`.
 */
export function buildTypedChannelGraph(shape: TypedChannelShape): Graph {
  const { builder, hidden, logits, gate } = buildTrunk('typed_channel', shape);
  for (const [head, value] of logits) builder.output(value, logitsName(head as never));
  builder.output(gate, GATE_OUTPUT);
  builder.output(hidden, HIDDEN_OUTPUT);
  return builder.build();
}

/**
 * Builds the inference graph of `buildTypedChannelGraph` with the features given as their
 * non-zero slots: `feature_ids` int64 [batch, slots] and `feature_values` float32 [batch, slots],
 * padded with value 0. The encoder sums the weight rows of the slots, scaled by their values,
 * which equals the dense product with the same parameters. Hashed n-gram rows have a few dozen
 * non-zero slots of 1,024, so the encoder reads that many weight rows instead of all of them.
 */
export function buildSparseTypedChannelGraph(shape: TypedChannelShape): Graph {
  const { builder, hidden, logits, gate } = buildTrunk('typed_channel_sparse', shape, 'sparse');
  for (const [head, value] of logits) builder.output(value, logitsName(head as never));
  builder.output(gate, GATE_OUTPUT);
  builder.output(hidden, HIDDEN_OUTPUT);
  return builder.build();
}

/** Σ_s values[b, s] · weight[ids[b, s], :] for each row b: the dense product from the slots. */
function sparseProduct(builder: GraphBuilder, weight: Value): Value {
  const ids = builder.input(FEATURE_IDS_INPUT, 'int64', ['batch', 'slots']);
  const values = builder.input(FEATURE_VALUES_INPUT, 'float32', ['batch', 'slots']);
  const rows = builder.gather(weight, ids, 0);
  return builder.reduceSum(builder.mul(rows, builder.unsqueeze(values, [2])), [1], false);
}

/**
 * Builds the training graph: the same trunk plus a scalar `loss`. Each class head takes targets
 * [batch, classes]: one-hot rows divided by the number of rows labelled for that head in the
 * batch, and zero rows for unlabelled examples. The loss is then the sum over heads of the mean
 * cross-entropy over labelled rows. The gate adds a row-weighted squared error.
 */
export function buildTypedChannelTrainingGraph(shape: TypedChannelShape): Graph {
  const { builder, logits, gate } = buildTrunk('typed_channel_training', shape);
  let loss: Value | null = null;
  for (const [head, value] of logits) {
    const classes = CLASS_HEADS[head as keyof typeof CLASS_HEADS].length;
    const targets = builder.input(targetName(head), 'float32', ['batch', classes]);
    const headLoss = builder.neg(
      builder.reduceSum(builder.mul(builder.logSoftmax(value, 1), targets), [], false),
    );
    loss = loss === null ? headLoss : builder.add(loss, headLoss);
  }
  const gateTargets = builder.input(GATE_TARGETS, 'float32', ['batch', GATE_WIDTH]);
  const gateWeights = builder.input(GATE_WEIGHTS, 'float32', ['batch', 1]);
  const error = builder.sub(gate, gateTargets);
  const gateLoss = builder.reduceSum(
    builder.mul(builder.mul(error, error), gateWeights),
    [],
    false,
  );
  builder.output(builder.add(loss as Value, gateLoss), LOSS_OUTPUT);
  return builder.build();
}
