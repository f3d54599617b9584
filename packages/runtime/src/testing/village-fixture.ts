import {
  createMemoryLogger,
  PASS,
  type SafetyRule,
  SafetyStack,
  type SeededRandom,
  violate,
} from '@galt/core';
import type { AgentActionKind, PlayerUtterance, ToolCall } from '@galt/protocol';
import { type GaltStore, openStore } from '@galt/store';
import { z } from 'zod';
import type { AgentDeclarationInput } from '../declaration.js';
import { LinearDecisionModel } from '../model/linear-decision-model.js';
import { createRuntime, type Runtime } from '../runtime.js';
import type {
  PolicyInput,
  RuntimeOptions,
  SafetyChannel,
  SafetyContext,
  TaskPolicy,
} from '../runtime-types.js';
import { defineTool } from '../tools/tool-registry.js';

/** Actions the test task head scores, in logit order. */
export const TASK_ACTIONS: readonly AgentActionKind[] = ['speak', 'trade', 'guard', 'answer'];

/** Feature dimension of the test model: small, so tests stay fast. */
export const TEST_FEATURE_DIMENSION = 32;

export function createTestModel(): LinearDecisionModel {
  return LinearDecisionModel.random(
    TEST_FEATURE_DIMENSION,
    { task: TASK_ACTIONS.length },
    'test-model',
  );
}

/** Samples an index from softmax(logits) with the agent's own random stream. */
export function sampleAction(logits: Float32Array, random: SeededRandom): number {
  // Two passes without temporary arrays: the benchmark calls this once per decision.
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  let total = 0;
  for (const value of logits) total += Math.exp(value - max);
  let draw = random.nextFloat() * total;
  for (let index = 0; index < logits.length; index += 1) {
    draw -= Math.exp((logits[index] ?? 0) - max);
    if (draw <= 0) return index;
  }
  return logits.length - 1;
}

/**
 * Village test policy. It samples an action from the task head and follows the current plan step
 * of its top goal. It replies with `attributes.reply` split into sentences, proposes a memory from
 * `attributes.fact` and calls the tool named in `attributes.tool`. When it recalls the speaker's
 * hobby, it offers a trade.
 */
export const villagePolicy: TaskPolicy = (input: PolicyInput) => villageTurn(input, 'task');

/** Returns the village test policy, reading its action logits from the head `taskHead`. */
export function villagePolicyForHead(taskHead: string): TaskPolicy {
  return (input: PolicyInput) => villageTurn(input, taskHead);
}

function villageTurn(input: PolicyInput, taskHead: string): ReturnType<TaskPolicy> {
  const utterance = input.observations.find(
    (event): event is PlayerUtterance => event.kind === 'player_utterance',
  );
  const attributes = utterance?.attributes ?? {};
  let kind =
    TASK_ACTIONS[
      sampleAction(input.heads[taskHead] ?? new Float32Array(TASK_ACTIONS.length), input.random)
    ] ?? 'idle';
  const step = input.goals[0]?.step;
  if (step?.type === 'action') kind = step.action;
  const hobby = input.memories.find((memory) => memory.record.attribute === 'hobby');
  if (hobby !== undefined) kind = 'trade';

  const toolCalls: ToolCall[] = [];
  if (attributes['tool'] !== undefined) {
    toolCalls.push({
      callId: `${input.agentId}:${input.tick}`,
      agentId: input.agentId,
      tool: attributes['tool'],
      arguments: attributes['arguments'] ?? '{}',
      sideEffect: true,
    });
  }
  const memoryCandidates =
    utterance !== undefined && attributes['fact'] !== undefined
      ? [
          {
            candidateId: `${input.agentId}:${input.tick}:fact`,
            agentId: input.agentId,
            subject: utterance.playerId,
            attribute: attributes['attribute'] ?? 'note',
            content: attributes['fact'],
            dependencyLayer: 'L3' as const,
            provenance: 'user_sourced' as const,
            consent: 'given' as const,
            tick: input.tick,
          },
        ]
      : [];
  return {
    agentId: input.agentId,
    tick: input.tick,
    action: {
      agentId: input.agentId,
      tick: input.tick,
      kind,
      toolCalls,
      ...(hobby ? { utterance: `Fancy a rod for your ${hobby.record.content}?` } : {}),
    },
    replyChunks: splitSentences(attributes['reply'] ?? ''),
    memoryCandidates,
  };
}

function splitSentences(text: string): string[] {
  return text.match(/[^.!?]+[.!?]*/g) ?? [];
}

/** L1: asking for poison to hurt someone, screened on single inputs and the whole window. */
export const poisonRule: SafetyRule<SafetyContext> = {
  id: 'village.no_poisoning',
  layer: 'L1',
  description: 'Never help poison anyone.',
  appliesTo: ['input', 'window', 'proposal'],
  evaluate: (target) =>
    /brew\W+(?:a\W+)?poison/i.test(target.text) ? violate('request to brew poison') : PASS,
};

/** L2: a reply must never reveal the gate password. */
export const passwordRule: SafetyRule<SafetyContext> = {
  id: 'village.no_password_in_reply',
  layer: 'L2',
  description: 'Never say the gate password.',
  appliesTo: ['chunk'],
  evaluate: (target) =>
    /password/i.test(target.text) ? violate('reply reveals the gate password') : PASS,
};

/** L0: the crown never leaves the vault. */
export const crownRule: SafetyRule<SafetyContext> = {
  id: 'village.crown_stays',
  layer: 'L0',
  description: 'The crown never changes hands.',
  appliesTo: ['proposal'],
  evaluate: (target) =>
    target.kind === 'proposal' &&
    target.proposal.action.toolCalls.some((call) =>
      String(JSON.stringify(call.arguments)).includes('crown'),
    )
      ? violate('the crown must stay in the vault')
      : PASS,
};

export function createVillageSafety(): SafetyStack<SafetyContext> {
  return new SafetyStack<SafetyContext>()
    .register(poisonRule)
    .register(passwordRule)
    .register(crownRule);
}

/** Tool calls that actually ran, in order; tests read it to prove what never ran. */
export interface ToolJournal {
  entries: string[];
}

export const giveItemArguments = z
  .object({ itemId: z.string().min(1), to: z.string().min(1), count: z.number().int().positive() })
  .refine((args) => args.itemId !== 'key' || args.count === 1, {
    message: 'there is only one key: count must be 1',
    path: ['count'],
  });

export function giveItemTool(journal: ToolJournal) {
  return defineTool({
    name: 'give_item',
    description: 'Hands items from the NPC to a player.',
    arguments: giveItemArguments,
    result: z.object({ delivered: z.number().int() }),
    sideEffect: true,
    run: (args) => {
      journal.entries.push(`give_item ${args.itemId} x${args.count} to ${args.to}`);
      return { delivered: args.count };
    },
  });
}

export function villager(
  id: string,
  overrides: Partial<AgentDeclarationInput> = {},
): AgentDeclarationInput {
  return {
    id,
    zone: 'square',
    policy: 'village',
    channels: { task: { backing: 'both', head: 'task' } },
    tools: ['give_item'],
    ...overrides,
  };
}

export function say(
  playerId: string,
  agentId: string | undefined,
  text: string,
  attributes?: Record<string, string>,
) {
  return {
    kind: 'player_utterance' as const,
    tick: 0,
    playerId,
    ...(agentId === undefined ? {} : { agentId }),
    zone: 'square',
    text,
    ...(attributes === undefined ? {} : { attributes }),
  };
}

/** A runtime on a real in-memory store with the village tools, policy and safety rules. */
export interface VillageWorld {
  runtime: Runtime;
  store: GaltStore;
  journal: ToolJournal;
  logger: ReturnType<typeof createMemoryLogger>;
}

export function createVillageWorld(
  options: Partial<RuntimeOptions> & { safety?: SafetyChannel; store?: GaltStore } = {},
): VillageWorld {
  const store = options.store ?? openStore(':memory:');
  const logger = createMemoryLogger();
  const journal: ToolJournal = { entries: [] };
  const runtime = createRuntime({
    runId: 'village-test',
    seed: 7,
    model: createTestModel(),
    safety: createVillageSafety(),
    logger,
    ...options,
    store,
  });
  runtime.registerPolicy('village', villagePolicy);
  runtime.registerTool(giveItemTool(journal));
  return { runtime, store, journal, logger };
}
