import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeBenchRow } from '@galt/runtime';
import { describe, expect, it } from 'vitest';
import { createBufferedIo } from '../io.js';
import { writeRuntimePlot } from './runtime-plot.js';

function row(agents: number, decisionsPerSecond: number): RuntimeBenchRow {
  return {
    agents,
    ticks: 5,
    storage: 'none',
    decisions: agents * 5,
    decisionsPerSecond,
    p50TickMs: 1,
    p99TickMs: 2,
    eventsPerTick: agents,
    cpuMicrosPerDecision: 5,
  };
}

describe('writeRuntimePlot', () => {
  it('plots decisions per second by agents', () => {
    const directory = mkdtempSync(join(tmpdir(), 'galt-runtime-plot-'));
    try {
      const io = createBufferedIo({ cwd: directory, env: {} });
      writeRuntimePlot([row(1000, 50_000), row(10, 2_000)], 'runtime.svg', io);
      const svg = readFileSync(join(directory, 'runtime.svg'), 'utf8');
      expect(svg).toMatch(/^<\?xml [^>]*>\n<svg /);
      const points = /<polyline[^>]* points="([^"]*)"/.exec(svg)?.[1]?.split(' ') ?? [];
      expect(points).toHaveLength(2);
      const xs = points.map((pair) => Number(pair.split(',')[0]));
      expect(xs[0]).toBeLessThan(xs[1] ?? 0);
      expect(svg).toContain('class="legend">storage none</text>');
      expect(svg).toContain('>50000</text>');
      expect(svg).toContain('>log10(agents)</text>');
      expect(svg).toContain('class="tick">1</text>');
      expect(svg).toContain('class="tick">3</text>');
      expect(io.stderr.text()).toContain('plot written to');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
