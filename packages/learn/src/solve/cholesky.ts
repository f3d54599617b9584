/**
 * Dense symmetric linear algebra in float64 for the small k×k systems of the constrained step.
 * Matrices are row-major `Float64Array`s of length n·n.
 */

/** Factors a symmetric positive-definite matrix as L·Lᵀ; returns null when a pivot is not positive. */
export function choleskyFactor(matrix: Float64Array, n: number): Float64Array | null {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j]!;
      for (let p = 0; p < j; p++) sum -= lower[i * n + p]! * lower[j * n + p]!;
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / lower[j * n + j]!;
      }
    }
  }
  return lower;
}

/** Solves L·Lᵀ·x = rhs by forward and back substitution. */
export function choleskySolve(lower: Float64Array, n: number, rhs: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i]!;
    for (let p = 0; p < i; p++) sum -= lower[i * n + p]! * y[p]!;
    y[i] = sum / lower[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let p = i + 1; p < n; p++) sum -= lower[p * n + i]! * x[p]!;
    x[i] = sum / lower[i * n + i]!;
  }
  return x;
}

/** Sweeps of the cyclic Jacobi method; 30 is far more than a 64×64 matrix needs to converge. */
const MAX_JACOBI_SWEEPS = 30;

/** Computes the eigenvalues of a symmetric matrix with the cyclic Jacobi rotation method. */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < MAX_JACOBI_SWEEPS; sweep++) {
    let offDiagonal = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) offDiagonal += a[i * n + j]! ** 2;
    }
    if (offDiagonal < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, n, p, q);
    }
  }
  const eigenvalues = new Float64Array(n);
  for (let i = 0; i < n; i++) eigenvalues[i] = a[i * n + i]!;
  return eigenvalues;
}

/** Applies the Jacobi rotation that zeroes a[p][q] and a[q][p]. */
function rotate(a: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q]!;
  if (apq === 0) return;
  const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p]!;
    const akq = a[k * n + q]!;
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k]!;
    const aqk = a[q * n + k]!;
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
}

/** Returns λ_max / λ_min of a symmetric positive-definite matrix; Infinity when λ_min ≤ 0. */
export function conditionNumber(matrix: Float64Array, n: number): number {
  if (n === 0) return 1;
  const eigenvalues = symmetricEigenvalues(matrix, n);
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const value of eigenvalues) {
    min = Math.min(min, value);
    max = Math.max(max, Math.abs(value));
  }
  return min > 0 ? max / min : Number.POSITIVE_INFINITY;
}
