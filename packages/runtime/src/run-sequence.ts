/** A stretch of a run's events whose store sequence numbers are consecutive. */
interface Segment {
  /** Run sequence number of the first event, counted from 1 within the run. */
  runSeq: number;
  /** Store sequence number of the first event. */
  storeSeq: number;
  length: number;
}

/**
 * Maps between store sequence numbers, shared by every run in one store file, and run sequence
 * numbers, which count one run's events from 1 with no holes. Each append of the run is one
 * transaction, so it fills one stretch of consecutive store numbers. Stretches that touch are
 * merged, so a run that had the store to itself keeps a single segment.
 */
export class RunSequence {
  readonly #segments: Segment[] = [];
  #count = 0;

  /** Number of events of the run, which is also its newest run sequence number. */
  get count(): number {
    return this.#count;
  }

  /** Records `length` events stored at consecutive store numbers from `storeSeq`. */
  add(storeSeq: number, length: number): void {
    if (length <= 0) return;
    const last = this.#segments.at(-1);
    if (last !== undefined && last.storeSeq + last.length === storeSeq) last.length += length;
    else this.#segments.push({ runSeq: this.#count + 1, storeSeq, length });
    this.#count += length;
  }

  /** Returns the store number of a run sequence number, or null when the run has no such event. */
  toStore(runSeq: number): number | null {
    const segment = this.#find((item) => item.runSeq, runSeq);
    if (segment === undefined || runSeq >= segment.runSeq + segment.length) return null;
    return segment.storeSeq + (runSeq - segment.runSeq);
  }

  /** Returns the run sequence number of a store number, or null when it is not the run's. */
  toRun(storeSeq: number): number | null {
    const segment = this.#find((item) => item.storeSeq, storeSeq);
    if (segment === undefined || storeSeq >= segment.storeSeq + segment.length) return null;
    return segment.runSeq + (storeSeq - segment.storeSeq);
  }

  /** Binary search for the last segment whose key is at most `value`. */
  #find(key: (segment: Segment) => number, value: number): Segment | undefined {
    let low = 0;
    let high = this.#segments.length - 1;
    let found: Segment | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const segment = this.#segments[middle]!;
      if (key(segment) <= value) {
        found = segment;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}
