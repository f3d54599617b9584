import type {
  AgentActionKind,
  MemoryCandidateInput,
  TaskProposalSchema,
  WorldEvent,
} from '@galt/protocol';
import type { PolicyInput } from '@galt/runtime';
import type { z } from 'zod';

type ProposalInput = z.input<typeof TaskProposalSchema>;

/** A tool call as a policy writes it; ids, agent and side-effect flag are filled in. */
export interface PlannedCall {
  tool: 'give_item' | 'open_gate' | 'trade' | 'speak';
  arguments: Record<string, unknown>;
}

/** A role policy's decision, before it is shaped into a proposal. */
export interface PlannedTurn {
  kind: AgentActionKind;
  targetId?: string;
  utterance?: string;
  calls?: PlannedCall[];
  candidates?: Omit<MemoryCandidateInput, 'agentId' | 'tick'>[];
}

const SIDE_EFFECT_TOOLS = new Set(['give_item', 'open_gate', 'trade', 'speak']);
const SENTENCE_END = /(?<=[.!?])\s+/;

/** Shapes a planned turn into the runtime's task proposal. */
export function buildProposal(input: PolicyInput, plan: PlannedTurn): ProposalInput {
  const { agentId, tick } = input;
  const toolCalls = (plan.calls ?? []).map((call, index) => ({
    callId: `${agentId}:${tick}:${index}`,
    agentId,
    tool: call.tool,
    arguments: call.arguments,
    sideEffect: SIDE_EFFECT_TOOLS.has(call.tool),
  }));
  const action: ProposalInput['action'] = { agentId, tick, kind: plan.kind, toolCalls };
  if (plan.targetId !== undefined) action.targetId = plan.targetId;
  if (plan.utterance !== undefined) action.utterance = plan.utterance;
  if (input.declaration.zone !== undefined) action.zone = input.declaration.zone;
  return {
    agentId,
    tick,
    action,
    replyChunks: plan.utterance === undefined ? [] : plan.utterance.split(SENTENCE_END),
    memoryCandidates: (plan.candidates ?? []).map((candidate) => ({ ...candidate, agentId, tick })),
  };
}

/** Returns a speak call that sends `text` to `toId`. */
export function speak(text: string, toId: string): PlannedCall {
  return { tool: 'speak', arguments: { text, toId } };
}

/** Returns the first player utterance or action addressed to the agent this tick, if any. */
export function addressedEvent(input: PolicyInput) {
  return input.observations.find(
    (event): event is Extract<WorldEvent, { kind: 'player_utterance' | 'player_action' }> =>
      (event.kind === 'player_utterance' || event.kind === 'player_action') &&
      event.agentId === input.agentId,
  );
}

/** Recalled memories about one subject, best first. */
export function memoriesAbout(input: PolicyInput, subject: string) {
  return input.memories.filter((memory) => memory.record.subject === subject);
}
