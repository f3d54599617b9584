import type { WorldEvent } from '@galt/protocol';

/** Returns the text an agent perceives for a world event; features and safety read this text. */
export function eventText(event: WorldEvent): string {
  switch (event.kind) {
    case 'player_utterance':
      return event.text;
    case 'player_action':
      return [event.action, event.itemId, event.targetId]
        .filter((part) => part !== undefined)
        .join(' ');
    case 'entity_appeared':
      return `${event.entityKind} ${event.entityId} appeared`;
    case 'entity_left':
      return `${event.entityId} left`;
    case 'item_changed':
      return `item ${event.itemId} ${event.change}`;
    case 'time_tick':
      return `hour ${event.hour}`;
  }
}

/** Returns the ids a world event is about, used as memory subjects for retrieval. */
export function eventSubjects(event: WorldEvent): string[] {
  switch (event.kind) {
    case 'player_utterance':
      return [event.playerId];
    case 'player_action':
      return event.targetId === undefined ? [event.playerId] : [event.playerId, event.targetId];
    case 'entity_appeared':
    case 'entity_left':
      return [event.entityId];
    case 'item_changed':
      return event.holderId === undefined ? [event.itemId] : [event.itemId, event.holderId];
    case 'time_tick':
      return [];
  }
}

/** Whether an event is an input the safety stack must screen (a player utterance or action). */
export function isTurnInput(event: WorldEvent): boolean {
  return event.kind === 'player_utterance' || event.kind === 'player_action';
}
