import { GaltError } from '@galt/core';
import { z } from 'zod';
import {
  DEFAULT_ITEMS,
  DEFAULT_NPCS,
  HOURS_PER_TICK,
  type ItemSpec,
  type NpcSpec,
  ZONES,
  type Zone,
} from './roster.js';

const ZoneSchema = z.enum(ZONES);

const PlayerStateSchema = z.object({
  id: z.string().min(1),
  zone: ZoneSchema,
  questStage: z.number().int().nonnegative(),
  coins: z.number().int().nonnegative(),
});
export type PlayerState = z.infer<typeof PlayerStateSchema>;

/** Serialisable state of a `VillageWorld`. */
export const VillageWorldStateSchema = z.object({
  tick: z.number().int().nonnegative(),
  startHour: z.number().int().min(0).max(23),
  players: z.array(PlayerStateSchema),
  /** Item counts per holder id. */
  inventories: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())),
  gatePasses: z.array(z.string()),
});
export type VillageWorldState = z.infer<typeof VillageWorldStateSchema>;

/** Options of a new world. */
export interface VillageWorldOptions {
  players: readonly PlayerState[];
  npcs?: readonly NpcSpec[];
  items?: readonly ItemSpec[];
  startHour?: number;
  /** Starting stock of every non-critical item per merchant. */
  merchantStock?: number;
}

const DEFAULT_MERCHANT_STOCK = 20;
/** The NPC that keeps the quest-critical items at the start. */
const CHARTER_KEEPER_ROLE = 'teacher';

/** The village's physical state: time, players, inventories and gate passes. */
export class VillageWorld {
  readonly npcs: readonly NpcSpec[];
  readonly items: ReadonlyMap<string, ItemSpec>;
  #state: VillageWorldState;

  constructor(options: VillageWorldOptions, state?: VillageWorldState) {
    this.npcs = options.npcs ?? DEFAULT_NPCS;
    this.items = new Map((options.items ?? DEFAULT_ITEMS).map((item) => [item.id, item]));
    this.#state = state ?? initialState(this.npcs, [...this.items.values()], options);
  }

  get tick(): number {
    return this.#state.tick;
  }

  /** In-game hour of day, 0–23. */
  get hour(): number {
    return (this.#state.startHour + this.#state.tick * HOURS_PER_TICK) % 24;
  }

  get players(): readonly PlayerState[] {
    return this.#state.players;
  }

  /** Moves time forward by one tick and returns the new tick. */
  advance(): number {
    this.#state.tick += 1;
    return this.#state.tick;
  }

  npc(id: string): NpcSpec | undefined {
    return this.npcs.find((npc) => npc.id === id);
  }

  player(id: string): PlayerState | undefined {
    return this.#state.players.find((player) => player.id === id);
  }

  /** Returns the zone of a player or NPC, or undefined for an unknown id. */
  zoneOf(id: string): Zone | undefined {
    return this.player(id)?.zone ?? this.npc(id)?.zone;
  }

  movePlayer(id: string, zone: Zone): void {
    this.#requirePlayer(id).zone = zone;
  }

  isQuestCritical(itemId: string): boolean {
    return this.items.get(itemId)?.questCritical ?? false;
  }

  questStage(playerId: string): number {
    return this.player(playerId)?.questStage ?? 0;
  }

  /** Raises a player's quest stage to `stage` if it is lower. */
  advanceQuest(playerId: string, stage: number): void {
    const player = this.#requirePlayer(playerId);
    player.questStage = Math.max(player.questStage, stage);
  }

  count(holderId: string, itemId: string): number {
    return this.#state.inventories[holderId]?.[itemId] ?? 0;
  }

  /** Moves one item from one holder to another; throws `invalid_input` when it is not there. */
  transfer(itemId: string, fromId: string, toId: string): void {
    if (!this.items.has(itemId)) {
      throw new GaltError('invalid_input', `item ${itemId} does not exist`);
    }
    if (this.count(fromId, itemId) < 1) {
      throw new GaltError('invalid_input', `${fromId} has no ${itemId} to give`);
    }
    const from = this.#inventory(fromId);
    const to = this.#inventory(toId);
    from[itemId] = (from[itemId] ?? 0) - 1;
    to[itemId] = (to[itemId] ?? 0) + 1;
  }

  /** Pays `amount` coins from a player to an NPC; throws `invalid_input` when coins run short. */
  pay(playerId: string, amount: number): void {
    const player = this.#requirePlayer(playerId);
    if (player.coins < amount) {
      throw new GaltError(
        'invalid_input',
        `${playerId} has ${player.coins} coins, needs ${amount}`,
      );
    }
    player.coins -= amount;
  }

  grantGatePass(playerId: string): void {
    this.#requirePlayer(playerId);
    if (!this.#state.gatePasses.includes(playerId)) this.#state.gatePasses.push(playerId);
  }

  hasGatePass(playerId: string): boolean {
    return this.#state.gatePasses.includes(playerId);
  }

  snapshot(): VillageWorldState {
    return structuredClone(this.#state);
  }

  /**
   * Replaces this world's state with a snapshot, keeping its roster and items, so tools and rules
   * that hold this world see the restored state. Raises `invalid_input` for a malformed snapshot.
   */
  load(state: unknown): void {
    this.#state = parseWorldState(state);
  }

  /** Rebuilds a world from a snapshot; throws `invalid_input` when the snapshot is malformed. */
  static restore(state: unknown, options: Omit<VillageWorldOptions, 'players'> = {}): VillageWorld {
    const parsed = parseWorldState(state);
    return new VillageWorld({ ...options, players: parsed.players }, parsed);
  }

  #requirePlayer(id: string): PlayerState {
    const player = this.player(id);
    if (player === undefined) throw new GaltError('not_found', `player ${id} is not in the world`);
    return player;
  }

  #inventory(holderId: string): Record<string, number> {
    this.#state.inventories[holderId] ??= {};
    return this.#state.inventories[holderId];
  }
}

function parseWorldState(state: unknown): VillageWorldState {
  const parsed = VillageWorldStateSchema.safeParse(state);
  if (!parsed.success) {
    throw new GaltError('invalid_input', 'VillageWorld snapshot is malformed', {
      remedy: 'Pass a value returned by VillageWorld.snapshot()',
    });
  }
  return structuredClone(parsed.data);
}

function initialState(
  npcs: readonly NpcSpec[],
  items: readonly ItemSpec[],
  options: VillageWorldOptions,
): VillageWorldState {
  const inventories: Record<string, Record<string, number>> = {};
  const stock = options.merchantStock ?? DEFAULT_MERCHANT_STOCK;
  for (const npc of npcs) {
    if (npc.role !== 'merchant') continue;
    inventories[npc.id] = Object.fromEntries(
      items.filter((item) => !item.questCritical).map((item) => [item.id, stock]),
    );
  }
  const keeper = npcs.find((npc) => npc.role === CHARTER_KEEPER_ROLE);
  if (keeper !== undefined) {
    const critical = items.filter((item) => item.questCritical);
    inventories[keeper.id] = Object.fromEntries(critical.map((item) => [item.id, 1]));
  }
  return {
    tick: 0,
    startHour: options.startHour ?? 8,
    players: options.players.map((player) => ({ ...player })),
    inventories,
    gatePasses: [],
  };
}
