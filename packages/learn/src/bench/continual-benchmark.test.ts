import { isGaltError } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { runContinualBenchmark } from './continual-benchmark.js';
import { resolveContinualOptions } from './continual-options.js';
import { loadFashionMnist } from './datasets.js';
import { DEFAULT_DER_WEIGHTS } from './methods/derpp.js';
import type { GaltContinualOptions } from './methods/galt-continual.js';

describe('runContinualBenchmark', () => {
  it('keeps GALT rows and accuracy in quick mode', async () => {
    let clock = 0;
    const result = await runContinualBenchmark({
      quick: true,
      seeds: [0],
      methods: ['finetune', 'derpp', 'galt'],
      now: () => clock++,
    });
    expect(result.runs).toHaveLength(3);
    const byMethod = new Map(result.summary.map((summary) => [summary.method, summary]));
    const finetune = byMethod.get('finetune')!.finalAccuracy.mean;
    const galt = byMethod.get('galt')!;
    expect(galt.finalAccuracy.mean).toBeGreaterThan(finetune + 30);
    expect(galt.gradientEvaluationsPerStep).toBeLessThanOrEqual(
      1.5 * byMethod.get('derpp')!.gradientEvaluationsPerStep,
    );
    const galtRun = result.runs.find((run) => run.method === 'galt')!;
    expect(galtRun.constraintSatisfaction).toHaveLength(4);
    for (const pair of galtRun.constraintSatisfaction!) expect(pair.satisfied).toBe(pair.rows);
    for (const run of result.runs) {
      expect(run.accuracyMatrix).toHaveLength(5);
      expect(run.accuracyMatrix[0]![0]!).toBeGreaterThan(0.9);
    }
  });

  it('keeps each old task above its recorded accuracy', async () => {
    // Final accuracy of tasks 0-3 in quick mode, seed 0, as measured when this test was written,
    // minus 0.1 of slack. A change that silently costs an old task more than that fails here,
    // naming the method and the task.
    const floors: Record<string, readonly number[]> = {
      derpp: [0.86, 0.5, 0.44, 0.82],
      galt: [0.86, 0.7, 0.72, 0.83],
    };
    const result = await runContinualBenchmark({
      quick: true,
      seeds: [0],
      methods: ['derpp', 'galt'],
    });
    for (const run of result.runs) {
      const finalRow = run.accuracyMatrix.at(-1)!;
      const methodFloors = floors[run.method]!;
      methodFloors.forEach((floor, task) => {
        expect(finalRow[task], `${run.method} task ${task}`).toBeGreaterThanOrEqual(floor);
      });
    }
  });

  it('lowers forgetting with the asymmetric task term', async () => {
    const run = async (galt: GaltContinualOptions) => {
      const result = await runContinualBenchmark({
        quick: true,
        seeds: [0],
        methods: ['galt'],
        galt,
      });
      return result.runs[0]!;
    };
    const asymmetric = await run({});
    const full = await run({ incomingLoss: 'full', incomingRows: 0, der: DEFAULT_DER_WEIGHTS });
    expect(asymmetric.forgetting).toBeLessThan(full.forgetting);
    expect(asymmetric.finalAccuracy).toBeGreaterThan(full.finalAccuracy);
  });

  it('runs GALT with interface edge rows and Gauss–Seidel blocks in quick mode', async () => {
    const result = await runContinualBenchmark({
      quick: true,
      seeds: [0],
      methods: ['finetune', 'galt'],
      galt: {
        interfaceRows: 16,
        interfaceTolerance: 0.05,
        updater: { blockSolve: 'gauss-seidel' },
      },
    });
    const [finetune, galt] = result.runs;
    expect(galt!.finalAccuracy).toBeGreaterThan(finetune!.finalAccuracy + 30);
    // 16 anchors per hidden layer (one here) add half a gradient evaluation at batch 32.
    expect(galt!.gradientEvaluationsPerStep).toBeGreaterThan(2.1);
    for (const pair of galt!.constraintSatisfaction!) {
      expect(pair.satisfied).toBe(pair.rows);
      expect(typeof pair.interfacesSatisfied).toBe('boolean');
    }
    expect(galt!.blockSweeps!.perStep).toBeGreaterThan(1);
  });

  it('refuses interface rows on the prototype suite', async () => {
    await expect(
      runContinualBenchmark({
        suite: 'prototype',
        quick: true,
        seeds: [0],
        methods: ['galt'],
        galt: { interfaceRows: 8 },
      }),
    ).rejects.toThrow(/interface rows need the MLP/);
  });

  it('rejects a negative interfaceRows', async () => {
    await expect(
      runContinualBenchmark({
        quick: true,
        seeds: [0],
        methods: ['galt'],
        galt: { interfaceRows: -1 },
      }),
    ).rejects.toThrow(/invalid galt.interfaceRows -1/);
  });

  it('runs the prototype suite in quick mode', async () => {
    const result = await runContinualBenchmark({
      suite: 'prototype',
      quick: true,
      seeds: [0],
      methods: ['finetune', 'galt'],
    });
    expect(result.layers).toEqual([784, 256, 128, 10]);
    const finetune = result.runs.find((run) => run.method === 'finetune')!;
    const galt = result.runs.find((run) => run.method === 'galt')!;
    expect(galt.accuracyMatrix).toHaveLength(2);
    expect(galt.accuracyMatrix[1]![0]!).toBeGreaterThan(finetune.accuracyMatrix[1]![0]!);
    for (const pair of galt.constraintSatisfaction!) expect(pair.satisfied).toBe(pair.rows);
  });

  it('accepts only test or validation evaluation', () => {
    expect(resolveContinualOptions({ evaluation: 'validation' }).evaluation).toBe('validation');
    expect(resolveContinualOptions({}).evaluation).toBe('test');
    expect(() => resolveContinualOptions({ evaluation: 'train' as never })).toThrow(
      /invalid continual benchmark options/,
    );
  });

  it('rejects an unknown method', async () => {
    await expect(runContinualBenchmark({ methods: ['sgd' as never] })).rejects.toThrow(
      /invalid continual benchmark options/,
    );
  });

  it('names the package when Fashion-MNIST is missing', () => {
    let error: unknown;
    try {
      loadFashionMnist('/nonexistent/fashion-mnist');
    } catch (caught) {
      error = caught;
    }
    expect(isGaltError(error, 'not_found')).toBe(true);
    expect((error as { remedy?: string }).remedy).toMatch(/apt-get install dataset-fashion-mnist/);
  });
});
