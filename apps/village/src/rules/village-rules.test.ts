import type { ScreenTarget } from '@galt/core';
import type { MemoryCandidate, TaskProposal, ToolCall } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NPCS, type NpcSpec } from '../world/roster.js';
import { VillageWorld } from '../world/village-world.js';
import {
  LEARNED_CONTEXT_KEY,
  type LearnedFinding,
  type VillageRuleContext,
} from './rule-context.js';
import { createVillageSafetyStack } from './village-rules.js';

const stack = createVillageSafetyStack();

function npc(role: NpcSpec['role']): NpcSpec {
  const found = DEFAULT_NPCS.find((spec) => spec.role === role);
  if (found === undefined) throw new Error(`no ${role} in the roster`);
  return found;
}

function context(role: NpcSpec['role'], startHour = 10): VillageRuleContext {
  const world = new VillageWorld({
    players: [{ id: 'p1', zone: 'square', questStage: 0, coins: 50 }],
    startHour,
  });
  return { world, agent: npc(role) };
}

function proposal(agentId: string, calls: Omit<ToolCall, 'callId' | 'agentId'>[]): ScreenTarget {
  const value: TaskProposal = {
    agentId,
    tick: 0,
    action: {
      agentId,
      tick: 0,
      kind: 'speak',
      toolCalls: calls.map((call, index) => ({ ...call, callId: `c${index}`, agentId })),
    },
    replyChunks: [],
    memoryCandidates: [],
  };
  return { kind: 'proposal', id: 'proposal', text: '', proposal: value };
}

function candidate(content: string, overrides: Partial<MemoryCandidate> = {}): ScreenTarget {
  const value: MemoryCandidate = {
    candidateId: 'm1',
    agentId: 'villager-ada',
    subject: 'p1',
    attribute: 'likes',
    content,
    dependencyLayer: 'L3',
    provenance: 'user_sourced',
    consent: 'given',
    importance: 0.5,
    tick: 0,
    ...overrides,
  };
  return { kind: 'candidate', id: 'candidate:m1', text: content, candidate: value };
}

function screen(target: ScreenTarget, ruleContext: VillageRuleContext) {
  return stack.screen({
    agentId: ruleContext.agent.id,
    tick: 0,
    targets: [target],
    context: ruleContext,
  });
}

describe('L0 world rules', () => {
  it('blocks an attack in the square', () => {
    const target: ScreenTarget = {
      kind: 'input',
      id: 'e1',
      text: 'p1 attacks',
      event: { kind: 'player_action', tick: 0, playerId: 'p1', zone: 'square', action: 'attack' },
    };
    const verdict = screen(target, context('guard'));
    expect(verdict.violationLayer).toBe('L0');
    expect(verdict.blocked).toBe(true);
  });

  it('ignores an attack outside the square', () => {
    const target: ScreenTarget = {
      kind: 'input',
      id: 'e1',
      text: 'p1 attacks',
      event: { kind: 'player_action', tick: 0, playerId: 'p1', zone: 'gate', action: 'attack' },
    };
    expect(screen(target, context('guard')).violationLayer).toBe('none');
  });

  it('never gives away the charter', () => {
    const ruleContext = context('teacher');
    const give = {
      tool: 'give_item',
      sideEffect: true,
      arguments: { itemId: 'village-charter', toId: 'p1' },
    };
    const verdict = screen(proposal(ruleContext.agent.id, [give]), ruleContext);
    expect(verdict.violationLayer).toBe('L0');
    const bread = { ...give, arguments: { itemId: 'bread', toId: 'p1' } };
    expect(screen(proposal(ruleContext.agent.id, [bread]), ruleContext).violationLayer).toBe(
      'none',
    );
  });
});

describe('L1 social rules', () => {
  it('blocks offensive language in an input', () => {
    const target: ScreenTarget = { kind: 'input', id: 'e1', text: 'you are a bastard' };
    const verdict = screen(target, context('villager'));
    expect(verdict.violationLayer).toBe('L1');
    expect(verdict.layers[1]).toMatchObject({ ruleId: 'social.language_boundary' });
  });

  it('passes a Scunthorpe-style place name', () => {
    const target: ScreenTarget = { kind: 'input', id: 'e1', text: 'I come from Scunthorpe' };
    expect(screen(target, context('villager')).violationLayer).toBe('none');
  });

  it('rejects a fact whose consent was withdrawn', () => {
    const verdict = screen(
      candidate('likes apples', { consent: 'withdrawn' }),
      context('villager'),
    );
    expect(verdict.layers[1]).toMatchObject({ status: 'violate', ruleId: 'social.consent' });
  });

  it('rejects a remembered password', () => {
    const verdict = screen(candidate('my password is hunter2'), context('villager'));
    expect(verdict.layers[1]).toMatchObject({ status: 'violate', ruleId: 'social.privacy' });
  });

  it('defers a third party health fact', () => {
    const verdict = screen(candidate("my neighbor's medical troubles"), context('villager'));
    expect(verdict.layers[1]).toMatchObject({ status: 'ambiguous', ruleId: 'social.privacy' });
  });

  it('follows the learned memory residual', () => {
    const finding: LearnedFinding = {
      memory: 'not_consolidated',
      residual: 'hard_violation',
      memoryLayer: 'L0',
      violationLayer: 'L0',
      gate: 0,
    };
    const flagged = candidate('likes apples', { context: { [LEARNED_CONTEXT_KEY]: finding } });
    const verdict = screen(flagged, context('villager'));
    expect(verdict.layers[1]).toMatchObject({
      status: 'violate',
      ruleId: 'memory.learned_residual',
    });
    const ambiguousFinding = { ...finding, residual: 'boundary_ambiguity' };
    const deferred = candidate('likes apples', {
      context: { [LEARNED_CONTEXT_KEY]: ambiguousFinding },
    });
    expect(screen(deferred, context('villager')).layers[1]).toMatchObject({ status: 'ambiguous' });
    const quiet = { ...finding, residual: 'none' };
    const silent = candidate('likes apples', { context: { [LEARNED_CONTEXT_KEY]: quiet } });
    expect(screen(silent, context('villager')).violationLayer).toBe('none');
  });
});

describe('L2 workflow rules', () => {
  const trade = {
    tool: 'trade',
    sideEffect: true,
    arguments: { itemId: 'bread', buyerId: 'p1', price: 3 },
  };

  it('defers a trade after closing time', () => {
    const ruleContext = context('merchant', 21);
    const verdict = screen(proposal(ruleContext.agent.id, [trade]), ruleContext);
    expect(verdict.violationLayer).toBe('L2');
    expect(verdict.blocked).toBe(false);
  });

  it('allows a trade in shop hours', () => {
    const ruleContext = context('merchant', 9);
    expect(screen(proposal(ruleContext.agent.id, [trade]), ruleContext).violationLayer).toBe(
      'none',
    );
  });

  it('keeps the gate shut before the quest steps', () => {
    const ruleContext = context('guard');
    const open = { tool: 'open_gate', sideEffect: true, arguments: { playerId: 'p1' } };
    expect(screen(proposal(ruleContext.agent.id, [open]), ruleContext).violationLayer).toBe('L2');
    ruleContext.world.advanceQuest('p1', 2);
    expect(screen(proposal(ruleContext.agent.id, [open]), ruleContext).violationLayer).toBe('none');
  });
});

describe('L3 preference rules', () => {
  it('keeps villagers quiet at night', () => {
    const ruleContext = context('villager', 23);
    const speak = { tool: 'speak', sideEffect: false, arguments: { text: 'hello' } };
    expect(screen(proposal(ruleContext.agent.id, [speak]), ruleContext).violationLayer).toBe('L3');
  });

  it('flags a sale far below list price', () => {
    const ruleContext = context('merchant', 10);
    const cheap = {
      tool: 'trade',
      sideEffect: true,
      arguments: { itemId: 'lantern', buyerId: 'p1', price: 5 },
    };
    expect(screen(proposal(ruleContext.agent.id, [cheap]), ruleContext).violationLayer).toBe('L3');
  });
});
