import type { Logger } from '@galt/core';
import { type ExecutionProvider, OnnxSession, type TensorValue } from '@galt/onnx';
import type { SafetyLayer, ViolationLayer } from '@galt/protocol';
import type {
  KnowledgeState,
  MemoryTarget,
  ResidualTarget,
  TeacherAction,
} from '../curriculum/schemas.js';
import { featurizeTexts } from './features.js';
import {
  CLASS_HEAD_NAMES,
  CLASS_HEADS,
  type ClassHead,
  GATE_OUTPUT,
  GATE_WIDTH,
  logitsName,
} from './heads.js';
import { HIDDEN_OUTPUT } from './typed-channel-graph.js';

/** The model's reading of one text: the argmax class of every head, the gate and raw logits. */
export interface ChannelPrediction {
  action: TeacherAction;
  knowledge: KnowledgeState;
  memory: MemoryTarget;
  residual: ResidualTarget;
  memoryLayer: SafetyLayer;
  violationLayer: ViolationLayer;
  gate: [number, number, number];
  logits: Record<ClassHead, number[]>;
  hidden: Float32Array<ArrayBuffer>;
}

/** Options of `TypedChannelModel.create`. */
export interface TypedChannelModelOptions {
  featureDimension: number;
  executionProvider?: ExecutionProvider;
  logger?: Logger;
  /** Threads per operator; 1 keeps results identical from run to run. */
  intraOpThreads?: number;
}

/** The typed-channel model behind an onnxruntime session, read through its heads. */
export class TypedChannelModel {
  readonly featureDimension: number;
  readonly session: OnnxSession;

  private constructor(session: OnnxSession, featureDimension: number) {
    this.session = session;
    this.featureDimension = featureDimension;
  }

  /** Opens a session on ONNX model bytes built by `buildTypedChannelGraph`. */
  static async create(
    bytes: Uint8Array,
    options: TypedChannelModelOptions,
  ): Promise<TypedChannelModel> {
    const sessionOptions: Parameters<typeof OnnxSession.create>[1] = {
      executionProvider: options.executionProvider ?? 'cpu',
      intraOpThreads: options.intraOpThreads ?? 1,
    };
    if (options.logger !== undefined) sessionOptions.logger = options.logger;
    const session = await OnnxSession.create(bytes, sessionOptions);
    return new TypedChannelModel(session, options.featureDimension);
  }

  /** Reads a batch of texts in one session run. */
  async predict(texts: readonly string[]): Promise<ChannelPrediction[]> {
    if (texts.length === 0) return [];
    return this.predictFeatures(featurizeTexts(texts, this.featureDimension));
  }

  /** Reads a features tensor [rows, featureDimension] in one session run. */
  async predictFeatures(features: TensorValue): Promise<ChannelPrediction[]> {
    const outputs = await this.session.run({ features });
    const rows = features.dims[0] ?? 0;
    return Array.from({ length: rows }, (_, row) => readRow(outputs, row));
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

function rowOf(tensor: TensorValue | undefined, row: number): number[] {
  if (tensor === undefined) throw new RangeError('model output is missing');
  const width = tensor.dims[1] ?? 0;
  return Array.from((tensor.data as Float32Array).subarray(row * width, (row + 1) * width));
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < values.length; index += 1) {
    if ((values[index] ?? -Infinity) > (values[best] ?? -Infinity)) best = index;
  }
  return best;
}

function readRow(outputs: Record<string, TensorValue>, row: number): ChannelPrediction {
  const logits = {} as Record<ClassHead, number[]>;
  const labels = {} as Record<ClassHead, string>;
  for (const head of CLASS_HEAD_NAMES) {
    logits[head] = rowOf(outputs[logitsName(head)], row);
    labels[head] = CLASS_HEADS[head][argmax(logits[head])] as string;
  }
  const gate = rowOf(outputs[GATE_OUTPUT], row).slice(0, GATE_WIDTH) as [number, number, number];
  const hidden = Float32Array.from(rowOf(outputs[HIDDEN_OUTPUT], row));
  return {
    action: labels.action as TeacherAction,
    knowledge: labels.knowledge as KnowledgeState,
    memory: labels.memory as MemoryTarget,
    residual: labels.residual as ResidualTarget,
    memoryLayer: labels.memory_layer as SafetyLayer,
    violationLayer: labels.violation_layer as ViolationLayer,
    gate,
    logits,
    hidden,
  };
}
