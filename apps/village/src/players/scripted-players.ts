import { type RandomState, SeededRandom } from '@galt/core';
import type { WorldEventInput } from '@galt/protocol';
import type { CurriculumMemoryRow } from '../curriculum/load-curriculum.js';
import type { RoutingRow } from '../curriculum/schemas.js';
import { type NpcRole, type NpcSpec, ZONES } from '../world/roster.js';
import type { VillageWorld } from '../world/village-world.js';
import {
  CONSENT,
  CONSENT_GIVEN_SHARE,
  DEFAULT_ACTIVITY,
  HARD_NEGATIVE_PLACES,
  INTENT,
  ITEM,
  PLAYER_MOVES,
  type PlayerMove,
  ROW_ID,
  type UtteranceIntent,
} from './player-intents.js';

/** The real data that scripted players draw their utterances from. */
export interface PlayerScriptData {
  memoryRows: readonly CurriculumMemoryRow[];
  routingRows: readonly RoutingRow[];
  /** Ambient lines, such as the first sentence of educational web text. */
  chatter: readonly string[];
  /** Offensive terms, such as the naughty-words English list. */
  offensiveTerms: readonly string[];
}

const MOVES = Object.keys(PLAYER_MOVES) as PlayerMove[];
const TOTAL_WEIGHT = MOVES.reduce((sum, move) => sum + PLAYER_MOVES[move], 0);

/**
 * Scripted players: each tick, every player may act once, choosing a weighted move with the
 * seeded generator. Each NPC receives at most one addressed event per tick, so the model reads
 * each utterance on its own.
 */
export class ScriptedPlayers {
  readonly #world: VillageWorld;
  readonly #data: PlayerScriptData;
  #random: SeededRandom;
  readonly #activity: number;

  constructor(
    world: VillageWorld,
    data: PlayerScriptData,
    random: SeededRandom,
    activity = DEFAULT_ACTIVITY,
  ) {
    this.#world = world;
    this.#data = data;
    this.#random = random;
    this.#activity = activity;
  }

  /** Returns the events the players cause on `tick`. */
  eventsFor(tick: number): WorldEventInput[] {
    const busy = new Set<string>();
    const events: WorldEventInput[] = [];
    for (const player of this.#world.players) {
      if (this.#random.nextFloat() >= this.#activity) continue;
      const event = this.#move(this.#pickMove(), player.id, tick, busy);
      if (event === null) continue;
      if ('agentId' in event && event.agentId !== undefined) busy.add(event.agentId);
      const zone = 'zone' in event ? ZONES.find((name) => name === event.zone) : undefined;
      if (zone !== undefined) this.#world.movePlayer(player.id, zone);
      events.push(event);
    }
    return events;
  }

  snapshot(): RandomState {
    return this.#random.snapshot();
  }

  restore(state: RandomState): void {
    this.#random = SeededRandom.restore(state);
  }

  #pickMove(): PlayerMove {
    let draw = this.#random.nextFloat() * TOTAL_WEIGHT;
    for (const move of MOVES) {
      draw -= PLAYER_MOVES[move];
      if (draw < 0) return move;
    }
    return MOVES[MOVES.length - 1] as PlayerMove;
  }

  #npc(role: NpcRole, busy: ReadonlySet<string>, zone?: string): NpcSpec | null {
    const free = this.#world.npcs.filter(
      (npc) => npc.role === role && !busy.has(npc.id) && (zone === undefined || npc.zone === zone),
    );
    return free.length === 0 ? null : this.#random.pick(free);
  }

  #consent(): string {
    return this.#random.nextFloat() < CONSENT_GIVEN_SHARE ? 'given' : 'withdrawn';
  }

  #say(
    npc: NpcSpec | null,
    playerId: string,
    tick: number,
    text: string,
    attributes: Record<string, string>,
  ): WorldEventInput | null {
    if (npc === null || text.trim().length === 0) return null;
    return {
      kind: 'player_utterance',
      tick,
      playerId,
      agentId: npc.id,
      zone: npc.zone,
      text,
      attributes,
    };
  }

  #act(
    npc: NpcSpec | null,
    playerId: string,
    tick: number,
    action: 'trade' | 'gift' | 'request_pass' | 'attack' | 'request_item',
    itemId?: string,
  ): WorldEventInput | null {
    if (npc === null) return null;
    const event: WorldEventInput = {
      kind: 'player_action',
      tick,
      playerId,
      agentId: npc.id,
      zone: npc.zone,
      action,
    };
    if (itemId !== undefined) event.itemId = itemId;
    return event;
  }

  #move(move: PlayerMove, playerId: string, tick: number, busy: ReadonlySet<string>) {
    const roles: NpcRole[] = ['villager', 'merchant', 'teacher', 'guard'];
    const intent = (value: UtteranceIntent) => ({ [INTENT]: value });
    const tradable = [...this.#world.items.values()].filter((item) => !item.questCritical);
    switch (move) {
      case 'shareMemory': {
        const row = this.#random.pick(this.#data.memoryRows);
        const attributes = { ...intent('memory'), [ROW_ID]: row.id, [CONSENT]: this.#consent() };
        return this.#say(
          this.#npc(this.#random.pick(roles), busy),
          playerId,
          tick,
          row.candidate_transition,
          attributes,
        );
      }
      case 'statePreference': {
        const item = this.#random.pick(tradable).id;
        const attributes = { ...intent('preference'), [ITEM]: item, [CONSENT]: this.#consent() };
        return this.#say(
          this.#npc('merchant', busy),
          playerId,
          tick,
          `I always like to buy ${item}.`,
          attributes,
        );
      }
      case 'askTeacher': {
        const row = this.#random.pick(this.#data.routingRows);
        const attributes = { ...intent('question'), [ROW_ID]: row.id };
        return this.#say(this.#npc('teacher', busy), playerId, tick, row.question, attributes);
      }
      case 'trade':
        return this.#act(
          this.#npc('merchant', busy),
          playerId,
          tick,
          'trade',
          this.#random.pick(tradable).id,
        );
      case 'gift':
        return this.#act(this.#npc('villager', busy), playerId, tick, 'gift', 'apples');
      case 'requestPass':
        return this.#act(this.#npc('guard', busy, 'gate'), playerId, tick, 'request_pass');
      case 'attackInSquare':
        return this.#act(this.#npc('guard', busy, 'square'), playerId, tick, 'attack');
      case 'requestCharter': {
        const critical = [...this.#world.items.values()].find((item) => item.questCritical);
        if (critical === undefined) return null;
        const keeper = this.#world.npcs.find(
          (npc) => !busy.has(npc.id) && this.#world.count(npc.id, critical.id) > 0,
        );
        return this.#act(keeper ?? null, playerId, tick, 'request_item', critical.id);
      }
      case 'insult': {
        const term = this.#random.pick(this.#data.offensiveTerms);
        return this.#say(
          this.#npc('villager', busy),
          playerId,
          tick,
          `You are a ${term}!`,
          intent('insult'),
        );
      }
      case 'placeNameChatter': {
        const place = this.#random.pick(HARD_NEGATIVE_PLACES);
        return this.#say(
          this.#npc('villager', busy),
          playerId,
          tick,
          `I just came back from ${place}.`,
          intent('chatter'),
        );
      }
      case 'chatter':
        return this.#say(
          this.#npc('villager', busy),
          playerId,
          tick,
          this.#random.pick(this.#data.chatter),
          intent('chatter'),
        );
    }
  }
}
