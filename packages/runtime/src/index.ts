export type { AgentView } from './agent-view.js';
export {
  type RuntimeBenchOptions,
  type RuntimeBenchRow,
  runRuntimeBenchmark,
} from './bench/runtime-bench.js';
export {
  argmax,
  argmaxAccuracy,
  type CausalProbeOptions,
  type CausalProbeRow,
  type ProbedChannel,
  runCausalProbes,
} from './causal-probes.js';
export {
  type AdjudicationHeadNames,
  classifierProposal,
  DEFAULT_ADJUDICATION_HEADS,
} from './classifier-proposal.js';
export {
  type AgentDeclaration,
  type AgentDeclarationInput,
  AgentDeclarationSchema,
  CHANNEL_NAMES,
  type ChannelBacking,
  ChannelBackingSchema,
  type ChannelDeclaration,
  ChannelDeclarationSchema,
  type ChannelName,
  DEFAULT_RECALL_LIMIT,
  parseAgentDeclaration,
} from './declaration.js';
export type { PendingEvent } from './event-log.js';
export { DEFAULT_MEMORY_LOG_RETENTION } from './event-log.js';
export {
  type Condition,
  ConditionSchema,
  type Goal,
  type GoalInput,
  GoalSchema,
  type PlanStep,
  PlanStepSchema,
} from './goals/goal-schema.js';
export {
  type ActiveGoal,
  type GoalChange,
  type GoalState,
  type GoalStatus,
  GoalTracker,
  type GoalTrackerSnapshot,
} from './goals/goal-tracker.js';
export {
  adaptClassifierWriter,
  type ClassifierWriteRequest,
  type ClassifierWriter,
  type ClassifierWriterAdapterOptions,
  type ConstraintExample,
  type LabelledExample,
} from './memory/classifier-writer-adapter.js';
export {
  DEFAULT_RETRIEVAL_WEIGHTS,
  MemoryRetriever,
  type MemoryRetrieverOptions,
  type RetrievalQuery,
  type RetrievalResult,
  type RetrievalWeights,
  type ScoredMemory,
} from './memory/retrieval.js';
export {
  checkHeadOutputs,
  type DecisionModel,
  type HeadOutputs,
  headRow,
  type SparseFeatureRows,
} from './model/decision-model.js';
export { LinearDecisionModel } from './model/linear-decision-model.js';
export {
  buildLinearDecisionGraph,
  DECISION_INPUT_NAME,
  encodeRandomLinearDecisionModel,
  type GraphRunner,
  OnnxDecisionModel,
  type OnnxDecisionModelOptions,
} from './model/onnx-decision-model.js';
export { decodeOutputs, type EncodedOutputs, encodeOutputs } from './model/recorded-outputs.js';
export { type RecordedCall, ReplayingDecisionModel } from './model/replaying-decision-model.js';
export { forAgent } from './operators/for-agent.js';
export {
  type ChunkScreen,
  holdBackAtViolation,
  type ScreenedChunk,
} from './operators/hold-back-at-violation.js';
export { inSequenceOrder } from './operators/in-sequence-order.js';
export { releaseAfterVerdict } from './operators/release-after-verdict.js';
export { type ChunkGroup, sentenceGroups } from './operators/sentence-groups.js';
export { eventDigest } from './replay/event-digest.js';
export {
  type ReplayMismatch,
  type ReplayOptions,
  type ReplayResult,
  replayRun,
} from './replay/replay-run.js';
export { createRuntime, Runtime } from './runtime.js';
export { DEFAULT_TURN_WINDOW_SIZE } from './runtime-options.js';
export { type RuntimeSnapshot, RuntimeSnapshotSchema } from './runtime-snapshot.js';
export type {
  ParametricMemoryWriter,
  ParametricWriteRequest,
  PolicyInput,
  RuntimeOptions,
  RuntimeStore,
  SafetyChannel,
  SafetyContext,
  TaskPolicy,
  TickReport,
} from './runtime-types.js';
export { DEFAULT_SAFETY_TIMEOUT_MS } from './safety-timeout.js';
export { SAFETY_CHANNEL_FAILED_RULE_ID } from './safety-verdicts.js';
export {
  defineTool,
  type ToolContext,
  type ToolDefinition,
  ToolRegistry,
} from './tools/tool-registry.js';
export type {
  FeedControlCommand,
  FeedControlResult,
  FeedSnapshot,
  RuntimeWorldFeed,
} from './world-feed.js';
