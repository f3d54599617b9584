import type { AdamDirection } from './adam-moments.js';

/**
 * Work arrays of one `GaltUpdater`, reused from step to step, so a step over d parameters
 * allocates no d-sized arrays of its own. The moment and anchor arrays are double-buffered: a step
 * writes into the spare ones and swaps them in only when it commits, so a refused step leaves the
 * updater's state untouched.
 */
export class StepBuffers {
  readonly direction: AdamDirection;
  /** The parameters as one float64 vector at the start of the step. */
  theta: Float64Array;
  /** The moved parameters, rounded to float32, before they are copied into place. */
  readonly updated: Float32Array;
  /** Arrays the next moments are written into; the committed ones become the spares. */
  spareMoments: { first: Float64Array; second: Float64Array };

  constructor(dimension: number) {
    this.direction = {
      base: new Float64Array(dimension),
      metric: new Float64Array(dimension),
      weight: new Float64Array(dimension),
    };
    this.theta = new Float64Array(dimension);
    this.updated = new Float32Array(dimension);
    this.spareMoments = {
      first: new Float64Array(dimension),
      second: new Float64Array(dimension),
    };
  }
}
