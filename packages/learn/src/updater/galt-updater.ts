import { GaltError } from '@galt/core';
import type { SolveMode } from '@galt/protocol';
import { allFinite, type LocalSystem, solveWoodbury } from '../solve/woodbury.js';
import { type MomentState, nextAdamDirection } from './adam-moments.js';
import { solveBlockGaussSeidel } from './block-gauss-seidel.js';
import { checkEdgeRows } from './edge-rows.js';
import { buildLayout, type FlatLayout, gatherFlat, resolveParameters } from './layout.js';
import { type GaltOptions, type ResolvedGaltOptions, resolveGaltOptions } from './options.js';
import { isActive, newRowState, outerUpdate, type RowState, type RowValue } from './row-state.js';
import { decodeUpdater, encodeUpdater, type UpdaterState } from './snapshot-codec.js';
import { StepBuffers } from './step-buffers.js';
import {
  applyDisplacement,
  assembleRows,
  descentIncreasesRow,
  dot,
  nonFinite,
  weightedNorm,
} from './step-math.js';

/** Input of one inner step: parameters, task gradient, measured rows and fresh Jacobian rows. */
export interface StepInput {
  /** Parameter values by name; updated in place only when the step succeeds. */
  parameters: ReadonlyMap<string, Float32Array>;
  /** Gradient of the task loss over the flat layout (length `dimension`). */
  gradient: Float32Array | Float64Array;
  /** Constraint rows measured at the current parameters. */
  rows: readonly RowValue[];
  /** Freshly computed Jacobian rows by row id (length `dimension` each); others reuse the cache. */
  jacobians?: ReadonlyMap<string, Float32Array | Float64Array>;
}

/** Outcome of one inner step. */
export interface StepReport {
  step: number;
  mode: SolveMode;
  conditionNumber: number;
  jitter: number;
  activeRows: string[];
  outerUpdated: boolean;
  /** True when the displacement was shortened to the trust radius. */
  trustScaled: boolean;
  /** D-weighted RMS of the applied displacement, in units of the learning rate. */
  displacementNorm: number;
  /** The displacement added to the flat parameter vector; valid until the next step. */
  displacement: Float64Array;
  /** Linearised row values C + ⟨J, Δ⟩ after the step, for the active rows. */
  predicted: Record<string, number>;
  /** Block solve used in this step (the `blockSolve` option). */
  blockSolve: 'joint' | 'gauss-seidel';
  /** Gauss–Seidel sweeps used (1 for the joint solve). */
  blockSweeps: number;
  /** Largest change of a linearised row value in the last sweep (0 for the joint solve). */
  blockResidual: number;
}

/**
 * The GALT inner/outer updater over blocks of parameters: Adam moments give the metric and
 * base step, active constraint rows enter a Woodbury solve of the augmented-Lagrangian step,
 * and multipliers and penalties are updated from the measured row values every `outerPeriod`.
 * All blocks share one dual vector, so each row's force is split across blocks in proportion to
 * J_b D_b⁻¹ J_bᵀ, which is the exact joint solve, or (with `blockSolve: 'gauss-seidel'`) blocks
 * solve in turn against the others' current displacement until the linearised rows settle.
 */
export class GaltUpdater {
  readonly options: ResolvedGaltOptions;
  readonly layout: FlatLayout;
  private moments: MomentState;
  private rows = new Map<string, RowState>();
  private anchor: Float64Array | null = null;
  private innerSinceOuter = 0;
  /** Work arrays of `step`, made on its first call. */
  private buffers: StepBuffers | null = null;

  constructor(options: GaltOptions) {
    this.options = resolveGaltOptions(options);
    this.layout = buildLayout(this.options.blocks, this.options.learningRate);
    const d = this.layout.dimension;
    this.moments = { step: 0, first: new Float64Array(d), second: new Float64Array(d) };
  }

  /** Total parameter count across blocks. */
  get dimension(): number {
    return this.layout.dimension;
  }

  /** Inner steps taken so far. */
  get stepCount(): number {
    return this.moments.step;
  }

  /** Returns λ, ρ and active-set membership of a row, or undefined for an unseen row. */
  rowState(id: string): { lambda: number; rho: number; active: boolean } | undefined {
    const state = this.rows.get(id);
    return state === undefined
      ? undefined
      : { lambda: state.lambda, rho: state.rho, active: state.active };
  }

  /**
   * Lists the rows whose Jacobian must be computed before the next step: active rows with no
   * cached row, a cache older than `jacobianPeriod`, a current violation, or a task gradient that
   * points towards increasing the row (cosine above `alignmentThreshold`).
   */
  rowsToRefresh(rows: readonly RowValue[], gradient: Float32Array | Float64Array): string[] {
    const refresh: string[] = [];
    const outerDue = this.isOuterDue();
    for (const row of rows) {
      let state = this.rows.get(row.id) ?? newRowState(row, this.options);
      if (outerDue) state = outerUpdate(state, row.value, this.options);
      if (!isActive(state, row.value, this.options)) continue;
      const cached = state.jacobian;
      const stale = cached === null || state.jacobianAge >= this.options.jacobianPeriod;
      if (
        stale ||
        row.value > 0 ||
        descentIncreasesRow(gradient, cached, this.options.alignmentThreshold)
      ) {
        refresh.push(row.id);
      }
    }
    return refresh;
  }

  /**
   * Takes one inner step and updates the parameters in place. Throws `non_finite_update` (and
   * changes nothing, neither parameters nor updater state) when any input or result is not finite.
   */
  step(input: StepInput): StepReport {
    const d = this.layout.dimension;
    const { arrays } = resolveParameters(this.layout, input.parameters);
    this.checkInput(input);

    this.buffers ??= new StepBuffers(d);
    const buffers = this.buffers;
    const theta = gatherFlat(arrays, d, buffers.theta);
    const outerUpdated = this.isOuterDue();
    const states = this.nextRowStates(input, outerUpdated);
    const anchor = outerUpdated || this.anchor === null ? theta : this.anchor;

    const active = input.rows.filter((row) => states.get(row.id)!.active);
    const { moments, direction } = nextAdamDirection(
      this.moments,
      input.gradient,
      this.layout,
      this.options,
      buffers.spareMoments,
      buffers.direction,
    );
    const { base, metric, weight } = direction;
    if (this.options.proximalWeight > 0) {
      for (let i = 0; i < d; i++)
        base[i]! += this.options.proximalWeight * (anchor[i]! - theta[i]!);
    }

    const system = assembleRows(active, states, d);
    // With no active row the step is Adam's, so its displacement is the base buffer itself.
    const solution =
      system.rowCount === 0 ? adamSolution(base) : this.solve({ base, metric, ...system });
    if (solution === null) throw nonFinite('the constrained solve produced no finite step');

    // The trust radius bounds the real displacement, so a stiff row cannot throw θ far away.
    const displacement = solution.displacement;
    const norm = weightedNorm(displacement, weight, this.layout);
    const trustScaled = norm > this.options.trustRadius;
    if (trustScaled) {
      const factor = this.options.trustRadius / norm;
      for (let i = 0; i < d; i++) displacement[i]! *= factor;
    }

    const updated = this.moved(arrays, displacement, buffers.updated);
    const predicted: Record<string, number> = {};
    active.forEach((row, e) => {
      predicted[row.id] = row.value + dot(system.rows, e * d, displacement);
    });
    this.commit(arrays, updated, moments, states, anchor, outerUpdated);

    return {
      step: moments.step,
      mode: solution.mode,
      conditionNumber: solution.conditionNumber,
      jitter: solution.jitter,
      activeRows: active.map((row) => row.id),
      outerUpdated,
      trustScaled,
      displacementNorm: Math.min(norm, this.options.trustRadius),
      displacement,
      predicted,
      blockSolve: this.options.blockSolve,
      blockSweeps: solution.sweeps,
      blockResidual: solution.residual,
    };
  }

  /** Solves the local system jointly or by block Gauss–Seidel, as the options ask. */
  private solve(system: LocalSystem) {
    const jitter = { initialJitter: this.options.initialJitter, maxJitter: this.options.maxJitter };
    if (this.options.blockSolve === 'gauss-seidel') {
      return solveBlockGaussSeidel(system, this.layout.blocks, {
        ...jitter,
        tolerance: this.options.blockTolerance,
        maxSweeps: this.options.maxBlockSweeps,
      });
    }
    const joint = solveWoodbury(system, jitter);
    return joint === null ? null : { ...joint, sweeps: 1, residual: 0 };
  }

  /** Applies the outer update now from measured row values (used after the last step of a write). */
  updateDuals(rows: readonly RowValue[]): void {
    for (const row of rows) {
      if (!Number.isFinite(row.value)) throw nonFinite(`row ${row.id} has a non-finite value`);
    }
    for (const row of rows) {
      const state = this.rows.get(row.id) ?? newRowState(row, this.options);
      this.rows.set(row.id, outerUpdate(state, row.value, this.options));
    }
    this.innerSinceOuter = 0;
  }

  /** Drops the cached Jacobian rows, so the next step recomputes every active row. */
  invalidateJacobians(): void {
    for (const state of this.rows.values()) state.jacobian = null;
  }

  /** Encodes the complete updater state (options, moments, rows, caches, anchor) as bytes. */
  snapshot(): Uint8Array {
    return encodeUpdater(this.exportState());
  }

  /** Rebuilds an updater from `snapshot()` bytes; its next steps equal those of the original. */
  static restore(bytes: Uint8Array): GaltUpdater {
    const state = decodeUpdater(bytes);
    const updater = new GaltUpdater(state.options);
    if (state.moments.first.length !== updater.dimension) {
      throw new GaltError('invalid_input', 'updater snapshot moments do not match its blocks', {
        remedy: 'restore from a snapshot written by GaltUpdater.snapshot()',
      });
    }
    updater.moments = state.moments;
    updater.rows = state.rows;
    updater.anchor = state.anchor;
    updater.innerSinceOuter = state.innerSinceOuter;
    return updater;
  }

  private exportState(): UpdaterState {
    return {
      options: this.options,
      moments: this.moments,
      rows: this.rows,
      anchor: this.anchor,
      innerSinceOuter: this.innerSinceOuter,
    };
  }

  private isOuterDue(): boolean {
    return this.moments.step > 0 && this.innerSinceOuter >= this.options.outerPeriod;
  }

  private checkInput(input: StepInput): void {
    const d = this.layout.dimension;
    if (input.gradient.length !== d) {
      throw new GaltError(
        'invalid_input',
        `gradient has length ${input.gradient.length}, expected ${d}`,
        {
          remedy: 'pass the task gradient over the concatenated block parameters',
        },
      );
    }
    if (!allFinite(input.gradient)) throw nonFinite('the task gradient contains NaN or Infinity');
    const ids = new Set<string>();
    for (const row of input.rows) {
      if (ids.has(row.id)) {
        throw new GaltError('invalid_input', `row id ${row.id} appears twice in one step`, {
          remedy: 'give every constraint row of a step its own id',
        });
      }
      ids.add(row.id);
      if (row.edge !== undefined && row.kind !== 'consistency') {
        throw new GaltError(
          'invalid_input',
          `row ${row.id} measures edge ${row.edge} but has kind ${row.kind}`,
          { remedy: "give rows of a forward-consistency edge the kind 'consistency'" },
        );
      }
      if (!Number.isFinite(row.value)) throw nonFinite(`row ${row.id} has a non-finite value`);
    }
    for (const [id, jacobian] of input.jacobians ?? []) {
      if (jacobian.length !== d) {
        throw new GaltError(
          'invalid_input',
          `Jacobian row ${id} has length ${jacobian.length}, expected ${d}`,
          {
            remedy: 'pass one gradient per row over the concatenated block parameters',
          },
        );
      }
      if (!allFinite(jacobian)) throw nonFinite(`Jacobian row ${id} contains NaN or Infinity`);
    }
    checkEdgeRows(input.rows, input.jacobians, this.options.edges, this.layout);
  }

  /** Applies the displacement; a non-finite result names a parameter that held NaN or Infinity. */
  private moved(
    arrays: readonly Float32Array[],
    displacement: Float64Array,
    out: Float32Array,
  ): Float32Array {
    try {
      return applyDisplacement(arrays, displacement, out);
    } catch (error) {
      const index = arrays.findIndex((array) => !allFinite(array));
      const name = this.layout.parameters[index]?.name;
      if (name === undefined) throw error;
      throw nonFinite(`parameter ${name} contains NaN or Infinity`);
    }
  }

  private nextRowStates(input: StepInput, outerDue: boolean): Map<string, RowState> {
    const states = new Map<string, RowState>();
    for (const row of input.rows) {
      let state = { ...(this.rows.get(row.id) ?? newRowState(row, this.options)) };
      if (outerDue) state = outerUpdate(state, row.value, this.options);
      const fresh = input.jacobians?.get(row.id);
      if (fresh !== undefined) {
        state.jacobian = Float64Array.from(fresh);
        state.jacobianAge = 0;
      }
      state.active = isActive(state, row.value, this.options);
      if (state.active && state.jacobian === null) {
        throw new GaltError('invalid_input', `active row ${row.id} has no Jacobian`, {
          remedy: 'compute the rows returned by rowsToRefresh() and pass them in jacobians',
        });
      }
      if (!Number.isFinite(state.lambda) || !(state.rho > 0) || !Number.isFinite(state.rho)) {
        throw nonFinite(`row ${row.id} has an invalid multiplier or penalty`);
      }
      states.set(row.id, state);
    }
    return states;
  }

  private commit(
    arrays: Float32Array[],
    updated: Float32Array,
    moments: MomentState,
    states: Map<string, RowState>,
    anchor: Float64Array,
    outerUpdated: boolean,
  ): void {
    let offset = 0;
    for (const array of arrays) {
      array.set(updated.subarray(offset, offset + array.length));
      offset += array.length;
    }
    const buffers = this.buffers;
    if (buffers !== null) {
      // The committed moments' old arrays, and the old anchor once replaced, become spares.
      buffers.spareMoments = { first: this.moments.first, second: this.moments.second };
      if (anchor !== this.anchor) buffers.theta = this.anchor ?? new Float64Array(anchor.length);
    }
    this.moments = moments;
    for (const [id, state] of states) this.rows.set(id, state);
    for (const state of this.rows.values()) {
      if (state.jacobian !== null) state.jacobianAge += 1;
    }
    this.anchor = anchor;
    this.innerSinceOuter = outerUpdated ? 1 : this.innerSinceOuter + 1;
  }
}

/** Returns the solution of a step without active rows, which is Adam's own displacement. */
function adamSolution(base: Float64Array) {
  const mode: SolveMode = 'adam';
  return { displacement: base, mode, conditionNumber: 1, jitter: 0, sweeps: 1, residual: 0 };
}
