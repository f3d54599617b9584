import type { ExecutionProvider } from '@galt/onnx';
import { openStore } from '@galt/store';
import { runVillage } from '../run/run-village.js';

/** Options of `runVillageBenchmark`. */
export interface VillageBenchmarkOptions {
  ticks?: number;
  seeds?: readonly number[];
  players?: number;
  dataDir?: string;
  executionProvider?: ExecutionProvider;
}

/** One seed's run: throughput, memory decisions and the safety of online memory writes. */
export interface VillageBenchmarkRow {
  seed: number;
  ticks: number;
  decisions: number;
  wallMs: number;
  decisionsPerSecond: number;
  accepted: number;
  rejected: number;
  recalled: number;
  writes: number;
  rollbacks: number;
  hardViolationsAfterWrites: number;
  plainAdamViolationsAfterWrites: number;
}

const DEFAULT_TICKS = 200;
const DEFAULT_SEEDS = [1, 2, 3];

/**
 * Runs the village once per seed on an in-memory store and returns one row per seed. Each row
 * puts the constrained writer's hard-probe violations after committed writes (which must be 0)
 * beside those of plain Adam fine-tuning on the same writes.
 */
export async function runVillageBenchmark(
  options: VillageBenchmarkOptions = {},
): Promise<VillageBenchmarkRow[]> {
  const rows: VillageBenchmarkRow[] = [];
  for (const seed of options.seeds ?? DEFAULT_SEEDS) {
    const store = openStore(':memory:');
    try {
      const started = performance.now();
      const { summary } = await runVillage({
        ticks: options.ticks ?? DEFAULT_TICKS,
        seed,
        store,
        ...(options.players === undefined ? {} : { players: options.players }),
        ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
        ...(options.executionProvider === undefined
          ? {}
          : { executionProvider: options.executionProvider }),
      });
      const wallMs = performance.now() - started;
      rows.push({
        seed,
        ticks: summary.ticks,
        decisions: summary.decisions,
        wallMs: Math.round(wallMs),
        decisionsPerSecond: Math.round((summary.decisions / wallMs) * 1000),
        accepted: summary.memory.accepted,
        rejected: summary.memory.rejected,
        recalled: summary.memory.recalled,
        writes: summary.parametric.writes,
        rollbacks: summary.parametric.rollbacks,
        hardViolationsAfterWrites: summary.parametric.hardViolationsAfterWrites,
        plainAdamViolationsAfterWrites: summary.parametric.plainAdamViolationsAfterWrites,
      });
    } finally {
      store.close();
    }
  }
  return rows;
}
