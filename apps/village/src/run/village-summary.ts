import type { LedgerApi } from '@galt/store';
import type { ParametricStats } from '../channels/parametric-writer.js';
import type { PolicyStats } from '../npc/role-policies.js';
import type { EventCounts } from './run-tally.js';

/** Counts of one village run, for the CLI and tests. */
export interface VillageSummary {
  runId: string;
  seed: number;
  split: string;
  ticks: number;
  agents: number;
  players: number;
  decisions: number;
  executionProvider: 'cpu' | 'cuda';
  modelDigest: string;
  memory: {
    /** Candidates adjudicated (proposed by an NPC's task channel). */
    candidates: number;
    accepted: number;
    rejected: number;
    /** Deferred as residual debt: boundary ambiguity or a soft (L2, L3) rule. */
    deferred: number;
    /** Shared facts the memory head declined to consolidate, so no candidate was made. */
    silent: number;
    /** Ledger records of memories the access rule quarantined during the run. */
    quarantined: number;
    released: number;
    recalled: number;
    /** Recalled memories that no admission of this run wrote; zero unless the store held older ones. */
    recalledWithoutAdmission: number;
    /** Decisions a recalled memory changed: a discount, a tailored lesson, a greeting. */
    influenced: number;
  };
  parametric: ParametricStats;
  safety: { turnsRejected: number; violations: Record<string, number> };
  tools: { calls: number; failures: number };
  ledger: { records: number; headHash: string | null; verified: boolean };
}

const LEDGER_PAGE = 1_000;

/** Counts quarantine and release records in the ledger after `fromSeq`. */
export function countAccessRecords(ledger: LedgerApi, fromSeq: number) {
  let quarantined = 0;
  let released = 0;
  let next = fromSeq + 1;
  for (;;) {
    const page = ledger.read(next, LEDGER_PAGE);
    for (const record of page) {
      if (record.kind === 'memory_quarantined') quarantined += 1;
      if (record.kind === 'memory_released') released += 1;
    }
    if (page.length < LEDGER_PAGE) return { quarantined, released };
    next = (page.at(-1)?.seq ?? next) + 1;
  }
}

/** Assembles the memory part of the summary. */
export function memorySummary(
  counts: EventCounts,
  policy: PolicyStats,
  access: { quarantined: number; released: number },
): VillageSummary['memory'] {
  return {
    candidates: counts.candidates,
    accepted: counts.accepted,
    rejected: counts.rejected,
    deferred: counts.deferred,
    silent: policy.silent,
    quarantined: access.quarantined,
    released: access.released,
    recalled: counts.recalled,
    recalledWithoutAdmission: counts.recalledWithoutAdmission,
    influenced: policy.influenced,
  };
}
