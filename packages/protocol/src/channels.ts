import { z } from 'zod';
import { AgentActionSchema, ToolCallSchema } from './events.js';
import { SafetyLayerSchema, ViolationLayerSchema } from './layers.js';
import { MemoryCandidateSchema } from './memory.js';

/** The task channel's proposal for one agent and tick. Nothing in it has run yet. */
export const TaskProposalSchema = z.object({
  agentId: z.string().min(1),
  tick: z.number().int().nonnegative(),
  action: AgentActionSchema,
  /** The reply, split into the chunks a client would stream. */
  replyChunks: z.array(z.string()).default([]),
  memoryCandidates: z.array(MemoryCandidateSchema).default([]),
  /** Scores of the task head per action, when a model proposed it. */
  scores: z.record(z.string(), z.number()).optional(),
});
export type TaskProposal = z.infer<typeof TaskProposalSchema>;

export const LayerVerdictSchema = z.discriminatedUnion('status', [
  z.object({ layer: SafetyLayerSchema, status: z.literal('pass') }),
  z.object({
    layer: SafetyLayerSchema,
    status: z.literal('violate'),
    ruleId: z.string().min(1),
    reason: z.string(),
    /** Which screened item broke the rule: the proposal, an input of the window, a chunk. */
    target: z.string().optional(),
  }),
  z.object({
    layer: SafetyLayerSchema,
    status: z.literal('ambiguous'),
    ruleId: z.string().min(1),
    reason: z.string(),
    target: z.string().optional(),
  }),
]);
export type LayerVerdict = z.infer<typeof LayerVerdictSchema>;

/** The safety channel's verdict over a proposal and the unscreened inputs of the turn window. */
export const SafetyVerdictSchema = z.object({
  agentId: z.string().min(1),
  tick: z.number().int().nonnegative(),
  layers: z.array(LayerVerdictSchema).length(4),
  /** Lowest violated layer, or none. */
  violationLayer: ViolationLayerSchema,
  /** True when an L0 or L1 rule was violated: the proposal must not run. */
  blocked: z.boolean(),
  /** Index of the first reply chunk that violates a rule; chunks from here on are withheld. */
  firstBlockedChunk: z.number().int().nonnegative().nullable(),
  /** Sequence numbers or ids of the inputs screened in this verdict. */
  screenedInputs: z.array(z.string()),
});
export type SafetyVerdict = z.infer<typeof SafetyVerdictSchema>;

/** A tool-action request after it passed the safety verdict, ready for argument validation. */
export const ToolActionRequestSchema = z.object({
  call: ToolCallSchema,
  verdictTick: z.number().int().nonnegative(),
});
export type ToolActionRequest = z.infer<typeof ToolActionRequestSchema>;
