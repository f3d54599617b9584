import { WorldEventSchema } from '@galt/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyPlainUtterance } from './world-event-shape.js';

const utterance = {
  kind: 'player_utterance',
  tick: 4,
  playerId: 'p1',
  agentId: 'smith',
  zone: 'square',
  text: 'Good morning!',
  attributes: { fact: 'likes fishing', attribute: 'hobby' },
};

/** Values near the utterance shape: wrong types, bounds and odd objects. */
const oddValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant('x'.repeat(201)),
  fc.constant('y'.repeat(20_001)),
  fc.constant(-1),
  fc.constant(2.5),
  fc.constant(Number.NaN),
  fc.constant(2 ** 53),
  fc.constant([]),
  fc.constant({}),
  fc.constant(JSON.parse('{"__proto__": "x"}')),
  fc.constant(Object.create({ inherited: 'x' })),
  fc.constant({ count: 1 }),
  fc.string(),
  fc.integer(),
);
function mostly<T>(valid: fc.Arbitrary<T>) {
  return fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: oddValue, weight: 1 });
}
const idValue = mostly(fc.constantFrom('p1', 'smith', 'square'));
const baseUtterance = fc.record(
  {
    kind: mostly(fc.constantFrom('player_utterance', 'player_utterance', 'time_tick')),
    tick: mostly(fc.nat(1000)),
    playerId: idValue,
    agentId: idValue,
    zone: idValue,
    text: mostly(fc.string()),
    attributes: mostly(fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 })),
  },
  { requiredKeys: ['kind', 'tick', 'playerId', 'zone', 'text'] },
);
/** Sometimes carries a key the schema strips, which the plain path leaves to the schema. */
const utteranceValue = fc.oneof(
  { arbitrary: baseUtterance, weight: 5 },
  {
    arbitrary: fc.tuple(baseUtterance, oddValue).map(([value, extra]) => ({ ...value, extra })),
    weight: 1,
  },
);

describe('copyPlainUtterance', () => {
  it('copies an utterance like the schema', () => {
    const copied = copyPlainUtterance(utterance);
    expect(copied).toStrictEqual(WorldEventSchema.parse(utterance));
    expect(copied).not.toBe(utterance);
    expect(copied?.attributes).not.toBe(utterance.attributes);
  });

  it('leaves other shapes to the schema', () => {
    expect(copyPlainUtterance({ kind: 'time_tick', tick: 1 })).toBeNull();
    expect(copyPlainUtterance({ ...utterance, mood: 'happy' })).toBeNull();
    expect(copyPlainUtterance({ ...utterance, attributes: { count: 1 } })).toBeNull();
    expect(copyPlainUtterance(JSON.parse('{"__proto__": {}}'))).toBeNull();
  });

  it('accepts only what the schema accepts, with equal output', () => {
    fc.assert(
      fc.property(utteranceValue, (raw) => {
        const copied = copyPlainUtterance(raw);
        if (copied === null) return;
        const parsed = WorldEventSchema.safeParse(raw);
        expect(parsed.success).toBe(true);
        expect(copied).toStrictEqual(parsed.data);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the plain path usually', () => {
    const accepted = fc
      .sample(utteranceValue, { numRuns: 1000, seed: 3 })
      .filter((raw) => copyPlainUtterance(raw) !== null);
    expect(accepted.length).toBeGreaterThan(100);
  });
});
