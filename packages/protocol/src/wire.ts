import { z } from 'zod';
import { ErrorCodeSchema } from './errors.js';
import { WorldEventSchema } from './events.js';
import { StreamEventKindSchema, StreamEventSchema } from './stream.js';

/** Messages a WebSocket client may send. */
export const AuthenticateMessageSchema = z.object({
  type: z.literal('authenticate'),
  token: z.string().min(1).max(512),
});

export const SubscribeMessageSchema = z.object({
  type: z.literal('subscribe'),
  /** Agent ids to receive; absent or empty means all agents. */
  agents: z.array(z.string().min(1)).max(10_000).optional(),
  kinds: z.array(StreamEventKindSchema).optional(),
  /** Resume after this sequence number; absent means snapshot now, then live events. */
  fromSeq: z.number().int().nonnegative().optional(),
});

export const UnsubscribeMessageSchema = z.object({ type: z.literal('unsubscribe') });

export const ControlMessageSchema = z.object({
  type: z.literal('control'),
  command: z.discriminatedUnion('action', [
    z.object({ action: z.literal('inject_event'), event: WorldEventSchema }),
    z.object({ action: z.literal('pause_agent'), agentId: z.string().min(1) }),
    z.object({ action: z.literal('resume_agent'), agentId: z.string().min(1) }),
    z.object({ action: z.literal('request_snapshot') }),
  ]),
});

export const ClientMessageSchema = z.discriminatedUnion('type', [
  AuthenticateMessageSchema,
  SubscribeMessageSchema,
  UnsubscribeMessageSchema,
  ControlMessageSchema,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Messages the server sends. */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    runId: z.string(),
    headSeq: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('event'), event: StreamEventSchema }),
  z.object({
    type: z.literal('snapshot'),
    seq: z.number().int().nonnegative(),
    state: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal('gap'),
    fromSeq: z.number().int().positive(),
    toSeq: z.number().int().positive(),
    reason: z.string(),
  }),
  z.object({ type: z.literal('error'), code: ErrorCodeSchema, message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** Application close codes (4000–4999), documented in the server README. */
export const CLOSE_CODES = {
  unauthorized: 4001,
  authenticationTimeout: 4002,
  policyViolation: 4003,
  tooManyErrors: 4004,
  serverShutdown: 4005,
} as const;
