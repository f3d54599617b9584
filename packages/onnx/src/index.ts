export { type GradientOptions, gradientGraph } from './autodiff/gradient-graph.js';
export { type JacobianOptions, jacobianGraph } from './autodiff/jacobian-graph.js';
export { type DoctorReport, doctor, type ProviderCheck } from './bench/doctor.js';
export {
  type OnnxBenchOptions,
  type OnnxBenchRow,
  runOnnxBenchmark,
} from './bench/onnx-benchmark.js';
export { type GemmOptions, GraphBuilder, type Operand } from './builder/graph-builder.js';
export { type ModelSignature, readModelSignature } from './encoding/decode-model.js';
export {
  type EncodeOptions,
  encodeModel,
  IR_VERSION,
  OPSET_VERSION,
} from './encoding/encode-model.js';
export { GraphError } from './errors.js';
export type { Attribute, Dim, Graph, GraphNode, Value, ValueInfo } from './graph.js';
export {
  loadManifestedModel,
  type ManifestFields,
  writeManifestedModel,
} from './manifest/manifested-model.js';
export { buildMlpClassifier, initializeParameters, type MlpOptions } from './models/mlp.js';
export { ParameterLayout, type ParameterSlot } from './models/parameter-layout.js';
export { evaluateReference, type ReferenceOptions } from './reference/evaluate.js';
export {
  bindingDirectory,
  CUDA_PROVIDER_LIBRARIES,
  cudaPrecheck,
  type ExecutionProvider,
} from './runtime/execution-providers.js';
export { OnnxSession, type SessionOptions } from './runtime/onnx-session.js';
export { SessionPool, type SessionPoolOptions } from './runtime/session-pool.js';
export { resolveWorkerPath } from './runtime/worker-path.js';
export {
  allocateData,
  boolTensor,
  elementCount,
  float32Tensor,
  float64Tensor,
  int64Tensor,
  isFloatType,
  readNumber,
  type TensorData,
  type TensorType,
  type TensorValue,
  toNumbers,
} from './tensor.js';
