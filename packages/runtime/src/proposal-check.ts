import { errorMessage } from '@galt/core';
import {
  type AgentAction,
  formatIssues,
  parseWith,
  type TaskProposal,
  TaskProposalSchema,
} from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import type { TurnInput, TurnOutcome, TurnServices } from './agent-turn.js';
import { isJsonValue } from './json-value.js';
import type { ScoredMemory } from './memory/retrieval.js';
import { copyPlainProposal } from './proposal-shape.js';
import type { PolicyInput } from './runtime-types.js';

/**
 * Policy input of one turn. It is a class rather than an object literal, so the `conversation`
 * getter is on the prototype and a turn allocates one small object of a fixed shape.
 * NOTE: spreading the input (`{ ...input }`) drops `conversation`, so a wrapping policy must pass
 * the original object on.
 */
class TurnPolicyInput implements PolicyInput {
  readonly agentId: string;
  readonly tick: number;
  readonly declaration: PolicyInput['declaration'];
  readonly observations: PolicyInput['observations'];
  readonly observationText: string;
  readonly heads: PolicyInput['heads'];
  readonly memories: readonly ScoredMemory[];
  readonly goals: PolicyInput['goals'];
  readonly random: PolicyInput['random'];
  readonly #agent: AgentState;

  constructor(agent: AgentState, input: TurnInput, memories: readonly ScoredMemory[]) {
    this.agentId = agent.id;
    this.tick = input.tick;
    this.declaration = agent.declaration;
    this.observations = input.observations;
    this.observationText = input.observationText;
    this.heads = input.heads;
    this.memories = memories;
    this.goals = agent.goals.active();
    this.random = agent.random;
    this.#agent = agent;
  }

  get conversation(): readonly string[] {
    return this.#agent.window.inputs().map((entry) => entry.text);
  }
}

/**
 * Calls the policy and validates its proposal; a failure becomes an idle proposal and an error.
 * Proposals of the common plain form skip the zod parse (see `copyPlainProposal`).
 */
export function propose(
  services: TurnServices,
  agent: AgentState,
  input: TurnInput,
  memories: readonly ScoredMemory[],
  errors: TurnOutcome['errors'],
): TaskProposal {
  let raw: unknown;
  try {
    raw = services.policyOf(agent)(new TurnPolicyInput(agent, input, memories));
  } catch (error) {
    return idleAfterError(
      services,
      agent,
      input.tick,
      errors,
      'internal',
      `policy '${agent.declaration.policy}' threw: ${errorMessage(error)}`,
    );
  }
  const plain = copyPlainProposal(raw);
  const parsed =
    plain === null ? parseWith(TaskProposalSchema, raw) : { ok: true as const, value: plain };
  if (!parsed.ok) {
    return idleAfterError(
      services,
      agent,
      input.tick,
      errors,
      'invalid_input',
      `policy '${agent.declaration.policy}' returned an invalid proposal: ${formatIssues(parsed.issues)}`,
    );
  }
  const problem = proposalProblem(parsed.value, agent.id, input.tick);
  if (problem !== null)
    return idleAfterError(services, agent, input.tick, errors, 'invalid_input', problem);
  return parsed.value;
}

function proposalProblem(proposal: TaskProposal, agentId: string, tick: number): string | null {
  if (proposal.agentId !== agentId || proposal.action.agentId !== agentId) {
    return `proposal names agent '${proposal.agentId}', but it was made for '${agentId}'`;
  }
  if (proposal.tick !== tick || proposal.action.tick !== tick)
    return `proposal is for tick ${proposal.tick}; expected ${tick}`;
  // Plain loops: this runs for every decision, and callbacks would allocate closures.
  for (const candidate of proposal.memoryCandidates) {
    if (candidate.agentId !== agentId)
      return `a memory candidate names another agent than '${agentId}'`;
  }
  for (const call of proposal.action.toolCalls) {
    if (call.agentId !== agentId || !isJsonValue(call.arguments))
      return 'a tool call names another agent or has arguments that are not plain JSON';
  }
  for (const candidate of proposal.memoryCandidates) {
    if (!isJsonValue(candidate.context ?? null))
      return 'a memory candidate has a context that is not plain JSON';
  }
  return null;
}

function idleAfterError(
  services: TurnServices,
  agent: AgentState,
  tick: number,
  errors: TurnOutcome['errors'],
  code: string,
  message: string,
): TaskProposal {
  services.logger.warn('task proposal replaced by idle', {
    agentId: agent.id,
    tick,
    code,
    message,
  });
  errors.push({ code, message });
  const action: AgentAction = { agentId: agent.id, tick, kind: 'idle', toolCalls: [] };
  return { agentId: agent.id, tick, action, replyChunks: [], memoryCandidates: [] };
}
