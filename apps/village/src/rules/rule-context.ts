import type { ScreenTarget } from '@galt/core';
import type { ToolCall } from '@galt/protocol';
import { z } from 'zod';
import type { NpcSpec } from '../world/roster.js';
import type { VillageWorld } from '../world/village-world.js';

/** Key of a memory candidate's `context` that contains the model's reading of the candidate. */
export const LEARNED_CONTEXT_KEY = 'learned';

/** The typed-channel model's proposal for one candidate, kept in the candidate's context. */
export const LearnedFindingSchema = z.object({
  memory: z.enum(['accepted_trace', 'not_consolidated']),
  residual: z.enum(['none', 'boundary_ambiguity', 'hard_violation']),
  memoryLayer: z.enum(['L0', 'L1', 'L2', 'L3']),
  violationLayer: z.enum(['L0', 'L1', 'L2', 'L3', 'none']),
  gate: z.number(),
});
export type LearnedFinding = z.infer<typeof LearnedFindingSchema>;

/** Context every village rule may read while screening one NPC's turn. */
export interface VillageRuleContext {
  world: VillageWorld;
  agent: NpcSpec;
}

/** Returns the tool calls of a proposal target; other targets have none. */
export function proposedToolCalls(target: ScreenTarget): readonly ToolCall[] {
  return target.kind === 'proposal' ? target.proposal.action.toolCalls : [];
}

/**
 * Returns the parsed arguments of the calls to `tool` in a proposal. Calls with invalid arguments
 * are skipped here, because tool validation rejects them before they can run.
 */
export function argumentsOf<S extends z.ZodType>(
  target: ScreenTarget,
  tool: string,
  schema: S,
): z.output<S>[] {
  const found: z.output<S>[] = [];
  for (const call of proposedToolCalls(target)) {
    if (call.tool !== tool) continue;
    const raw = typeof call.arguments === 'string' ? safeJson(call.arguments) : call.arguments;
    const parsed = schema.safeParse(raw);
    if (parsed.success) found.push(parsed.data);
  }
  return found;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
