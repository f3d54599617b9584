import { z } from 'zod';

const Id = z.string().min(1).max(200);

/** Arguments of `give_item`: the NPC gives one item from its inventory to someone. */
export const GiveItemArgumentsSchema = z.object({ itemId: Id, toId: Id });
/** Arguments of `open_gate`: the guard lets one player through. */
export const OpenGateArgumentsSchema = z.object({ playerId: Id });
/** Arguments of `trade`: the merchant sells one item to a buyer at a price in whole coins. */
export const TradeArgumentsSchema = z.object({
  itemId: Id,
  buyerId: Id,
  price: z.number().int().nonnegative(),
});
/** Arguments of `speak`: a line the NPC utters, to one listener or to the zone. */
export const SpeakArgumentsSchema = z.object({
  text: z.string().min(1).max(2_000),
  toId: Id.optional(),
});

export type GiveItemArguments = z.infer<typeof GiveItemArgumentsSchema>;
export type OpenGateArguments = z.infer<typeof OpenGateArgumentsSchema>;
export type TradeArguments = z.infer<typeof TradeArgumentsSchema>;
export type SpeakArguments = z.infer<typeof SpeakArgumentsSchema>;
