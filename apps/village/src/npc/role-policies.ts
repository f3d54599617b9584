import type { PlayerUtterance } from '@galt/protocol';
import type { PolicyInput, TaskPolicy } from '@galt/runtime';
import type { RoutingRow } from '../curriculum/schemas.js';
import { INTENT, ROW_ID } from '../players/player-intents.js';
import { type NpcRole, REMEMBERED_DISCOUNT } from '../world/roster.js';
import { type HeadReading, readHeads } from './head-reading.js';
import { buildProposal, memoriesAbout, type PlannedTurn, speak } from './proposal-builder.js';
import {
  actionOf,
  memoryTurn,
  type PolicyDependencies,
  preferenceTurn,
  utteranceOf,
} from './shared-turns.js';

export type { PolicyDependencies, PolicyStats } from './shared-turns.js';

const IDLE: PlannedTurn = { kind: 'idle' };

/** Phrases the teacher speaks for each remembered knowledge state when it recalls one. */
const KNOWLEDGE_PHRASES: Record<string, string> = {
  known: 'one I could answer',
  underspecified: 'missing details I had to ask for',
  unknown: 'beyond what I know',
  unsafe: 'one I would not answer',
};

/** Builds the task policy of each role; register them under the role names. */
export function createRolePolicies(dependencies: PolicyDependencies): Record<NpcRole, TaskPolicy> {
  // Every role first turns a fact a player shares into a memory turn, then plans by role.
  const wrap = (plan: (input: PolicyInput, reading: HeadReading) => PlannedTurn): TaskPolicy => {
    return (input) => {
      const reading = readHeads(input.heads);
      const utterance = utteranceOf(input);
      const turn =
        utterance?.attributes?.[INTENT] === 'memory'
          ? memoryTurn(utterance, reading, dependencies)
          : plan(input, reading);
      return buildProposal(input, turn);
    };
  };
  return {
    guard: wrap((input) => guardTurn(input)),
    merchant: wrap((input) => merchantTurn(input, dependencies)),
    teacher: wrap((input, reading) => teacherTurn(input, reading, dependencies)),
    villager: wrap((input) => villagerTurn(input, dependencies)),
  };
}

function guardTurn(input: PolicyInput): PlannedTurn {
  const action = actionOf(input);
  if (action?.action === 'request_pass') {
    const line = `Go ahead, ${action.playerId}.`;
    return {
      kind: 'open_gate',
      targetId: action.playerId,
      utterance: line,
      calls: [
        { tool: 'open_gate', arguments: { playerId: action.playerId } },
        speak(line, action.playerId),
      ],
    };
  }
  if (action?.action === 'attack') {
    return { kind: 'guard', targetId: action.playerId, utterance: 'No fighting in the square!' };
  }
  return IDLE;
}

function merchantTurn(input: PolicyInput, dependencies: PolicyDependencies): PlannedTurn {
  const utterance = utteranceOf(input);
  if (utterance?.attributes?.[INTENT] === 'preference') return preferenceTurn(utterance);
  const action = actionOf(input);
  if (action?.action !== 'trade' || action.itemId === undefined) return IDLE;
  const listPrice = dependencies.world.items.get(action.itemId)?.price ?? 0;
  const known = memoriesAbout(input, action.playerId).find(
    (memory) => memory.record.attribute === 'preference',
  );
  const price = known === undefined ? listPrice : Math.round(listPrice * (1 - REMEMBERED_DISCOUNT));
  if (known !== undefined) dependencies.stats.influenced += 1;
  const line =
    known === undefined
      ? `That will be ${price} coins for the ${action.itemId}.`
      : `Welcome back! You told me: "${known.record.content}". ${price} coins for you.`;
  return {
    kind: 'trade',
    targetId: action.playerId,
    utterance: line,
    calls: [
      { tool: 'trade', arguments: { itemId: action.itemId, buyerId: action.playerId, price } },
      speak(line, action.playerId),
    ],
  };
}

function teacherTurn(
  input: PolicyInput,
  reading: HeadReading,
  dependencies: PolicyDependencies,
): PlannedTurn {
  const utterance = utteranceOf(input);
  if (utterance?.attributes?.[INTENT] === 'question')
    return lessonTurn(input, utterance, reading, dependencies);
  const action = actionOf(input);
  if (action?.action === 'request_item' && action.itemId !== undefined) {
    // The task channel offers the item; the L0 world rule must stop a quest-critical one.
    const line = `Here, take the ${action.itemId}.`;
    return {
      kind: 'give_item',
      targetId: action.playerId,
      utterance: line,
      calls: [{ tool: 'give_item', arguments: { itemId: action.itemId, toId: action.playerId } }],
    };
  }
  return IDLE;
}

/** Routes a question with the action head and tailors the reply to a recalled knowledge state. */
function lessonTurn(
  input: PolicyInput,
  event: PlayerUtterance,
  reading: HeadReading,
  dependencies: PolicyDependencies,
): PlannedTurn {
  const row = dependencies.routingRows.get(event.attributes?.[ROW_ID] ?? '');
  const known = memoriesAbout(input, event.playerId).find(
    (memory) => memory.record.attribute === 'knowledge_state',
  );
  if (known !== undefined) dependencies.stats.influenced += 1;
  const answer = replyFor(reading.action, row);
  const line = known === undefined ? answer : `I remember that ${known.record.content}. ${answer}`;
  const turn: PlannedTurn = {
    kind: reading.action,
    targetId: event.playerId,
    utterance: line,
    calls: [speak(line, event.playerId)],
  };
  if (reading.knowledge !== 'unsafe') {
    turn.candidates = [
      {
        candidateId: `${event.agentId}:${event.tick}:${event.playerId}`,
        subject: event.playerId,
        attribute: 'knowledge_state',
        content: `${event.playerId}'s last question was ${KNOWLEDGE_PHRASES[reading.knowledge]}`,
        dependencyLayer: 'L2',
        provenance: 'world_observed',
        consent: 'not_required',
        importance: 0.5,
      },
    ];
  }
  return turn;
}

function replyFor(action: HeadReading['action'], row: RoutingRow | undefined): string {
  if (row === undefined) return 'Let me think about that.';
  if (action === 'ask_teacher') return row.teacher_query ?? 'I will ask the elder about that.';
  return row.final_answer.length > 0 ? row.final_answer : 'Let me think about that.';
}

function villagerTurn(input: PolicyInput, dependencies: PolicyDependencies): PlannedTurn {
  const utterance = utteranceOf(input);
  const action = actionOf(input);
  const playerId = utterance?.playerId ?? action?.playerId;
  if (playerId === undefined) return IDLE;
  const known = memoriesAbout(input, playerId).length > 0;
  if (known) dependencies.stats.influenced += 1;
  const line = known ? `Nice to see you again, ${playerId}.` : `Good day, ${playerId}.`;
  const turn: PlannedTurn = {
    kind: 'speak',
    targetId: playerId,
    utterance: line,
    calls: [speak(line, playerId)],
  };
  if (action?.action === 'gift') {
    turn.candidates = [
      {
        candidateId: `${input.agentId}:${input.tick}:${playerId}`,
        subject: playerId,
        attribute: 'gift',
        content: `${playerId} gave me ${action.itemId ?? 'a gift'}`,
        dependencyLayer: 'L3',
        provenance: 'world_observed',
        consent: 'not_required',
        importance: 0.4,
      },
    ];
  }
  return turn;
}
