import type { AdjudicationRecord, MemoryCandidate, StreamEvent } from '@galt/protocol';
import { openStore } from '@galt/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVillage } from './open-village.js';
import { runVillage } from './run-village.js';
import type { VillageSummary } from './village-summary.js';

/** A short run: long enough for recalls and writes, well under the suite's time budget. */
const TICKS = 60;

describe('village run', () => {
  const store = openStore(':memory:');
  const events: StreamEvent[] = [];
  let summary: VillageSummary;

  beforeAll(async () => {
    const session = await openVillage({ ticks: TICKS, seed: 1, store });
    session.runtime.events$.subscribe((event) => events.push(event));
    for (let tick = 0; tick < TICKS; tick += 1) await session.step();
    summary = await session.finish();
  });
  afterAll(() => store.close());

  it('adjudicates candidates both ways', () => {
    expect(summary.ticks).toBe(TICKS);
    expect(summary.agents).toBe(9);
    expect(summary.decisions).toBeGreaterThan(0);
    expect(summary.memory.accepted).toBeGreaterThan(0);
    expect(summary.memory.rejected).toBeGreaterThan(0);
    expect(summary.memory.candidates).toBe(
      summary.memory.accepted + summary.memory.rejected + summary.memory.deferred,
    );
  });

  it('recalls accepted memories', () => {
    expect(summary.memory.recalled).toBeGreaterThan(0);
    expect(summary.memory.influenced).toBeGreaterThan(0);
    expect(summary.memory.recalledWithoutAdmission).toBe(0);
  });

  it('never recalls a rejected memory', () => {
    const candidates = new Map<string, MemoryCandidate>();
    const decisions = new Map<string, AdjudicationRecord['decision']>();
    for (const event of events) {
      if (event.kind === 'proposal') {
        const proposal = event.payload['proposal'] as { memoryCandidates: MemoryCandidate[] };
        for (const candidate of proposal.memoryCandidates)
          candidates.set(candidate.candidateId, candidate);
      }
      if (event.kind === 'adjudication') {
        const record = event.payload['adjudication'] as AdjudicationRecord;
        decisions.set(record.candidateId, record.decision);
      }
    }
    const admittedContent = new Set<string>();
    const refusedContent = new Set<string>();
    for (const [id, candidate] of candidates) {
      const key = `${candidate.agentId}\n${candidate.subject}\n${candidate.content}`;
      (decisions.get(id) === 'accept' ? admittedContent : refusedContent).add(key);
    }
    const recalledIds = new Set(
      events
        .filter((event) => event.kind === 'memory_recalled')
        .flatMap((event) =>
          (event.payload['memories'] as { memoryId: string }[]).map((m) => m.memoryId),
        ),
    );
    expect(recalledIds.size).toBeGreaterThan(0);
    const everything = store.memory.asOf(store.ledger.head().seq);
    for (const record of everything.filter((memory) => recalledIds.has(memory.memoryId))) {
      const key = `${record.agentId}\n${record.subject}\n${record.content}`;
      expect(admittedContent.has(key)).toBe(true);
    }
    expect(refusedContent.size).toBeGreaterThan(0);
  });

  it('writes memory without breaking hard rows', () => {
    expect(summary.parametric.writes).toBeGreaterThan(0);
    expect(summary.parametric.hardViolationsAfterWrites).toBe(0);
    expect(summary.parametric.probesUsed).toBeGreaterThan(0);
  });

  it('screens every layer', () => {
    for (const layer of ['L0', 'L1', 'L2', 'L3']) {
      expect(summary.safety.violations[layer]).toBeGreaterThan(0);
    }
    expect(summary.memory.quarantined).toBeGreaterThan(0);
  });

  it('keeps a verified ledger', () => {
    expect(summary.ledger.verified).toBe(true);
    expect(summary.ledger.records).toBeGreaterThan(0);
    expect(summary.ledger.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('blocks the quest item and violence', () => {
    const rejected = events.filter((event) => event.kind === 'turn_rejected');
    const rules = rejected.flatMap((event) => event.payload['rules'] as string[]);
    expect(rules).toContain('world.no_violence_in_square');
    expect(rules).toContain('world.quest_item_kept');
    const charterMoves = events.filter(
      (event) =>
        event.kind === 'tool_result' && JSON.stringify(event.payload).includes('village-charter'),
    );
    expect(charterMoves).toEqual([]);
  });
});

describe('runVillage', () => {
  it('gives the same summary for one seed', async () => {
    const first = openStore(':memory:');
    const second = openStore(':memory:');
    try {
      const a = await runVillage({ ticks: 20, seed: 5, store: first });
      const b = await runVillage({ ticks: 20, seed: 5, store: second });
      expect(b.summary).toEqual(a.summary);
      expect(a.feed.runId()).toBe(a.summary.runId);
    } finally {
      first.close();
      second.close();
    }
  });

  it('counts memories from an earlier run in the store as admitted', async () => {
    const store = openStore(':memory:');
    try {
      const first = await runVillage({ ticks: 30, seed: 5, store });
      const second = await runVillage({ ticks: 30, seed: 6, store });
      expect(first.summary.memory.accepted).toBeGreaterThan(0);
      expect(second.summary.memory.recalled).toBeGreaterThan(0);
      expect(second.summary.memory.recalledWithoutAdmission).toBe(0);
    } finally {
      store.close();
    }
  });

  it('rejects a negative tick count', async () => {
    const store = openStore(':memory:');
    try {
      await expect(runVillage({ ticks: -1, seed: 1, store })).rejects.toThrow(/invalid/);
    } finally {
      store.close();
    }
  });
});
