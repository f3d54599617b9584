import type { TensorInfo } from '@galt/protocol';
import { DATA_TYPE_CODES } from '../builder/infer.js';
import { ModelProtoType } from './onnx-proto.js';

/** Interface of an ONNX model file as read back from its bytes. */
export interface ModelSignature {
  irVersion: number;
  opset: number;
  /** Graph inputs that are not initializers: what a run must feed. */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

interface DecodedValueInfo {
  name?: string;
  type?: {
    tensorType?: {
      elemType?: number;
      shape?: { dim?: { dimValue?: number; dimParam?: string }[] };
    };
  };
}

interface DecodedModel {
  irVersion?: number;
  opsetImport?: { domain?: string; version?: number }[];
  graph?: {
    input?: DecodedValueInfo[];
    output?: DecodedValueInfo[];
    initializer?: { name?: string }[];
  };
}

const TYPE_NAMES = new Map<number, TensorInfo['type']>([
  ...Object.entries(DATA_TYPE_CODES).map(
    ([name, code]) => [code, name as TensorInfo['type']] as const,
  ),
  [6, 'int32'],
]);

function tensorInfo(value: DecodedValueInfo): TensorInfo {
  const tensorType = value.type?.tensorType;
  const type = TYPE_NAMES.get(tensorType?.elemType ?? 0);
  if (type === undefined)
    throw new Error(`value ${value.name} has unsupported element type ${tensorType?.elemType}`);
  const shape = (tensorType?.shape?.dim ?? []).map((dim) => dim.dimParam ?? dim.dimValue ?? 0);
  return { name: value.name ?? '', type, shape };
}

/** Reads the IR version, opset and feed and output signatures from ONNX model bytes. */
export function readModelSignature(bytes: Uint8Array): ModelSignature {
  const decoded = ModelProtoType.toObject(ModelProtoType.decode(bytes), {
    longs: Number,
    defaults: false,
  }) as DecodedModel;
  const initializers = new Set((decoded.graph?.initializer ?? []).map((tensor) => tensor.name));
  const defaultOpset = (decoded.opsetImport ?? []).find((entry) => (entry.domain ?? '') === '');
  return {
    irVersion: decoded.irVersion ?? 0,
    opset: defaultOpset?.version ?? 0,
    inputs: (decoded.graph?.input ?? [])
      .filter((value) => !initializers.has(value.name))
      .map(tensorInfo),
    outputs: (decoded.graph?.output ?? []).map(tensorInfo),
  };
}
