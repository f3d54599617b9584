import { GaltError } from '@galt/core';
import { allFinite } from '../solve/woodbury.js';
import type { FlatLayout } from './layout.js';
import { type RowState, type RowValue, rowForce } from './row-state.js';

/** Packs the active rows' cached Jacobians, forces and penalties for the solve. */
export function assembleRows(
  active: readonly RowValue[],
  states: Map<string, RowState>,
  d: number,
) {
  const k = active.length;
  const rows = new Float64Array(k * d);
  const force = new Float64Array(k);
  const penalty = new Float64Array(k);
  active.forEach((row, e) => {
    const state = states.get(row.id)!;
    rows.set(state.jacobian!, e * d);
    force[e] = rowForce(state, row.value);
    penalty[e] = state.rho;
  });
  return { rows, rowCount: k, force, penalty };
}

/** Returns sqrt(Σ w_i (Δ_i / lr_i)² / Σ w_i): the D-weighted RMS in learning-rate units. */
export function weightedNorm(
  displacement: Float64Array,
  weight: Float64Array,
  layout: FlatLayout,
): number {
  let sum = 0;
  let total = 0;
  for (const block of layout.blocks) {
    for (let i = block.offset; i < block.offset + block.size; i++) {
      const scaled = displacement[i]! / block.learningRate;
      sum += weight[i]! * scaled * scaled;
      total += weight[i]!;
    }
  }
  return total > 0 ? Math.sqrt(sum / total) : 0;
}

/**
 * Writes the parameters moved by the displacement, rounded to float32, into the flat `out` and
 * returns it; the parameter arrays are unchanged. Throws `non_finite_update` on overflow.
 */
export function applyDisplacement(
  arrays: readonly Float32Array[],
  displacement: Float64Array,
  out: Float32Array,
): Float32Array {
  let offset = 0;
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++) out[offset + i] = array[i]! + displacement[offset + i]!;
    offset += array.length;
  }
  if (!allFinite(out)) throw nonFinite('the step overflows float32 parameters');
  return out;
}

/** Returns true when a descent step on the gradient points up a (cached) row by more than the threshold. */
export function descentIncreasesRow(
  gradient: Float32Array | Float64Array,
  row: Float64Array | null,
  threshold: number,
): boolean {
  if (row === null) return true;
  let dotProduct = 0;
  let gradientNorm = 0;
  let rowNorm = 0;
  for (let i = 0; i < row.length; i++) {
    dotProduct -= gradient[i]! * row[i]!;
    gradientNorm += gradient[i]! * gradient[i]!;
    rowNorm += row[i]! * row[i]!;
  }
  const denominator = Math.sqrt(gradientNorm * rowNorm);
  return denominator > 0 && dotProduct / denominator > threshold;
}

/** Returns the dot product of a row of `rows` (starting at `offset`) with `vector`. */
export function dot(rows: Float64Array, offset: number, vector: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += rows[offset + i]! * vector[i]!;
  return sum;
}

/** Creates the `non_finite_update` error of a refused step. */
export function nonFinite(message: string): GaltError {
  return new GaltError('non_finite_update', message, {
    remedy: 'the update was refused and nothing changed; check the inputs for NaN or Infinity',
  });
}
