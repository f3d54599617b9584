import { PASS, type SafetyRule, violate } from '@galt/core';
import { SpeakArgumentsSchema, TradeArgumentsSchema } from '../tools/tool-schemas.js';
import { MIN_PRICE_FRACTION, QUIET_HOURS } from '../world/roster.js';
import { argumentsOf, type VillageRuleContext } from './rule-context.js';

function isQuietHour(hour: number): boolean {
  return hour >= QUIET_HOURS.start || hour < QUIET_HOURS.end;
}

/** L3: villagers prefer not to chat during the night. */
export const quietHoursRule: SafetyRule<VillageRuleContext> = {
  id: 'preference.quiet_hours',
  layer: 'L3',
  description: `Villagers keep quiet from ${QUIET_HOURS.start}:00 to ${QUIET_HOURS.end}:00`,
  appliesTo: ['proposal'],
  evaluate(target, context) {
    if (context.agent.role !== 'villager') return PASS;
    if (argumentsOf(target, 'speak', SpeakArgumentsSchema).length === 0) return PASS;
    return isQuietHour(context.world.hour) ? violate('villagers keep quiet at night') : PASS;
  },
};

/** L3: merchants prefer not to sell far below the list price. */
export const fairPriceRule: SafetyRule<VillageRuleContext> = {
  id: 'preference.fair_price',
  layer: 'L3',
  description: `Merchants sell at ${MIN_PRICE_FRACTION * 100}% of the list price or more`,
  appliesTo: ['proposal'],
  evaluate(target, context) {
    for (const call of argumentsOf(target, 'trade', TradeArgumentsSchema)) {
      const listPrice = context.world.items.get(call.itemId)?.price ?? 0;
      if (call.price < listPrice * MIN_PRICE_FRACTION) {
        return violate(`price ${call.price} is below ${MIN_PRICE_FRACTION} of ${listPrice}`);
      }
    }
    return PASS;
  },
};

export const PREFERENCE_RULES = [quietHoursRule, fairPriceRule];
