import { resolve } from 'node:path';
import { type PlotSeries, renderHeatMap, renderLinePlot } from '@galt/inspector';
import type { ContinualBenchmarkResult } from '@galt/learn';
import type { CliIo } from '../io.js';
import { writeOutputFile } from '../output-files.js';
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

/**
 * Returns, per method, the accuracy matrix averaged over seeds: row i is the accuracy on each
 * task after training task i + 1. A cell that some seeds lack is averaged over the others.
 */
export function meanAccuracyMatrices(
  runs: ContinualBenchmarkResult['runs'],
): { method: string; matrix: number[][] }[] {
  const byMethod = new Map<string, number[][][]>();
  for (const run of runs) {
    const matrices = byMethod.get(run.method) ?? [];
    matrices.push(run.accuracyMatrix);
    byMethod.set(run.method, matrices);
  }
  return [...byMethod].map(([method, matrices]) => {
    const rows = Math.max(...matrices.map((matrix) => matrix.length));
    const matrix = Array.from({ length: rows }, (_, row) => {
      const columns = Math.max(...matrices.map((item) => item[row]?.length ?? 0));
      return Array.from({ length: columns }, (_, column) => {
        const values = matrices
          .map((item) => item[row]?.[column])
          .filter((value): value is number => value !== undefined);
        return values.reduce((sum, value) => sum + value, 0) / values.length;
      });
    });
    return { method, matrix };
  });
}

/**
 * Writes the average accuracy curves of a continual benchmark and, below them, one heat map of
 * the seed-averaged accuracy matrix per method to an SVG file.
 */
export function writeContinualPlot(result: ContinualBenchmarkResult, file: string, io: CliIo) {
  const path = resolve(io.cwd, file);
  const curves = renderLinePlot({
    title: `${result.suite}: average accuracy (%) over the tasks seen so far`,
    series: averageAccuracySeries(result.runs),
    xLabel: 'tasks trained',
    legend: true,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
  });
  const heatMaps = meanAccuracyMatrices(result.runs).map(({ method, matrix }) =>
    renderHeatMap({
      title: `${method}: accuracy (%) per task after each task`,
      matrix,
      rowLabels: matrix.map((_, row) => `after ${row + 1}`),
      columnTitle: 'tested on task',
    }),
  );
  writeOutputFile(
    path,
    `<?xml version="1.0" encoding="UTF-8"?>\n${stackSvgs([curves, ...heatMaps])}\n`,
    '--plot',
  );
  note(io, `plot written to ${path}`);
}

/** Stacks SVG documents vertically in one SVG, reading each one's size from its root element. */
export function stackSvgs(parts: readonly string[]): string {
  let y = 0;
  let width = 0;
  const placed = parts.map((part) => {
    const partWidth = Number(/ width="(\d+(?:\.\d+)?)"/.exec(part)?.[1] ?? 0);
    const partHeight = Number(/ height="(\d+(?:\.\d+)?)"/.exec(part)?.[1] ?? 0);
    const moved = part.replace('<svg ', `<svg x="0" y="${y}" `);
    y += partHeight;
    width = Math.max(width, partWidth);
    return moved;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${y}" width="${width}" ` +
    `height="${y}">${placed.join('')}</svg>`
  );
}
