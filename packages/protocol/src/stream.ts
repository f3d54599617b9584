import { z } from 'zod';

/** Kinds of events on a world's stream, persisted to the store and broadcast to subscribers. */
export const STREAM_EVENT_KINDS = [
  'world_event',
  'observation',
  'model_outputs',
  'proposal',
  'safety_verdict',
  'tool_call',
  'tool_result',
  'action',
  'reply_chunk',
  'turn_rejected',
  'adjudication',
  'memory_written',
  'memory_recalled',
  'parametric_write',
  'goal_changed',
  'approval_requested',
  'approval_resolved',
  'agent_paused',
  'agent_resumed',
  'tick_completed',
] as const;
export const StreamEventKindSchema = z.enum(STREAM_EVENT_KINDS);
export type StreamEventKind = z.infer<typeof StreamEventKindSchema>;

/** An event with its sequence number in the world's stream (from 1, no gaps). */
export const StreamEventSchema = z.object({
  seq: z.number().int().positive(),
  runId: z.string().min(1),
  tick: z.number().int().nonnegative(),
  agentId: z.string().nullable(),
  kind: StreamEventKindSchema,
  payload: z.record(z.string(), z.unknown()),
});
export type StreamEvent = z.infer<typeof StreamEventSchema>;

/** The run a stream belongs to: enough to reproduce it. */
export const RunInfoSchema = z.object({
  runId: z.string().min(1),
  seed: z.number().int(),
  config: z.record(z.string(), z.unknown()),
  modelDigest: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type RunInfo = z.infer<typeof RunInfoSchema>;
