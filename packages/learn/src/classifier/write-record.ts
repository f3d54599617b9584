import { GaltError, sha256Hex } from '@galt/core';
import type { ConstraintRowReport, ParametricWriteRecord, SolveMode } from '@galt/protocol';
import type { RowValue } from '../updater/row-state.js';
import type { PassCounter } from './classifier-model.js';

/** Solve statistics gathered over the inner steps of one write. */
export interface StepTrace {
  /** The most involved solve mode used (adam < sherman_morrison < woodbury < woodbury_jitter). */
  mode: SolveMode;
  condition: number;
  steps: number;
}

/** Identity and pass counts of one write. */
export interface WriteContext {
  writeId: string;
  agentId: string;
  tick: number;
  passes: PassCounter;
}

/** Outcome and measurements of one write, before it becomes a ledger record. */
export interface WriteResult {
  outcome: ParametricWriteRecord['outcome'];
  reason: string;
  delta: Float32Array;
  taskBefore: number;
  taskAfter: number;
  rows: ConstraintRowReport[];
  violated: string[];
  mode: SolveMode;
  condition: number;
  steps: number;
}

/** Throws `non_finite_update` when the task loss or a row value is NaN or Infinity. */
export function checkFinite(taskLoss: number, rows: readonly RowValue[]): void {
  if (!Number.isFinite(taskLoss)) {
    throw new GaltError('non_finite_update', 'the task loss is NaN or Infinity');
  }
  for (const row of rows) {
    if (!Number.isFinite(row.value)) {
      throw new GaltError('non_finite_update', `row ${row.id} evaluates to ${row.value}`);
    }
  }
}

/** Builds the ledger record of one write. */
export function buildWriteRecord(
  context: WriteContext,
  result: WriteResult,
): ParametricWriteRecord {
  let squared = 0;
  for (const value of result.delta) squared += value * value;
  return {
    writeId: context.writeId,
    agentId: context.agentId,
    outcome: result.outcome,
    reason: result.reason,
    deltaDigest: sha256Hex(
      new Uint8Array(result.delta.buffer, result.delta.byteOffset, result.delta.byteLength),
    ),
    deltaNorm: Math.sqrt(squared),
    taskLossBefore: result.taskBefore,
    taskLossAfter: result.taskAfter,
    rows: result.rows,
    violatedRows: result.violated,
    solveMode: result.mode,
    conditionNumber: Number.isFinite(result.condition) ? result.condition : Number.MAX_VALUE,
    passes: { forward: context.passes.forward, backward: context.passes.backward },
    steps: result.steps,
    tick: context.tick,
  };
}
