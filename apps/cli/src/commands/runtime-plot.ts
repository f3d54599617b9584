import { resolve } from 'node:path';
import { renderLinePlot } from '@galt/inspector';
import type { RuntimeBenchRow } from '@galt/runtime';
import type { CliIo } from '../io.js';
import { writeOutputFile } from '../output-files.js';
import { note } from './output.js';

const PLOT_WIDTH = 640;
const PLOT_HEIGHT = 320;

/**
 * Writes decisions per second against the agent count of runtime benchmark rows to an SVG file.
 * The x axis is log10(agents), because the default counts grow tenfold per row.
 */
export function writeRuntimePlot(rows: readonly RuntimeBenchRow[], file: string, io: CliIo) {
  const path = resolve(io.cwd, file);
  const byStorage = new Map<string, { x: number; y: number }[]>();
  for (const row of rows) {
    const points = byStorage.get(row.storage) ?? [];
    points.push({ x: Math.log10(row.agents), y: row.decisionsPerSecond });
    byStorage.set(row.storage, points);
  }
  const series = [...byStorage].map(([storage, points]) => ({
    label: `storage ${storage}`,
    points: points.sort((a, b) => a.x - b.x),
  }));
  const svg = renderLinePlot({
    title: 'runtime: decisions per second against agents',
    series,
    xLabel: 'log10(agents)',
    legend: true,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
  });
  writeOutputFile(path, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`, '--plot');
  note(io, `plot written to ${path}`);
}
