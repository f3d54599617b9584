import ort from 'onnxruntime-node';
import type { TensorType, TensorValue } from '../tensor.js';

const SUPPORTED_TYPES: readonly string[] = ['float32', 'float64', 'int64', 'bool'];

/** Wraps a tensor value as an onnxruntime tensor without copying its data. */
export function toOrtTensor(value: TensorValue): ort.Tensor {
  return new ort.Tensor(value.type, value.data, [...value.dims]);
}

/** Wraps an onnxruntime output tensor as a tensor value without copying its data. */
export function fromOrtTensor(name: string, tensor: ort.Tensor): TensorValue {
  if (!SUPPORTED_TYPES.includes(tensor.type)) {
    throw new TypeError(
      `output ${name} has type ${tensor.type}; supported: ${SUPPORTED_TYPES.join(', ')}`,
    );
  }
  const type = tensor.type as TensorType;
  const dims = [...tensor.dims];
  // onnxruntime-node returns each run's outputs in new buffers, so they are not copied again.
  const data = tensor.data as Float32Array | Float64Array | BigInt64Array | Uint8Array;
  return { type, dims, data };
}
