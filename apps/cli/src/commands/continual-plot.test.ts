import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContinualBenchmarkResult } from '@galt/learn';
import { describe, expect, it } from 'vitest';
import { createBufferedIo } from '../io.js';
import {
  averageAccuracySeries,
  meanAccuracyMatrices,
  stackSvgs,
  writeContinualPlot,
} from './continual-plot.js';

type Run = ContinualBenchmarkResult['runs'][number];

function run(method: Run['method'], seed: number, accuracyMatrix: number[][]): Run {
  return {
    method,
    seed,
    accuracyMatrix,
    finalAccuracy: 0,
    forgetting: 0,
    gradientEvaluationsPerStep: 1,
    wallTimeMs: 0,
  };
}

const runs = [
  run('galt', 0, [
    [1, 0],
    [0.8, 0.9],
  ]),
  run('galt', 1, [
    [0.9, 0],
    [0.6, 0.9],
  ]),
  run('finetune', 0, [
    [1, 0],
    [0, 1],
  ]),
];

describe('averageAccuracySeries', () => {
  it('averages seen tasks, then seeds', () => {
    const series = averageAccuracySeries(runs);
    expect(series.map((item) => item.label)).toEqual(['galt', 'finetune']);
    const galt = series[0]?.points ?? [];
    expect(galt.map((point) => point.x)).toEqual([1, 2]);
    expect(galt[0]?.y).toBeCloseTo(95);
    expect(galt[1]?.y).toBeCloseTo(80);
    expect(series[1]?.points[1]?.y).toBeCloseTo(50);
  });
});

describe('meanAccuracyMatrices', () => {
  it('averages each cell over seeds', () => {
    const matrices = meanAccuracyMatrices(runs);
    expect(matrices.map((item) => item.method)).toEqual(['galt', 'finetune']);
    const galt = matrices[0]?.matrix ?? [];
    expect(galt).toHaveLength(2);
    expect(galt[0]?.[0]).toBeCloseTo(0.95);
    expect(galt[1]?.[0]).toBeCloseTo(0.7);
    expect(galt[1]?.[1]).toBeCloseTo(0.9);
  });

  it('skips cells that a seed lacks', () => {
    const ragged = [run('galt', 0, [[1], [0.5, 0.5]]), run('galt', 1, [[0.5]])];
    const galt = meanAccuracyMatrices(ragged)[0]?.matrix ?? [];
    expect(galt[0]?.[0]).toBeCloseTo(0.75);
    expect(galt[1]).toEqual([0.5, 0.5]);
  });
});

describe('stackSvgs', () => {
  it('places parts one below another', () => {
    const stacked = stackSvgs([
      '<svg width="100" height="40"></svg>',
      '<svg width="60" height="30"></svg>',
    ]);
    expect(stacked).toMatch(/^<svg [^>]*width="100" height="70">/);
    expect(stacked).toContain('<svg x="0" y="0" width="100"');
    expect(stacked).toContain('<svg x="0" y="40" width="60"');
  });
});

describe('writeContinualPlot', () => {
  it('writes an SVG file with a legend', () => {
    const directory = mkdtempSync(join(tmpdir(), 'galt-plot-'));
    try {
      const io = createBufferedIo({ cwd: directory, env: {} });
      const result = { suite: 'split-mnist', runs } as ContinualBenchmarkResult;
      writeContinualPlot(result, 'accuracy.svg', io);
      const svg = readFileSync(join(directory, 'accuracy.svg'), 'utf8');
      expect(svg).toMatch(/^<\?xml [^>]*>\n<svg /);
      expect(svg.match(/<polyline/g)).toHaveLength(2);
      expect(svg).toContain('class="legend">finetune</text>');
      expect(svg.match(/class="heat-map"/g)).toHaveLength(2);
      expect(svg).toContain('galt: accuracy (%) per task after each task');
      expect(svg.match(/<rect class="cell"/g)).toHaveLength(8);
      expect(io.stderr.text()).toContain('plot written to');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
