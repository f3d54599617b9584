import { GaltError } from '@galt/core';

/**
 * Losses and constraint rows as functions of logits `z [count, classes]`, each returning its value
 * per example and its derivative with respect to the logits, which the model turns into parameter
 * gradients.
 */
export interface LogitFunction {
  values: Float64Array;
  /** ∂value_i/∂z_i, row-major [count, classes]. */
  logitGradient: Float32Array;
}

/** Computes per-example cross-entropy toward `labels` and its logit gradient softmax(z) − onehot(y). */
export function crossEntropy(
  logits: Float32Array,
  labels: ArrayLike<number>,
  classes: number,
): LogitFunction {
  const count = labels.length;
  const values = new Float64Array(count);
  const logitGradient = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) {
    const row = i * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < classes; j++) max = Math.max(max, logits[row + j]!);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(logits[row + j]! - max);
    const logSum = max + Math.log(sum);
    const label = labels[i]!;
    values[i] = logSum - logits[row + label]!;
    for (let j = 0; j < classes; j++) {
      logitGradient[row + j] = Math.exp(logits[row + j]! - logSum) - (j === label ? 1 : 0);
    }
  }
  return { values, logitGradient };
}

/**
 * Computes per-example cross-entropy over only the classes in `allowed`, as ER-ACE's asymmetric
 * loss does for the incoming batch. Logits outside `allowed` get no gradient, so training on new
 * classes does not push old-class logits down. Throws `invalid_input` for a label outside
 * `allowed`.
 */
export function maskedCrossEntropy(
  logits: Float32Array,
  labels: ArrayLike<number>,
  classes: number,
  allowed: ReadonlySet<number>,
): LogitFunction {
  const count = labels.length;
  const values = new Float64Array(count);
  const logitGradient = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) {
    const row = i * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (const j of allowed) max = Math.max(max, logits[row + j]!);
    let sum = 0;
    for (const j of allowed) sum += Math.exp(logits[row + j]! - max);
    const logSum = max + Math.log(sum);
    const label = labels[i]!;
    if (!allowed.has(label)) {
      throw new GaltError('invalid_input', `label ${label} of row ${i} is not an allowed class`, {
        remedy: 'include every label of the batch in the allowed classes',
      });
    }
    values[i] = logSum - logits[row + label]!;
    for (const j of allowed) {
      logitGradient[row + j] = Math.exp(logits[row + j]! - logSum) - (j === label ? 1 : 0);
    }
  }
  return { values, logitGradient };
}

/**
 * Computes the margin row C = m − (z_y − max_{j≠y} z_j) per example, which is ≤ 0 when the
 * labelled class leads every other class by at least m. Its logit gradient is e_{j*} − e_y.
 */
export function marginRows(
  logits: Float32Array,
  labels: ArrayLike<number>,
  margins: ArrayLike<number>,
  classes: number,
): LogitFunction {
  const count = labels.length;
  const values = new Float64Array(count);
  const logitGradient = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) {
    const row = i * classes;
    const label = labels[i]!;
    let runnerUp = -1;
    for (let j = 0; j < classes; j++) {
      if (j !== label && (runnerUp < 0 || logits[row + j]! > logits[row + runnerUp]!)) runnerUp = j;
    }
    values[i] = margins[i]! - (logits[row + label]! - logits[row + runnerUp]!);
    logitGradient[row + label] = -1;
    logitGradient[row + runnerUp] = 1;
  }
  return { values, logitGradient };
}

/** Returns the mean of the values. */
export function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? 0 : sum / values.length;
}
