import { PASS, type SafetyRule, violate } from '@galt/core';
import { GiveItemArgumentsSchema, TradeArgumentsSchema } from '../tools/tool-schemas.js';
import { argumentsOf, type VillageRuleContext } from './rule-context.js';

/** L0: no violence in the square, so a turn with an attack there is blocked. */
export const noViolenceInSquare: SafetyRule<VillageRuleContext> = {
  id: 'world.no_violence_in_square',
  layer: 'L0',
  description: 'No violence in the village square',
  appliesTo: ['input'],
  evaluate(target) {
    if (target.kind !== 'input' || target.event?.kind !== 'player_action') return PASS;
    const { action, zone, playerId } = target.event;
    if (action === 'attack' && zone === 'square') {
      return violate(`${playerId} attempted violence in the square`);
    }
    return PASS;
  },
};

/** L0: an NPC never hands over or sells a quest-critical item. */
export const questItemKept: SafetyRule<VillageRuleContext> = {
  id: 'world.quest_item_kept',
  layer: 'L0',
  description: 'Never hand over a quest-critical item',
  appliesTo: ['proposal'],
  evaluate(target, context) {
    const given = argumentsOf(target, 'give_item', GiveItemArgumentsSchema);
    const sold = argumentsOf(target, 'trade', TradeArgumentsSchema);
    const critical = [...given, ...sold].find((call) => context.world.isQuestCritical(call.itemId));
    if (critical !== undefined) {
      return violate(`proposal would hand over quest-critical item ${critical.itemId}`);
    }
    return PASS;
  },
};

export const WORLD_RULES = [noViolenceInSquare, questItemKept];
