import { choleskyFactor, choleskySolve } from './cholesky.js';
import type { LocalSystem } from './woodbury.js';

/**
 * Solves (M + Jᵀ diag(ρ) J) δ = M b − Jᵀ f directly with a d×d Cholesky factorisation.
 * It costs O(d³), so it serves as the reference the Woodbury step is tested against.
 */
export function solveDense(system: LocalSystem): Float64Array | null {
  const { base, metric, rows, rowCount: k, force, penalty } = system;
  const d = base.length;
  const matrix = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    matrix[i * d + i] = metric[i]!;
    rhs[i] = metric[i]! * base[i]!;
  }
  for (let e = 0; e < k; e++) {
    const offset = e * d;
    for (let i = 0; i < d; i++) {
      const ji = rows[offset + i]!;
      rhs[i]! -= force[e]! * ji;
      for (let j = 0; j < d; j++) matrix[i * d + j]! += penalty[e]! * ji * rows[offset + j]!;
    }
  }
  const lower = choleskyFactor(matrix, d);
  return lower === null ? null : choleskySolve(lower, d, rhs);
}
