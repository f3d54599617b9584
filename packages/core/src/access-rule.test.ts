import { SAFETY_LAYERS, type SafetyLayer, type ViolationLayer } from '@galt/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideAccess,
  filterAccessible,
  globalFlushGate,
  sameLayerOnlyGate,
} from './access-rule.js';

const VIOLATION_LAYERS: readonly ViolationLayer[] = [...SAFETY_LAYERS, 'none'];
const memoryLayer = fc.constantFrom(...SAFETY_LAYERS);
const violationLayer = fc.constantFrom(...VIOLATION_LAYERS);

/** All 20 (memory layer, violation layer) pairs with the expected hierarchical decision. */
const GRID = SAFETY_LAYERS.flatMap((m, mIndex) =>
  VIOLATION_LAYERS.map((v, vIndex) => ({
    m,
    v,
    expected: v !== 'none' && vIndex <= mIndex ? 'quarantine' : 'access',
  })),
);

describe('decideAccess', () => {
  it('matches the rule on all 20 pairs', () => {
    expect(GRID).toHaveLength(20);
    for (const { m, v, expected } of GRID) expect(decideAccess(m, v), `${m}/${v}`).toBe(expected);
  });

  it('always grants access without a violation', () => {
    fc.assert(fc.property(memoryLayer, (m) => decideAccess(m, 'none') === 'access'));
  });

  it('quarantines every memory on an L0 violation', () => {
    fc.assert(fc.property(memoryLayer, (m) => decideAccess(m, 'L0') === 'quarantine'));
  });

  it('is monotone in the memory layer', () => {
    // A memory resting on a higher layer depends on everything below it, so it is never safer.
    fc.assert(
      fc.property(memoryLayer, memoryLayer, violationLayer, (a, b, v) => {
        const [low, high] = SAFETY_LAYERS.indexOf(a) <= SAFETY_LAYERS.indexOf(b) ? [a, b] : [b, a];
        if (decideAccess(low, v) === 'quarantine') expect(decideAccess(high, v)).toBe('quarantine');
      }),
    );
  });

  it('is monotone in the violation layer', () => {
    fc.assert(
      fc.property(memoryLayer, violationLayer, violationLayer, (m, a, b) => {
        const rank = (layer: ViolationLayer) => VIOLATION_LAYERS.indexOf(layer);
        const [low, high] = rank(a) <= rank(b) ? [a, b] : [b, a];
        if (decideAccess(m, high) === 'quarantine') expect(decideAccess(m, low)).toBe('quarantine');
      }),
    );
  });
});

describe('simpler gates', () => {
  it('same-layer-only gate misses exactly the bottom-up cases', () => {
    const disagreements = GRID.filter(({ m, v }) => sameLayerOnlyGate(m, v) !== decideAccess(m, v));
    const expected = GRID.filter(
      ({ m, v }) =>
        v !== 'none' && SAFETY_LAYERS.indexOf(v as SafetyLayer) < SAFETY_LAYERS.indexOf(m),
    );
    expect(disagreements).toEqual(expected);
    expect(disagreements).toHaveLength(6);
    for (const { m, v } of disagreements) expect(sameLayerOnlyGate(m, v)).toBe('access');
  });

  it('global flush gate breaks exactly the top-down cases', () => {
    const disagreements = GRID.filter(({ m, v }) => globalFlushGate(m, v) !== decideAccess(m, v));
    const expected = GRID.filter(
      ({ m, v }) =>
        v !== 'none' && SAFETY_LAYERS.indexOf(v as SafetyLayer) > SAFETY_LAYERS.indexOf(m),
    );
    expect(disagreements).toEqual(expected);
    expect(disagreements).toHaveLength(6);
    for (const { m, v } of disagreements) expect(globalFlushGate(m, v)).toBe('quarantine');
  });

  it('all three gates agree without a violation and on the diagonal', () => {
    fc.assert(
      fc.property(memoryLayer, (m) => {
        for (const v of ['none', m] as const) {
          expect(sameLayerOnlyGate(m, v)).toBe(decideAccess(m, v));
          expect(globalFlushGate(m, v)).toBe(decideAccess(m, v));
        }
      }),
    );
  });
});

describe('filterAccessible', () => {
  const records = SAFETY_LAYERS.map((layer) => ({ id: layer, dependencyLayer: layer }));

  it('splits records by the hierarchical rule, keeping order', () => {
    const { accessible, quarantined } = filterAccessible(records, 'L2');
    expect(accessible.map((record) => record.id)).toEqual(['L0', 'L1']);
    expect(quarantined.map((record) => record.id)).toEqual(['L2', 'L3']);
  });

  it('accepts a comparison gate', () => {
    const { quarantined } = filterAccessible(records, 'L2', sameLayerOnlyGate);
    expect(quarantined.map((record) => record.id)).toEqual(['L2']);
  });

  it('partitions every record exactly once', () => {
    fc.assert(
      fc.property(fc.array(memoryLayer), violationLayer, (layers, v) => {
        const input = layers.map((dependencyLayer, id) => ({ id, dependencyLayer }));
        const { accessible, quarantined } = filterAccessible(input, v);
        expect(accessible.length + quarantined.length).toBe(input.length);
        for (const record of accessible)
          expect(decideAccess(record.dependencyLayer, v)).toBe('access');
        for (const record of quarantined) {
          expect(decideAccess(record.dependencyLayer, v)).toBe('quarantine');
        }
      }),
    );
  });
});
