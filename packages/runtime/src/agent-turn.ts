import { buildTurnTargets, errorMessage, type Logger, type ScreenTarget } from '@galt/core';
import type { AgentAction, SafetyVerdict, TaskProposal, WorldEvent } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import type { PendingEvent } from './event-log.js';
import type { GoalChange } from './goals/goal-tracker.js';
import type { MemoryRetriever, ScoredMemory } from './memory/retrieval.js';
import { type MemoryStepServices, runMemoryStep } from './memory-step.js';
import { eventSubjects } from './observation.js';
import { propose } from './proposal-check.js';
import type { SafetyChannel, SafetyContext, TaskPolicy } from './runtime-types.js';
import { failClosedVerdict } from './safety-verdicts.js';
import type { ToolRegistry } from './tools/tool-registry.js';

/** Services an agent's turn uses from the runtime. */
export interface TurnServices extends MemoryStepServices {
  tools: ToolRegistry;
  retriever: MemoryRetriever;
  logger: Logger;
  policyOf(agent: AgentState): TaskPolicy;
  safetyOf(agent: AgentState): SafetyChannel;
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
  events: PendingEvent[];
  errors: TurnOutcome['errors'];
}

/**
 * Runs the first half of an agent's turn after the batched model call: recall, proposal and
 * safety screen. Nothing here changes the world, so turns of many agents may screen concurrently.
 */
export async function screenAgentTurn(
  services: TurnServices,
  agent: AgentState,
  input: TurnInput,
): Promise<ScreenedTurn> {
  const events: PendingEvent[] = [];
  const errors: TurnOutcome['errors'] = [];
  const emit = eventEmitter(events, input.tick, agent.id);

  const memories = recall(services, agent, input, emit);
  const proposal = propose(services, agent, input, memories, errors);
  emit('proposal', { proposal });

  const screened = screen(services, agent, input, proposal);
  const verdict = screened instanceof Promise ? await screened : screened;
  emit('safety_verdict', { verdict });
  return { agent, tick: input.tick, proposal, verdict, events, errors };
}

/**
 * Runs the second half of a turn after its verdict: reply chunks, action, tools, goals and memory.
 * The runtime completes turns one at a time in agent order, so tool effects and ledger records
 * keep a deterministic order whatever order the verdicts arrived in. A rejected turn runs no tool.
 */
export async function completeAgentTurn(
  services: TurnServices,
  turn: ScreenedTurn,
): Promise<TurnOutcome> {
  const { agent, proposal, verdict, tick, events } = turn;
  const emit = eventEmitter(events, tick, agent.id);
  const rejected = verdict.blocked || verdict.firstBlockedChunk !== null;
  emitReply(proposal, verdict, rejected, emit);

  const action: AgentAction = rejected
    ? { agentId: agent.id, tick, kind: 'refuse', toolCalls: [] }
    : proposal.action;
  emit('action', { action });
  if (!rejected && action.toolCalls.length > 0) await runTools(services, agent, action, tick, emit);
  emitGoalChanges(agent.goals.recordAction(action), emit);

  if (proposal.memoryCandidates.length > 0) {
    const memory = await runMemoryStep(services, proposal.memoryCandidates, verdict, rejected);
    events.push(...memory.events);
    if (memory.changed) agent.memoryCache = null;
  }
  updateViolationLayer(services, agent, verdict);
  return { events, rejected, errors: turn.errors };
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

/**
 * Screens the turn. A channel that throws or rejects blocks the turn (fails closed). A channel that
 * returns its verdict synchronously is not awaited, which saves a microtask per agent.
 */
function screen(
  services: TurnServices,
  agent: AgentState,
  input: TurnInput,
  proposal: TaskProposal,
): SafetyVerdict | Promise<SafetyVerdict> {
  const { tick } = input;
  const targets: ScreenTarget[] = buildTurnTargets(agent.window, proposal);
  const context: SafetyContext = {
    agentId: agent.id,
    tick,
    declaration: agent.declaration,
    previousViolationLayer: agent.violationLayer,
    heads: input.heads,
  };
  const failClosed = (error: unknown): SafetyVerdict => {
    const message = errorMessage(error);
    services.logger.error('safety channel failed; turn blocked', {
      agentId: agent.id,
      tick,
      error: message,
    });
    return failClosedVerdict(agent.id, tick, targets, `safety channel failed: ${message}`);
  };
  const finish = (verdict: SafetyVerdict): SafetyVerdict => {
    agent.window.markScreened(verdict.screenedInputs);
    return verdict;
  };
  let result: SafetyVerdict | Promise<SafetyVerdict>;
  try {
    result = services.safetyOf(agent).screen({ agentId: agent.id, tick, targets, context });
  } catch (error) {
    return finish(failClosed(error));
  }
  if (result instanceof Promise)
    return result.then(finish, (error: unknown) => finish(failClosed(error)));
  return finish(result);
}

function emitReply(
  proposal: TaskProposal,
  verdict: SafetyVerdict,
  rejected: boolean,
  emit: Emit,
): void {
  const allowed = verdict.blocked ? 0 : (verdict.firstBlockedChunk ?? proposal.replyChunks.length);
  for (let index = 0; index < allowed; index += 1) {
    emit('reply_chunk', { index, text: proposal.replyChunks[index] ?? '' });
  }
  if (!rejected) return;
  const rules = verdict.layers.flatMap((layer) =>
    layer.status === 'violate' ? [layer.ruleId] : [],
  );
  emit('turn_rejected', {
    violationLayer: verdict.violationLayer,
    blocked: verdict.blocked,
    firstBlockedChunk: verdict.firstBlockedChunk,
    withheldChunks: proposal.replyChunks.length - allowed,
    rules,
  });
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
