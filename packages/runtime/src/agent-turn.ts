import type { Logger } from '@galt/core';
import type { AgentAction, SafetyVerdict, TaskProposal, WorldEvent } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import { type AdjudicationHeadNames, classifierProposal } from './classifier-proposal.js';
import type { PendingEvent } from './event-log.js';
import type { GoalChange } from './goals/goal-tracker.js';
import type { MemoryRetriever, ScoredMemory } from './memory/retrieval.js';
import { type MemoryStepResult, type MemoryStepServices, runMemoryStep } from './memory-step.js';
import { eventSubjects } from './observation.js';
import { propose } from './proposal-check.js';
import { withoutWithheldContent } from './proposal-redaction.js';
import type { SafetyChannel, TaskPolicy } from './runtime-types.js';
import type { ToolRegistry } from './tools/tool-registry.js';
import { emitReply } from './turn-rejection.js';
import { screenTurn, type TurnScreen } from './turn-screen.js';

/** Services an agent's turn uses from the runtime. */
export interface TurnServices extends MemoryStepServices {
  tools: ToolRegistry;
  retriever: MemoryRetriever;
  logger: Logger;
  /** Heads whose outputs are recorded as the classifier's proposal in adjudication records. */
  adjudicationHeads: AdjudicationHeadNames;
  policyOf(agent: AgentState): TaskPolicy;
  safetyOf(agent: AgentState): SafetyChannel;
  /** Milliseconds a safety channel may take per verdict before the turn is blocked. */
  safetyTimeoutMs: number;
}

/** One agent's input for a turn. */
export interface TurnInput {
  tick: number;
  observations: readonly WorldEvent[];
  observationText: string;
  heads: Readonly<Record<string, Float32Array>>;
}

/** Result of one turn: its events, whether it was rejected, and the problems it hit. */
export interface TurnOutcome {
  events: PendingEvent[];
  rejected: boolean;
  errors: { code: string; message: string }[];
}

/** A turn after its safety verdict, before anything with an effect has run. */
export interface ScreenedTurn {
  agent: AgentState;
  tick: number;
  proposal: TaskProposal;
  verdict: SafetyVerdict;
  /** Ids of the inputs removed from the turn window because they caused the block. */
  refusedInputs: string[];
  /** True when the verdict is known to match its schema (see `TurnScreen`). */
  verdictValidated: boolean;
  /** Appends an event of this agent and tick to `events`; made once per turn. */
  emit: Emit;
  /** The agent's logits per head, valid until the next model call. */
  heads: Readonly<Record<string, Float32Array>>;
  events: PendingEvent[];
  errors: TurnOutcome['errors'];
}

/**
 * Runs the first half of an agent's turn after the batched model call: recall, proposal and
 * safety screen. Nothing here changes the world, so turns of many agents may screen concurrently.
 * Returns a promise only when the safety channel returns one or the turn was blocked.
 */
export function screenAgentTurn(
  services: TurnServices,
  agent: AgentState,
  input: TurnInput,
): ScreenedTurn | Promise<ScreenedTurn> {
  const events: PendingEvent[] = [];
  const errors: TurnOutcome['errors'] = [];
  const emit = eventEmitter(events, input.tick, agent.id);

  const memories = recall(services, agent, input, emit);
  const proposal = propose(services, agent, input, memories, errors);

  const toTurn = ({ verdict, refusedInputs, verdictValidated }: TurnScreen): ScreenedTurn => {
    // The proposal is recorded only after its verdict, and without the chunks the verdict
    // withheld, so no subscriber ever reads text past a violating boundary.
    emit('proposal', { proposal: withoutWithheldContent(proposal, verdict) });
    emit('safety_verdict', { verdict });
    const { tick, heads } = input;
    return {
      agent,
      tick,
      proposal,
      verdict,
      refusedInputs,
      verdictValidated,
      emit,
      heads,
      events,
      errors,
    };
  };
  const screened = screenTurn(services, agent, input, proposal);
  return screened instanceof Promise ? screened.then(toTurn) : toTurn(screened);
}

/**
 * Runs the second half of a turn after its verdict: reply chunks, action, tools, goals and memory.
 * The runtime completes turns one at a time in agent order, so tool effects and ledger records
 * keep a deterministic order whatever order the verdicts arrived in. A rejected turn runs no tool.
 * Returns a promise only when a tool runs or the parametric memory writer is called.
 */
export function completeAgentTurn(
  services: TurnServices,
  turn: ScreenedTurn,
): TurnOutcome | Promise<TurnOutcome> {
  const { agent, proposal, verdict, tick, emit } = turn;
  const rejected = verdict.blocked || verdict.firstBlockedChunk !== null;
  const reply = { agentId: agent.id, tick, proposal, verdict, refusedInputs: turn.refusedInputs };
  emitReply(reply, rejected, services.store, emit);

  const action: AgentAction = rejected
    ? { agentId: agent.id, tick, kind: 'refuse', toolCalls: [] }
    : proposal.action;
  emit('action', { action });
  if (!rejected && action.toolCalls.length > 0) {
    return runTools(services, agent, action, tick, emit).then(() =>
      finishTurn(services, turn, action, rejected),
    );
  }
  return finishTurn(services, turn, action, rejected);
}

/** Records the action with the goals, then runs the memory step and updates the violation layer. */
function finishTurn(
  services: TurnServices,
  turn: ScreenedTurn,
  action: AgentAction,
  rejected: boolean,
): TurnOutcome | Promise<TurnOutcome> {
  const { agent, proposal, verdict, events, emit } = turn;
  emitGoalChanges(agent.goals.recordAction(action), emit);
  const outcome: TurnOutcome = { events, rejected, errors: turn.errors };
  if (proposal.memoryCandidates.length === 0) {
    updateViolationLayer(services, agent, verdict);
    return outcome;
  }

  const proposed = classifierProposal(turn.heads, services.adjudicationHeads);
  const memoryTurn = { turnRejected: rejected, proposed, verdictValidated: turn.verdictValidated };
  const applyMemory = (memory: MemoryStepResult): TurnOutcome => {
    for (const event of memory.events) events.push(event);
    if (memory.changed) agent.memoryCache = null;
    updateViolationLayer(services, agent, verdict);
    return outcome;
  };
  const memory = runMemoryStep(services, proposal.memoryCandidates, verdict, memoryTurn);
  return memory instanceof Promise ? memory.then(applyMemory) : applyMemory(memory);
}

type Emit = (kind: PendingEvent['kind'], payload: Record<string, unknown>) => void;

function eventEmitter(events: PendingEvent[], tick: number, agentId: string): Emit {
  return (kind, payload) => {
    events.push({ tick, agentId, kind, payload });
  };
}

/**
 * Recalls memories for the turn and emits `memory_recalled`. NOTE: the access rule uses the
 * violation layer of the agent's previous turn, because this turn is screened after recall.
 */
function recall(
  services: TurnServices,
  agent: AgentState,
  input: TurnInput,
  emit: Emit,
): ScoredMemory[] {
  const limit = agent.declaration.memory.recallLimit;
  if (services.store === undefined || limit === 0) return [];
  agent.memoryCache ??= services.store.memory.active(agent.id);
  if (agent.memoryCache.length === 0) return [];
  const subjects = new Set<string>([agent.id]);
  for (const observation of input.observations)
    for (const subject of eventSubjects(observation)) subjects.add(subject);
  const result = services.retriever.retrieve(agent.memoryCache, {
    subjects: [...subjects],
    text: input.observationText,
    tick: input.tick,
    violationLayer: agent.violationLayer,
    limit,
  });
  if (result.recalled.length > 0) {
    emit('memory_recalled', {
      memories: result.recalled.map((item) => ({
        memoryId: item.record.memoryId,
        subject: item.record.subject,
        attribute: item.record.attribute,
        score: item.score,
      })),
      quarantined: result.quarantined,
    });
  }
  return result.recalled;
}

async function runTools(
  services: TurnServices,
  agent: AgentState,
  action: AgentAction,
  tick: number,
  emit: Emit,
): Promise<void> {
  for (const call of action.toolCalls) {
    const sideEffect = call.sideEffect || (services.tools.get(call.tool)?.sideEffect ?? false);
    emit('tool_call', { call: { ...call, sideEffect } });
    if (!agent.declaration.tools.includes(call.tool)) {
      const message = `agent '${agent.id}' is not declared with tool '${call.tool}'; add it to the agent's tools`;
      emit('tool_result', {
        result: {
          ok: false,
          callId: call.callId,
          tool: call.tool,
          error: { code: 'unknown_tool', message },
        },
      });
      continue;
    }
    emit('tool_result', { result: await services.tools.execute(call, tick) });
  }
}

/** Turns goal changes into `goal_changed` and `approval_requested` events. */
export function emitGoalChanges(changes: readonly GoalChange[], emit: Emit): void {
  for (const change of changes) {
    const { type, ...payload } = change;
    emit(type, payload);
  }
}

function updateViolationLayer(
  services: TurnServices,
  agent: AgentState,
  verdict: SafetyVerdict,
): void {
  if (verdict.violationLayer === agent.violationLayer) return;
  agent.violationLayer = verdict.violationLayer;
  if (services.store === undefined) return;
  const result = services.store.memory.applyAccessRule(
    agent.id,
    verdict.violationLayer,
    verdict.tick,
  );
  if (result.quarantined.length > 0 || result.released.length > 0) agent.memoryCache = null;
}
