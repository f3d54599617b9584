import { z } from 'zod';

const Id = z.string().min(1).max(200);
const Tick = z.number().int().nonnegative();

/** Events the world emits into the runtime. `tick` is the world tick at which it happened. */
export const PlayerUtteranceSchema = z.object({
  kind: z.literal('player_utterance'),
  tick: Tick,
  playerId: Id,
  /** The NPC addressed; absent when the player speaks to everyone in the zone. */
  agentId: Id.optional(),
  zone: Id,
  text: z.string().max(20_000),
  /** Structured facts the utterance carries (a game may attach parsed intents). */
  attributes: z.record(z.string(), z.string()).optional(),
});

export const EntityAppearedSchema = z.object({
  kind: z.literal('entity_appeared'),
  tick: Tick,
  entityId: Id,
  entityKind: z.enum(['player', 'npc', 'item', 'creature']),
  zone: Id,
});

export const EntityLeftSchema = z.object({
  kind: z.literal('entity_left'),
  tick: Tick,
  entityId: Id,
  zone: Id,
});

export const ItemChangedSchema = z.object({
  kind: z.literal('item_changed'),
  tick: Tick,
  itemId: Id,
  /** Who holds the item after the change; absent when it lies in the world. */
  holderId: Id.optional(),
  change: z.enum(['created', 'transferred', 'consumed', 'destroyed']),
  fromId: Id.optional(),
  questCritical: z.boolean().default(false),
});

export const TimeTickSchema = z.object({
  kind: z.literal('time_tick'),
  tick: Tick,
  /** In-game hour of day, 0–23. */
  hour: z.number().int().min(0).max(23),
});

/** A player or scripted actor acts on someone: a trade, a gift, a request, an attack. */
export const PlayerActionSchema = z.object({
  kind: z.literal('player_action'),
  tick: Tick,
  playerId: Id,
  agentId: Id.optional(),
  zone: Id,
  action: z.enum(['trade', 'gift', 'request_pass', 'attack', 'request_item', 'ask']),
  itemId: Id.optional(),
  targetId: Id.optional(),
});

export const WorldEventSchema = z.discriminatedUnion('kind', [
  PlayerUtteranceSchema,
  EntityAppearedSchema,
  EntityLeftSchema,
  ItemChangedSchema,
  TimeTickSchema,
  PlayerActionSchema,
]);
export type WorldEvent = z.infer<typeof WorldEventSchema>;
export type WorldEventInput = z.input<typeof WorldEventSchema>;
export type PlayerUtterance = z.infer<typeof PlayerUtteranceSchema>;
export type PlayerAction = z.infer<typeof PlayerActionSchema>;

/** A call from the tool-action channel into the game. Arguments arrive as JSON text or a value. */
export const ToolCallSchema = z.object({
  callId: Id,
  agentId: Id,
  tool: Id,
  arguments: z.unknown(),
  /** Whether the tool changes the world; side-effecting calls wait for the safety verdict. */
  sideEffect: z.boolean(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const ToolResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), callId: Id, tool: Id, result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    callId: Id,
    tool: Id,
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z
        .array(
          z.object({
            path: z.array(z.union([z.string(), z.number()])),
            code: z.string(),
            message: z.string(),
          }),
        )
        .optional(),
    }),
  }),
]);
export type ToolResult = z.infer<typeof ToolResultSchema>;

/** What an agent does on a tick after the safety verdict. */
export const AgentActionKindSchema = z.enum([
  'idle',
  'speak',
  'move',
  'trade',
  'give_item',
  'refuse',
  'open_gate',
  'guard',
  'answer',
  'ask_user',
  'ask_teacher',
  'defer_residual',
]);
export type AgentActionKind = z.infer<typeof AgentActionKindSchema>;

export const AgentActionSchema = z.object({
  agentId: Id,
  tick: Tick,
  kind: AgentActionKindSchema,
  targetId: Id.optional(),
  zone: Id.optional(),
  utterance: z.string().optional(),
  toolCalls: z.array(ToolCallSchema).default([]),
});
export type AgentAction = z.infer<typeof AgentActionSchema>;
