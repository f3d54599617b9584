import { performance } from 'node:perf_hooks';
import { GaltError } from '@galt/core';
import { formatIssues } from '@galt/protocol';
import { openStore } from '@galt/store';
import type { DecisionModel } from '../model/decision-model.js';
import { LinearDecisionModel } from '../model/linear-decision-model.js';
import { createRuntime, type Runtime } from '../runtime.js';
import type { RuntimeStore } from '../runtime-types.js';
import {
  createVillageSafety,
  say,
  TASK_ACTIONS,
  villagePolicyForHead,
  villager,
} from '../testing/village-fixture.js';

/** Feature dimension of the benchmark model, the size a small shipped decision model uses. */
const BENCH_FEATURE_DIMENSION = 64;
/** Untimed ticks first, so JIT compilation and caches settle before measuring. */
const WARMUP_TICKS = 30;
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
  /**
   * Decision model, a random linear model over 64 hashed features when absent. The caller keeps
   * ownership and closes it.
   */
  model?: DecisionModel;
  /** Head whose logits the policy samples an action from, `task` by default. */
  taskHead?: string;
  /**
   * Attaches a world feed with one listener before the first tick, as the event server does, so
   * the runtime also keeps recent events for late subscribers. Off by default.
   */
  worldFeed?: boolean;
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
  /**
   * Process CPU time (user plus system, every thread, garbage collection included) per decision
   * in microseconds over the measured ticks. Less sensitive to other jobs on the machine than
   * the wall-clock figures.
   */
  cpuMicrosPerDecision: number;
}

/**
 * Measures batched decisions: every agent hears one utterance per tick, the model runs once per
 * tick, the village safety rules screen every turn and facts are adjudicated (and written, with
 * storage). Reports decisions per second and tick time percentiles. Throws `internal` when an
 * agent is rejected or a tick reports an error, so a broken setup never reports a rate.
 */
export async function runRuntimeBenchmark(options: RuntimeBenchOptions): Promise<RuntimeBenchRow> {
  const storage = options.storage ?? 'sqlite';
  const store: (RuntimeStore & { close(): void }) | undefined =
    storage === 'sqlite' ? openStore(':memory:') : undefined;
  const runtime = createRuntime({
    runId: `bench-${options.agents}`,
    seed: 1,
    model:
      options.model ??
      LinearDecisionModel.random(BENCH_FEATURE_DIMENSION, { task: TASK_ACTIONS.length }, 'bench'),
    safety: createVillageSafety(),
    recordModelOutputs: true,
    ...(store === undefined ? {} : { store }),
    ...(options.eventRetention === undefined ? {} : { eventRetention: options.eventRetention }),
  });
  try {
    return await measureTicks(runtime, options, storage);
  } finally {
    runtime.close();
    store?.close();
  }
}

/** Adds the agents, runs the warm-up and measured ticks and summarises them. */
async function measureTicks(
  runtime: Runtime,
  options: RuntimeBenchOptions,
  storage: RuntimeBenchRow['storage'],
): Promise<RuntimeBenchRow> {
  const taskHead = options.taskHead ?? 'task';
  runtime.registerPolicy('village', villagePolicyForHead(taskHead));
  const ids = Array.from({ length: options.agents }, (_, index) => `npc-${index}`);
  for (const id of ids) {
    const declaration = villager(id, {
      tools: [],
      memory: { recallLimit: 2 },
      channels: { task: { backing: 'both', head: taskHead } },
    });
    const added = runtime.addAgent(declaration);
    if (!added.ok) throw benchFailure(`agent ${id} was rejected: ${formatIssues(added.issues)}`);
  }

  let fedEvents = 0;
  if (options.worldFeed === true) {
    runtime.worldFeed().subscribe((events) => {
      fedEvents += events.length;
    });
  }

  const durations: number[] = [];
  let cpuMicros = 0;
  let decisions = 0;
  let events = 0;
  for (let tick = 1; tick <= WARMUP_TICKS + options.ticks; tick += 1) {
    ids.forEach((id, index) => {
      runtime.inject(benchUtterance(id, index, tick));
    });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const report = await runtime.tick();
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const problem = report.errors[0];
    if (problem !== undefined) throw benchFailure(`tick ${tick} failed: ${problem.message}`);
    if (options.worldFeed === true && fedEvents !== report.lastSeq) {
      throw benchFailure(`the world feed received ${fedEvents} of ${report.lastSeq} events`);
    }
    if (tick <= WARMUP_TICKS) continue;
    durations.push(elapsed);
    cpuMicros += cpu.user + cpu.system;
    decisions += report.decisions;
    events += (report.lastSeq ?? 0) - (report.firstSeq ?? 1) + 1;
  }
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
    cpuMicrosPerDecision: decisions === 0 ? 0 : Math.round((cpuMicros / decisions) * 100) / 100,
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

function benchFailure(message: string): GaltError {
  return new GaltError('internal', `runtime benchmark: ${message}`, {
    remedy: 'Check that the model has the task head the benchmark samples from',
  });
}
