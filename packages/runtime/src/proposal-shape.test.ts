import { TaskProposalSchema } from '@galt/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyPlainProposal } from './proposal-shape.js';

const plainProposal = {
  agentId: 'smith',
  tick: 3,
  action: { agentId: 'smith', tick: 3, kind: 'speak', utterance: 'Hello.' },
  replyChunks: ['Hello', ' there.'],
};

/** Values that are near the proposal shape: right fields with wrong or odd values mixed in. */
const oddValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant('x'.repeat(201)),
  fc.constant(-1),
  fc.constant(1.5),
  fc.constant(Number.NaN),
  fc.constant([]),
  fc.constant([1]),
  fc.constant({}),
  fc.string(),
  fc.integer(),
);
/** Mostly valid values, so that a fair share of generated proposals is accepted. */
function mostly<T>(valid: fc.Arbitrary<T>, weight = 6) {
  return fc.oneof({ arbitrary: valid, weight }, { arbitrary: oddValue, weight: 1 });
}

/** Sometimes adds a key that the plain path leaves to the schema. */
function sometimesWith<T extends object>(base: fc.Arbitrary<T>, key: string) {
  const extended = fc
    .tuple(base, oddValue)
    .map(([value, extra]) => ({ ...value, [key]: extra ?? { note: 1 } }));
  return fc.oneof({ arbitrary: base, weight: 5 }, { arbitrary: extended, weight: 1 });
}
const idValue = mostly(fc.constantFrom('smith', 'npc-1'));
const tickValue = mostly(fc.nat(1000));
const actionValue = fc.oneof(
  { arbitrary: oddValue, weight: 1 },
  {
    arbitrary: sometimesWith(
      fc.record(
        {
          agentId: idValue,
          tick: tickValue,
          kind: mostly(fc.constantFrom('speak', 'idle', 'trade', 'dance')),
          targetId: idValue,
          zone: idValue,
          utterance: mostly(fc.string()),
          toolCalls: mostly(fc.constant([])),
          extra: oddValue,
        },
        { requiredKeys: ['agentId', 'tick', 'kind'] },
      ),
      'extra',
    ),
    weight: 6,
  },
);
const candidateValue = fc.oneof(
  { arbitrary: oddValue, weight: 1 },
  {
    arbitrary: sometimesWith(
      fc.record(
        {
          candidateId: mostly(fc.constantFrom('c1', 'c2'), 30),
          agentId: mostly(fc.constant('smith'), 30),
          subject: mostly(fc.constantFrom('p1', 'smith'), 30),
          attribute: mostly(fc.constantFrom('hobby', 'title'), 30),
          content: mostly(fc.string({ minLength: 1, maxLength: 20 }), 30),
          dependencyLayer: mostly(fc.constantFrom('L0', 'L3', 'L3', 'L3', 'L4'), 30),
          provenance: mostly(
            fc.constantFrom('user_sourced', 'self_originated', 'world_observed', 'rumour'),
            30,
          ),
          consent: mostly(fc.constantFrom('given', 'withdrawn', 'given', 'maybe'), 30),
          importance: mostly(fc.oneof(fc.double({ min: -1, max: 2 }), fc.constant(0.5)), 30),
          tick: mostly(fc.nat(1000), 30),
        },
        {
          requiredKeys: [
            'candidateId',
            'agentId',
            'subject',
            'attribute',
            'content',
            'dependencyLayer',
            'provenance',
            'consent',
            'tick',
          ],
        },
      ),
      'context',
    ),
    weight: 6,
  },
);
const proposalValue = sometimesWith(
  fc.record(
    {
      agentId: idValue,
      tick: tickValue,
      action: actionValue,
      replyChunks: mostly(fc.array(fc.string(), { maxLength: 3 })),
      memoryCandidates: mostly(
        fc.oneof(fc.constant([]), fc.array(candidateValue, { maxLength: 2 })),
      ),
    },
    { requiredKeys: ['agentId', 'tick', 'action'] },
  ),
  'scores',
);

describe('copyPlainProposal', () => {
  it('copies a plain proposal as the schema parses it', () => {
    const copied = copyPlainProposal(plainProposal);
    expect(copied).toEqual(TaskProposalSchema.parse(plainProposal));
    expect(copied?.action).not.toBe(plainProposal.action);
    expect(copied?.replyChunks).not.toBe(plainProposal.replyChunks);
  });

  it('leaves tool calls, scores and candidate context to the schema', () => {
    const call = {
      callId: 'c1',
      agentId: 'smith',
      tool: 'give_item',
      arguments: {},
      sideEffect: true,
    };
    const withCall = { ...plainProposal, action: { ...plainProposal.action, toolCalls: [call] } };
    expect(copyPlainProposal(withCall)).toBeNull();
    expect(copyPlainProposal({ ...plainProposal, scores: { speak: 1 } })).toBeNull();
    const candidate = {
      candidateId: 'c1',
      agentId: 'smith',
      subject: 'p1',
      attribute: 'hobby',
      content: 'fishing',
      dependencyLayer: 'L3',
      provenance: 'user_sourced',
      consent: 'given',
      tick: 3,
    };
    const withCandidate = { ...plainProposal, memoryCandidates: [candidate] };
    expect(copyPlainProposal(withCandidate)).toEqual(TaskProposalSchema.parse(withCandidate));
    const withContext = { ...plainProposal, memoryCandidates: [{ ...candidate, context: {} }] };
    expect(copyPlainProposal(withContext)).toBeNull();
  });

  it('accepts only what the schema accepts, with equal output', () => {
    fc.assert(
      fc.property(proposalValue, (raw) => {
        const copied = copyPlainProposal(raw);
        if (copied === null) return;
        const parsed = TaskProposalSchema.safeParse(raw);
        expect(parsed.success).toBe(true);
        expect(copied).toStrictEqual(parsed.data);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the plain path for some generated proposals', () => {
    const accepted = fc
      .sample(proposalValue, { numRuns: 2000, seed: 1 })
      .filter((raw) => copyPlainProposal(raw) !== null);
    expect(accepted.length).toBeGreaterThan(10);
    const withCandidates = accepted.filter(
      (raw) => (copyPlainProposal(raw)?.memoryCandidates.length ?? 0) > 0,
    );
    expect(withCandidates.length).toBeGreaterThan(0);
  });
});
