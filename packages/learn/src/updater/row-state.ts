import type { ResolvedGaltOptions } from './options.js';

/** Kinds of constraint rows, as recorded in the ledger. */
export type { RowKind } from '@galt/protocol';

import type { RowKind } from '@galt/protocol';

/** One constraint row measured at the current parameters: `C ≤ 0` is satisfied. */
export interface RowValue {
  id: string;
  kind: RowKind;
  /** Hard rows decide commit or rollback of a memory write. */
  hard: boolean;
  value: number;
  /** Id of the forward-consistency edge this row measures, if any. */
  edge?: string | undefined;
}

/** Persistent state of one constraint row across steps, writes and restarts. */
export interface RowState {
  kind: RowKind;
  hard: boolean;
  lambda: number;
  rho: number;
  active: boolean;
  /** max(0, C) measured at the last outer update, used to detect a stalled violation. */
  lastViolation: number;
  /** Cached Jacobian row (length d), or null before the first refresh. */
  jacobian: Float64Array | null;
  /** Inner steps since the cached row was computed. */
  jacobianAge: number;
}

/** Creates the state of a row seen for the first time. */
export function newRowState(row: RowValue, options: ResolvedGaltOptions): RowState {
  return {
    kind: row.kind,
    hard: row.hard,
    lambda: 0,
    rho: options.initialRho,
    active: false,
    lastViolation: 0,
    jacobian: null,
    jacobianAge: 0,
  };
}

/** Decides membership of the active set, with hysteresis between entering and leaving. */
export function isActive(state: RowState, value: number, options: ResolvedGaltOptions): boolean {
  if (value > -options.enterMargin) return true;
  if (state.lambda > 0) return true;
  return state.active && value > -options.exitMargin;
}

/**
 * Applies the outer update to a copy of the row state from the measured value `C`.
 * λ ← clip(λ + ρ·C, 0, λ_max), so λ grows while the row is violated and falls once it clears.
 * ρ grows when a violation stalls and decays towards its floor once the row is satisfied.
 */
export function outerUpdate(
  state: RowState,
  value: number,
  options: ResolvedGaltOptions,
): RowState {
  const lambda = Math.min(options.lambdaMax, Math.max(0, state.lambda + state.rho * value));
  const violation = Math.max(0, value);
  let rho = state.rho;
  if (
    violation > 0 &&
    state.lastViolation > 0 &&
    violation > options.stallRatio * state.lastViolation
  ) {
    rho = Math.min(options.rhoMax, rho * options.rhoGrowth);
  } else if (violation === 0) {
    rho = Math.max(options.rhoFloor, rho * options.rhoDecay);
  }
  return { ...state, lambda, rho, lastViolation: violation };
}

/** Returns the force f = λ + ρ·max(0, C) of an active row. */
export function rowForce(state: RowState, value: number): number {
  return state.lambda + state.rho * Math.max(0, value);
}
