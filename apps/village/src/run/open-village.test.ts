import type { StreamEvent } from '@galt/protocol';
import { openStore } from '@galt/store';
import { describe, expect, it } from 'vitest';
import { openVillage } from './open-village.js';

/** Ticks before the snapshot and after it; enough for writes and recalls on both sides. */
const BEFORE = 8;
const AFTER = 6;

function strip(events: readonly StreamEvent[]) {
  return events.map(({ seq, tick, agentId, kind, payload }) => ({
    seq,
    tick,
    agentId,
    kind,
    payload,
  }));
}

describe('village session snapshot', () => {
  it('resumes identically on a copied store', async () => {
    const original = openStore(':memory:');
    const copy = openStore(':memory:');
    try {
      const first = await openVillage({ ticks: 0, seed: 4, store: original });
      for (let tick = 0; tick < BEFORE; tick += 1) await first.step();
      const state = JSON.parse(JSON.stringify(first.snapshot()));
      copy.importRun(original.exportRun(first.runId));

      const second = await openVillage({ ticks: 0, seed: 4, store: copy, runId: first.runId });
      second.restore(state);
      const expected: StreamEvent[] = [];
      const actual: StreamEvent[] = [];
      first.runtime.events$.subscribe((event) => expected.push(event));
      second.runtime.events$.subscribe((event) => actual.push(event));
      for (let tick = 0; tick < AFTER; tick += 1) {
        await first.step();
        await second.step();
      }
      expect(actual.length).toBeGreaterThan(0);
      expect(strip(actual)).toEqual(strip(expected));
      expect(await second.finish()).toEqual(await first.finish());
    } finally {
      original.close();
      copy.close();
    }
  });

  it('rejects a snapshot of another run', async () => {
    const store = openStore(':memory:');
    try {
      const session = await openVillage({ ticks: 0, seed: 4, store });
      const state = { ...session.snapshot(), runId: 'other-run' };
      expect(() => session.restore(state)).toThrow(/not a valid state/);
      await session.finish();
    } finally {
      store.close();
    }
  });
});
