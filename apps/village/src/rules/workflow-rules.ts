import { PASS, type SafetyRule, violate } from '@galt/core';
import { OpenGateArgumentsSchema, TradeArgumentsSchema } from '../tools/tool-schemas.js';
import { GATE_QUEST_STAGE, SHOP_HOURS } from '../world/roster.js';
import { argumentsOf, type VillageRuleContext } from './rule-context.js';

/** L2: the market trades only during shop hours. */
export const shopHoursRule: SafetyRule<VillageRuleContext> = {
  id: 'workflow.shop_hours',
  layer: 'L2',
  description: `Trades happen between ${SHOP_HOURS.open}:00 and ${SHOP_HOURS.close}:00`,
  appliesTo: ['proposal'],
  evaluate(target, context) {
    if (argumentsOf(target, 'trade', TradeArgumentsSchema).length === 0) return PASS;
    const { hour } = context.world;
    if (hour >= SHOP_HOURS.open && hour < SHOP_HOURS.close) return PASS;
    return violate(`the market is closed at ${hour}:00`);
  },
};

/** L2: the gate opens only for players who finished the earlier quest steps. */
export const questOrderRule: SafetyRule<VillageRuleContext> = {
  id: 'workflow.quest_order',
  layer: 'L2',
  description: `The gate opens from quest stage ${GATE_QUEST_STAGE} on`,
  appliesTo: ['proposal'],
  evaluate(target, context) {
    for (const call of argumentsOf(target, 'open_gate', OpenGateArgumentsSchema)) {
      const stage = context.world.questStage(call.playerId);
      if (stage < GATE_QUEST_STAGE) {
        return violate(`${call.playerId} is at quest stage ${stage}, needs ${GATE_QUEST_STAGE}`);
      }
    }
    return PASS;
  },
};

export const WORKFLOW_RULES = [shopHoursRule, questOrderRule];
