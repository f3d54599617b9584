import type { SolveMode } from '@galt/protocol';
import {
  factorWoodbury,
  type LocalSolution,
  type LocalSystem,
  type WoodburyFactor,
  type WoodburyOptions,
} from '../solve/woodbury.js';

/** A contiguous slice of the flat parameter vector solved as one unit. */
export interface BlockSlice {
  readonly offset: number;
  readonly size: number;
}

/** Stopping rule of the block iteration. */
export interface SweepOptions extends WoodburyOptions {
  /** Largest change of a linearised row value in a sweep that counts as converged. */
  readonly tolerance: number;
  readonly maxSweeps: number;
}

/** The Gauss–Seidel step with the sweeps it used. */
export interface BlockSolution extends LocalSolution {
  readonly sweeps: number;
  /** Largest change of a linearised row value ⟨J_e, δ⟩ in the last sweep. */
  readonly residual: number;
}

/** One block's part of the system: its rows restricted to its columns, factored once per step. */
interface BlockPart {
  readonly slice: BlockSlice;
  readonly factor: WoodburyFactor;
  /** The block's current dual y_b and its linearised row values J_b δ_b. */
  dual: Float64Array;
  contribution: Float64Array;
}

/**
 * Solves the local system by block Gauss–Seidel: blocks are visited in order, and each solves
 * its own diagonal-plus-low-rank system (Woodbury, float64) for its slice of δ with the other
 * blocks' current slices held fixed in the linearised rows. All blocks share one dual vector,
 * y = f + ρ∘Jδ, so a row's force is never applied in full by every block. The iteration starts
 * from the unconstrained step and is block coordinate descent on a strictly convex quadratic, so
 * it converges to the joint solve. A sweep works on k-vectors only (J_b δ_b = J_b b_b − A_b y_b),
 * so its cost does not grow with the parameter count. Returns null when a solve is not finite.
 */
export function solveBlockGaussSeidel(
  system: LocalSystem,
  blocks: readonly BlockSlice[],
  options: SweepOptions,
): BlockSolution | null {
  const { base, rowCount: k, force, penalty } = system;
  const parts = factorBlocks(system, blocks, options);
  if (parts === null) return null;
  const linear = new Float64Array(k);
  for (const part of parts) addTo(linear, part.contribution, 1);

  let sweeps = 0;
  let residual = k === 0 ? 0 : Number.POSITIVE_INFINITY;
  while (sweeps < options.maxSweeps && (sweeps === 0 || residual > options.tolerance)) {
    const before = Float64Array.from(linear);
    for (const part of parts) solveBlock(part, linear, force, penalty);
    sweeps += 1;
    residual = parts.length <= 1 ? 0 : maxChange(before, linear);
  }

  const displacement = Float64Array.from(base);
  for (const part of parts) {
    const slice = part.factor.displacement(part.dual);
    if (slice === null) return null;
    displacement.set(slice, part.slice.offset);
  }
  const rowForce = new Float64Array(k);
  for (let e = 0; e < k; e++) rowForce[e] = force[e]! + penalty[e]! * linear[e]!;
  if (!rowForce.every(Number.isFinite)) return null;
  return { displacement, rowForce, sweeps, residual, ...summarise(parts, k) };
}

/** Factors every block that some active row touches; untouched blocks keep the base step. */
function factorBlocks(
  system: LocalSystem,
  blocks: readonly BlockSlice[],
  options: WoodburyOptions,
): BlockPart[] | null {
  const parts: BlockPart[] = [];
  for (const slice of blocks) {
    const rows = sliceRows(system.rows, system.rowCount, system.base.length, slice);
    if (isZero(rows)) continue;
    const factor = factorWoodbury(
      {
        base: system.base.subarray(slice.offset, slice.offset + slice.size),
        metric: system.metric.subarray(slice.offset, slice.offset + slice.size),
        rows,
        rowCount: system.rowCount,
        penalty: system.penalty,
      },
      options,
    );
    if (factor === null) return null;
    const dual = new Float64Array(system.rowCount);
    parts.push({ slice, factor, dual, contribution: factor.rowValues(dual) });
  }
  return parts;
}

/** Re-solves one block against the others' current rows and updates its dual and Jδ in place. */
function solveBlock(
  part: BlockPart,
  linear: Float64Array,
  force: Float64Array,
  penalty: Float64Array,
): void {
  const k = force.length;
  addTo(linear, part.contribution, -1);
  // The other blocks' linearised rows r enter as extra force ρ∘r on this block's rows.
  const shifted = new Float64Array(k);
  for (let e = 0; e < k; e++) shifted[e] = force[e]! + penalty[e]! * linear[e]!;
  part.dual = part.factor.dual(shifted);
  part.contribution = part.factor.rowValues(part.dual);
  addTo(linear, part.contribution, 1);
}

function addTo(target: Float64Array, values: Float64Array, sign: number): void {
  for (let e = 0; e < target.length; e++) target[e]! += sign * values[e]!;
}

function sliceRows(
  rows: Float32Array | Float64Array,
  k: number,
  d: number,
  slice: BlockSlice,
): Float64Array {
  const out = new Float64Array(k * slice.size);
  for (let e = 0; e < k; e++) {
    out.set(rows.subarray(e * d + slice.offset, e * d + slice.offset + slice.size), e * slice.size);
  }
  return out;
}

function isZero(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

function maxChange(before: Float64Array, after: Float64Array): number {
  let change = 0;
  for (let e = 0; e < before.length; e++) {
    change = Math.max(change, Math.abs(after[e]! - before[e]!));
  }
  return change;
}

/** Reports the step's mode with the worst block's condition number and jitter. */
function summarise(parts: readonly BlockPart[], k: number) {
  const mode: SolveMode = k === 0 ? 'adam' : 'gauss_seidel';
  let conditionNumber = 1;
  let jitter = 0;
  for (const { factor } of parts) {
    conditionNumber = Math.max(conditionNumber, factor.conditionNumber);
    jitter = Math.max(jitter, factor.jitter);
  }
  return { mode, conditionNumber, jitter };
}
