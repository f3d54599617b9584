import { errorMessage } from '@galt/core';
import type { Runtime, RuntimeWorldFeed } from '@galt/runtime';
import { openVillage } from './open-village.js';
import type { VillageOptions } from './village-options.js';
import type { VillageSummary } from './village-summary.js';

/** A finished village run: its summary and the runtime and feed it ran on. */
export interface VillageRun {
  summary: VillageSummary;
  runtime: Runtime;
  feed: RuntimeWorldFeed;
}

/** Runs the village for `options.ticks` ticks and returns the summary, runtime and feed. */
export async function runVillage(options: VillageOptions): Promise<VillageRun> {
  const session = await openVillage(options);
  try {
    for (let tick = 1; tick <= options.ticks; tick += 1) {
      const report = await session.step();
      options.onProgress?.({ tick, ticks: options.ticks, decisions: report.decisions });
    }
  } catch (error) {
    // Still end the run so the store records that it stopped, then report the first error.
    await session.finish().catch((finishError: unknown) => {
      options.logger?.error('ending the village run failed', { error: errorMessage(finishError) });
    });
    throw error;
  }
  return { summary: await session.finish(), runtime: session.runtime, feed: session.feed };
}
