import { performance } from 'node:perf_hooks';
import { openStore } from '@galt/store';
import { LinearDecisionModel } from '../model/linear-decision-model.js';
import { createRuntime } from '../runtime.js';
import type { RuntimeStore } from '../runtime-types.js';
import {
  createVillageSafety,
  say,
  TASK_ACTIONS,
  villagePolicy,
  villager,
} from '../testing/village-fixture.js';

/** Feature dimension of the benchmark model, the size a small shipped decision model uses. */
const BENCH_FEATURE_DIMENSION = 64;
/** Untimed ticks first, so JIT compilation and caches settle before measuring. */
const WARMUP_TICKS = 3;
/** Every agent hears a fact to remember once per this many ticks, so adjudication is measured. */
const FACT_EVERY_TICKS = 4;

const LINES = [
  'Good morning!',
  'What do you sell today?',
  'Is the north gate open?',
  'Any news from the mill?',
  'I need a new hat.',
];

export interface RuntimeBenchOptions {
  agents: number;
  ticks: number;
  /** Storage of events and memory: SQLite in memory (default), or none (adjudication only). */
  storage?: 'sqlite' | 'none';
  /** Events kept in memory without storage; the runtime's default when absent. */
  eventRetention?: number;
}

/** One benchmark result. */
export interface RuntimeBenchRow {
  agents: number;
  ticks: number;
  storage: 'sqlite' | 'none';
  decisions: number;
  decisionsPerSecond: number;
  p50TickMs: number;
  p99TickMs: number;
  eventsPerTick: number;
}

/**
 * Measures batched decisions: every agent hears one utterance per tick, the linear model runs once
 * per tick, the village safety rules screen every turn and facts are adjudicated (and written,
 * with storage). Reports decisions per second and tick time percentiles.
 */
export async function runRuntimeBenchmark(options: RuntimeBenchOptions): Promise<RuntimeBenchRow> {
  const storage = options.storage ?? 'sqlite';
  const store: (RuntimeStore & { close(): void }) | undefined =
    storage === 'sqlite' ? openStore(':memory:') : undefined;
  const runtime = createRuntime({
    runId: `bench-${options.agents}`,
    seed: 1,
    model: LinearDecisionModel.random(
      BENCH_FEATURE_DIMENSION,
      { task: TASK_ACTIONS.length },
      'bench',
    ),
    safety: createVillageSafety(),
    recordModelOutputs: true,
    ...(store === undefined ? {} : { store }),
    ...(options.eventRetention === undefined ? {} : { eventRetention: options.eventRetention }),
  });
  runtime.registerPolicy('village', villagePolicy);
  const ids = Array.from({ length: options.agents }, (_, index) => `npc-${index}`);
  for (const id of ids) runtime.addAgent(villager(id, { tools: [], memory: { recallLimit: 2 } }));

  const durations: number[] = [];
  let decisions = 0;
  let events = 0;
  for (let tick = 1; tick <= WARMUP_TICKS + options.ticks; tick += 1) {
    ids.forEach((id, index) => {
      runtime.inject(benchUtterance(id, index, tick));
    });
    const started = performance.now();
    const report = await runtime.tick();
    const elapsed = performance.now() - started;
    if (tick <= WARMUP_TICKS) continue;
    durations.push(elapsed);
    decisions += report.decisions;
    events += (report.lastSeq ?? 0) - (report.firstSeq ?? 1) + 1;
  }
  runtime.close();
  store?.close();
  const totalSeconds = durations.reduce((sum, value) => sum + value, 0) / 1000;
  return {
    agents: options.agents,
    ticks: options.ticks,
    storage,
    decisions,
    decisionsPerSecond: Math.round(decisions / totalSeconds),
    p50TickMs: percentile(durations, 0.5),
    p99TickMs: percentile(durations, 0.99),
    eventsPerTick: Math.round(events / options.ticks),
  };
}

function benchUtterance(agentId: string, index: number, tick: number) {
  const text = LINES[(index + tick) % LINES.length] ?? '';
  const remember = (index + tick) % FACT_EVERY_TICKS === 0;
  return say(
    `player-${index % 50}`,
    agentId,
    text,
    remember ? { fact: `asked: ${text}`, attribute: 'last_question' } : undefined,
  );
}

/** Nearest-rank percentile in milliseconds, rounded to 0.01 ms. */
function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return Math.round((sorted[rank] ?? 0) * 100) / 100;
}
