import { describe, expect, it } from 'vitest';
import {
  AdjudicationRecordSchema,
  ClientMessageSchema,
  layerFromId,
  layerId,
  MemoryCandidateSchema,
  parseJsonWith,
  parseWith,
  WorldEventSchema,
} from './index.js';

describe('protocol schemas', () => {
  it('accepts a player utterance', () => {
    const result = parseWith(WorldEventSchema, {
      kind: 'player_utterance',
      tick: 3,
      playerId: 'p1',
      zone: 'square',
      text: 'hello',
    });
    expect(result.ok).toBe(true);
  });

  it('rejects a bad event with issue paths', () => {
    const result = parseWith(WorldEventSchema, {
      kind: 'player_utterance',
      tick: -1,
      playerId: '',
      zone: 'square',
      text: 'hello',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path.join('.'));
    expect(paths).toContain('tick');
    expect(paths).toContain('playerId');
  });

  it('reports broken JSON as malformed_json', () => {
    const result = parseJsonWith(ClientMessageSchema, '{"type": "subscribe"');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.code).toBe('malformed_json');
  });

  it('rejects an unknown client message type', () => {
    const result = parseWith(ClientMessageSchema, { type: 'explode' });
    expect(result.ok).toBe(false);
  });

  it('fills memory candidate defaults', () => {
    const result = parseWith(MemoryCandidateSchema, {
      candidateId: 'c1',
      agentId: 'guard',
      subject: 'p1',
      attribute: 'likes',
      content: 'fishing',
      dependencyLayer: 'L3',
      provenance: 'user_sourced',
      consent: 'given',
      tick: 0,
    });
    expect(result.ok && result.value.importance).toBe(0.5);
  });

  it('rejects a gate outside [0, 1]', () => {
    const result = AdjudicationRecordSchema.safeParse({
      candidateId: 'c',
      agentId: 'a',
      subject: 's',
      decision: 'accept',
      gate: 1.5,
      decidingLayer: 'L3',
      dependencyLayer: 'L3',
      violationLayer: 'none',
      residual: 'none',
      reasons: [],
      verdicts: [],
      tick: 0,
    });
    expect(result.success).toBe(false);
  });

  it('maps layer ids both ways', () => {
    for (const id of [0, 1, 2, 3, 4]) expect(layerId(layerFromId(id))).toBe(id);
    expect(() => layerFromId(7)).toThrow(RangeError);
  });
});
