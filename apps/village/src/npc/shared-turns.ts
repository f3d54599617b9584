import {
  type Consent,
  ConsentSchema,
  type PlayerAction,
  type PlayerUtterance,
} from '@galt/protocol';
import type { PolicyInput } from '@galt/runtime';
import type { CurriculumMemoryRow } from '../curriculum/load-curriculum.js';
import type { RoutingRow } from '../curriculum/schemas.js';
import { CONSENT, ITEM, ROW_ID } from '../players/player-intents.js';
import { LEARNED_CONTEXT_KEY } from '../rules/rule-context.js';
import type { VillageWorld } from '../world/village-world.js';
import { findingOf, type HeadReading } from './head-reading.js';
import { addressedEvent, type PlannedTurn, speak } from './proposal-builder.js';

/** Counters the policies keep for the run summary. */
export interface PolicyStats {
  /** Memory utterances the memory head declined to consolidate, so no candidate was made. */
  silent: number;
  /** Decisions that a recalled memory changed (a discount, a tailored lesson, a greeting). */
  influenced: number;
}

/** Shared state the policies read besides their input. */
export interface PolicyDependencies {
  world: VillageWorld;
  memoryRows: ReadonlyMap<string, CurriculumMemoryRow>;
  routingRows: ReadonlyMap<string, RoutingRow>;
  stats: PolicyStats;
}

type Utterance = PlayerUtterance;
type Action = PlayerAction;

/** Plans the reply to a shared fact, proposing it as memory unless the memory head declines. */
export function memoryTurn(
  event: Utterance,
  reading: HeadReading,
  dependencies: PolicyDependencies,
): PlannedTurn {
  const row = dependencies.memoryRows.get(event.attributes?.[ROW_ID] ?? '');
  const reply = `I hear you, ${event.playerId}.`;
  const base: PlannedTurn = {
    kind: 'speak',
    targetId: event.playerId,
    utterance: reply,
    calls: [speak(reply, event.playerId)],
  };
  if (reading.memory === 'not_consolidated' && reading.residual === 'none') {
    dependencies.stats.silent += 1;
    return base;
  }
  const consent = consentOf(event);
  return {
    ...base,
    candidates: [
      {
        candidateId: `${event.agentId}:${event.tick}:${event.playerId}`,
        subject: event.playerId,
        attribute: row?.packet?.concept ?? row?.category ?? 'shared_fact',
        content: event.text,
        // The layer head proposes what the fact rests on; the access rule decides on reads.
        dependencyLayer: reading.memoryLayer,
        provenance: 'user_sourced',
        consent,
        importance: reading.writeGate,
        context: { [LEARNED_CONTEXT_KEY]: findingOf(reading), rowId: row?.id ?? null },
      },
    ],
  };
}

/** Returns the consent the player attached; a missing or unknown value counts as not given. */
export function consentOf(event: Utterance): Consent {
  const parsed = ConsentSchema.safeParse(event.attributes?.[CONSENT]);
  return parsed.success ? parsed.data : 'not_given';
}

export function utteranceOf(input: PolicyInput): Utterance | null {
  const event = addressedEvent(input);
  return event?.kind === 'player_utterance' ? event : null;
}

export function actionOf(input: PolicyInput): Action | null {
  const event = addressedEvent(input);
  return event?.kind === 'player_action' ? event : null;
}

/** Plans the merchant's reply to a buying preference and proposes it as an L3 memory. */
export function preferenceTurn(event: Utterance): PlannedTurn {
  const item = event.attributes?.[ITEM] ?? 'goods';
  const consent = consentOf(event);
  const line = `Noted, ${event.playerId}.`;
  return {
    kind: 'speak',
    targetId: event.playerId,
    utterance: line,
    calls: [speak(line, event.playerId)],
    candidates: [
      {
        candidateId: `${event.agentId}:${event.tick}:${event.playerId}`,
        subject: event.playerId,
        attribute: 'preference',
        content: `${event.playerId} likes to buy ${item}`,
        dependencyLayer: 'L3',
        provenance: 'user_sourced',
        consent,
        importance: 0.6,
      },
    ],
  };
}
