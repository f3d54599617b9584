import type { Logger, ScreenRequest, ScreenResult, SeededRandom, TickClock } from '@galt/core';
import type {
  MemoryCandidate,
  MemoryRecord,
  ParametricWriteRecord,
  SafetyVerdict,
  TaskProposalSchema,
  ViolationLayer,
  WorldEvent,
} from '@galt/protocol';
import type { GaltStore } from '@galt/store';
import type { z } from 'zod';
import type { AdjudicationHeadNames } from './classifier-proposal.js';
import type { AgentDeclaration } from './declaration.js';
import type { ActiveGoal } from './goals/goal-tracker.js';
import type { MemoryRetrieverOptions, ScoredMemory } from './memory/retrieval.js';
import type { DecisionModel } from './model/decision-model.js';

/** Input of a task policy for one agent on one tick. */
export interface PolicyInput {
  agentId: string;
  tick: number;
  declaration: AgentDeclaration;
  /** World events delivered to the agent this tick, oldest first. */
  observations: readonly WorldEvent[];
  /** Text the agent's features were built from. */
  observationText: string;
  /** The agent's logits per model head (views into the batch output; copy before keeping). */
  heads: Readonly<Record<string, Float32Array>>;
  /**
   * Texts of the agent's turn window, oldest first, including this tick's inputs. Inputs refused
   * because they caused a block are absent. Computed when read, so read it during the call.
   */
  readonly conversation: readonly string[];
  /** Memories recalled for this decision, best first. */
  memories: readonly ScoredMemory[];
  /** Active goals, highest priority first, with their current plan steps. */
  goals: readonly ActiveGoal[];
  /** The agent's own seeded random stream; the only randomness a policy may use. */
  random: SeededRandom;
}

/** The task channel: proposes an action, reply chunks, tool calls and memory candidates. */
export type TaskPolicy = (input: PolicyInput) => z.input<typeof TaskProposalSchema>;

/** Context passed to safety rules for one agent's turn. */
export interface SafetyContext {
  agentId: string;
  tick: number;
  declaration: AgentDeclaration;
  /** Violation layer left by the agent's previous turn. */
  previousViolationLayer: ViolationLayer;
  /**
   * The agent's logits per model head this tick, which rules of a model-backed safety channel
   * read. A streamed reply runs outside a tick, so it passes no heads.
   */
  heads: Readonly<Record<string, Float32Array>>;
}

/**
 * Safety channel of the runtime. Core's `SafetyStack` satisfies it. A channel may also return
 * its verdict asynchronously (a remote classifier), and nothing with a side effect runs before it.
 */
export interface SafetyChannel {
  screen(request: ScreenRequest<SafetyContext>): SafetyVerdict | Promise<SafetyVerdict>;
  /**
   * Screens like `screen` and returns every finding too. When present, the runtime uses it, so a
   * blocked turn finds every refused input from one screen plus at most one window recheck.
   */
  screenWithFindings?(request: ScreenRequest<SafetyContext>): ScreenResult | Promise<ScreenResult>;
}

/** Request for a constrained parametric memory write of one agent's admitted candidates. */
export interface ParametricWriteRequest {
  agentId: string;
  tick: number;
  admitted: readonly MemoryCandidate[];
  /** The memory records the admissions created or updated. */
  records: readonly MemoryRecord[];
}

/** Writes admitted memories into model parameters (learn's memory writer behind an adapter). */
export interface ParametricMemoryWriter {
  write(request: ParametricWriteRequest): Promise<ParametricWriteRecord>;
}

/** The store surface the runtime uses; `openStore` from @galt/store returns one. */
export type RuntimeStore = Pick<
  GaltStore,
  'startRun' | 'getRun' | 'appendEvents' | 'readEvents' | 'headSeq' | 'ledger' | 'memory'
>;

/** Options of `createRuntime`. */
export interface RuntimeOptions {
  runId: string;
  /** Seed of every agent's random stream. */
  seed: number;
  model: DecisionModel;
  /** Safety channel; defaults to an empty core `SafetyStack`, which passes everything. */
  safety?: SafetyChannel;
  /**
   * Store for events, the ledger and memory. Without one, events are numbered in memory and
   * memory candidates are adjudicated but never written.
   */
  store?: RuntimeStore;
  logger?: Logger;
  clock?: TickClock;
  memoryWriter?: ParametricMemoryWriter;
  /** Records every model call's outputs in the event stream, so `replayRun` can reproduce it. */
  recordModelOutputs?: boolean;
  /** Inputs kept in each agent's turn window for the safety screen. */
  turnWindowSize?: number;
  /**
   * Milliseconds an asynchronous safety channel may take per verdict, default
   * `DEFAULT_SAFETY_TIMEOUT_MS` (10,000). A turn whose verdict comes later is blocked and logged,
   * so a channel that never returns a verdict cannot stall the world. A timeout depends on wall-clock time,
   * so a run that hits one does not replay exactly.
   */
  safetyTimeoutMs?: number;
  /**
   * Without a store: the newest events kept in memory for `worldFeed().readEvents`, default
   * `DEFAULT_MEMORY_LOG_RETENTION`. 0 keeps none, for runs that only subscribe to `events$`.
   * Ignored with a store, which keeps every event.
   */
  eventRetention?: number;
  retrieval?: MemoryRetrieverOptions;
  /**
   * Model heads recorded as the classifier's proposal in each adjudication record; defaults to
   * `DEFAULT_ADJUDICATION_HEADS`. A head the model lacks is ignored.
   */
  adjudicationHeads?: Partial<AdjudicationHeadNames>;
  /** Free-form settings stored with the run. */
  config?: Record<string, unknown>;
}

/** Summary of one tick. */
export interface TickReport {
  tick: number;
  /** Agents that decided this tick (the model batch size). */
  decisions: number;
  /** Sequence numbers of the first and last event this tick appended, or null when none. */
  firstSeq: number | null;
  lastSeq: number | null;
  /** Agents whose turn was rejected (blocked proposal or withheld reply). */
  rejected: string[];
  /** Problems that did not stop the tick: model or tool failures, invalid proposals. */
  errors: { agentId: string | null; code: string; message: string }[];
}
