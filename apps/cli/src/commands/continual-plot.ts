import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type PlotSeries, renderLinePlot } from '@galt/inspector';
import type { ContinualBenchmarkResult } from '@galt/learn';
import type { CliIo } from '../io.js';
import { note } from './output.js';

/** Width of the plot file, with room for the legend beside five task columns. */
const PLOT_WIDTH = 640;
const PLOT_HEIGHT = 320;

/**
 * Returns, per method, the mean accuracy in percent over the tasks trained so far after each
 * task, averaged over seeds: the usual "average accuracy" curve of class-incremental learning.
 */
export function averageAccuracySeries(runs: ContinualBenchmarkResult['runs']): PlotSeries[] {
  const byMethod = new Map<string, number[][]>();
  for (const run of runs) {
    const curve = run.accuracyMatrix.map((row, task) => {
      const seen = row.slice(0, task + 1);
      return (100 * seen.reduce((sum, value) => sum + value, 0)) / Math.max(seen.length, 1);
    });
    const curves = byMethod.get(run.method) ?? [];
    curves.push(curve);
    byMethod.set(run.method, curves);
  }
  return [...byMethod].map(([method, curves]) => {
    const tasks = Math.min(...curves.map((curve) => curve.length));
    const points = Array.from({ length: tasks }, (_, task) => {
      const values = curves.map((curve) => curve[task] ?? 0);
      return { x: task + 1, y: values.reduce((sum, value) => sum + value, 0) / values.length };
    });
    return { label: method, points };
  });
}

/** Writes the average accuracy curves of a continual benchmark to an SVG file. */
export function writeContinualPlot(result: ContinualBenchmarkResult, file: string, io: CliIo) {
  const path = resolve(io.cwd, file);
  const svg = renderLinePlot({
    title: `${result.suite}: average accuracy (%) over the tasks seen so far`,
    series: averageAccuracySeries(result.runs),
    xLabel: 'tasks trained',
    legend: true,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
  });
  writeFileSync(path, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`);
  note(io, `plot written to ${path}`);
}
