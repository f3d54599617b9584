import { sha256Hex } from '@galt/core';
import type { Graph } from '@galt/onnx';
import { IR_VERSION, OPSET_VERSION } from '@galt/onnx';
import { type ModelManifest, SCHEMA_VERSION, type TensorInfo } from '@galt/protocol';

/** Name of the shipped model; its files are `<name>.onnx`, `.manifest.json` and `.md`. */
export const MODEL_NAME = 'typed-channel';
/** Version of the model's input and output contract. */
export const MODEL_VERSION = '1';

function tensorInfo(graph: Graph, which: 'inputs' | 'outputs'): TensorInfo[] {
  return graph[which].map((value) => ({
    name: value.name,
    type: value.type,
    shape: value.shape.map((dim) => dim),
  }));
}

/** Builds the manifest of encoded model bytes for the inference graph. */
export function buildManifest(
  graph: Graph,
  bytes: Uint8Array,
  dataDigest: string,
  metadata: Record<string, unknown>,
): ModelManifest {
  return {
    schemaVersion: SCHEMA_VERSION,
    name: MODEL_NAME,
    version: MODEL_VERSION,
    file: `${MODEL_NAME}.onnx`,
    sha256: sha256Hex(bytes),
    opset: OPSET_VERSION,
    irVersion: IR_VERSION,
    inputs: tensorInfo(graph, 'inputs'),
    outputs: tensorInfo(graph, 'outputs'),
    dataDigest,
    metadata,
  };
}
