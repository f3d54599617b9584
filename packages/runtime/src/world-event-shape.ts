import type { PlayerUtterance } from '@galt/protocol';
import { hasOnlyKeys, isId, isRecord, isTick } from './plain-checks.js';

/** Maximum utterance length in `PlayerUtteranceSchema`. */
const MAX_TEXT_LENGTH = 20_000;

const UTTERANCE_KEYS = new Set([
  'kind',
  'tick',
  'playerId',
  'agentId',
  'zone',
  'text',
  'attributes',
]);

/**
 * Returns a copy of an injected world event when it is a player utterance that
 * `PlayerUtteranceSchema` accepts, and null otherwise. The caller parses everything else with
 * `WorldEventSchema`, so this check only saves the zod parse of the most frequent event. It
 * copies the event and its attributes, as a parse would.
 */
export function copyPlainUtterance(raw: unknown): PlayerUtterance | null {
  if (!isRecord(raw) || raw['kind'] !== 'player_utterance') return null;
  if (!hasOnlyKeys(raw, UTTERANCE_KEYS)) return null;
  const { tick, playerId, agentId, zone, text, attributes } = raw;
  if (!isTick(tick) || !isId(playerId) || !isId(zone)) return null;
  if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH) return null;
  const copy: PlayerUtterance = { kind: 'player_utterance', tick, playerId, zone, text };
  if (agentId !== undefined) {
    if (!isId(agentId)) return null;
    copy.agentId = agentId;
  }
  if (attributes !== undefined) {
    const copied = copyStringRecord(attributes);
    if (copied === null) return null;
    copy.attributes = copied;
  }
  return copy;
}

/** Copies a plain object of string values; null for anything else or a `__proto__` key. */
function copyStringRecord(value: unknown): Record<string, string> | null {
  if (!isRecord(value)) return null;
  const copy: Record<string, string> = {};
  for (const key in value) {
    const item = value[key];
    if (!Object.hasOwn(value, key) || key === '__proto__' || typeof item !== 'string') return null;
    copy[key] = item;
  }
  return copy;
}
