export {
  runVillageBenchmark,
  type VillageBenchmarkOptions,
  type VillageBenchmarkRow,
} from './bench/village-bench.js';
export { decideMemory, type MemoryDecision } from './channels/memory-channel.js';
export {
  type ParametricStats,
  VillageMemoryWriter,
  type VillageMemoryWriterOptions,
} from './channels/parametric-writer.js';
export type { LabelledText } from './channels/probe-rows.js';
export { DEFAULT_DATA_DIR, findRepositoryRoot, resolveDataDir } from './curriculum/data-dir.js';
export { formatLoadIssue, type LoadIssue } from './curriculum/jsonl.js';
export {
  type Curriculum,
  type CurriculumMemoryRow,
  loadCurriculum,
  loadCurriculumFile,
} from './curriculum/load-curriculum.js';
export { loadContrastPackets, type PacketSet } from './curriculum/load-packets.js';
export { loadProbes, type ProbeSet } from './curriculum/load-probes.js';
export * from './curriculum/schemas.js';
export type { AccessPair, GateScore, GridText } from './evaluation/access-grid.js';
export {
  type AccessEvaluation,
  type EvaluateAccessOptions,
  evaluateAccess,
  type HeadScore,
} from './evaluation/evaluate-access.js';
export {
  type EvaluateGateOptions,
  evaluateGate,
  type GateEvaluation,
} from './evaluation/evaluate-gate.js';
export {
  defaultManifestPath,
  type ModelSource,
  openManifestedModel,
  openShippedDecisionModel,
} from './evaluation/shipped-model.js';
export { CLASS_HEADS, FEATURES_INPUT, GATE_OUTPUT, logitsName } from './model/heads.js';
export { maskDomainNames } from './model/mask-domain.js';
export { MODEL_NAME } from './model/model-manifest.js';
export {
  defaultModelDir,
  TRAINING_DEFAULTS,
  type TrainTypedChannelOptions,
  type TrainTypedChannelResult,
  trainTypedChannelModel,
} from './model/train-typed-channel.js';
export {
  buildTypedChannelGraph,
  HIDDEN_OUTPUT,
  type TypedChannelShape,
} from './model/typed-channel-graph.js';
export { type ChannelPrediction, TypedChannelModel } from './model/typed-channel-model.js';
export { VillageDecisionModel } from './model/village-decision-model.js';
export { createRolePolicies, type PolicyStats } from './npc/role-policies.js';
export { type PlayerScriptData, ScriptedPlayers } from './players/scripted-players.js';
export { createLanguageBoundary, type LanguageBoundary } from './rules/language-boundary.js';
export type { VillageRuleContext } from './rules/rule-context.js';
export { createVillageSafetyStack } from './rules/village-rules.js';
export {
  openVillage,
  type VillageSession,
  type VillageSessionState,
  VillageSessionStateSchema,
} from './run/open-village.js';
export { runVillage, type VillageRun } from './run/run-village.js';
export {
  DEFAULT_PLAYERS,
  DEFAULT_VILLAGE_SPLIT,
  type VillageOptions,
} from './run/village-options.js';
export type { VillageSummary } from './run/village-summary.js';
export { createVillageTools } from './tools/village-tools.js';
export * from './world/roster.js';
export { VillageWorld, type VillageWorldState } from './world/village-world.js';
