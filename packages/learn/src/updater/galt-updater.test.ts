import { isGaltError, SeededRandom } from '@galt/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdamOptimizer } from '../train/adam-optimizer.js';
import { GaltUpdater } from './galt-updater.js';
import type { RowValue } from './row-state.js';

function randomVector(random: SeededRandom, length: number, scale = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (random.nextFloat() * 2 - 1) * scale;
  return out;
}

function twoBlockParameters(random: SeededRandom) {
  return new Map([
    ['a', randomVector(random, 3)],
    ['b', randomVector(random, 4)],
  ]);
}

const blocks = [
  { name: 'first', parameters: ['a'], size: 3 },
  { name: 'second', parameters: ['b'], size: 4 },
];

/** Linear row C(θ) = ⟨a, θ⟩ − c with its exact Jacobian. */
function linearRow(
  id: string,
  coefficients: Float32Array,
  offset: number,
  theta: Float32Array,
): RowValue {
  let value = -offset;
  for (let i = 0; i < theta.length; i++) value += coefficients[i]! * theta[i]!;
  return { id, kind: 'safety_probe', hard: true, value };
}

function flat(parameters: Map<string, Float32Array>): Float32Array {
  return Float32Array.of(...parameters.get('a')!, ...parameters.get('b')!);
}

describe('GaltUpdater', () => {
  it('takes exactly the Adam step with no rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const random = new SeededRandom(seed);
        const galtParameters = twoBlockParameters(random);
        const adamParameters = new Map(
          [...galtParameters].map(([k, v]) => [k, Float32Array.from(v)]),
        );
        const updater = new GaltUpdater({ blocks, learningRate: 0.01, trustRadius: 1e6 });
        const adam = new AdamOptimizer(7, { learningRate: 0.01 });
        for (let step = 0; step < 5; step++) {
          const gradient = randomVector(random, 7);
          updater.step({ parameters: galtParameters, gradient, rows: [] });
          adam.step([adamParameters.get('a')!, adamParameters.get('b')!], gradient);
        }
        expect(flat(galtParameters)).toEqual(flat(adamParameters));
      }),
      { numRuns: 50 },
    );
  });

  it('drives a violated linear row to the boundary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const random = new SeededRandom(seed);
        const parameters = twoBlockParameters(random);
        const coefficients = randomVector(random, 7);
        const theta = flat(parameters);
        const start = linearRow('probe', coefficients, 0, theta).value;
        const offset = start - 0.05;
        const updater = new GaltUpdater({
          blocks,
          learningRate: 0.01,
          initialRho: 1e6,
          trustRadius: 1e4,
        });
        const row = linearRow('probe', coefficients, offset, theta);
        expect(row.value).toBeGreaterThan(0);
        updater.step({
          parameters,
          gradient: randomVector(random, 7, 0.1),
          rows: [row],
          jacobians: new Map([['probe', coefficients]]),
        });
        const after = linearRow('probe', coefficients, offset, flat(parameters)).value;
        expect(after).toBeLessThan(1e-3);
      }),
      { numRuns: 50 },
    );
  });

  it('splits one row across two blocks with a shared dual', () => {
    const random = new SeededRandom(4);
    const parameters = twoBlockParameters(random);
    const coefficients = Float32Array.of(1, 1, 1, 1, 1, 1, 1);
    const theta = flat(parameters);
    const offset = linearRow('r', coefficients, 0, theta).value - 0.1;
    const updater = new GaltUpdater({ blocks, initialRho: 1e8, trustRadius: 1e6 });
    const before = flat(parameters);
    updater.step({
      parameters,
      gradient: new Float32Array(7),
      rows: [linearRow('r', coefficients, offset, theta)],
      jacobians: new Map([['r', coefficients]]),
    });
    const after = flat(parameters);
    let moved = 0;
    for (let i = 0; i < 7; i++) moved += after[i]! - before[i]!;
    // The whole correction of −0.1 is shared, not applied once per block (which would give −0.2).
    expect(moved).toBeCloseTo(-0.1, 3);
  });

  it('refuses NaN and leaves everything unchanged', () => {
    const random = new SeededRandom(9);
    const parameters = twoBlockParameters(random);
    const updater = new GaltUpdater({ blocks });
    updater.step({ parameters, gradient: randomVector(random, 7), rows: [] });
    const before = flat(parameters);
    const snapshot = updater.snapshot();
    const gradient = randomVector(random, 7);
    gradient[2] = Number.NaN;
    let error: unknown;
    try {
      updater.step({ parameters, gradient, rows: [] });
    } catch (caught) {
      error = caught;
    }
    expect(isGaltError(error, 'non_finite_update')).toBe(true);
    expect(flat(parameters)).toEqual(before);
    expect(updater.snapshot()).toEqual(snapshot);
  });

  it('refuses an infinite row value', () => {
    const random = new SeededRandom(10);
    const parameters = twoBlockParameters(random);
    const updater = new GaltUpdater({ blocks });
    const rows: RowValue[] = [
      { id: 'x', kind: 'retention', hard: false, value: Number.POSITIVE_INFINITY },
    ];
    expect(() => updater.step({ parameters, gradient: new Float32Array(7), rows })).toThrow(
      /non-finite/,
    );
  });

  it('rejects a zero penalty in the options', () => {
    expect(() => new GaltUpdater({ blocks, initialRho: 0 })).toThrow(
      /invalid GALT updater options/,
    );
  });

  it('keeps the active set with hysteresis', () => {
    const random = new SeededRandom(11);
    const parameters = twoBlockParameters(random);
    const updater = new GaltUpdater({ blocks, enterMargin: 0.1, exitMargin: 0.5 });
    const jacobians = new Map([['h', randomVector(random, 7)]]);
    const at = (value: number): RowValue[] => [
      { id: 'h', kind: 'memory_probe', hard: true, value },
    ];
    updater.step({ parameters, gradient: new Float32Array(7), rows: at(-0.05), jacobians });
    expect(updater.rowState('h')?.active).toBe(true);
    updater.step({ parameters, gradient: new Float32Array(7), rows: at(-0.3), jacobians });
    expect(updater.rowState('h')?.active).toBe(true);
    updater.step({ parameters, gradient: new Float32Array(7), rows: at(-0.6), jacobians });
    expect(updater.rowState('h')?.active).toBe(false);
  });

  it('grows λ and ρ on a stalled violation and decays ρ once clear', () => {
    const random = new SeededRandom(12);
    const parameters = twoBlockParameters(random);
    const updater = new GaltUpdater({ blocks, initialRho: 4, rhoFloor: 1 });
    const jacobians = new Map([['s', new Float32Array(7)]]);
    const at = (value: number): RowValue[] => [
      { id: 's', kind: 'safety_probe', hard: true, value },
    ];
    updater.step({ parameters, gradient: new Float32Array(7), rows: at(1), jacobians });
    updater.step({ parameters, gradient: new Float32Array(7), rows: at(1), jacobians });
    expect(updater.rowState('s')?.lambda).toBe(4);
    updater.step({ parameters, gradient: new Float32Array(7), rows: at(1), jacobians });
    expect(updater.rowState('s')?.rho).toBe(8);
    updater.step({ parameters, gradient: new Float32Array(7), rows: at(-1), jacobians });
    expect(updater.rowState('s')?.rho).toBe(4);
  });

  it('restores a snapshot bit for bit and continues identically', () => {
    const random = new SeededRandom(13);
    const parameters = twoBlockParameters(random);
    const updater = new GaltUpdater({ blocks, proximalWeight: 0.1, outerPeriod: 2 });
    const coefficients = randomVector(random, 7);
    const run = (target: GaltUpdater, values: Map<string, Float32Array>, seed: number) => {
      const stepRandom = new SeededRandom(seed);
      for (let step = 0; step < 3; step++) {
        const row = linearRow('p', coefficients, -0.01, flat(values));
        target.step({
          parameters: values,
          gradient: randomVector(stepRandom, 7),
          rows: [row],
          jacobians: new Map([['p', coefficients]]),
        });
      }
    };
    run(updater, parameters, 1);
    const bytes = updater.snapshot();
    const restored = GaltUpdater.restore(bytes);
    expect(restored.snapshot()).toEqual(bytes);
    const copy = new Map([...parameters].map(([k, v]) => [k, Float32Array.from(v)]));
    run(updater, parameters, 2);
    run(restored, copy, 2);
    expect(flat(copy)).toEqual(flat(parameters));
    expect(restored.snapshot()).toEqual(updater.snapshot());
  });

  it('rejects corrupted snapshot bytes', () => {
    const updater = new GaltUpdater({ blocks });
    const bytes = updater.snapshot();
    expect(() => GaltUpdater.restore(bytes.subarray(0, bytes.length - 8))).toThrow(
      /invalid updater snapshot/,
    );
    expect(() => GaltUpdater.restore(new Uint8Array(4))).toThrow(/invalid updater snapshot/);
  });

  it('rejects duplicate ids and mistyped edges', () => {
    const random = new SeededRandom(3);
    const parameters = twoBlockParameters(random);
    const before = flat(parameters);
    const updater = new GaltUpdater({ blocks });
    const gradient = randomVector(random, 7);
    const twice: RowValue[] = [
      { id: 'r', kind: 'safety_probe', hard: true, value: 1 },
      { id: 'r', kind: 'retention', hard: false, value: -5 },
    ];
    expect(() => updater.step({ parameters, gradient, rows: twice })).toThrow(/appears twice/);
    const edgeRow: RowValue = { id: 'e', kind: 'retention', hard: false, value: 0, edge: 'x' };
    expect(() => updater.step({ parameters, gradient, rows: [edgeRow] })).toThrow(/kind retention/);
    expect(flat(parameters)).toEqual(before);
    expect(updater.stepCount).toBe(0);
  });

  it('late NaN refusal leaves no trace', () => {
    const random = new SeededRandom(4);
    const parameters = twoBlockParameters(random);
    const twin = new Map(
      [...parameters].map(([name, values]) => [name, Float32Array.from(values)]),
    );
    const updater = new GaltUpdater({ blocks, learningRate: 0.01 });
    const untouched = new GaltUpdater({ blocks, learningRate: 0.01 });
    const gradients = [randomVector(random, 7), randomVector(random, 7), randomVector(random, 7)];
    updater.step({ parameters, gradient: gradients[0]!, rows: [] });
    untouched.step({ parameters: twin, gradient: gradients[0]!, rows: [] });

    // The overflow is found only after the moments and direction were computed.
    const saved = parameters.get('b')![0]!;
    parameters.get('b')![0] = Number.NaN;
    expect(() => updater.step({ parameters, gradient: gradients[1]!, rows: [] })).toThrow(
      /parameter b contains NaN or Infinity/,
    );
    parameters.get('b')![0] = saved;
    for (const gradient of gradients.slice(1)) {
      updater.step({ parameters, gradient, rows: [] });
      untouched.step({ parameters: twin, gradient, rows: [] });
    }
    expect(flat(parameters)).toEqual(flat(twin));
    expect(updater.snapshot()).toEqual(untouched.snapshot());
  });
});
