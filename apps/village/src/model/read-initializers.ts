import { GaltError } from '@galt/core';

/**
 * Field numbers of the ONNX protobuf messages read here (onnx.proto, ONNX 1.12):
 * ModelProto.graph = 7, GraphProto.initializer = 5, TensorProto.dims = 1, data_type = 2,
 * name = 8, raw_data = 9. Data type 1 is FLOAT.
 */
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const FLOAT_TYPE = 1;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

interface Field {
  number: number;
  wireType: number;
  value: bigint | Uint8Array;
}

function readVarint(bytes: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  let position = start;
  for (;;) {
    const byte = bytes[position];
    if (byte === undefined) throw new RangeError('truncated varint');
    value |= BigInt(byte & 0x7f) << shift;
    position += 1;
    if ((byte & 0x80) === 0) return { value, next: position };
    shift += 7n;
  }
}

function* fields(bytes: Uint8Array): Generator<Field> {
  let position = 0;
  while (position < bytes.length) {
    const key = readVarint(bytes, position);
    const number = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    position = key.next;
    if (wireType === WIRE_VARINT) {
      const varint = readVarint(bytes, position);
      position = varint.next;
      yield { number, wireType, value: varint.value };
    } else if (wireType === WIRE_LENGTH) {
      const length = readVarint(bytes, position);
      const end = length.next + Number(length.value);
      if (end > bytes.length) throw new RangeError('truncated length-delimited field');
      yield { number, wireType, value: bytes.subarray(length.next, end) };
      position = end;
    } else if (wireType === WIRE_FIXED64 || wireType === WIRE_FIXED32) {
      position += wireType === WIRE_FIXED64 ? 8 : 4;
    } else {
      throw new RangeError(`unsupported protobuf wire type ${wireType}`);
    }
  }
}

function readTensor(
  bytes: Uint8Array,
): { name: string; dims: number[]; data: Float32Array } | null {
  let name = '';
  const dims: number[] = [];
  let dataType = 0;
  let raw: Uint8Array | null = null;
  for (const field of fields(bytes)) {
    if (field.number === TENSOR_NAME && field.value instanceof Uint8Array) {
      name = new TextDecoder().decode(field.value);
    } else if (field.number === TENSOR_DIMS) {
      if (typeof field.value === 'bigint') dims.push(Number(field.value));
      else
        for (let p = 0; p < field.value.length; ) {
          const dim = readVarint(field.value, p);
          dims.push(Number(dim.value));
          p = dim.next;
        }
    } else if (field.number === TENSOR_DATA_TYPE && typeof field.value === 'bigint') {
      dataType = Number(field.value);
    } else if (field.number === TENSOR_RAW_DATA && field.value instanceof Uint8Array) {
      raw = field.value;
    }
  }
  if (dataType !== FLOAT_TYPE || raw === null) return null;
  const data = new Float32Array(raw.length / 4);
  new Uint8Array(data.buffer).set(raw);
  return { name, dims, data };
}

/**
 * Reads the float32 initializers that `encodeModel` stores as raw data, by name. Tensors of other
 * types, or stored in typed fields instead of raw data, are skipped. Raises `model_mismatch` when
 * the bytes are not a well-formed ONNX model.
 */
export function readFloatInitializers(
  model: Uint8Array,
): Map<string, { dims: number[]; data: Float32Array }> {
  const found = new Map<string, { dims: number[]; data: Float32Array }>();
  try {
    for (const modelField of fields(model)) {
      if (modelField.number !== MODEL_GRAPH || !(modelField.value instanceof Uint8Array)) continue;
      for (const graphField of fields(modelField.value)) {
        if (graphField.number !== GRAPH_INITIALIZER || !(graphField.value instanceof Uint8Array))
          continue;
        const tensor = readTensor(graphField.value);
        if (tensor !== null) found.set(tensor.name, { dims: tensor.dims, data: tensor.data });
      }
    }
  } catch (error) {
    throw new GaltError(
      'model_mismatch',
      `model bytes are not a readable ONNX model: ${String(error)}`,
      {
        remedy: 'rebuild the model with `galt train`',
      },
    );
  }
  return found;
}
