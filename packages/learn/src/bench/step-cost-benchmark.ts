import { performance } from 'node:perf_hooks';
import { GaltError, SeededRandom } from '@galt/core';
import { AdamOptimizer } from '../train/adam-optimizer.js';
import { GaltUpdater } from '../updater/galt-updater.js';
import type { ParameterBlock } from '../updater/options.js';
import type { RowValue } from '../updater/row-state.js';

/**
 * Layer widths whose MLP has about 50,000 parameters, the size of the step-cost target:
 * 784·64 + 64 + 64·10 + 10 = 50,890.
 */
const DEFAULT_WIDTHS = [784, 64, 10] as const;
/** Constraint rows per step in the step-cost target. */
const DEFAULT_ROWS = 32;
/** Timed steps per method; the first `WARMUP_STEPS` more are untimed. */
const DEFAULT_STEPS = 50;
const WARMUP_STEPS = 5;
/** Row value that keeps every row active (above −enterMargin) for every step. */
const VIOLATED_ROW_VALUE = 0.1;

/** Options of `runStepCostBenchmark`. */
export interface StepCostOptions {
  /** Layer widths of the MLP whose weights and biases are the parameters (one block per tensor). */
  widths?: readonly number[];
  rows?: number;
  steps?: number;
  seed?: number;
}

/** Median step times in milliseconds and the GALT-to-Adam ratios. */
export interface StepCostResult {
  dimension: number;
  rows: number;
  blocks: number;
  steps: number;
  /** `AdamOptimizer.step` on the same parameters and gradient. */
  adamMs: number;
  /** `GaltUpdater.step` with no rows, which takes exactly the Adam step. */
  galtNoRowsMs: number;
  /** `GaltUpdater.step` with every row active and a fresh Jacobian row for each. */
  galtRowsMs: number;
  /** galtRowsMs / adamMs; the target is at most 1.5. */
  ratio: number;
}

/**
 * Times one optimiser step on the same parameters: plain Adam, the GALT updater without rows,
 * and the GALT updater with `rows` active constraint rows. Every row's Jacobian is fresh, which is
 * the most expensive case, because the updater may reuse cached rows between refreshes. Gradients
 * and Jacobian rows are random, so only the update is timed, not the passes that compute them.
 */
export function runStepCostBenchmark(options: StepCostOptions = {}): StepCostResult {
  const widths = options.widths ?? DEFAULT_WIDTHS;
  const rowCount = options.rows ?? DEFAULT_ROWS;
  const steps = options.steps ?? DEFAULT_STEPS;
  const random = new SeededRandom(options.seed ?? 0);
  const blocks = mlpBlocks(widths);
  const dimension = blocks.reduce((sum, block) => sum + block.size, 0);
  const gradients = Array.from({ length: 4 }, () => randomVector(random, dimension, 1e-2));
  const jacobians = new Map(
    Array.from({ length: rowCount }, (_, index) => [
      `row-${index}`,
      randomVector(random, dimension, 1),
    ]),
  );
  const rows: RowValue[] = [...jacobians.keys()].map((id) => ({
    id,
    kind: 'retention',
    hard: false,
    value: VIOLATED_ROW_VALUE,
  }));

  const initial = blockParameters(blocks, random);
  const copy = () =>
    new Map([...initial].map(([name, values]) => [name, Float32Array.from(values)]));
  const adamParameters = copy();
  const adam = new AdamOptimizer(dimension);
  const adamMs = medianStepMs(steps, (step) => {
    adam.step([...adamParameters.values()], gradients[step % gradients.length]!);
  });
  const plainParameters = copy();
  const plain = new GaltUpdater({ blocks });
  const galtNoRowsMs = medianStepMs(steps, (step) => {
    plain.step({
      parameters: plainParameters,
      gradient: gradients[step % gradients.length]!,
      rows: [],
    });
  });
  const constrainedParameters = copy();
  const constrained = new GaltUpdater({ blocks });
  const galtRowsMs = medianStepMs(steps, (step) => {
    constrained.step({
      parameters: constrainedParameters,
      gradient: gradients[step % gradients.length]!,
      rows,
      jacobians,
    });
  });
  checkSameParameters(plainParameters, adamParameters);
  return {
    dimension,
    rows: rowCount,
    blocks: blocks.length,
    steps,
    adamMs: round(adamMs),
    galtNoRowsMs: round(galtNoRowsMs),
    galtRowsMs: round(galtRowsMs),
    ratio: round(galtRowsMs / adamMs),
  };
}

/** Throws when the updater without rows did not take exactly Adam's steps. */
function checkSameParameters(
  galt: ReadonlyMap<string, Float32Array>,
  adam: ReadonlyMap<string, Float32Array>,
): void {
  for (const [name, values] of galt) {
    const expected = adam.get(name);
    if (expected !== undefined && values.every((value, index) => value === expected[index]))
      continue;
    throw new GaltError(
      'internal',
      `step cost benchmark: the updater without rows left '${name}' unlike Adam`,
      {
        remedy: 'The GALT updater with no rows must equal Adam; run the learn tests',
      },
    );
  }
}

/** Returns one block per weight and bias tensor of an MLP with the given layer widths. */
function mlpBlocks(widths: readonly number[]): ParameterBlock[] {
  const blocks: ParameterBlock[] = [];
  for (let layer = 0; layer + 1 < widths.length; layer += 1) {
    const inputs = widths[layer] ?? 0;
    const outputs = widths[layer + 1] ?? 0;
    blocks.push({ name: `w${layer}`, parameters: [`w${layer}`], size: inputs * outputs });
    blocks.push({ name: `b${layer}`, parameters: [`b${layer}`], size: outputs });
  }
  return blocks;
}

function blockParameters(
  blocks: readonly ParameterBlock[],
  random: SeededRandom,
): Map<string, Float32Array> {
  return new Map(blocks.map((block) => [block.name, randomVector(random, block.size, 0.1)]));
}

function randomVector(random: SeededRandom, length: number, scale: number): Float32Array {
  const vector = new Float32Array(length);
  for (let index = 0; index < length; index += 1) {
    vector[index] = (random.nextFloat() * 2 - 1) * scale;
  }
  return vector;
}

/** Runs `step` for the warm-up and timed steps and returns the median timed duration. */
function medianStepMs(steps: number, step: (index: number) => void): number {
  const durations: number[] = [];
  for (let index = 0; index < WARMUP_STEPS + steps; index += 1) {
    const started = performance.now();
    step(index);
    if (index >= WARMUP_STEPS) durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
