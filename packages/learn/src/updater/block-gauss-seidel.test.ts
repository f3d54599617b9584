import { isGaltError, SeededRandom } from '@galt/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveWoodbury } from '../solve/woodbury.js';
import { solveBlockGaussSeidel } from './block-gauss-seidel.js';
import { GaltUpdater } from './galt-updater.js';
import type { GaltOptions } from './options.js';
import type { RowValue } from './row-state.js';

function uniform(random: SeededRandom, length: number, low: number, high: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = low + random.nextFloat() * (high - low);
  return out;
}

/** Builds a random local system over `sizes.length` blocks with `k` rows. */
function randomProblem(seed: number, sizes: readonly number[], k: number) {
  const random = new SeededRandom(seed);
  const d = sizes.reduce((a, b) => a + b, 0);
  const slices = sizes.map((size, index) => ({
    offset: sizes.slice(0, index).reduce((a, b) => a + b, 0),
    size,
  }));
  const system = {
    base: uniform(random, d, -1, 1),
    metric: uniform(random, d, 0.5, 2),
    rows: uniform(random, k * d, -1, 1),
    rowCount: k,
    force: uniform(random, k, 0, 2),
    penalty: uniform(random, k, 0.1, 5),
  };
  return { system, slices, d };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const twoBlocks = [
  { name: 'first', parameters: ['a'], size: 3 },
  { name: 'second', parameters: ['b'], size: 4 },
];

function parametersOf(seed: number) {
  const random = new SeededRandom(seed);
  return new Map([
    ['a', Float32Array.from(uniform(random, 3, -1, 1))],
    ['b', Float32Array.from(uniform(random, 4, -1, 1))],
  ]);
}

/** Takes the same three constrained steps with an updater of the given options. */
function runSteps(options: GaltOptions, seed: number) {
  const random = new SeededRandom(seed);
  const parameters = parametersOf(seed);
  const updater = new GaltUpdater(options);
  const jacobians = new Map([
    ['p', Float32Array.from(uniform(random, 7, -1, 1))],
    ['q', Float32Array.from(uniform(random, 7, -1, 1))],
  ]);
  const reports = [];
  for (let step = 0; step < 3; step++) {
    const rows: RowValue[] = [
      { id: 'p', kind: 'retention', hard: false, value: 0.2 },
      { id: 'q', kind: 'safety_probe', hard: true, value: 0.1 },
    ];
    const gradient = Float32Array.from(uniform(random, 7, -1, 1));
    reports.push(updater.step({ parameters, gradient, rows, jacobians }));
  }
  return { parameters, reports, updater };
}

describe('block Gauss–Seidel solve', () => {
  it('equals the joint Woodbury solve with one block', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 5 }), (seed, k) => {
        const { system, d } = randomProblem(seed, [6], k);
        const joint = solveWoodbury(system)!;
        const blocks = solveBlockGaussSeidel(system, [{ offset: 0, size: d }], {
          tolerance: 1e-12,
          maxSweeps: 10,
        })!;
        expect(blocks.displacement).toEqual(joint.displacement);
        expect(blocks.sweeps).toBe(1);
      }),
      { numRuns: 50 },
    );
  });

  it('converges to the joint solve with several blocks', () => {
    const sizes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        sizes,
        fc.integer({ min: 1, max: 4 }),
        (seed, blockSizes, k) => {
          const { system, slices } = randomProblem(seed, blockSizes, k);
          const joint = solveWoodbury(system)!;
          const blocks = solveBlockGaussSeidel(system, slices, {
            tolerance: 1e-13,
            maxSweeps: 20_000,
          })!;
          expect(blocks.residual).toBeLessThanOrEqual(1e-13);
          expect(maxDifference(blocks.displacement, joint.displacement)).toBeLessThan(1e-6);
          expect(maxDifference(blocks.rowForce, joint.rowForce)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stops at the sweep cap and reports the residual it reached', () => {
    const { system, slices } = randomProblem(7, [3, 3, 3], 4);
    const capped = solveBlockGaussSeidel(system, slices, { tolerance: 1e-15, maxSweeps: 2 })!;
    expect(capped.sweeps).toBe(2);
    expect(capped.residual).toBeGreaterThan(1e-15);
  });

  it('takes the Adam step when no row touches any block', () => {
    const { system, slices } = randomProblem(3, [2, 2], 2);
    const zeroRows = { ...system, rows: new Float64Array(system.rows.length) };
    const solved = solveBlockGaussSeidel(zeroRows, slices, { tolerance: 1e-9, maxSweeps: 5 })!;
    expect(solved.displacement).toEqual(system.base);
  });
});

describe('GaltUpdater with blockSolve gauss-seidel', () => {
  it('matches the joint updater step for step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const common = { blocks: twoBlocks, learningRate: 0.01, trustRadius: 1e6 };
        const joint = runSteps(common, seed);
        const sweeps = runSteps(
          { ...common, blockSolve: 'gauss-seidel', blockTolerance: 1e-12, maxBlockSweeps: 10_000 },
          seed,
        );
        for (const name of ['a', 'b']) {
          const difference = maxDifference(
            joint.parameters.get(name)!,
            sweeps.parameters.get(name)!,
          );
          expect(difference).toBeLessThan(1e-5);
        }
        for (const report of sweeps.reports) {
          expect(report.blockSolve).toBe('gauss-seidel');
          expect(report.mode).toBe(report.activeRows.length === 0 ? 'adam' : 'gauss_seidel');
          expect(report.blockResidual).toBeLessThanOrEqual(1e-12);
        }
        expect(joint.reports[0]!.blockSweeps).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  it('respects maxBlockSweeps', () => {
    const { reports } = runSteps(
      { blocks: twoBlocks, blockSolve: 'gauss-seidel', blockTolerance: 1e-15, maxBlockSweeps: 3 },
      5,
    );
    for (const report of reports) expect(report.blockSweeps).toBeLessThanOrEqual(3);
  });

  it('refuses a NaN gradient and changes nothing', () => {
    const options: GaltOptions = { blocks: twoBlocks, blockSolve: 'gauss-seidel' };
    const { parameters, updater } = runSteps(options, 8);
    const before = new Map([...parameters].map(([name, v]) => [name, Float32Array.from(v)]));
    const snapshot = updater.snapshot();
    const gradient = new Float32Array(7);
    gradient[4] = Number.NaN;
    let error: unknown;
    try {
      updater.step({ parameters, gradient, rows: [] });
    } catch (caught) {
      error = caught;
    }
    expect(isGaltError(error, 'non_finite_update')).toBe(true);
    expect(parameters).toEqual(before);
    expect(updater.snapshot()).toEqual(snapshot);
  });

  it('keeps its options through snapshot and restore', () => {
    const options: GaltOptions = {
      blocks: twoBlocks,
      blockSolve: 'gauss-seidel',
      blockTolerance: 1e-7,
      maxBlockSweeps: 12,
      edges: [{ id: 'e', from: 'first', to: 'second', tolerance: 0.1 }],
    };
    const { updater } = runSteps(options, 9);
    const bytes = updater.snapshot();
    const restored = GaltUpdater.restore(bytes);
    expect(restored.options.blockSolve).toBe('gauss-seidel');
    expect(restored.options.maxBlockSweeps).toBe(12);
    expect(restored.options.edges).toEqual(options.edges);
    expect(restored.snapshot()).toEqual(bytes);
  });
});
