import { GaltError, type SafetyStack, type ScreenRequest } from '@galt/core';
import type { SafetyVerdict } from '@galt/protocol';
import type { SafetyChannel, SafetyContext } from '@galt/runtime';
import type { VillageRuleContext } from '../rules/rule-context.js';
import type { VillageWorld } from '../world/village-world.js';

/**
 * Adapts the village stack to the runtime's safety channel: each screen request gets the world
 * and the screened NPC as rule context. An unknown agent id raises `not_found`, which the runtime
 * turns into a blocked turn.
 */
export function villageSafetyChannel(
  stack: SafetyStack<VillageRuleContext>,
  world: VillageWorld,
): SafetyChannel {
  return {
    screen(request: ScreenRequest<SafetyContext>): SafetyVerdict {
      const agent = world.npc(request.agentId);
      if (agent === undefined) {
        throw new GaltError('not_found', `agent ${request.agentId} is not an NPC of this village`);
      }
      return stack.screen({ ...request, context: { world, agent } });
    },
  };
}
