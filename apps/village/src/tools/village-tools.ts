import { GaltError } from '@galt/core';
import { defineTool, type ToolDefinition } from '@galt/runtime';
import { z } from 'zod';
import type { VillageWorld } from '../world/village-world.js';
import {
  GiveItemArgumentsSchema,
  OpenGateArgumentsSchema,
  SpeakArgumentsSchema,
  TradeArgumentsSchema,
} from './tool-schemas.js';

/** Result of every village tool: what happened, in words, for the event stream. */
const ToolOutcomeSchema = z.object({ done: z.boolean(), detail: z.string() });

/** Quest stage a player reaches when a teacher speaks to them. */
export const TAUGHT_STAGE = 1;
/** Quest stage a player reaches with a first trade after being taught. */
export const TRADED_STAGE = 2;

/** Builds the four village tools over one world; side-effecting tools run after the verdict. */
export function createVillageTools(world: VillageWorld): ToolDefinition[] {
  return [
    defineTool({
      name: 'give_item',
      description: 'Give a player one item from the NPC inventory',
      arguments: GiveItemArgumentsSchema,
      result: ToolOutcomeSchema,
      sideEffect: true,
      run(args, context) {
        world.transfer(args.itemId, context.agentId, args.toId);
        return { done: true, detail: `${context.agentId} gave ${args.itemId} to ${args.toId}` };
      },
    }),
    defineTool({
      name: 'open_gate',
      description: 'Let a player through the village gate',
      arguments: OpenGateArgumentsSchema,
      result: ToolOutcomeSchema,
      sideEffect: true,
      run(args) {
        world.grantGatePass(args.playerId);
        return { done: true, detail: `gate opened for ${args.playerId}` };
      },
    }),
    defineTool({
      name: 'trade',
      description: 'Sell one item to a player for a price in coins',
      arguments: TradeArgumentsSchema,
      result: ToolOutcomeSchema,
      sideEffect: true,
      run(args, context) {
        if (world.count(context.agentId, args.itemId) < 1) {
          throw new GaltError('invalid_input', `${context.agentId} has no ${args.itemId} left`);
        }
        world.pay(args.buyerId, args.price);
        world.transfer(args.itemId, context.agentId, args.buyerId);
        if (world.questStage(args.buyerId) >= TAUGHT_STAGE) {
          world.advanceQuest(args.buyerId, TRADED_STAGE);
        }
        return { done: true, detail: `${args.buyerId} bought ${args.itemId} for ${args.price}` };
      },
    }),
    defineTool({
      name: 'speak',
      description: 'Say a line to a listener or to the zone; a teacher teaching a player counts',
      arguments: SpeakArgumentsSchema,
      result: ToolOutcomeSchema,
      // Speaking moves a taught player's quest on, so it changes the world like the others.
      sideEffect: true,
      run(args, context) {
        const speaker = world.npc(context.agentId);
        if (speaker?.role === 'teacher' && args.toId !== undefined && world.player(args.toId)) {
          world.advanceQuest(args.toId, TAUGHT_STAGE);
        }
        return { done: true, detail: args.text };
      },
    }),
  ];
}
