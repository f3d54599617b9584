import type { SolveMode } from '@galt/protocol';
import { choleskyFactor, choleskySolve, conditionNumber } from './cholesky.js';

/**
 * The linearised augmented-Lagrangian step: minimise over δ
 * ½(δ−b)ᵀM(δ−b) + Σ_e [f_e⟨J_e,δ⟩ + ½ρ_e⟨J_e,δ⟩²], whose normal equations are
 * (M + Jᵀ diag(ρ) J) δ = M b − Jᵀ f.
 */
export interface LocalSystem {
  /** Base displacement `b` (length d): where the step goes without constraints. */
  readonly base: Float64Array;
  /** Diagonal metric `M` (length d), every entry positive. */
  readonly metric: Float64Array;
  /** Constraint rows `J`, row-major k×d. */
  readonly rows: Float32Array | Float64Array;
  readonly rowCount: number;
  /** Force `f_e = λ_e + ρ_e·max(0, C_e)` per row. */
  readonly force: Float64Array;
  /** Penalty `ρ_e > 0` per row. */
  readonly penalty: Float64Array;
}

/** Options of the Cholesky solve of the k×k system. */
export interface WoodburyOptions {
  /** First diagonal jitter tried after a failed factorisation (on the unit-diagonal scaled matrix). */
  readonly initialJitter?: number;
  /** Largest jitter tried before the solve gives up. */
  readonly maxJitter?: number;
}

/** The step and how it was solved. */
export interface LocalSolution {
  readonly displacement: Float64Array;
  readonly mode: SolveMode;
  /** Condition number of the row-scaled k×k matrix that was factored (1 with no rows). */
  readonly conditionNumber: number;
  /** Diagonal jitter added to the scaled matrix (0 when the first factorisation succeeded). */
  readonly jitter: number;
  /** Dual vector `y = (R⁻¹ + J M⁻¹ Jᵀ)⁻¹ (R⁻¹f + J b)`: the force each row applies. */
  readonly rowForce: Float64Array;
}

/** Jitter start: far below the unit diagonal of the scaled matrix, so it rarely changes the step. */
const DEFAULT_INITIAL_JITTER = 1e-10;
/** Jitter limit: beyond 1e-2 the step would no longer approximate the requested system. */
const DEFAULT_MAX_JITTER = 1e-2;

/** The local system without its forces: everything the k×k factorisation depends on. */
export type LocalMatrix = Omit<LocalSystem, 'force'>;

/** A factored local system that solves for any force vector without refactoring. */
export interface WoodburyFactor {
  readonly mode: SolveMode;
  readonly conditionNumber: number;
  readonly jitter: number;
  /** Returns the dual vector y = (R⁻¹ + J M⁻¹ Jᵀ)⁻¹ (R⁻¹f + J b) for forces `f` (length k). */
  dual(force: Float64Array): Float64Array;
  /** Returns the linearised row values J δ = J b − (J M⁻¹ Jᵀ) y of the step for dual `y`, in O(k²). */
  rowValues(dual: Float64Array): Float64Array;
  /** Returns the step δ = b − M⁻¹Jᵀy for dual `y`, or null when a value is not finite. */
  displacement(dual: Float64Array): Float64Array | null;
}

/**
 * Solves the local system exactly with the Woodbury identity
 * δ = b − M⁻¹Jᵀ (R⁻¹ + J M⁻¹ Jᵀ)⁻¹ (R⁻¹f + J b), in float64.
 * Rows are scaled by a symmetric diagonal scaling (so the solution is unchanged) and the scaled
 * matrix is factored by Cholesky, with growing diagonal jitter if a pivot fails.
 * Returns null when even the largest jitter cannot factor the matrix or a value is not finite.
 */
export function solveWoodbury(
  system: LocalSystem,
  options: WoodburyOptions = {},
): LocalSolution | null {
  const factor = factorWoodbury(system, options);
  if (factor === null) return null;
  const rowForce = factor.dual(system.force);
  const displacement = factor.displacement(rowForce);
  if (displacement === null) return null;
  return {
    displacement,
    rowForce,
    mode: factor.mode,
    conditionNumber: factor.conditionNumber,
    jitter: factor.jitter,
  };
}

/**
 * Factors R⁻¹ + J M⁻¹ Jᵀ once, so that block iterations which change only the forces reuse it.
 * Returns null when even the largest jitter cannot factor the matrix.
 */
export function factorWoodbury(
  system: LocalMatrix,
  options: WoodburyOptions = {},
): WoodburyFactor | null {
  const { base, metric, rows, rowCount: k, penalty } = system;
  const d = base.length;
  if (k === 0) {
    return {
      mode: 'adam',
      conditionNumber: 1,
      jitter: 0,
      dual: () => new Float64Array(0),
      rowValues: () => new Float64Array(0),
      displacement: () => Float64Array.from(base),
    };
  }
  const scaledRows = scaleByInverseMetric(rows, k, metric);
  const gram = rowGram(rows, scaledRows, k, d);
  const equilibrated = equilibrate(gram, k, rows, base, penalty);
  const factored = factorWithJitter(equilibrated.matrix, k, options);
  if (factored === null) return null;

  let mode: SolveMode = k === 1 ? 'sherman_morrison' : 'woodbury';
  if (factored.jitter > 0) mode = 'woodbury_jitter';
  const { scale, rowBase } = equilibrated;
  return {
    mode,
    conditionNumber: factored.condition,
    jitter: factored.jitter,
    dual(force) {
      const rhs = new Float64Array(k);
      for (let e = 0; e < k; e++) rhs[e] = (force[e]! / penalty[e]! + rowBase[e]!) / scale[e]!;
      const z = choleskySolve(factored.lower, k, rhs);
      const rowForce = new Float64Array(k);
      for (let e = 0; e < k; e++) rowForce[e] = z[e]! / scale[e]!;
      return rowForce;
    },
    rowValues(dual) {
      const values = Float64Array.from(rowBase);
      for (let e = 0; e < k; e++) {
        for (let f = 0; f < k; f++) values[e]! -= gram[e * k + f]! * dual[f]!;
      }
      return values;
    },
    displacement(dual) {
      // δ = b − M⁻¹Jᵀy: each row pushes along its own M⁻¹-scaled direction.
      const displacement = Float64Array.from(base);
      for (let e = 0; e < k; e++) {
        const y = dual[e]!;
        if (y === 0) continue;
        const offset = e * d;
        for (let i = 0; i < d; i++) displacement[i]! -= y * scaledRows[offset + i]!;
      }
      return allFinite(displacement) ? displacement : null;
    },
  };
}

/**
 * Builds S⁻¹(R⁻¹ + A)S⁻¹ with S = diag(sqrt((R⁻¹ + A)_ee)), so the factored matrix has a unit
 * diagonal, and J b for the right-hand side S⁻¹(R⁻¹f + Jb). This is the row normalisation by
 * ‖J_e‖_{M⁻¹}, kept finite for zero rows.
 */
function equilibrate(
  gram: Float64Array,
  k: number,
  rows: Float32Array | Float64Array,
  base: Float64Array,
  penalty: Float64Array,
): { matrix: Float64Array; rowBase: Float64Array; scale: Float64Array } {
  const d = base.length;
  const scale = new Float64Array(k);
  for (let e = 0; e < k; e++) scale[e] = Math.sqrt(gram[e * k + e]! + 1 / penalty[e]!);
  const matrix = new Float64Array(k * k);
  const rowBase = new Float64Array(k);
  for (let e = 0; e < k; e++) {
    for (let f = 0; f < k; f++) {
      const value = gram[e * k + f]! + (e === f ? 1 / penalty[e]! : 0);
      matrix[e * k + f] = value / (scale[e]! * scale[f]!);
    }
    rowBase[e] = dotRow(rows, e, d, base);
  }
  return { matrix, rowBase, scale };
}

/** Returns M⁻¹Jᵀ stored row-major as k×d (row e is M⁻¹J_e). */
function scaleByInverseMetric(
  rows: Float32Array | Float64Array,
  k: number,
  metric: Float64Array,
): Float64Array {
  const d = metric.length;
  const out = new Float64Array(k * d);
  for (let e = 0; e < k; e++) {
    const offset = e * d;
    for (let i = 0; i < d; i++) out[offset + i] = rows[offset + i]! / metric[i]!;
  }
  return out;
}

/** Columns of the Gram matrix computed together, so each pass over row `e` serves four rows. */
const GRAM_TILE = 4;

/**
 * Returns A = J M⁻¹ Jᵀ (k×k, symmetric) from the rows and the rows scaled by M⁻¹. Each entry
 * is one sequential sum over the d coordinates, and four entries of a row share a pass over it.
 */
function rowGram(
  rows: Float32Array | Float64Array,
  scaledRows: Float64Array,
  k: number,
  d: number,
): Float64Array {
  const gram = new Float64Array(k * k);
  const store = (e: number, f: number, sum: number) => {
    gram[e * k + f] = sum;
    gram[f * k + e] = sum;
  };
  for (let e = 0; e < k; e++) {
    const eo = e * d;
    let f = e;
    for (; f + GRAM_TILE <= k; f += GRAM_TILE) {
      const o0 = f * d;
      const o1 = o0 + d;
      const o2 = o1 + d;
      const o3 = o2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < d; i++) {
        const value = rows[eo + i]!;
        s0 += value * scaledRows[o0 + i]!;
        s1 += value * scaledRows[o1 + i]!;
        s2 += value * scaledRows[o2 + i]!;
        s3 += value * scaledRows[o3 + i]!;
      }
      store(e, f, s0);
      store(e, f + 1, s1);
      store(e, f + 2, s2);
      store(e, f + 3, s3);
    }
    for (; f < k; f++) {
      const fo = f * d;
      let sum = 0;
      for (let i = 0; i < d; i++) sum += rows[eo + i]! * scaledRows[fo + i]!;
      store(e, f, sum);
    }
  }
  return gram;
}

function dotRow(
  rows: Float32Array | Float64Array,
  e: number,
  d: number,
  vector: Float64Array,
): number {
  let sum = 0;
  const offset = e * d;
  for (let i = 0; i < d; i++) sum += rows[offset + i]! * vector[i]!;
  return sum;
}

interface Factored {
  lower: Float64Array;
  jitter: number;
  condition: number;
}

function factorWithJitter(
  matrix: Float64Array,
  k: number,
  options: WoodburyOptions,
): Factored | null {
  if (!allFinite(matrix)) return null;
  const maxJitter = options.maxJitter ?? DEFAULT_MAX_JITTER;
  let jitter = 0;
  let next = options.initialJitter ?? DEFAULT_INITIAL_JITTER;
  for (;;) {
    const candidate = jitter === 0 ? matrix : addDiagonal(matrix, k, jitter);
    const lower = choleskyFactor(candidate, k);
    if (lower !== null) return { lower, jitter, condition: conditionNumber(candidate, k) };
    if (next > maxJitter) return null;
    jitter = next;
    next *= 10;
  }
}

function addDiagonal(matrix: Float64Array, k: number, value: number): Float64Array {
  const out = Float64Array.from(matrix);
  for (let i = 0; i < k; i++) out[i * k + i]! += value;
  return out;
}

/** Returns true when every element is a finite number. */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return false;
  }
  return true;
}
