export {
  type AccessDecision,
  type AccessGate,
  decideAccess,
  filterAccessible,
  globalFlushGate,
  sameLayerOnlyGate,
} from './access-rule.js';
export {
  type AdjudicationOptions,
  adjudicateCandidate,
  adjudicateValidated,
  CONSENT_RULE_ID,
  type ProposedAdjudication,
  SELF_ORIGINATED_RULE_ID,
} from './adjudication.js';
export { type CoreBenchOptions, type CoreBenchRow, runCoreBenchmark } from './bench/core-bench.js';
export { canonicalJson, sha256Hex } from './canonical-json.js';
export { errorMessage, GaltError, type GaltErrorOptions, isGaltError } from './errors.js';
export {
  createMemoryLogger,
  type LogEntry,
  type Logger,
  type LogLevel,
  type MemoryLogger,
  noopLogger,
} from './logger.js';
export {
  type FeatureSlots,
  fnv1a32,
  hashedNgramFeatures,
  hashedNgramSlots,
  tokenizeText,
} from './ngram-features.js';
export {
  type DebtResolution,
  type DebtResolver,
  type ReadjudicationReport,
  ResidualDebtBook,
  type ResidualDebtBookOptions,
  type ResidualDebtBookState,
  ResidualDebtBookStateSchema,
  residualDebtFromRecord,
} from './residual-debt-book.js';
export {
  ambiguous,
  PASS,
  type RuleOutcome,
  type SafetyRule,
  type ScreenTarget,
  type ScreenTargetKind,
  violate,
} from './safety-rule.js';
export {
  SafetyStack,
  type SafetyStackOptions,
  type ScreenFinding,
  type ScreenRequest,
  type ScreenResult,
} from './safety-stack.js';
export { type RandomState, RandomStateSchema, SeededRandom } from './seeded-random.js';
export { TickClock, type TickClockState, TickClockStateSchema } from './tick-clock.js';
export {
  buildTurnTargets,
  chunkScreenTexts,
  chunkTargetId,
  endsSentence,
  PROPOSAL_TARGET_ID,
  screenTurn,
  type TurnScreenRequest,
  WINDOW_TARGET_ID,
} from './turn-screening.js';
export {
  type TurnInput,
  TurnWindow,
  type TurnWindowState,
  TurnWindowStateSchema,
} from './turn-window.js';
