import { GaltError } from '@galt/core';
import type { StreamEvent } from '@galt/protocol';
import type { Observable, Subscription } from 'rxjs';
import { z } from 'zod';

const AdjudicationPayloadSchema = z.object({
  adjudication: z.object({
    decision: z.enum(['accept', 'reject', 'defer']),
    agentId: z.string(),
    subject: z.string(),
    candidateId: z.string(),
  }),
});
const RecalledPayloadSchema = z.object({
  memories: z.array(z.object({ memoryId: z.string() })),
  quarantined: z.array(z.string()).default([]),
});
const WrittenPayloadSchema = z.object({ memoryId: z.string(), outcome: z.string() });
const VerdictPayloadSchema = z.object({ verdict: z.object({ violationLayer: z.string() }) });
const ToolResultPayloadSchema = z.object({ result: z.object({ ok: z.boolean() }) });

/** Counts taken from the runtime's event stream during a run. */
export interface EventCounts {
  candidates: number;
  accepted: number;
  rejected: number;
  deferred: number;
  /** Memories handed to policies, summed over decisions. */
  recalled: number;
  /** Recalled memory ids that no admission wrote, in this run or an earlier one in the store. */
  recalledWithoutAdmission: number;
  /** Memories the access rule withheld from a recall. */
  withheldAtRecall: number;
  turnsRejected: number;
  violations: Record<string, number>;
  toolCalls: number;
  toolFailures: number;
}

const count = z.number().int().nonnegative();

/** Serialisable state of a `RunTally`. */
export const RunTallyStateSchema = z.object({
  counts: z.object({
    candidates: count,
    accepted: count,
    rejected: count,
    deferred: count,
    recalled: count,
    recalledWithoutAdmission: count,
    withheldAtRecall: count,
    turnsRejected: count,
    violations: z.record(z.string(), count),
    toolCalls: count,
    toolFailures: count,
  }),
  admittedMemoryIds: z.array(z.string()),
  recalledMemoryIds: z.array(z.string()),
});
export type RunTallyState = z.infer<typeof RunTallyStateSchema>;

/** Subscribes to a runtime's events and keeps the run's counts. */
export class RunTally {
  readonly counts: EventCounts = {
    candidates: 0,
    accepted: 0,
    rejected: 0,
    deferred: 0,
    recalled: 0,
    recalledWithoutAdmission: 0,
    withheldAtRecall: 0,
    turnsRejected: 0,
    violations: { L0: 0, L1: 0, L2: 0, L3: 0 },
    toolCalls: 0,
    toolFailures: 0,
  };
  /** Memory ids written by admissions, in this run or an earlier one in the same store. */
  readonly admittedMemoryIds = new Set<string>();
  /** Ids of every memory recalled in this run. */
  readonly recalledMemoryIds = new Set<string>();
  readonly #subscription: Subscription;

  constructor(events$: Observable<StreamEvent>) {
    this.#subscription = events$.subscribe((event) => this.#count(event));
  }

  /** Returns the counts and the admitted memory ids as plain JSON data. */
  snapshot(): RunTallyState {
    return {
      counts: structuredClone(this.counts),
      admittedMemoryIds: [...this.admittedMemoryIds],
      recalledMemoryIds: [...this.recalledMemoryIds],
    };
  }

  /** Replaces the counts with a snapshot's; raises `invalid_input` when it is malformed. */
  restore(state: unknown): void {
    const parsed = RunTallyStateSchema.safeParse(state);
    if (!parsed.success) {
      throw new GaltError('invalid_input', 'run tally snapshot is malformed', {
        remedy: 'Pass a value returned by RunTally.snapshot()',
      });
    }
    Object.assign(this.counts, parsed.data.counts);
    this.admittedMemoryIds.clear();
    for (const id of parsed.data.admittedMemoryIds) this.admittedMemoryIds.add(id);
    this.recalledMemoryIds.clear();
    for (const id of parsed.data.recalledMemoryIds) this.recalledMemoryIds.add(id);
  }

  stop(): void {
    this.#subscription.unsubscribe();
  }

  #count(event: StreamEvent): void {
    const counts = this.counts;
    switch (event.kind) {
      case 'adjudication': {
        const parsed = AdjudicationPayloadSchema.safeParse(event.payload);
        if (!parsed.success) return;
        counts.candidates += 1;
        const decision = parsed.data.adjudication.decision;
        if (decision === 'accept') counts.accepted += 1;
        else if (decision === 'reject') counts.rejected += 1;
        else counts.deferred += 1;
        return;
      }
      case 'memory_written': {
        const parsed = WrittenPayloadSchema.safeParse(event.payload);
        if (parsed.success) this.admittedMemoryIds.add(parsed.data.memoryId);
        return;
      }
      case 'memory_recalled': {
        const parsed = RecalledPayloadSchema.safeParse(event.payload);
        if (!parsed.success) return;
        counts.recalled += parsed.data.memories.length;
        counts.withheldAtRecall += parsed.data.quarantined.length;
        for (const { memoryId } of parsed.data.memories) {
          this.recalledMemoryIds.add(memoryId);
          if (!this.admittedMemoryIds.has(memoryId)) counts.recalledWithoutAdmission += 1;
        }
        return;
      }
      case 'safety_verdict': {
        const parsed = VerdictPayloadSchema.safeParse(event.payload);
        const layer = parsed.success ? parsed.data.verdict.violationLayer : 'none';
        if (layer in counts.violations)
          counts.violations[layer] = (counts.violations[layer] ?? 0) + 1;
        return;
      }
      case 'turn_rejected':
        counts.turnsRejected += 1;
        return;
      case 'tool_result': {
        const parsed = ToolResultPayloadSchema.safeParse(event.payload);
        counts.toolCalls += 1;
        if (!parsed.success || !parsed.data.result.ok) counts.toolFailures += 1;
        return;
      }
      default:
        return;
    }
  }
}
