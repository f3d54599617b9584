export {
  type ContinualBenchmarkResult,
  type MethodRun,
  type MethodSummary,
  runContinualBenchmark,
} from './bench/continual-benchmark.js';
export {
  type ContinualBenchmarkOptions,
  ContinualBenchmarkOptionsSchema,
} from './bench/continual-options.js';
export {
  type DataSplit,
  type Dataset,
  FASHION_MNIST_DIRECTORY,
  loadFashionMnist,
  loadMnist,
} from './bench/datasets.js';
export {
  type MemoryWriteBenchmarkOptions,
  type MemoryWriteBenchmarkResult,
  runMemoryWriteBenchmark,
  type WriteStreamCounts,
} from './bench/memory-write-benchmark.js';
export type {
  ConstraintSatisfaction,
  GaltContinualOptions,
} from './bench/methods/galt-continual.js';
export { METHOD_NAMES, type MethodName } from './bench/methods/method.js';
export {
  runStepCostBenchmark,
  type StepCostOptions,
  type StepCostResult,
} from './bench/step-cost-benchmark.js';
export {
  type ClassifierGraphWriterOptions,
  ClassifierMemoryWriter,
  type ClassifierMemoryWriterOptions,
} from './classifier/classifier-memory-writer.js';
export type { ClassifierModel, PassCounter } from './classifier/classifier-model.js';
export {
  hiddenActivationName,
  type InterfaceDrift,
  type InterfaceProbe,
  OnnxInterfaceProbe,
  type OnnxInterfaceProbeOptions,
} from './classifier/interface-probe.js';
export { ReferenceInterfaceProbe } from './classifier/interface-reference.js';
export {
  crossEntropy,
  type LogitFunction,
  marginRows,
  maskedCrossEntropy,
} from './classifier/logit-functions.js';
export type { MemoryWriter } from './classifier/memory-writer.js';
export { initMlpParameters, MlpReference, mlpParameterNames } from './classifier/mlp-reference.js';
export { OnnxClassifier, type OnnxClassifierOptions } from './classifier/onnx-classifier.js';
export {
  type ClassifierExample,
  type RetentionRow,
  type SafetyProbe,
  type WriteRequest,
  WriteRequestSchema,
} from './classifier/write-request.js';
export { solveDense } from './solve/dense-solve.js';
export {
  factorWoodbury,
  type LocalMatrix,
  type LocalSolution,
  type LocalSystem,
  solveWoodbury,
  type WoodburyFactor,
  type WoodburyOptions,
} from './solve/woodbury.js';
export { AdamOptimizer, type AdamOptions, type AdamState } from './train/adam-optimizer.js';
export {
  AdamTrainer,
  type AdamTrainerOptions,
  type TrainGraphOptions,
  type TrainGraphResult,
  train,
  trainGraph,
} from './train/adam-trainer.js';
export {
  type BlockSlice,
  type BlockSolution,
  type SweepOptions,
  solveBlockGaussSeidel,
} from './updater/block-gauss-seidel.js';
export { GaltUpdater, type StepInput, type StepReport } from './updater/galt-updater.js';
export {
  type BlockEdge,
  type GaltOptions,
  GaltOptionsSchema,
  type ParameterBlock,
  type ResolvedGaltOptions,
} from './updater/options.js';
export type { RowKind, RowValue } from './updater/row-state.js';
