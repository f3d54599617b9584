/** The four zones of the village. */
export const ZONES = ['square', 'market', 'gate', 'homes'] as const;
export type Zone = (typeof ZONES)[number];

export const NPC_ROLES = ['guard', 'merchant', 'teacher', 'villager'] as const;
export type NpcRole = (typeof NPC_ROLES)[number];

/** A non-player character: its role decides its tools and its policy. */
export interface NpcSpec {
  id: string;
  role: NpcRole;
  zone: Zone;
}

/** The default cast: several NPCs per role, spread over the zones. */
export const DEFAULT_NPCS: readonly NpcSpec[] = [
  { id: 'guard-north', role: 'guard', zone: 'gate' },
  { id: 'guard-square', role: 'guard', zone: 'square' },
  { id: 'merchant-bread', role: 'merchant', zone: 'market' },
  { id: 'merchant-tools', role: 'merchant', zone: 'market' },
  { id: 'teacher-elder', role: 'teacher', zone: 'square' },
  { id: 'teacher-scribe', role: 'teacher', zone: 'homes' },
  { id: 'villager-ada', role: 'villager', zone: 'homes' },
  { id: 'villager-bo', role: 'villager', zone: 'square' },
  { id: 'villager-cy', role: 'villager', zone: 'market' },
];

/** An item in the world; quest-critical items may never leave their holder through an NPC. */
export interface ItemSpec {
  id: string;
  price: number;
  questCritical: boolean;
}

/** Items the merchants sell, plus the quest-critical charter the elder keeps. */
export const DEFAULT_ITEMS: readonly ItemSpec[] = [
  { id: 'bread', price: 3, questCritical: false },
  { id: 'apples', price: 2, questCritical: false },
  { id: 'rope', price: 8, questCritical: false },
  { id: 'lantern', price: 12, questCritical: false },
  { id: 'village-charter', price: 0, questCritical: true },
];

/** Hours (0–23) in which the market may trade: from OPEN inclusive to CLOSE exclusive. */
export const SHOP_HOURS = { open: 8, close: 20 } as const;
/** Hours in which villagers prefer not to be spoken to: from 22 to 6. */
export const QUIET_HOURS = { start: 22, end: 6 } as const;
/** Quest stage a player needs before a guard may open the gate: taught, then traded. */
export const GATE_QUEST_STAGE = 2;
/** Lowest price a merchant accepts, as a fraction of the list price. */
export const MIN_PRICE_FRACTION = 0.8;
/** Discount a merchant gives a player it remembers. */
export const REMEMBERED_DISCOUNT = 0.1;
/** In-game hours that pass per world tick. */
export const HOURS_PER_TICK = 1;
