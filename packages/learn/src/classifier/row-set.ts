import type { RowValue } from '../updater/row-state.js';
import type { ClassifierModel, PassCounter } from './classifier-model.js';
import { crossEntropy, marginRows } from './logit-functions.js';
import type { RetentionRow, SafetyProbe } from './write-request.js';

/** Settings the rows of one write read. */
export interface RowSettings {
  defaultMargin: number;
  retentionTolerance: number;
}

/** Row values at the current parameters, with the logit gradient of every packed example. */
export interface RowEvaluation {
  /** Hard probes, then anchored retention rows. */
  rows: RowValue[];
  /** Cross-entropy of retention rows that have no anchor yet, by id. */
  unanchored: Map<string, number>;
  logitGradient: Float32Array;
}

interface PackedRow {
  id: string;
  kind: RowValue['kind'];
  hard: boolean;
  label: number;
  /** Margin for a probe, tolerance for a retention row. */
  offset: number;
}

/**
 * The constraint rows of one write, packed into one batch: safety and memory probes are hard
 * margin rows C = m − (z_y − max_{j≠y} z_j); retention rows are soft,
 * C = CE(row) − (anchor + tolerance).
 */
export class RowSet {
  private readonly packed: PackedRow[];
  private readonly features: Float32Array;

  constructor(
    private readonly model: ClassifierModel,
    request: {
      safetyProbes: SafetyProbe[];
      memoryProbes: SafetyProbe[];
      retention: RetentionRow[];
    },
    settings: RowSettings,
    private readonly passes: PassCounter,
  ) {
    const probe = (kind: RowValue['kind']) => (example: SafetyProbe) => ({
      id: example.id,
      kind,
      hard: true,
      label: example.label,
      offset: example.margin ?? settings.defaultMargin,
    });
    this.packed = [
      ...request.safetyProbes.map(probe('safety_probe')),
      ...request.memoryProbes.map(probe('memory_probe')),
      ...request.retention.map((example) => ({
        id: example.id,
        kind: 'retention' as const,
        hard: false,
        label: example.label,
        offset: example.tolerance ?? settings.retentionTolerance,
      })),
    ];
    const all = [...request.safetyProbes, ...request.memoryProbes, ...request.retention];
    this.features = new Float32Array(all.length * model.inputSize);
    all.forEach((example, index) => {
      this.features.set(example.features, index * model.inputSize);
    });
  }

  /** Evaluates every row with one forward pass. */
  async evaluate(anchors: ReadonlyMap<string, number>): Promise<RowEvaluation> {
    const count = this.packed.length;
    const classes = this.model.classes;
    const rows: RowValue[] = [];
    const unanchored = new Map<string, number>();
    if (count === 0) return { rows, unanchored, logitGradient: new Float32Array(0) };

    this.passes.forward += 1;
    const logits = await this.model.forward(this.features, count);
    const labels = this.packed.map((row) => row.label);
    const margins = marginRows(
      logits,
      labels,
      this.packed.map((row) => row.offset),
      classes,
    );
    const losses = crossEntropy(logits, labels, classes);

    const logitGradient = new Float32Array(count * classes);
    this.packed.forEach((row, index) => {
      const source = row.hard ? margins : losses;
      logitGradient.set(
        source.logitGradient.subarray(index * classes, (index + 1) * classes),
        index * classes,
      );
      if (row.hard) {
        rows.push({ id: row.id, kind: row.kind, hard: true, value: margins.values[index]! });
        return;
      }
      const anchor = anchors.get(row.id);
      const loss = losses.values[index]!;
      if (anchor === undefined) {
        unanchored.set(row.id, loss);
        return;
      }
      rows.push({ id: row.id, kind: row.kind, hard: false, value: loss - (anchor + row.offset) });
    });

    return { rows, unanchored, logitGradient };
  }

  /**
   * Anchors retention rows seen for the first time at their current cross-entropy. It does so only
   * when the current state satisfies every hard row, and otherwise returns the ids left unanchored.
   */
  anchorNewRows(
    evaluation: RowEvaluation,
    anchors: Map<string, number>,
    hardTolerance: number,
  ): string[] {
    const feasible = evaluation.rows.every((row) => !row.hard || row.value <= hardTolerance);
    if (!feasible) return [...evaluation.unanchored.keys()];
    for (const [id, loss] of evaluation.unanchored) anchors.set(id, loss);
    return [];
  }

  /** Computes the Jacobian rows of `ids` in one batched pass. */
  async jacobians(
    ids: readonly string[],
    evaluation: RowEvaluation,
  ): Promise<Map<string, Float32Array>> {
    const result = new Map<string, Float32Array>();
    if (ids.length === 0) return result;
    const inputSize = this.model.inputSize;
    const classes = this.model.classes;
    const indices = ids.map((id) => this.packed.findIndex((row) => row.id === id));
    const features = new Float32Array(ids.length * inputSize);
    const weights = new Float32Array(ids.length * classes);
    indices.forEach((packedIndex, i) => {
      features.set(
        this.features.subarray(packedIndex * inputSize, (packedIndex + 1) * inputSize),
        i * inputSize,
      );
      weights.set(
        evaluation.logitGradient.subarray(packedIndex * classes, (packedIndex + 1) * classes),
        i * classes,
      );
    });
    this.passes.forward += 1;
    this.passes.backward += ids.length;
    const jacobian = await this.model.jacobian(features, ids.length, weights);
    const d = this.model.dimension;
    ids.forEach((id, i) => {
      result.set(id, jacobian.subarray(i * d, (i + 1) * d));
    });
    return result;
  }
}
