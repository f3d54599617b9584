import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionNumber } from './cholesky.js';
import { solveDense } from './dense-solve.js';
import { type LocalSystem, solveWoodbury } from './woodbury.js';

const finite = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const systemArbitrary = fc
  .record({ d: fc.integer({ min: 1, max: 8 }), k: fc.integer({ min: 1, max: 5 }) })
  .chain(({ d, k }) =>
    fc.record({
      base: fc.array(finite(-5, 5), { minLength: d, maxLength: d }),
      metric: fc.array(finite(0.05, 20), { minLength: d, maxLength: d }),
      rows: fc.array(finite(-3, 3), { minLength: k * d, maxLength: k * d }),
      force: fc.array(finite(-10, 10), { minLength: k, maxLength: k }),
      penalty: fc.array(finite(0.01, 100), { minLength: k, maxLength: k }),
      k: fc.constant(k),
    }),
  )
  .map(
    (raw): LocalSystem => ({
      base: Float64Array.from(raw.base),
      metric: Float64Array.from(raw.metric),
      rows: Float64Array.from(raw.rows),
      rowCount: raw.k,
      force: Float64Array.from(raw.force),
      penalty: Float64Array.from(raw.penalty),
    }),
  );

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}

describe('solveWoodbury', () => {
  it('matches the dense solve of the same system', () => {
    fc.assert(
      fc.property(systemArbitrary, (system) => {
        const woodbury = solveWoodbury(system);
        const dense = solveDense(system);
        expect(woodbury).not.toBeNull();
        expect(dense).not.toBeNull();
        const scale = Math.max(1, maxAbs(dense!));
        for (let i = 0; i < dense!.length; i++) {
          expect(Math.abs(woodbury!.displacement[i]! - dense![i]!)).toBeLessThan(1e-7 * scale);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('returns the base step exactly with no rows', () => {
    fc.assert(
      fc.property(fc.array(finite(-5, 5), { minLength: 1, maxLength: 10 }), (base) => {
        const system: LocalSystem = {
          base: Float64Array.from(base),
          metric: new Float64Array(base.length).fill(0.3),
          rows: new Float64Array(0),
          rowCount: 0,
          force: new Float64Array(0),
          penalty: new Float64Array(0),
        };
        const solution = solveWoodbury(system);
        expect(solution?.mode).toBe('adam');
        expect(Array.from(solution!.displacement)).toEqual(base);
      }),
    );
  });

  it('names the mode by row count', () => {
    const one: LocalSystem = {
      base: Float64Array.of(1, 2),
      metric: Float64Array.of(1, 1),
      rows: Float64Array.of(1, 0),
      rowCount: 1,
      force: Float64Array.of(1),
      penalty: Float64Array.of(1),
    };
    expect(solveWoodbury(one)?.mode).toBe('sherman_morrison');
    const two = {
      ...one,
      rows: Float64Array.of(1, 0, 0, 1),
      rowCount: 2,
      force: Float64Array.of(1, 1),
      penalty: Float64Array.of(1, 1),
    };
    expect(solveWoodbury(two)?.mode).toBe('woodbury');
  });

  it('enforces a stiff row to first order', () => {
    // With ρ → ∞ and f = ρ·C the linearised row value C + ⟨J, δ⟩ goes to 0.
    const value = 0.7;
    const rho = 1e8;
    const system: LocalSystem = {
      base: Float64Array.of(0.5, -0.2, 0.1),
      metric: Float64Array.of(1, 2, 3),
      rows: Float64Array.of(1, -1, 2),
      rowCount: 1,
      force: Float64Array.of(rho * value),
      penalty: Float64Array.of(rho),
    };
    const { displacement } = solveWoodbury(system)!;
    const predicted = value + displacement[0]! - displacement[1]! + 2 * displacement[2]!;
    expect(Math.abs(predicted)).toBeLessThan(1e-6);
  });

  it('adds jitter to duplicate rows at a huge penalty', () => {
    const system: LocalSystem = {
      base: Float64Array.of(1, 1),
      metric: Float64Array.of(1, 1),
      rows: Float64Array.of(1, 1, 1, 1),
      rowCount: 2,
      force: Float64Array.of(1, 1),
      penalty: Float64Array.of(1e300, 1e300),
    };
    const solution = solveWoodbury(system);
    expect(solution?.mode).toBe('woodbury_jitter');
    expect(solution!.jitter).toBeGreaterThan(0);
  });

  it('returns null on non-finite input', () => {
    const system: LocalSystem = {
      base: Float64Array.of(1),
      metric: Float64Array.of(1),
      rows: Float64Array.of(Number.NaN),
      rowCount: 1,
      force: Float64Array.of(1),
      penalty: Float64Array.of(1),
    };
    expect(solveWoodbury(system)).toBeNull();
  });
});

describe('conditionNumber', () => {
  it('is the eigenvalue ratio of a diagonal matrix', () => {
    expect(conditionNumber(Float64Array.of(4, 0, 0, 0.5), 2)).toBeCloseTo(8, 10);
  });
});
