import { DATA_TYPE_CODES } from '../builder/infer.js';
import { GraphError } from '../errors.js';
import type { Attribute, Graph, ValueInfo } from '../graph.js';
import { elementCount, type TensorValue } from '../tensor.js';
import { ATTRIBUTE_TYPES, ModelProtoType } from './onnx-proto.js';

/** ONNX IR version of the emitted files (IR 8 goes with opset 17 in ONNX 1.12). */
export const IR_VERSION = 8;
/** Default-domain opset the builder's operators follow. */
export const OPSET_VERSION = 17;
const PRODUCER_NAME = 'galt';

/** Options of `encodeModel`. */
export interface EncodeOptions {
  /** Parameter values to store in the file. Those parameters stop being graph inputs. */
  initializers?: Record<string, TensorValue>;
  opset?: typeof OPSET_VERSION;
  /** Free-form key-value metadata stored in the model. */
  metadata?: Record<string, string>;
}

/** Encodes a graph as ONNX ModelProto bytes that onnxruntime can load. */
export function encodeModel(graph: Graph, options: EncodeOptions = {}): Uint8Array {
  const initializers = options.initializers ?? {};
  checkInitializers(graph, initializers);
  const feeds = [...graph.inputs, ...graph.parameters.filter((p) => !(p.name in initializers))];
  const tensors = { ...graph.constants, ...initializers };
  const model = {
    irVersion: IR_VERSION,
    producerName: PRODUCER_NAME,
    opsetImport: [{ domain: '', version: options.opset ?? OPSET_VERSION }],
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      node: graph.nodes.map((node) => ({
        name: node.name,
        opType: node.op,
        input: [...node.inputs],
        output: [...node.outputs],
        attribute: Object.entries(node.attributes).map(([name, value]) =>
          encodeAttribute(name, value),
        ),
      })),
      initializer: Object.entries(tensors).map(([name, value]) => encodeTensor(name, value)),
      input: feeds.map(encodeValueInfo),
      output: graph.outputs.map(encodeValueInfo),
    },
  };
  return ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
}

function checkInitializers(graph: Graph, initializers: Record<string, TensorValue>): void {
  for (const [name, value] of Object.entries(initializers)) {
    const parameter = graph.parameters.find((p) => p.name === name);
    if (parameter === undefined) {
      throw new GraphError(null, `initializer ${name} is not a parameter of graph ${graph.name}`);
    }
    const expected = parameter.shape.join(',');
    if (value.type !== parameter.type || value.dims.join(',') !== expected) {
      throw new GraphError(
        null,
        `initializer ${name} is ${value.type} [${value.dims.join(', ')}], ` +
          `but the parameter is ${parameter.type} [${expected}]`,
      );
    }
    if (value.data.length !== elementCount(value.dims)) {
      throw new GraphError(null, `initializer ${name} has ${value.data.length} elements`);
    }
  }
}

function encodeAttribute(name: string, attribute: Attribute): Record<string, unknown> {
  switch (attribute.kind) {
    case 'int':
      return { name, type: ATTRIBUTE_TYPES.int, i: attribute.value };
    case 'float':
      return { name, type: ATTRIBUTE_TYPES.float, f: attribute.value };
    case 'ints':
      return { name, type: ATTRIBUTE_TYPES.ints, ints: [...attribute.value] };
    case 'floats':
      return { name, type: ATTRIBUTE_TYPES.floats, floats: [...attribute.value] };
    case 'string':
      return { name, type: ATTRIBUTE_TYPES.string, s: new TextEncoder().encode(attribute.value) };
  }
}

/** Encodes one tensor as a TensorProto with little-endian raw data. */
export function encodeTensor(name: string, value: TensorValue): Record<string, unknown> {
  const source = value.data;
  const rawData = new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice();
  return { name, dims: [...value.dims], dataType: DATA_TYPE_CODES[value.type], rawData };
}

function encodeValueInfo(info: ValueInfo): Record<string, unknown> {
  const dim = info.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return {
    name: info.name,
    type: { tensorType: { elemType: DATA_TYPE_CODES[info.type], shape: { dim } } },
  };
}
