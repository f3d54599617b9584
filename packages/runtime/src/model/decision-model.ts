/** Logits of every model head for a batch: `outputs[head]` contains `batch * heads[head]` values. */
export type HeadOutputs = Record<string, Float32Array>;

/**
 * The model behind the channels. The runtime calls `infer` once per tick with the features of
 * every agent that has something to decide, row by row.
 */
export interface DecisionModel {
  /** Length of one agent's feature row. */
  readonly featureDimension: number;
  /** Number of logits per agent for each head, by head name. */
  readonly heads: Readonly<Record<string, number>>;
  /** SHA-256 or other stable id of the weights, recorded with each run. */
  readonly digest: string;
  /** Runs the model on `batch` rows of `featureDimension` features each. */
  infer(features: Float32Array, batch: number): Promise<HeadOutputs>;
  /**
   * Runs the model on the same rows given as their non-zero slots. When a model has it, the
   * runtime calls it instead of `infer`, and never builds the dense rows. It must return what
   * `infer` returns for the dense form of the rows, up to float rounding.
   */
  inferSparse?(rows: SparseFeatureRows, batch: number): Promise<HeadOutputs>;
  close?(): Promise<void> | void;
}

/**
 * Feature rows as their non-zero slots: row `r` has slots `slots[r * width + i]` with values
 * `values[r * width + i]` for `i < width`. Rows with fewer slots are padded with slot 0 and value
 * 0, which adds nothing. The arrays are reused by the next tick, so copy what you keep.
 */
export interface SparseFeatureRows {
  width: number;
  slots: Int32Array;
  values: Float32Array;
}

/** Returns one agent's logits of one head as a view into the batch output (no copy). */
export function headRow(
  outputs: HeadOutputs,
  head: string,
  size: number,
  row: number,
): Float32Array {
  const values = outputs[head];
  if (values === undefined) return new Float32Array(size);
  return values.subarray(row * size, (row + 1) * size);
}

/** Checks that every head's output has `batch * size` values; returns the first problem found. */
export function checkHeadOutputs(
  outputs: HeadOutputs,
  heads: Readonly<Record<string, number>>,
  batch: number,
): string | null {
  for (const [head, size] of Object.entries(heads)) {
    const values = outputs[head];
    if (values === undefined) return `head '${head}' is missing from the model output`;
    if (values.length !== batch * size) {
      return `head '${head}' has ${values.length} values; expected ${batch * size} (batch ${batch} x ${size})`;
    }
  }
  return null;
}
