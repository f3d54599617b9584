/**
 * A classifier seen through its logits: forward passes, gradients of a linear function of the
 * logits, and per-example Jacobians. Every loss and constraint row of the updater is a function of
 * the logits, so it reaches the parameters through `gradient` or `jacobian` with the derivative of
 * that function with respect to the logits (a vector-Jacobian product).
 */
export interface ClassifierModel {
  readonly inputSize: number;
  readonly classes: number;
  /** Names of the parameters that gradients cover, in flat-layout order. */
  readonly parameterNames: readonly string[];
  /** Length of the flat gradient (total size of `parameterNames`). */
  readonly dimension: number;
  /** Current parameter values by name; read on every call, so in-place updates take effect. */
  readonly parameters: ReadonlyMap<string, Float32Array>;
  /** Returns logits `[count, classes]` for inputs `[count, inputSize]`. */
  forward(inputs: Float32Array, count: number): Promise<Float32Array>;
  /** Returns Σ_i ∂⟨G_i, z_i⟩/∂θ over the trained parameters, for logit weights `G [count, classes]`. */
  gradient(inputs: Float32Array, count: number, logitWeights: Float32Array): Promise<Float32Array>;
  /** Returns each example's ∂⟨G_i, z_i⟩/∂θ as rows `[count, dimension]`. */
  jacobian(inputs: Float32Array, count: number, logitWeights: Float32Array): Promise<Float32Array>;
  /** Releases sessions or workers; the TypeScript reference holds none. */
  close(): Promise<void>;
}

/** Forward and backward passes run so far, counted per example batch call. */
export interface PassCounter {
  forward: number;
  backward: number;
}
